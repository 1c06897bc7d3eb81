"""Service items API (API.md "Service items"): parse, call a service or selector, return."""

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Router, Schema
from ninja.files import UploadedFile

from zwfw.catalog import channel_selectors, exports, selectors, services
from zwfw.core.api import idempotent, paginate
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.documents.xlsx import XLSX_MIME
from zwfw.org import selectors as org_selectors

router = Router(tags=["事项与办事指南"])


class MaterialIn(Schema):
    name: str
    required: bool = True
    original: bool = True
    copies: int = 1
    electronic_ok: bool = True
    source: str = ""
    basis: str = ""
    exempt_by_sharing: bool = False
    note: str = ""


class StepIn(Schema):
    name: str
    post: str
    days: int = 0
    description: str = ""


class SpecialStepIn(Schema):
    name: str
    days: int = 0
    basis: str = ""
    counted_in_limit: bool = False


class ScenarioIn(Schema):
    name: str
    description: str = ""


class MaterialOut(MaterialIn):
    sample_text: str


class ItemFields(Schema):
    """Optional fields shared by create and patch (the guide and the hierarchy)."""

    competent_authority: str | None = None
    legal_basis: str | None = None
    exercise_level: str | None = None
    parent: str | None = None
    node_kind: str | None = None
    handling_kind: str | None = None
    on_application: bool | None = None
    exclusion_note: str | None = None
    active: bool | None = None
    applicant_kind: str | None = None
    conditions: str | None = None
    fee: str | None = None
    apply_mode: str | None = None
    place_and_hours: str | None = None
    online_url: str | None = None
    result: str | None = None
    delivery: str | None = None
    consult_channel: str | None = None
    complaint_channel: str | None = None
    faq: str | None = None
    visits_required: int | None = None
    baseline_steps: int | None = None
    baseline_materials: int | None = None
    baseline_visits: int | None = None
    steps: list[StepIn] | None = None
    special_steps: list[SpecialStepIn] | None = None
    scenarios: list[ScenarioIn] | None = None


class ItemIn(ItemFields):
    code: str
    name: str
    handling_name: str = ""
    department: str
    item_type: str
    legal_limit_days: int
    promised_limit_days: int
    immediate: bool = False
    high_frequency: bool = False
    materials: list[MaterialIn] = []
    chief_list_included: bool | None = None
    exclusion_reason: str | None = None
    green_channel: bool = False
    green_channel_mode: str | None = None


class ItemPatch(ItemFields):
    name: str | None = None
    handling_name: str | None = None
    item_type: str | None = None
    legal_limit_days: int | None = None
    promised_limit_days: int | None = None
    immediate: bool | None = None
    high_frequency: bool | None = None
    materials: list[MaterialIn] | None = None
    chief_list_included: bool | None = None
    exclusion_reason: str | None = None
    green_channel: bool | None = None
    green_channel_mode: str | None = None
    reason: str | None = None


class ItemOut(Schema):
    id: int
    code: str
    name: str
    handling_name: str
    department: str
    department_name: str
    competent_authority: str
    item_type: str
    legal_basis: str
    exercise_level: str
    parent: str | None
    node_kind: str
    handling_kind: str
    on_application: bool
    legal_limit_days: int
    promised_limit_days: int
    immediate: bool
    high_frequency: bool
    chief_list_included: bool | None
    exclusion_reason: str
    exclusion_note: str
    green_channel: bool
    green_channel_mode: str
    active: bool
    version: int
    applicant_kind: str
    conditions: str
    fee: str
    apply_mode: str
    place_and_hours: str
    online_url: str
    result: str
    delivery: str
    consult_channel: str
    complaint_channel: str
    faq: str
    visits_required: int
    baseline_steps: int
    baseline_materials: int
    baseline_visits: int
    materials: list[MaterialOut]
    steps: list[StepIn]
    special_steps: list[SpecialStepIn]
    scenarios: list[ScenarioIn]


class ItemList(Schema):
    items: list[ItemOut]
    count: int


class ImportOut(Schema):
    created: int
    updated: int
    unchanged: int


class VersionOut(Schema):
    number: int
    changed_at: str
    effective_from: str
    changed_by: str | None
    reason: str


def item_out(item) -> dict:
    data = selectors.current_data(item)
    parent = data.pop("parent_code")
    data.pop("department_code")
    return {
        **data,
        "id": item.pk,
        "department": item.department.code,
        "parent": parent or None,
        "version": item.version_number,
    }


def _fields(payload: Schema) -> dict:
    """The fields the client sent, with API names mapped to the service's keys."""
    data = payload.model_dump(exclude_unset=True)
    if "parent" in data:
        data["parent_code"] = data.pop("parent") or ""
    for key in ("exclusion_reason", "green_channel_mode", "exclusion_note"):
        if key in data and data[key] is None:
            data[key] = ""
    nullable = {"chief_list_included"}
    return {k: v for k, v in data.items() if v is not None or k in nullable}


def _department(code: str):
    try:
        return org_selectors.department_by_code(code)
    except NotFound as exc:
        raise RuleViolation("invalid", exc.message, field="department")


@router.post("/items", response={201: ItemOut}, summary="新增事项（含办事指南）")
def create_item(request, payload: ItemIn):
    def produce():
        data = _fields(payload)
        department = _department(data.pop("department"))
        item = services.create_item(by=request.user, department=department, data=data)
        return item_out(selectors.with_guide(type(item).objects.filter(pk=item.pk)).get())

    return idempotent(request, produce)


@router.get("/items", response=ItemList, summary="事项列表")
def list_items(
    request,
    department: str | None = None,
    item_type: str = "",
    chief_list_included: bool | None = None,
    q: str = "",
    page: int = 1,
    page_size: int = 50,
):
    dept = _department(department) if department else None
    qs = selectors.visible_items(
        request.user,
        department=dept,
        item_type=item_type,
        chief_list_included=chief_list_included,
        query=q,
    )
    items, count = paginate(selectors.with_guide(qs), page, page_size)
    return {"items": [item_out(i) for i in items], "count": count}


# Declared before /items/{code}: otherwise "export.xlsx" would be taken for an item code.
@router.get("/items/export.xlsx", summary="导出事项清单（附件1格式，可重新导入）")
def export_items(request, department: str | None = None):
    dept = _department(department) if department else None
    content = exports.items_workbook(request.user, department=dept)
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = f'attachment; filename="{exports.export_filename(dept)}"'
    return response


@router.post("/items/import", response=ImportOut, summary="从Excel导入事项（有误则全部不导入）")
def import_items(request, file: UploadedFile = File(...), reason: str = ""):  # noqa: B008
    result = services.import_items(by=request.user, file=file, reason=reason)
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}


@router.get("/items/{code}", response=ItemOut, summary="事项详情")
def get_item(request, code: str):
    item = selectors.item_for(request.user, code)
    return item_out(selectors.with_guide(type(item).objects.filter(pk=item.pk)).get())


@router.patch("/items/{code}", response=ItemOut, summary="修改事项（每次修改生成新版本）")
def patch_item(request, code: str, payload: ItemPatch):
    data = _fields(payload)
    reason = data.pop("reason", "")
    item = selectors.item_by_code(code)
    item = services.update_item(
        by=request.user, item=item, changes=data, reason=reason, require_reason=False
    )
    return item_out(selectors.with_guide(type(item).objects.filter(pk=item.pk)).get())


@router.get("/items/{code}/versions", response=list[VersionOut], summary="事项版本历史")
def item_versions(request, code: str):
    item = selectors.item_for(request.user, code)
    return [
        {
            "number": v.number,
            "changed_at": timezone.localtime(v.changed_at).isoformat(),
            "effective_from": v.effective_from.isoformat(),
            "changed_by": _name(v.changed_by),
            "reason": v.reason,
        }
        for v in selectors.versions(item)
    ]


def _name(user) -> str | None:
    if user is None:
        return None
    person = getattr(user, "person", None)
    return person.name if person else user.get_username()


# --- the center's ways of applying per item (issue 12 point 7, seed 002 第十八条, R-18) -----------


class ChannelsIn(Schema):
    """Every way is open unless set to false; closing one needs `reason`."""

    window: bool = True
    online: bool = True
    mobile: bool = True
    self_service: bool = True
    reason: str = ""


class ChannelsOut(Schema):
    item: str
    window: bool
    online: bool
    mobile: bool
    self_service: bool
    restricted: bool
    reason: str
    set_by: str | None
    set_at: str | None


def channels_out(item, found) -> dict:
    setting = found.setting
    return {
        "item": item.code,
        **found.accepted,
        "restricted": found.restricted,
        "reason": found.reason,
        "set_by": _name(setting.set_by) if setting else None,
        "set_at": timezone.localtime(setting.set_at).isoformat() if setting else None,
    }


@router.get("/items/{code}/channels", response=ChannelsOut, summary="事项受理的申请方式")
def get_channels(request, code: str):
    item = selectors.item_for(request.user, code)
    return channels_out(item, channel_selectors.channels_of(item))


@router.put(
    "/items/{code}/channels",
    response=ChannelsOut,
    summary="设置事项受理的申请方式（中心管理员；限定须写明理由）",
)
def put_channels(request, code: str, payload: ChannelsIn):
    item = selectors.item_by_code(code)
    data = payload.dict()
    reason = data.pop("reason")
    services.set_item_channels(by=request.user, item=item, channels=data, reason=reason)
    return channels_out(item, channel_selectors.channels_of(item))
