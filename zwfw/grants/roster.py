"""The name list of chief service officers (名单, 附件3 of seed 001, C-A3) as .xlsx, written
with the shared write-only helper (zwfw.documents.xlsx) so a center-wide list streams."""

import datetime

from zwfw.documents.xlsx import XLSX_MIME, write_xlsx
from zwfw.grants.selectors import RosterRow

HEADER = ["姓名", "性别", "年龄", "工作单位（股室）及职位", "联系方式", "备注"]
WIDTHS = [12, 8, 8, 44, 16, 48]
XLSX_CONTENT_TYPE = XLSX_MIME


def roster_xlsx(rows: list[RosterRow], *, unit: str, on: datetime.date) -> bytes:
    """Title with 填报单位 and date, then the six columns of 附件3, one row per grant."""
    caption = f"“首席服务员”名单    填报单位：{unit}    {on.year}年{on.month}月{on.day}日"
    return write_xlsx(
        HEADER,
        ([r.name, r.gender, r.age, r.workplace, r.phone, r.note] for r in rows),
        title="首席服务员名单",
        widths=WIDTHS,
        caption=caption,
    )
