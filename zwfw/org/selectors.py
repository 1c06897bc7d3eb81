"""Reads of the org app, always within the caller's department scope."""

from zwfw.core.crypto import blind_index
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.core.permissions import Role, department_scope, has_role, has_role_anywhere
from zwfw.core.prepared import PreparedRead
from zwfw.org.models import Department, Person, ServiceCenter, Window

STAFF_VIEW_ROLES = (
    Role.CENTER_ADMIN,
    Role.DEPARTMENT_ADMIN,
    Role.SUPERVISOR,
    Role.AUDITOR,
    Role.COORDINATION_OFFICE,
    Role.LEADING_GROUP,
    Role.WINDOW_STAFF,
)


def visible_departments(user):
    scope = department_scope(user)
    qs = Department.objects.select_related("center", "region")
    return qs if scope is None else qs.filter(id__in=scope)


# The order of every list of people (the people page, the home panel).
PEOPLE_ORDER = ("department__code", "name")


def visible_people(user, *, department: Department | None = None, query: str = ""):
    scope = department_scope(user, *STAFF_VIEW_ROLES)
    qs = Person.objects.select_related("department", "section", "user")
    if scope is not None:
        qs = qs.filter(department_id__in=scope)
    if department is not None:
        qs = qs.filter(department=department)
    if query:
        qs = qs.filter(name__contains=query)
    return qs.order_by(*PEOPLE_ORDER)


INCOMPLETE_ROWS = 10


def _incomplete_people(departments=None):
    """Active people without the date they started approval work (N-9, R-6 and R-7 compute
    from it), with only what the panel shows."""
    qs = Person.objects.filter(active=True, service_start_date__isnull=True)
    if departments is not None:
        qs = qs.filter(department_id__in=departments)
    return (
        qs.select_related("department")
        .only("name", "department__name")
        .order_by(*PEOPLE_ORDER)[:INCOMPLETE_ROWS]
    )


# Every admin's home page asks: compiled once per shape of scope (core.prepared).
_INCOMPLETE = PreparedRead(Person, _incomplete_people)


def incomplete_people(user) -> list[Person]:
    """The first people with incomplete records in the user's admin scope (home panel)."""
    scope = department_scope(user, *PERSON_EDIT_ROLES)
    if scope is None:
        return _INCOMPLETE()
    return _INCOMPLETE(departments=sorted(scope))


def person_for(user, person_id: int) -> Person:
    person = visible_people(user).filter(pk=person_id).first()
    if person is None:
        raise NotFound("未找到该人员，或不在您的管理范围内")
    return person


# Who may edit staff records: the same check update_person / create_person make (issue 11
# point 10: the edit form, and with it the unmasked phone, renders only for them).
PERSON_EDIT_ROLES = (Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN)


def may_edit_person(user, person: Person) -> bool:
    return has_role(user, *PERSON_EDIT_ROLES, department=person.department)


def may_create_person(user) -> bool:
    """Opens the form; the chosen department is checked by create_person."""
    return has_role_anywhere(user, *PERSON_EDIT_ROLES)


def may_create_department(user) -> bool:
    """The form has no center field, so the department is platform-wide: a global admin."""
    return has_role(user, Role.CENTER_ADMIN)


def department_by_code(code: str) -> Department:
    department = Department.objects.select_related("center").filter(code=code).first()
    if department is None:
        raise NotFound(f"未找到部门“{code}”")
    return department


def person_by_id_number(id_number: str) -> Person | None:
    return Person.objects.filter(id_number_index=blind_index(id_number.upper())).first()


def centers(*, parent: ServiceCenter | None = None, level: str = ""):
    # The hall directory is public information: every account may read it.
    qs = ServiceCenter.objects.select_related("region", "parent").order_by("path")
    if parent is not None:
        qs = qs.filter(parent=parent)
    if level:
        qs = qs.filter(level=level)
    return qs


def may_create_center_or_window(user) -> bool:
    """Opens the forms; create_center / create_window check the chosen parent or center."""
    return has_role_anywhere(user, Role.CENTER_ADMIN)


def center_by_code(code: str, *, field: str = "center") -> ServiceCenter:
    center = ServiceCenter.objects.select_related("region", "parent").filter(code=code).first()
    if center is None:
        raise RuleViolation("invalid", f"未找到中心“{code}”", field=field)
    return center


def windows(
    center: ServiceCenter | None = None, *, kind: str = "", department: Department | None = None
):
    qs = Window.objects.select_related("center", "department", "parent")
    if center is not None:
        qs = qs.filter(center=center)
    if kind:
        qs = qs.filter(kind=kind)
    if department is not None:
        qs = qs.filter(departments=department)
    return qs.order_by("center__path", "number")


def window_by_code(code: str, center: ServiceCenter) -> Window | None:
    """The window numbered `code` in this center or, failing that, the nearest center above
    it (a county talent window's parent is the city's, TW-3)."""
    ids = center.path_ids()
    found = {w.center_id: w for w in Window.objects.filter(number=code, center_id__in=ids)}
    return next((found[i] for i in reversed(ids) if i in found), None)
