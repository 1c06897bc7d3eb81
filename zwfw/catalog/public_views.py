"""Public pages (no login): published items and guides, and the published chief lists.

The guide is rendered from a published version with the same template the window uses, so
online and offline show the same standard (R-14, R-18).
"""

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render

from zwfw.catalog import channel_selectors, selectors
from zwfw.catalog import snapshot as snap
from zwfw.catalog.models import ItemType
from zwfw.catalog.views import parse_day
from zwfw.core.errors import NotFound


def items(request):
    departments = selectors.departments_with_items()
    department = departments.filter(code=request.GET.get("department", "")).first()
    qs = selectors.public_items(
        department=department,
        item_type=request.GET.get("item_type", ""),
        query=request.GET.get("q", "").strip(),
    )
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/public_items.html",
        {
            "page": page,
            "departments": departments,
            "item_types": ItemType.choices,
            "filters": request.GET,
        },
    )


def guide(request, code: str):
    item = selectors.public_item(code)
    on = parse_day(request.GET.get("on"))
    version = selectors.version_in_force(item, on)
    return render(
        request,
        "catalog/public_guide.html",
        {
            "item": item,
            "version": version,
            "g": snap.guide_view(version.data),
            "on": on,
            # the ways the center accepts, and the reason when it closed one.
            "channels": channel_selectors.channels_of(item),
        },
    )


def sample(request, code: str, number: int, position: int):
    """The sample text (示范文本) of a material, as the given version lists it."""
    item = selectors.public_item(code)
    version = selectors.version(item, number)
    materials = version.data.get("materials") or []
    if not 1 <= position <= len(materials) or not materials[position - 1].get("sample_text"):
        raise NotFound("该材料没有示范文本")
    name = materials[position - 1]["sample_text"]
    if not default_storage.exists(name):
        raise NotFound("示范文本文件已不存在，请联系窗口")
    return FileResponse(
        default_storage.open(name, "rb"), as_attachment=True, filename=name.rsplit("/", 1)[-1]
    )


def lists(request):
    return render(
        request, "catalog/public_lists.html", {"lists": selectors.published_lists_overview()}
    )


def chief_list(request, department_code: str):
    department = selectors.public_department(department_code)
    number = request.GET.get("version", "")
    published = selectors.published_list(department, int(number) if number.isdigit() else None)
    if published is None:
        raise NotFound(f"{department.name}的首席服务员清单尚未发布")
    officers = selectors.officers_by_code(department)
    rows = [{**row, "officer": officers.get(row["code"], "")} for row in published.rows]
    return render(
        request,
        "catalog/public_list.html",
        {
            "department": department,
            "published": published,
            "rows": rows,
            "versions": department.published_lists.order_by("-number").values_list(
                "number", "published_at"
            ),
        },
    )
