"""Demo of joint cases (一事联办, issue 12 point 3): two themes configured by the center
admin (开办餐饮店, led by 市场监管; 开办道路运输企业, led by 交通运输), and joint cases in
several states: waiting for corrections (one notice for the shared materials, R-18),
received, accepted, extended by the lead department (L-LIMIT), completed with the lead
department's countersign, withdrawn.

Through the services with explicit dates; called once by cases.demo.load."""

from django.contrib.auth import get_user_model

from zwfw.cases import joint, services
from zwfw.cases.models_joint import Theme
from zwfw.core.errors import RuleViolation

# code, name, lead department, departments (the first item of each that the window takes)
THEMES = [
    ("T-KBCYD", "开办餐饮店", "QLSJ", ["QLSJ", "QLGA"]),
    ("T-KBDLYS", "开办道路运输企业", "QLJT", ["QLJT", "QLZR"]),
]
# theme, label, working days ago received, what follows
SCENARIOS = [
    ("T-KBCYD", "待补正", 2, "notice"),
    ("T-KBCYD", "已收件", 0, ""),
    ("T-KBCYD", "已受理", 6, "accept"),
    ("T-KBCYD", "已延期", 30, "extend"),
    ("T-KBDLYS", "已受理", 4, "accept"),
    ("T-KBDLYS", "已办结", 20, "complete"),
    ("T-KBDLYS", "已撤回", 8, "withdraw"),
]
PREFIX = {"QLGA": "ga", "QLJT": "jt", "QLZR": "zr", "QLSJ": "sj"}


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _items(code: str, on):
    """Published window items of a department with a checklist, the chief-decided ones first
    (so the demo can complete a joint case through each department's chief officer)."""
    from zwfw.catalog.models import ServiceItem

    found = [
        item
        for item in ServiceItem.objects.filter(
            department__code=code, active=True, immediate=False, version_number__gt=0
        )
        .select_related("department__center")
        .order_by("code")
        if hasattr(item, "guide") and item.guide.materials.exists()
    ]
    return sorted(found, key=lambda i: services.procedure_for(i, on) != "final")


def _theme(admin, code, name, lead, departments, on):
    from zwfw.org.models import Department

    theme = Theme.objects.filter(code=code).first()
    if theme is not None:
        return theme
    picked = []
    for dept in departments:
        items = _items(dept, on)
        if not items:
            return None
        picked.append(items[0])
    lead_department = Department.objects.get(code=lead)
    return joint.create_theme(
        by=admin,
        center=lead_department.center,
        code=code,
        name=name,
        lead_department=lead_department,
        # The part outside the lead department needs its countersign (会签).
        items=[(item, item.department_id != lead_department.pk) for item in picked],
    )


def load(demo) -> int:
    admin = _user("zhongxin")
    if admin is None:
        return 0
    themes = {}
    for code, name, lead, departments in THEMES:
        theme = _theme(admin, code, name, lead, departments, demo.today)
        if theme is not None:
            themes[code] = theme
    made = 0
    for code, label, back, then in SCENARIOS:
        theme = themes.get(code)
        if theme is None:
            continue
        try:
            _one(demo, admin, theme, back, then)
        except RuleViolation:
            continue  # a demo day the calendar or a grant does not allow: leave it out
        made += 1
        demo.counts[f"joint:{label}"] = demo.counts.get(f"joint:{label}", 0) + 1
    return made


def _one(demo, admin, theme, back, then) -> None:
    items = [row.item for row in theme.items.select_related("item__department")]
    union = joint.union_checklist(items)
    names = [m["name"] for m in union]
    required = [m["name"] for m in union if m["required"]]
    short = then == "notice" and required
    given = [n for n in names if not (short and n == required[-1])]
    received = demo.workday_back(back)
    j = joint.take_in_joint(
        by=admin,
        items=[i.code for i in items],
        theme=theme.code,
        title=f"{theme.name}（{demo.applicant().name}）",
        applicant=demo.applicant(),
        phone=f"137{demo.rng.randint(10000000, 99999999)}",
        materials={n: "paper" for n in given},
        on=received,
    )
    if then == "notice":
        joint.send_joint_supplement_notice(joint=j, by=admin, missing=[], on=received)
        return
    if not then:
        return
    j = joint.accept_joint(joint=j, by=admin, on=received)
    if then == "extend":
        lead_admin = _user(f"{PREFIX[theme.lead_department.code]}_admin")
        joint.extend_joint(
            joint=j,
            by=lead_admin,
            days=10,
            reason="需组织多部门联合现场踏勘",
            on=min(demo.later(received, 20), demo.today),
        )
    elif then == "withdraw":
        joint.withdraw_joint(
            joint=j, by=admin, reason="申请人变更经营场所，撤回申请", on=demo.later(received, 1)
        )
    elif then == "complete":
        _complete(demo, admin, theme, j, received)


def _complete(demo, admin, theme, j, received) -> None:
    """Each department's chief officer decides its own part; 送达 and 办结 at the window;
    the lead department countersigns the part that needs it."""
    from zwfw.cases.demo import _deliver_and_complete
    from zwfw.cases.models import Case

    day = demo.later(received, 3)
    for case in Case.objects.filter(joint_part__joint=j).select_related("department"):
        prefix = PREFIX[case.department.code]
        chief, clerk = _user(f"{prefix}_shouxi"), _user(f"{prefix}_chuangkou")
        case = services.decide_case(
            case=case, by=chief, result="approve", opinion="符合条件，准予许可", on=day
        )
        _deliver_and_complete(case, clerk, demo.later(day, 1), post=False)
    lead_clerk = _user(f"{PREFIX[theme.lead_department.code]}_chuangkou")
    for part in j.parts.filter(countersign=True).select_related("case"):
        joint.countersign_part(
            joint=j,
            by=lead_clerk,
            case_number=part.case.number,
            opinion="经牵头部门会签，同意",
            on=demo.later(day, 1),
        )
