import datetime
from typing import Literal

from django.utils import timezone
from ninja import Router, Schema

from zwfw.core.api import idempotent, paginate
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.org import posts, selectors, services
from zwfw.org.models import Person, Region, Section, ServiceCenter

router = Router(tags=["组织与人员"])


class DepartmentIn(Schema):
    code: str
    name: str
    short_name: str = ""
    region: str | None = None
    center: str | None = None
    parent: str | None = None


class DepartmentOut(Schema):
    id: int
    code: str
    name: str
    short_name: str
    region: str | None
    center: str | None


def department_out(d) -> dict:
    return {
        "id": d.id,
        "code": d.code,
        "name": d.name,
        "short_name": d.short_name,
        "region": d.region.code if d.region_id else None,
        "center": d.center.code if d.center_id else None,
    }


class DepartmentList(Schema):
    items: list[DepartmentOut]
    count: int


@router.post("/departments", response={201: DepartmentOut}, summary="新增部门")
def create_department(request, payload: DepartmentIn):
    def produce():
        region = _by_code(Region, payload.region, "region", "区域")
        center = _by_code(ServiceCenter, payload.center, "center", "中心")
        parent = selectors.department_by_code(payload.parent) if payload.parent else None
        department = services.create_department(
            by=request.user,
            code=payload.code,
            name=payload.name,
            short_name=payload.short_name,
            region=region,
            center=center,
            parent=parent,
        )
        return department_out(department)

    return idempotent(request, produce)


@router.get("/departments", response=DepartmentList, summary="部门列表")
def list_departments(request, page: int = 1, page_size: int = 50):
    items, count = paginate(selectors.visible_departments(request.user), page, page_size)
    return {"items": [department_out(d) for d in items], "count": count}


def _by_code(model, code: str | None, field: str, label: str):
    if not code:
        return None
    obj = model.objects.filter(code=code).first()
    if obj is None:
        raise RuleViolation("invalid", f"未找到{label}“{code}”", field=field)
    return obj


class PersonIn(Schema):
    name: str
    gender: Literal["male", "female"]
    birth_date: datetime.date
    phone: str
    id_number: str | None = None
    department: str
    section: str | None = None
    position: str = ""
    established: bool = True
    unit_start_date: datetime.date
    service_start_date: datetime.date | None = None
    username: str | None = None
    password: str | None = None
    roles: list[str] = []
    # 办理岗位 held in the person's department from today (normal-procedure steps, R-15).
    posts: list[str] = []


class PersonOut(Schema):
    id: int
    name: str
    gender: str
    birth_date: datetime.date
    phone: str
    id_number: str
    department: str
    section: str | None
    position: str
    established: bool
    unit_start_date: datetime.date
    service_start_date: datetime.date | None
    username: str | None
    roles: list[str]
    posts: list[str] = []


def _posts_now(p: Person) -> list[str]:
    today = timezone.localdate()
    return sorted(
        {
            a.post
            for a in p.posts.all()
            if a.valid_from <= today and (a.valid_to is None or a.valid_to >= today)
        }
    )


def person_out(p: Person) -> dict:
    # Personal data leave the API masked, as on the pages.
    return {
        "id": p.id,
        "name": p.name,
        "gender": p.gender,
        "birth_date": p.birth_date,
        "phone": p.masked_phone,
        "id_number": p.masked_id_number,
        "department": p.department.code,
        "section": p.section.name if p.section_id else None,
        "position": p.position,
        "established": p.established,
        "unit_start_date": p.unit_start_date,
        "service_start_date": p.service_start_date,
        "username": p.user.username if p.user_id else None,
        "roles": sorted({a.role for a in p.user.role_assignments.all()}) if p.user_id else [],
        "posts": _posts_now(p),
    }


class PersonList(Schema):
    items: list[PersonOut]
    count: int


@router.post("/people", response={201: PersonOut}, summary="新增人员（可同时开通账号）")
def create_person(request, payload: PersonIn):
    def produce():
        department = selectors.department_by_code(payload.department)
        section = None
        if payload.section:
            section = Section.objects.filter(department=department, name=payload.section).first()
            if section is None:
                raise RuleViolation(
                    "invalid", f"该部门没有股室“{payload.section}”", field="section"
                )
        person = posts.create_person_with_posts(
            by=request.user,
            posts=payload.posts,
            name=payload.name,
            gender=payload.gender,
            birth_date=payload.birth_date,
            phone=payload.phone,
            department=department,
            id_number=payload.id_number or "",
            section=section,
            position=payload.position,
            established=payload.established,
            unit_start_date=payload.unit_start_date,
            service_start_date=payload.service_start_date,
            username=payload.username or "",
            password=payload.password or "",
            roles=payload.roles,
        )
        return person_out(person)

    return idempotent(request, produce)


@router.get("/people", response=PersonList, summary="人员列表")
def list_people(
    request, department: str | None = None, q: str = "", page: int = 1, page_size: int = 50
):
    dept = selectors.department_by_code(department) if department else None
    qs = selectors.visible_people(request.user, department=dept, query=q)
    items, count = paginate(qs.prefetch_related("user__role_assignments", "posts"), page, page_size)
    return {"items": [person_out(p) for p in items], "count": count}


@router.get("/people/{person_id}", response=PersonOut, summary="人员详情")
def get_person(request, person_id: int):
    return person_out(selectors.person_for(request.user, person_id))


# --- centers and windows (issue 12 point 2) ---------------------------------------------------


class CenterIn(Schema):
    code: str
    name: str
    region: str | None = None
    parent: str | None = None
    level: Literal["city", "county", "township"] | None = None
    address: str = ""
    phone: str = ""


class CenterOut(Schema):
    id: int
    code: str
    name: str
    level: str
    region: str
    parent: str | None
    address: str
    phone: str


def center_out(c: ServiceCenter) -> dict:
    return {
        "id": c.id,
        "code": c.code,
        "name": c.name,
        "level": c.level,
        "region": c.region.code,
        "parent": c.parent.code if c.parent_id else None,
        "address": c.address,
        "phone": c.phone,
    }


class CenterList(Schema):
    items: list[CenterOut]
    count: int


@router.post("/centers", response={201: CenterOut}, summary="新增政务服务中心")
def create_center(request, payload: CenterIn):
    def produce():
        parent = (
            selectors.center_by_code(payload.parent, field="parent") if payload.parent else None
        )
        center = services.create_center(
            by=request.user,
            code=payload.code,
            name=payload.name,
            level=payload.level,
            region=_by_code(Region, payload.region, "region", "区域"),
            parent=parent,
            address=payload.address,
            phone=payload.phone,
        )
        return center_out(center)

    return idempotent(request, produce)


@router.get("/centers", response=CenterList, summary="政务服务中心列表")
def list_centers(
    request,
    parent: str | None = None,
    level: Literal["city", "county", "township"] | None = None,
    page: int = 1,
    page_size: int = 50,
):
    above = selectors.center_by_code(parent, field="parent") if parent else None
    items, count = paginate(selectors.centers(parent=above, level=level or ""), page, page_size)
    return {"items": [center_out(c) for c in items], "count": count}


WindowKind = Literal["department", "comprehensive", "talent"]


class WindowIn(Schema):
    code: str
    name: str
    center: str
    kind: WindowKind
    departments: list[str] = []
    parent: str | None = None


class WindowOut(Schema):
    id: int
    code: str
    name: str
    center: str
    kind: str
    departments: list[str]
    parent: str | None
    parent_center: str | None
    active: bool


def window_out(w) -> dict:
    return {
        "id": w.id,
        "code": w.number,
        "name": w.name,
        "center": w.center.code,
        "kind": w.kind,
        "departments": sorted(d.code for d in w.departments.all()),
        "parent": w.parent.number if w.parent_id else None,
        "parent_center": w.parent.center.code if w.parent_id else None,
        "active": w.active,
    }


class WindowList(Schema):
    items: list[WindowOut]
    count: int


@router.post("/windows", response={201: WindowOut}, summary="新增窗口")
def create_window(request, payload: WindowIn):
    def produce():
        center = selectors.center_by_code(payload.center)
        departments = [_department(code) for code in payload.departments]
        parent = None
        if payload.parent:
            parent = selectors.window_by_code(payload.parent, center)
            if parent is None:
                raise RuleViolation(
                    "invalid", f"本中心及上级中心没有窗口“{payload.parent}”", field="parent"
                )
        window = services.create_window(
            by=request.user,
            center=center,
            number=payload.code,
            name=payload.name,
            kind=payload.kind,
            departments=departments,
            parent=parent,
        )
        return window_out(window)

    return idempotent(request, produce)


def _department(code: str, field: str = "departments"):
    try:
        return selectors.department_by_code(code)
    except NotFound:
        raise RuleViolation("invalid", f"未找到部门“{code}”", field=field)


@router.get("/windows", response=WindowList, summary="窗口列表")
def list_windows(
    request,
    center: str | None = None,
    kind: WindowKind | None = None,
    department: str | None = None,
    page: int = 1,
    page_size: int = 50,
):
    hall = selectors.center_by_code(center) if center else None
    dept = _department(department, "department") if department else None
    qs = selectors.windows(hall, kind=kind or "", department=dept)
    qs = qs.select_related("parent__center").prefetch_related("departments")
    items, count = paginate(qs, page, page_size)
    return {"items": [window_out(w) for w in items], "count": count}


# The comprehensive window's routes (R-17, issue 12 point 4) ride on this router: it is mounted
# before cases', whose catch-all /cases/{number}/{action} would shadow /cases/{number}/agency.
from zwfw.windows.api import router as windows_router  # noqa: E402

router.add_router("", windows_router)
