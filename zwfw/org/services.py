"""Writes of the org app: regions, centers, departments, sections, windows, people, accounts."""

import datetime

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.crypto import blind_index
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.core.validators import (
    ID_BIRTH_EARLIEST,
    clean_date_range,
    clean_id_number,
    clean_name,
    clean_phone,
)
from zwfw.org.models import (
    Department,
    Person,
    Region,
    RoleAssignment,
    Section,
    ServiceCenter,
    Window,
)

User = get_user_model()


def _unique(model, field: str, value, label: str) -> None:
    if model.objects.filter(**{field: value}).exists():
        raise RuleViolation("duplicate", f"{label}“{value}”已存在", field=field, status=409)


@transaction.atomic
def create_region(*, by, code: str, name: str, level: str, parent: Region | None = None) -> Region:
    """Add a region to the administrative tree."""
    require_role(by, Role.CENTER_ADMIN)
    _unique(Region, "code", code, "区划代码")
    region = Region(code=code, name=name, level=level, parent=parent)
    region.full_clean(exclude=["path"])
    region.save()
    region.refresh_path()
    audit.record(actor=by, action="create_region", obj=region, after={"code": code, "name": name})
    return region


# city → county → township; a center hangs under one of a higher level.
_CENTER_RANK = {
    ServiceCenter.Level.CITY: 0,
    ServiceCenter.Level.COUNTY: 1,
    ServiceCenter.Level.TOWNSHIP: 2,
}
_CHILD_LEVEL = {
    ServiceCenter.Level.CITY: ServiceCenter.Level.COUNTY,
    ServiceCenter.Level.COUNTY: ServiceCenter.Level.TOWNSHIP,
}


def _center_level(level: str | None, parent: ServiceCenter | None) -> str:
    """The level given, or the one below the parent's (a city center without a parent)."""
    if level:
        if level not in ServiceCenter.Level.values:
            raise RuleViolation("invalid", "中心层级须为 city、county 或 township", field="level")
        return level
    if parent is None:
        return ServiceCenter.Level.CITY
    if parent.level not in _CHILD_LEVEL:
        raise RuleViolation("R-25", "乡镇（街道）便民服务中心下不能再设中心", field="parent")
    return _CHILD_LEVEL[parent.level]


@transaction.atomic
def create_center(
    *,
    by,
    code: str,
    name: str,
    level: str | None = None,
    region: Region | None = None,
    parent: ServiceCenter | None = None,
    address: str = "",
    phone: str = "",
) -> ServiceCenter:
    """Add a service center; county and township centers hang under a parent (R-25).

    A top-level center needs a global center admin (require_role without a target); a
    sub-center needs a center admin whose scope covers the parent."""
    require_role(by, Role.CENTER_ADMIN, center=parent)
    code = (code or "").strip()
    name = clean_name(name)
    if not code:
        raise RuleViolation("invalid", "中心代码不能为空", field="code")
    if not name:
        raise RuleViolation("invalid", "中心名称不能为空", field="name")
    _unique(ServiceCenter, "code", code, "中心代码")
    level = _center_level(level, parent)
    if level != ServiceCenter.Level.CITY and parent is None:
        raise RuleViolation("R-25", "县级和乡镇（街道）中心须指定上级中心", field="parent")
    if parent is not None and _CENTER_RANK[parent.level] >= _CENTER_RANK[level]:
        raise RuleViolation("R-25", "上级中心的层级须高于本中心", field="parent")
    region = region or (parent.region if parent is not None else None)
    if region is None:
        raise RuleViolation("invalid", "请指定所属区域", field="region")
    center = ServiceCenter(
        code=code,
        name=name,
        level=level,
        region=region,
        parent=parent,
        address=address,
        phone=phone,
    )
    center.full_clean(exclude=["path"])
    center.save()
    center.refresh_path()
    audit.record(
        actor=by,
        action="create_center",
        obj=center,
        after={
            "code": code,
            "name": name,
            "level": level,
            "parent": parent.code if parent else None,
        },
    )
    return center


@transaction.atomic
def create_department(
    *,
    by,
    code: str,
    name: str,
    short_name: str = "",
    region: Region | None = None,
    center: ServiceCenter | None = None,
    parent: Department | None = None,
) -> Department:
    """Register a department (进驻单位)."""
    require_role(by, Role.CENTER_ADMIN, center=center)
    code = (code or "").strip()
    name = clean_name(name)  # no invisible or bidi characters (issue 11 point 12)
    if not code:
        raise RuleViolation("invalid", "部门代码不能为空", field="code")
    if not name:
        raise RuleViolation("invalid", "部门名称不能为空", field="name")
    _unique(Department, "code", code, "部门代码")
    department = Department(
        code=code, name=name, short_name=short_name, region=region, center=center, parent=parent
    )
    department.full_clean()
    department.save()
    audit.record(
        actor=by, action="create_department", obj=department, after={"code": code, "name": name}
    )
    return department


@transaction.atomic
def create_section(
    *, by, department: Department, name: str, is_service_section: bool = False
) -> Section:
    require_role(by, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, department=department)
    if Section.objects.filter(department=department, name=name).exists():
        raise RuleViolation("duplicate", f"股室“{name}”已存在", field="name", status=409)
    section = Section.objects.create(
        department=department, name=name, is_service_section=is_service_section
    )
    audit.record(actor=by, action="create_section", obj=section, after={"name": name})
    return section


def _served_departments(
    center: ServiceCenter, kind: str, departments: list[Department]
) -> list[Department]:
    """A department window serves exactly one department; every department served is
    stationed at this center or one above it (a city department served in a county hall)."""
    if kind == Window.Kind.DEPARTMENT and len(departments) != 1:
        raise RuleViolation("invalid", "部门窗口须指定一个所属部门", field="departments")
    reachable = set(center.path_ids())
    for department in departments:
        if department.center_id not in reachable:
            raise RuleViolation(
                "invalid",
                f"部门“{department.name}”未进驻{center.name}或其上级中心",
                field="departments",
            )
    return departments


@transaction.atomic
def create_window(
    *,
    by,
    center: ServiceCenter,
    number: str,
    name: str,
    kind: str,
    department: Department | None = None,
    departments: list[Department] | None = None,
    parent: Window | None = None,
) -> Window:
    """Open a window in a hall; a county window may name its parent window (TW-3)."""
    require_role(by, Role.CENTER_ADMIN, center=center)
    number = (number or "").strip()
    name = clean_name(name)
    if not number or len(number) > 20:
        raise RuleViolation("invalid", "窗口编号不能为空且最多20字", field="code")
    if not name:
        raise RuleViolation("invalid", "窗口名称不能为空", field="name")
    if kind not in Window.Kind.values:
        raise RuleViolation(
            "invalid", "窗口类型须为 department、comprehensive 或 talent", field="kind"
        )
    served = list(dict.fromkeys(departments or ([department] if department else [])))
    served = _served_departments(center, kind, served)
    if parent is not None and parent.center_id not in center.path_ids():
        raise RuleViolation("invalid", "上级窗口须在本中心或上级中心", field="parent")
    if Window.objects.filter(center=center, number=number).exists():
        raise RuleViolation("duplicate", f"窗口号“{number}”已存在", field="code", status=409)
    window = Window(
        center=center,
        number=number,
        name=name,
        kind=kind,
        department=served[0] if kind == Window.Kind.DEPARTMENT else None,
        parent=parent,
    )
    window.full_clean()
    window.save()
    window.departments.set(served)
    audit.record(
        actor=by,
        action="create_window",
        obj=window,
        after={
            "number": number,
            "name": name,
            "kind": kind,
            "departments": [d.code for d in served],
            "parent": parent.number if parent else None,
        },
    )
    return window


def _check_person_dates(
    birth_date: datetime.date,
    unit_start_date: datetime.date,
    service_start_date: datetime.date | None,
    today: datetime.date,
) -> None:
    if birth_date >= today:
        raise RuleViolation("invalid", "出生日期须早于今天", field="birth_date")
    clean_date_range(
        birth_date, "birth_date", label="出生日期", earliest=ID_BIRTH_EARLIEST, today=today
    )
    if unit_start_date < birth_date or unit_start_date > today:
        raise RuleViolation("invalid", "进入本单位日期不合理", field="unit_start_date")
    if service_start_date and (service_start_date < birth_date or service_start_date > today):
        raise RuleViolation("invalid", "从事政务服务工作日期不合理", field="service_start_date")


def _clean_roles(roles: list[str]) -> list[str]:
    for role in roles:
        if role not in Role.values:
            raise RuleViolation("invalid", f"未知角色：{role}", field="roles")
    return roles


def _check_password(password: str, user=None) -> None:
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise RuleViolation("weak_password", "；".join(exc.messages), field="password")


@transaction.atomic
def create_person(
    *,
    by,
    name: str,
    gender: str,
    birth_date: datetime.date,
    phone: str,
    department: Department,
    id_number: str = "",
    section: Section | None = None,
    position: str = "",
    established: bool = True,
    unit_start_date: datetime.date,
    service_start_date: datetime.date | None = None,
    username: str = "",
    password: str = "",
    roles: list[str] | None = None,
    today: datetime.date | None = None,
) -> Person:
    """Record a staff member and, with a username, their account and roles."""
    require_role(by, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, department=department)
    today = today or timezone.localdate()
    name = clean_name(name)  # no invisible or bidi characters (issue 11 point 12)
    if not name:
        raise RuleViolation("invalid", "姓名不能为空", field="name")
    if gender not in Person.Gender.values:
        raise RuleViolation("invalid", "性别须为 male 或 female", field="gender")
    phone = clean_phone(phone)
    _check_person_dates(birth_date, unit_start_date, service_start_date, today)
    if section is not None and section.department_id != department.pk:
        raise RuleViolation("invalid", "股室不属于该部门", field="section")
    id_index = ""
    if id_number:
        id_number = clean_id_number(id_number)
        id_index = blind_index(id_number)
        if Person.objects.filter(id_number_index=id_index).exists():
            raise RuleViolation("duplicate", "该身份证号码已登记", field="id_number", status=409)
    roles = _clean_roles(roles or [])
    if roles and not username:
        raise RuleViolation("invalid", "授予角色须同时设置账号", field="username")
    person = Person(
        name=name,
        gender=gender,
        birth_date=birth_date,
        phone=phone,
        phone_index=blind_index(phone),
        id_number=id_number,
        id_number_index=id_index,
        department=department,
        section=section,
        position=position,
        established=established,
        unit_start_date=unit_start_date,
        service_start_date=service_start_date,
    )
    if username:
        person.user = _create_account(by=by, username=username, password=password, name=name)
    person.save()
    for role in roles:
        _assign(by=by, user=person.user, role=role, department=department)
    audit.record(
        actor=by,
        action="create_person",
        obj=person,
        after={"name": name, "department": department.code, "username": username, "roles": roles},
    )
    return person


def _create_account(*, by, username: str, password: str, name: str):
    username = username.strip()
    if User.objects.filter(username=username).exists():
        raise RuleViolation("duplicate", f"账号“{username}”已存在", field="username", status=409)
    if not password:
        raise RuleViolation("invalid", "设置账号须同时设置密码", field="password")
    user = User(username=username, first_name=name)
    _check_password(password, user)
    user.set_password(password)
    user.save()
    return user


def _assign(
    *,
    by,
    user,
    role: str,
    department: Department | None = None,
    center: ServiceCenter | None = None,
) -> RoleAssignment:
    # Center-wide roles are scoped to the center; department roles to the department.
    if role in (
        Role.CENTER_ADMIN,
        Role.SUPERVISOR,
        Role.COORDINATION_OFFICE,
        Role.LEADING_GROUP,
        Role.COMMITTEE_MEMBER,
        Role.EXPERT_OFFICE,
        Role.DISCIPLINE,
        Role.AUDITOR,
    ):
        require_role(by, Role.CENTER_ADMIN, center=center)
        assignment, _ = RoleAssignment.objects.get_or_create(
            user=user,
            role=role,
            center=center or (department.center if department else None),
            department=None,
        )
    else:
        require_role(by, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, department=department)
        assignment, _ = RoleAssignment.objects.get_or_create(
            user=user, role=role, center=None, department=department
        )
    return assignment


@transaction.atomic
def assign_role(
    *,
    by,
    user,
    role: str,
    department: Department | None = None,
    center: ServiceCenter | None = None,
) -> RoleAssignment:
    """Give an account a role within a scope."""
    _clean_roles([role])
    assignment = _assign(by=by, user=user, role=role, department=department, center=center)
    audit.record(
        actor=by, action="assign_role", obj=assignment, after={"user": user.username, "role": role}
    )
    return assignment


@transaction.atomic
def revoke_role(*, by, assignment: RoleAssignment) -> None:
    require_role(by, Role.CENTER_ADMIN, center=assignment.center, department=assignment.department)
    audit.record(
        actor=by,
        action="revoke_role",
        obj=assignment,
        before={"user": assignment.user.username, "role": assignment.role},
    )
    assignment.delete()


PERSON_EDITABLE = (
    "name",
    "gender",
    "birth_date",
    "phone",
    "id_number",
    "section",
    "position",
    "established",
    "unit_start_date",
    "service_start_date",
    "active",
)


@transaction.atomic
def update_person(*, by, person: Person, today: datetime.date | None = None, **changes) -> Person:
    """Change a person's record; ID number and phone are re-encrypted and re-indexed."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    require_role(by, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, department=person.department)
    unknown = set(changes) - set(PERSON_EDITABLE)
    if unknown:
        raise RuleViolation("invalid", f"不可修改的字段：{'、'.join(sorted(unknown))}")
    before = {k: str(getattr(person, k)) for k in changes if k not in ("phone", "id_number")}
    if "name" in changes:
        changes["name"] = clean_name(changes["name"])
        if not changes["name"]:
            raise RuleViolation("invalid", "姓名不能为空", field="name")
    if "phone" in changes:
        changes["phone"] = clean_phone(changes["phone"])
        person.phone_index = blind_index(changes["phone"])
    if changes.get("id_number"):
        changes["id_number"] = clean_id_number(changes["id_number"])
        index = blind_index(changes["id_number"])
        if Person.objects.filter(id_number_index=index).exclude(pk=person.pk).exists():
            raise RuleViolation("duplicate", "该身份证号码已登记", field="id_number", status=409)
        person.id_number_index = index
    section = changes.get("section")
    if section is not None and section.department_id != person.department_id:
        raise RuleViolation("invalid", "股室不属于该部门", field="section")
    for key, value in changes.items():
        setattr(person, key, value)
    _check_person_dates(
        person.birth_date,
        person.unit_start_date,
        person.service_start_date,
        today or timezone.localdate(),
    )
    person.save()
    after = {k: str(getattr(person, k)) for k in changes if k not in ("phone", "id_number")}
    if "phone" in changes or "id_number" in changes:
        after["personal_data"] = "changed"  # never put plain personal data in the trail
    audit.record(actor=by, action="update_person", obj=person, before=before, after=after)
    return person
