"""Demo city 青岚市 (invented): a city center, two county centers, six departments, ~30 people.

Every name is invented. `load()` is idempotent: it looks rows up by code or username first.
"""

import datetime

from django.contrib.auth import get_user_model

from zwfw.core.permissions import Role
from zwfw.core.validators import id_number_check_digit
from zwfw.org import services
from zwfw.org.models import (
    Department,
    Person,
    Region,
    RoleAssignment,
    Section,
    ServiceCenter,
    Window,
)

DEMO_PASSWORD = "Zwfw@2026"
REGION_PREFIX = "371099"

REGIONS = [  # code, name, level, parent code
    ("371000", "青岚市", Region.Level.CITY, None),
    ("371021", "云溪县", Region.Level.COUNTY, "371000"),
    ("371022", "白石区", Region.Level.COUNTY, "371000"),
    ("371021101", "桃源镇", Region.Level.TOWNSHIP, "371021"),
    ("371090", "青岚高新技术产业园区", Region.Level.PARK, "371000"),
]
CENTERS = [  # code, name, level, region, parent
    ("QL", "青岚市政务服务中心", ServiceCenter.Level.CITY, "371000", None),
    ("YX", "云溪县政务服务中心", ServiceCenter.Level.COUNTY, "371021", "QL"),
    ("BS", "白石区政务服务中心", ServiceCenter.Level.COUNTY, "371022", "QL"),
    ("YX-TY", "桃源镇便民服务中心", ServiceCenter.Level.TOWNSHIP, "371021101", "YX"),
]
DEPARTMENTS = [  # code, name, short, sections (first is the service section), window numbers
    (
        "QLGA",
        "青岚市公安局",
        "公安",
        ["政务服务科", "户政管理科", "出入境管理科", "交通管理科"],
        ["A01", "A02"],
    ),
    ("QLJT", "青岚市交通运输局", "交通", ["行政审批科", "运输管理科", "路政科"], ["A05"]),
    (
        "QLZR",
        "青岚市自然资源和规划局",
        "自然资源",
        ["政务服务科", "国土空间规划科", "不动产登记科"],
        ["B01", "B02"],
    ),
    (
        "QLSJ",
        "青岚市市场监督管理局",
        "市场监管",
        ["行政审批科", "登记注册科", "食品经营许可科"],
        ["B05", "B06"],
    ),
    (
        "QLRS",
        "青岚市人力资源和社会保障局",
        "人社",
        ["政务服务科", "人才开发科", "社会保险科"],
        ["C01"],
    ),
    (
        "QLZJ",
        "青岚市住房和城乡建设局",
        "住建",
        ["行政审批科", "建筑市场监管科", "房地产市场科"],
        ["C05"],
    ),
    ("YXSJ", "云溪县市场监督管理局", "县市场监管", ["行政审批股", "登记注册股"], []),
]
# username, name, gender, birth, department, section index, position, roles, scope
# (scope: "platform" = global, "center" = the city center, "county", "department")
PEOPLE = [
    (
        "zhongxin",
        "林若溪",
        "female",
        (1979, 4, 12),
        "QLRS",
        0,
        "中心主任",
        [Role.CENTER_ADMIN],
        "platform",
    ),
    (
        "xietiao",
        "周明远",
        "male",
        (1984, 9, 3),
        "QLRS",
        0,
        "协调办主任",
        [Role.COORDINATION_OFFICE],
        "center",
    ),
    (
        "lingdao1",
        "高振华",
        "male",
        (1972, 1, 20),
        "QLRS",
        0,
        "领导小组组长",
        [Role.LEADING_GROUP],
        "center",
    ),
    (
        "lingdao2",
        "沈慧敏",
        "female",
        (1976, 11, 8),
        "QLRS",
        0,
        "领导小组成员",
        [Role.LEADING_GROUP],
        "center",
    ),
    (
        "weiyuan1",
        "韩立群",
        "male",
        (1970, 6, 16),
        "QLZJ",
        0,
        "审批决策委员会主任",
        [Role.COMMITTEE_MEMBER],
        "center",
    ),
    (
        "weiyuan2",
        "秦雨桐",
        "female",
        (1978, 3, 27),
        "QLZR",
        0,
        "常务副主任",
        [Role.COMMITTEE_MEMBER],
        "center",
    ),
    (
        "weiyuan3",
        "魏书航",
        "male",
        (1981, 8, 5),
        "QLSJ",
        0,
        "委员",
        [Role.COMMITTEE_MEMBER],
        "center",
    ),
    (
        "ducha",
        "袁清和",
        "male",
        (1983, 2, 14),
        "QLRS",
        0,
        "督查科科长",
        [Role.SUPERVISOR],
        "center",
    ),
    (
        "shenji",
        "罗婉清",
        "female",
        (1986, 7, 22),
        "QLRS",
        0,
        "审计专员",
        [Role.AUDITOR],
        "platform",
    ),
    ("jijian", "邵正义", "male", (1975, 12, 1), "QLRS", 0, "纪检组长", [Role.DISCIPLINE], "center"),
    (
        "zhuanjia",
        "姚思齐",
        "female",
        (1985, 5, 30),
        "QLRS",
        1,
        "首席专家办公室主任",
        [Role.EXPERT_OFFICE],
        "center",
    ),
    (
        "rencai",
        "谭嘉木",
        "male",
        (1990, 10, 9),
        "QLRS",
        1,
        "窗口专员",
        [Role.COMMISSIONER],
        "department",
    ),
    (
        "yx_admin",
        "孔德安",
        "male",
        (1980, 4, 4),
        "YXSJ",
        0,
        "县中心主任",
        [Role.CENTER_ADMIN],
        "county",
    ),
    (
        "yx_chuangkou",
        "柳晓岚",
        "female",
        (1994, 1, 18),
        "YXSJ",
        0,
        "窗口工作人员",
        [Role.WINDOW_STAFF],
        "department",
    ),
]
DEPARTMENT_STAFF = {  # department: (admin, window staff, chief candidate)
    "QLGA": (
        ("ga_admin", "杜海峰", "male"),
        ("ga_chuangkou", "苏晴", "female"),
        ("ga_shouxi", "陆文博", "male"),
    ),
    "QLJT": (
        ("jt_admin", "程立新", "male"),
        ("jt_chuangkou", "何雨萱", "female"),
        ("jt_shouxi", "万家宁", "male"),
    ),
    "QLZR": (
        ("zr_admin", "任晓东", "male"),
        ("zr_chuangkou", "叶子涵", "female"),
        ("zr_shouxi", "龚瑞琪", "female"),
    ),
    "QLSJ": (
        ("sj_admin", "葛春阳", "male"),
        ("sj_chuangkou", "范悦", "female"),
        ("sj_shouxi", "严思远", "male"),
    ),
    "QLRS": (
        ("rs_admin", "雷家骏", "male"),
        ("rs_chuangkou", "贺佳怡", "female"),
        ("rs_shouxi", "钟慧琳", "female"),
    ),
    "QLZJ": (
        ("zj_admin", "康宏伟", "male"),
        ("zj_chuangkou", "毛心怡", "female"),
        ("zj_shouxi", "邱建国", "male"),
    ),
}


def _admin():
    User = get_user_model()
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        admin = User.objects.create_superuser(
            "admin", "admin@qinglan.example", DEMO_PASSWORD, first_name="系统管理员"
        )
    return admin


def _id_number(birth: datetime.date, seq: int, gender: str) -> str:
    # The 17th digit is odd for men and even for women (GB 11643).
    order = seq * 2 + (1 if gender == "male" else 0)
    first17 = f"{REGION_PREFIX}{birth:%Y%m%d}{order % 1000:03d}"
    return first17 + id_number_check_digit(first17)


def _regions_and_centers(admin):
    for code, name, level, parent in REGIONS:
        if not Region.objects.filter(code=code).exists():
            services.create_region(
                by=admin,
                code=code,
                name=name,
                level=level,
                parent=Region.objects.get(code=parent) if parent else None,
            )
    for code, name, level, region, parent in CENTERS:
        if not ServiceCenter.objects.filter(code=code).exists():
            services.create_center(
                by=admin,
                code=code,
                name=name,
                level=level,
                region=Region.objects.get(code=region),
                parent=ServiceCenter.objects.get(code=parent) if parent else None,
                address=f"{name}办事大厅",
                phone="0539-12345",
            )


def _departments(admin):
    city = ServiceCenter.objects.get(code="QL")
    county = ServiceCenter.objects.get(code="YX")
    for code, name, short, sections, windows in DEPARTMENTS:
        center = county if code.startswith("YX") else city
        department = Department.objects.filter(code=code).first()
        if department is None:
            department = services.create_department(
                by=admin,
                code=code,
                name=name,
                short_name=short,
                center=center,
                region=center.region,
            )
        for i, section in enumerate(sections):
            if not Section.objects.filter(department=department, name=section).exists():
                services.create_section(
                    by=admin, department=department, name=section, is_service_section=(i == 0)
                )
        for number in windows:
            if not Window.objects.filter(center=center, number=number).exists():
                services.create_window(
                    by=admin,
                    center=center,
                    number=number,
                    name=f"{short}窗口",
                    kind=Window.Kind.DEPARTMENT,
                    department=department,
                )
    for center, number, name, kind in [
        (city, "Z01", "无差别综合受理窗口", Window.Kind.COMPREHENSIVE),
        (city, "Z02", "无差别综合受理窗口", Window.Kind.COMPREHENSIVE),
        (city, "R01", "高层次人才服务窗口", Window.Kind.TALENT),
        (county, "R01", "高层次人才服务窗口", Window.Kind.TALENT),
    ]:
        if not Window.objects.filter(center=center, number=number).exists():
            parent = (
                Window.objects.filter(center=city, number="R01").first()
                if center == county
                else None
            )
            services.create_window(
                by=admin, center=center, number=number, name=name, kind=kind, parent=parent
            )


def _people(admin):
    rows = list(PEOPLE)
    for code, trio in DEPARTMENT_STAFF.items():
        (a_user, a_name, a_gender), (w_user, w_name, w_gender), (c_user, c_name, c_gender) = trio
        rows += [
            (
                a_user,
                a_name,
                a_gender,
                (1982, 3, 9),
                code,
                0,
                "政务服务科科长",
                [Role.DEPARTMENT_ADMIN],
                "department",
            ),
            (
                w_user,
                w_name,
                w_gender,
                (1995, 6, 21),
                code,
                0,
                "窗口工作人员",
                [Role.WINDOW_STAFF],
                "department",
            ),
            (
                c_user,
                c_name,
                c_gender,
                (1987, 11, 2),
                code,
                0,
                "审批科副科长",
                [Role.WINDOW_STAFF],
                "department",
            ),
        ]
    centers = {
        "center": ServiceCenter.objects.get(code="QL"),
        "county": ServiceCenter.objects.get(code="YX"),
    }
    for seq, (
        username,
        name,
        gender,
        birth,
        dept,
        section_index,
        position,
        roles,
        scope,
    ) in enumerate(rows):
        if Person.objects.filter(user__username=username).exists():
            continue
        department = Department.objects.get(code=dept)
        sections = list(department.sections.order_by("-is_service_section", "id"))
        birth_date = datetime.date(*birth)
        department_roles = [r for r in roles if scope == "department"]
        person = services.create_person(
            by=admin,
            name=name,
            gender=gender,
            birth_date=birth_date,
            phone=f"1376{seq:03d}{(seq * 7919) % 10000:04d}",
            department=department,
            id_number=_id_number(birth_date, seq, gender),
            section=sections[min(section_index, len(sections) - 1)],
            position=position,
            established=True,
            unit_start_date=datetime.date(2016 + seq % 6, 3, 1),
            service_start_date=datetime.date(2018 + seq % 5, 7, 1),
            username=username,
            password=DEMO_PASSWORD,
            roles=department_roles,
        )
        for role in roles:
            if scope in centers:
                services.assign_role(by=admin, user=person.user, role=role, center=centers[scope])
            elif scope == "platform":
                # Unscoped, hence global: the calendar, the R-14 phrase list, the audit chain.
                services.assign_role(by=admin, user=person.user, role=role)


# Handling posts of the normal procedure (issue 12 point 1): who records 承办, 审核 and 审批
# for the public security bureau's items left off the chief list (cases.demo_steps).
POST_HOLDERS = [  # (username, name, gender, birth, position, post)
    ("ga_chengban", "韩雪", "female", (1993, 4, 12), "治安管理支队科员", "承办"),
    ("ga_shenhe", "邹建明", "male", (1984, 8, 30), "治安管理支队副支队长", "审核"),
    ("ga_shenpi", "秦振华", "male", (1976, 1, 15), "副局长", "审批"),
]


def _post_holders(admin):
    from zwfw.org import posts

    department = Department.objects.get(code="QLGA")
    section = department.sections.order_by("-is_service_section", "id").first()
    for seq, (username, name, gender, birth, position, post) in enumerate(POST_HOLDERS, 300):
        if Person.objects.filter(user__username=username).exists():
            continue
        birth_date = datetime.date(*birth)
        posts.create_person_with_posts(
            by=admin,
            posts=[post],
            name=name,
            gender=gender,
            birth_date=birth_date,
            phone=f"1376{seq:03d}{(seq * 7919) % 10000:04d}",
            department=department,
            id_number=_id_number(birth_date, seq, gender),
            section=section,
            position=position,
            established=True,
            unit_start_date=datetime.date(2015, 3, 1),
            service_start_date=datetime.date(2017, 7, 1),
            username=username,
            password=DEMO_PASSWORD,
            roles=[Role.WINDOW_STAFF],
            today=datetime.date(2025, 1, 1),
        )


def load() -> str:
    admin = _admin()
    before = Person.objects.count()
    _regions_and_centers(admin)
    _departments(admin)
    _people(admin)
    _post_holders(admin)
    return f"{Person.objects.count() - before} people added, {Person.objects.count()} in all"


def accounts_table() -> list[tuple[str, str, str]]:
    rows = [("admin", "系统管理员", "超级管理员")]
    people = (
        Person.objects.filter(user__isnull=False)
        .select_related("user", "department")
        .order_by("id")
    )
    roles: dict[int, list[str]] = {}
    for a in RoleAssignment.objects.select_related("center", "department"):
        roles.setdefault(a.user_id, []).append(
            f"{a.get_role_display()}（{a.department or a.center or '全平台'}）"
        )
    for p in people:
        rows.append(
            (p.user.username, p.name, "、".join(roles.get(p.user_id, [])) or p.department.name)
        )
    return rows
