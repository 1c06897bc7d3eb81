"""The Excel export of items in the 附件1 layout (a read: selectors plus the sheet writer)."""

from django.utils import timezone

from zwfw.catalog import excel, selectors
from zwfw.documents.xlsx import write_xlsx
from zwfw.org.models import Department


def items_workbook(user, department: Department | None = None) -> bytes:
    """Every item of `department` (or of the user's scope): re-importing it recreates them."""
    on = timezone.localdate()
    items = selectors.export_items(user, department=department)
    officers: dict[int, dict[int, str]] = {}

    def rows():
        for seq, item in enumerate(items.iterator(chunk_size=2000), start=1):
            if item.department_id not in officers:
                officers[item.department_id] = selectors.officers_by_item(item.department, on)
            data = selectors.current_data(item)
            yield excel.export_row(seq, data, officers[item.department_id].get(item.pk, ""))

    title = f"{department.name if department else '全部部门'}首席服务员审批服务事项清单"
    return write_xlsx(excel.HEADERS, rows(), title="事项清单", widths=excel.WIDTHS, caption=title)


def export_filename(department: Department | None) -> str:
    code = department.code if department else "all"
    return f"items-{code}-{timezone.localdate():%Y%m%d}.xlsx"
