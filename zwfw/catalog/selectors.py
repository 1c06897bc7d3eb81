"""Reads of the catalog: items in the caller's scope, versions, the chief service officer list."""

import datetime

from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from zwfw.catalog import snapshot as snap
from zwfw.catalog.models import (
    CHANNEL_LABELS,
    ChiefList,
    ItemChannelSetting,
    ItemType,
    ItemVersion,
    ListStatus,
    ListSubmission,
    Material,
    NodeKind,
    PublishedList,
    ServiceGuide,
    ServiceItem,
    VaguePhrase,
)
from zwfw.catalog.vague import DEFAULT_PHRASES
from zwfw.core import fastsql
from zwfw.core.errors import NotFound
from zwfw.core.permissions import Role, department_scope, has_role
from zwfw.core.prepared import PreparedRead
from zwfw.org.models import Department

EDIT_ROLES = (Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN)


# --- items -------------------------------------------------------------------------------


def item_by_code(code: str) -> ServiceItem:
    item = ServiceItem.objects.select_related("department", "parent").filter(code=code).first()
    if item is None:
        raise NotFound(f"未找到事项“{code}”")
    return item


def chief_list_items(department: Department):
    """Active items of `department` in its chief service officer list (C-4.1); grants use it."""
    return ServiceItem.objects.filter(
        department=department, active=True, chief_list_included=True
    ).order_by("code")


def visible_items(
    user,
    *,
    department: Department | None = None,
    item_type: str = "",
    chief_list_included: bool | None = None,
    undecided: bool = False,
    query: str = "",
    active: bool | None = None,
):
    """Items the user may read: those of the departments in any of their roles' scope."""
    scope = department_scope(user)
    qs = ServiceItem.objects.select_related("department", "parent")
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    if department is not None:
        qs = qs.filter(department=department)
    if item_type:
        qs = qs.filter(item_type=item_type)
    if undecided:
        qs = qs.filter(chief_list_included__isnull=True)
    elif chief_list_included is not None:
        qs = qs.filter(chief_list_included=chief_list_included)
    if active is not None:
        qs = qs.filter(active=active)
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(handling_name__contains=query) | Q(code=query))
    return qs.order_by("department__code", "code")


def item_for(user, code: str) -> ServiceItem:
    item = visible_items(user).filter(code=code).first()
    if item is None:
        raise NotFound(f"未找到事项“{code}”，或不在您的管理范围内")
    return item


def may_edit(user, department: Department) -> bool:
    return has_role(user, *EDIT_ROLES, department=department)


def visible_departments_for_items(user):
    scope = department_scope(user)
    qs = Department.objects.order_by("code")
    return qs if scope is None else qs.filter(id__in=scope)


def editable_departments(user):
    scope = department_scope(user, *EDIT_ROLES)
    qs = Department.objects.filter(active=True).order_by("code")
    return qs if scope is None else qs.filter(id__in=scope)


def with_guide(qs):
    """Prefetch everything `current_data()` reads: four queries whatever the number of items."""
    return qs.select_related("department", "parent", "guide").prefetch_related(
        "guide__materials", "guide__steps", "guide__special_steps", "guide__scenarios"
    )


def current_data(item: ServiceItem) -> dict:
    """The canonical data of an item now (fetched with `with_guide` to avoid extra queries)."""
    guide = item.guide
    lists = {
        "materials": list(guide.materials.all()),
        "steps": list(guide.steps.all()),
        "special_steps": list(guide.special_steps.all()),
        "scenarios": list(guide.scenarios.all()),
    }
    return snap.canonical(snap.snapshot(item, guide, lists))


def vague_phrases() -> list[str]:
    """The active phrases refused by R-14. A table that was never seeded (e.g. flushed by a
    transactional test) falls back to the defaults, so the rule is never silently off."""
    phrases = list(VaguePhrase.objects.filter(active=True).values_list("phrase", flat=True))
    if phrases or VaguePhrase.objects.exists():
        return phrases
    return list(DEFAULT_PHRASES)


def vague_phrase(phrase_id: int) -> VaguePhrase:
    found = VaguePhrase.objects.filter(pk=phrase_id).first()
    if found is None:
        raise NotFound("未找到该模糊表述")
    return found


def all_phrases():
    return VaguePhrase.objects.order_by("phrase")


# --- versions (C-4.2) ----------------------------------------------------------------------


def versions(item: ServiceItem):
    return item.versions.select_related("changed_by__person").order_by("-number")


def version(item: ServiceItem, number: int) -> ItemVersion:
    found = item.versions.filter(number=number).first()
    if found is None:
        raise NotFound(f"事项“{item.code}”没有第{number}版")
    return found


def version_in_force(item: ServiceItem, on: datetime.date | None = None) -> ItemVersion:
    """The version published on `on`: the last one that took effect on or before that day."""
    on = on or timezone.localdate()
    found = (
        item.versions.filter(effective_from__lte=on)
        .select_related("changed_by")
        .order_by("-number")
        .first()
    )
    if found is None:
        raise NotFound(f"{on:%Y年%m月%d日}时该事项尚未发布")
    return found


# --- public pages --------------------------------------------------------------------------


def version_number_in_force(item: ServiceItem, on: datetime.date) -> int | None:
    """The number of the version published on `on` (intake records it; the snapshot itself,
    which can be large, is not read)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT number FROM catalog_itemversion WHERE item_id = %s AND effective_from <= %s "
            "ORDER BY number DESC LIMIT 1",
            [item.pk, connection.ops.adapt_datefield_value(on)],
        )
        row = cursor.fetchone()
    return row[0] if row else None


def checklist(item: ServiceItem) -> list[Material]:
    """The materials of the item's guide in order (the intake checklist); [] without a guide."""
    qn = connection.ops.quote_name
    sql = (
        f"SELECT {fastsql.columns(Material, 'm')} FROM {qn(Material._meta.db_table)} m "
        f"JOIN {qn(ServiceGuide._meta.db_table)} g ON g.id = m.guide_id "
        "WHERE g.item_id = %s ORDER BY m.position, m.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [item.pk])
        return [fastsql.instance(Material, row) for row in cursor.fetchall()]


_INTAKE: dict = {}


def intake_facts(
    item: ServiceItem, on: datetime.date, channel: str
) -> tuple[bool, int | None, list[Material]]:
    """What intake reads of the catalog, in one statement: whether `channel` is open for the
    item (R-18; no setting: all open), the number of the version in force on `on` (None
    before the first) and the checklist (as checklist()). Three reads before: two round trips
    fewer per intake."""
    if channel not in CHANNEL_LABELS:
        raise ValueError(f"unknown channel {channel!r}")
    key = (connection.vendor, channel)
    sql = _INTAKE.get(key)
    if sql is None:
        qn = connection.ops.quote_name
        sql = _INTAKE[key] = (
            f"SELECT s.{qn(channel)}, v.number, {fastsql.columns(Material, 'm')} "
            "FROM (SELECT 1 AS one) o "
            f"LEFT JOIN {qn(ItemChannelSetting._meta.db_table)} s ON s.item_id = %s "
            f"LEFT JOIN (SELECT number FROM {qn(ItemVersion._meta.db_table)} "
            "WHERE item_id = %s AND effective_from <= %s ORDER BY number DESC LIMIT 1) v "
            "ON 1 = 1 "
            f"LEFT JOIN (SELECT m.* FROM {qn(Material._meta.db_table)} m "
            f"JOIN {qn(ServiceGuide._meta.db_table)} g ON g.id = m.guide_id "
            "WHERE g.item_id = %s) m ON 1 = 1 "
            "ORDER BY m.position, m.id"
        )
    params = [item.pk, item.pk, connection.ops.adapt_datefield_value(on), item.pk]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    first = rows[0]  # one row at least: the LEFT JOINs hang off one constant row
    materials = [fastsql.instance(Material, row[2:]) for row in rows if row[2] is not None]
    return first[0] is None or bool(first[0]), first[1], materials


def public_items(*, department: Department | None = None, item_type: str = "", query: str = ""):
    # Main items (主项) only group their handling items; applicants apply for the latter.
    qs = ServiceItem.objects.filter(active=True, version_number__gt=0).exclude(
        node_kind=NodeKind.MAIN
    )
    qs = qs.select_related("department")
    if department is not None:
        qs = qs.filter(department=department)
    if item_type in ItemType.values:
        qs = qs.filter(item_type=item_type)
    if query:
        qs = qs.filter(Q(name__contains=query) | Q(handling_name__contains=query) | Q(code=query))
    return qs.order_by("department__code", "code")


def public_item(code: str) -> ServiceItem:
    item = ServiceItem.objects.select_related("department").filter(code=code).first()
    if item is None:
        raise NotFound(f"未找到事项“{code}”")
    return item


def departments_with_items():
    return (
        Department.objects.filter(items__active=True)
        .distinct()
        .order_by("code")
        .only("id", "code", "name")
    )


def public_department(code: str) -> Department:
    department = Department.objects.filter(code=code).first()
    if department is None:
        raise NotFound(f"未找到部门“{code}”")
    return department


def published_lists_overview():
    """The latest published list of every department that has one."""
    latest = (
        PublishedList.objects.select_related("department")
        .order_by("department__code", "-number")
        .only("id", "number", "published_at", "rows", "department__code", "department__name")
    )
    seen, out = set(), []
    for p in latest:
        if p.department_id not in seen:
            seen.add(p.department_id)
            out.append(p)
    return out


def published_list(department: Department, number: int | None = None) -> PublishedList | None:
    qs = department.published_lists.select_related("approved_by__person")
    if number is not None:
        return qs.filter(number=number).first()
    return qs.order_by("-number").first()


# --- the chief service officer list (C-4.1) ------------------------------------------------


def list_items(department: Department):
    """The items the list is made of: the department's active on-application items."""
    return ServiceItem.objects.filter(
        department=department, active=True, on_application=True
    ).order_by("code")


def list_rows(department: Department) -> list[dict]:
    """The rows of 附件1 as a submission or publication stores them."""
    rows = list_items(department).values(
        "code",
        "name",
        "handling_name",
        "item_type",
        "chief_list_included",
        "exclusion_reason",
        "exclusion_note",
    )
    return [
        {**row, "department_name": department.name, "department_code": department.code}
        for row in rows
    ]


def _counts():
    on_list = Q(items__active=True, items__on_application=True)
    return {
        "total": Count("items", filter=on_list),
        "included": Count("items", filter=on_list & Q(items__chief_list_included=True)),
        "excluded": Count("items", filter=on_list & Q(items__chief_list_included=False)),
        "undecided": Count("items", filter=on_list & Q(items__chief_list_included__isnull=True)),
    }


def inclusion_rate(included: int, total: int) -> float | None:
    return round(100 * included / total, 1) if total else None


def chief_list_of(department: Department) -> ChiefList:
    """The department's list state (an unsaved draft when it has never been touched)."""
    found = (
        ChiefList.objects.select_related("campaign", "latest_submission")
        .filter(department=department)
        .first()
    )
    return found or ChiefList(department=department, status=ListStatus.DRAFT)


def list_open_for_submission(chief_list: ChiefList) -> bool:
    """Whether a submission makes sense now (the service refuses the other cases)."""
    if chief_list.status == ListStatus.SUBMITTED:
        return False
    return chief_list.status != ListStatus.APPROVED or chief_list.changed_since_submission


def list_summary(department: Department) -> dict:
    counts = Department.objects.filter(pk=department.pk).aggregate(**_counts())
    chief_list = chief_list_of(department)
    return {
        **counts,
        "rate": inclusion_rate(counts["included"], counts["total"]),
        "target": 100,
        "list": chief_list,
        "due_date": chief_list.due_date,
    }


def list_overview(user):
    """Every department in the user's scope with its list counts, in one query."""
    scope = department_scope(user)
    qs = Department.objects.filter(active=True)
    if scope is not None:
        qs = qs.filter(id__in=scope)
    rows = list(qs.annotate(**_counts()).select_related("chief_list__campaign").order_by("code"))
    for d in rows:
        d.rate = inclusion_rate(d.included, d.total)
        d.list_state = getattr(d, "chief_list", None)
    return rows


def submissions(department: Department):
    return department.list_submissions.select_related(
        "submitted_by__person", "reviewed_by__person"
    ).order_by("-number")


def lists_awaiting_review(user):
    scope = department_scope(user, Role.COORDINATION_OFFICE)
    qs = ChiefList.objects.filter(status=ListStatus.SUBMITTED).select_related(
        "department", "latest_submission"
    )
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    return qs.order_by("latest_submission__submitted_at")


def _admin_lists(ids):
    """The departments with their list counts and state, with only what the panel shows
    (a submission's stored rows are the whole list: not read here)."""
    return (
        Department.objects.filter(id__in=ids)
        .annotate(**_counts())
        .select_related("chief_list__latest_submission")
        .only(
            "code",
            "name",
            "chief_list__status",
            "chief_list__due_date",
            "chief_list__latest_submission__comment",
        )
        .order_by("code")
    )


# Every department admin's home page asks: compiled once per number of departments.
_ADMIN_LISTS = PreparedRead(Department, _admin_lists)


def admin_lists(user):
    """Lists of the departments where the user is department administrator (home panel)."""
    ids = [
        a.department_id
        for a in user.role_assignments.all()
        if a.role == Role.DEPARTMENT_ADMIN and a.department_id
    ]
    return _ADMIN_LISTS(ids=ids)


def pending_submission(department: Department) -> ListSubmission | None:
    return (
        department.list_submissions.filter(status=ListSubmission.Status.SUBMITTED)
        .order_by("-number")
        .first()
    )


def officers_by_item(department: Department, on: datetime.date | None = None) -> dict[int, str]:
    """The 首席服务员 of each item (附件1), from the grants app's current chief officers.

    Grants is an optional neighbour: without it (or while it is being migrated) the column
    stays empty rather than breaking the list.
    """
    try:
        from zwfw.grants.eligibility import GrantRole
        from zwfw.grants.selectors import current_chief_officers
    except ImportError:
        return {}
    names: dict[int, list[str]] = {}
    grants = current_chief_officers(department, on=on, role=GrantRole.CHIEF_SERVICE_OFFICER)
    for grant in grants:
        for item in list(grant.final_items.all()) + list(grant.preliminary_items.all()):
            names.setdefault(item.id, [])
            if grant.grantee.name not in names[item.id]:
                names[item.id].append(grant.grantee.name)
    return {k: "、".join(v) for k, v in names.items()}


def officers_by_code(department: Department, on: datetime.date | None = None) -> dict[str, str]:
    by_id = officers_by_item(department, on)
    if not by_id:
        return {}
    codes = dict(ServiceItem.objects.filter(id__in=by_id).values_list("id", "code"))
    return {codes[i]: name for i, name in by_id.items() if i in codes}


def export_items(user, department: Department | None = None):
    """Items for the Excel export, with their guides, in the user's scope."""
    return with_guide(visible_items(user, department=department))
