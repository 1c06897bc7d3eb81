"""Demo of the comprehensive window (R-17): 青岚市政务服务中心 Z01 takes in for two small
departments (交通运输局: all its items; 住房和城乡建设局: three of them) with the center's
approval, one clerk (`zonghe`) posted there, and a few cases taken in there in several
states: waiting in the department's back office, accepted, decided and handed out at Z01,
with agency (全程代办) records. Idempotent."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import Role
from zwfw.core.validators import credit_code_check_char
from zwfw.org.models import Department, Person, Window
from zwfw.windows import services
from zwfw.windows.models import ComprehensiveAuthorization, IntakeWindow

CLERK = ("zonghe", "宋一鸣", "female", datetime.date(1994, 5, 18))
# department: how many of its items the center authorized (None: all)
AUTHORIZED = {"QLJT": None, "QLZJ": 3}
COMPANIES = ["青岚顺达货运有限公司", "青岚安居物业服务有限公司", "青岚通衢客运有限公司"]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _clerk(admin):
    from zwfw.org import services as org
    from zwfw.org.demo import DEMO_PASSWORD, _id_number

    username, name, gender, birth = CLERK
    found = Person.objects.filter(user__username=username).first()
    if found is not None:
        return found
    # Employed by the center (the demo center's staff belong to 人社局, as 中心主任 does);
    # window_staff in that department, and posted at Z01 for the rest.
    department = Department.objects.get(code="QLRS")
    return org.create_person(
        by=admin,
        name=name,
        gender=gender,
        birth_date=birth,
        phone="13760009917",
        department=department,
        id_number=_id_number(birth, 399, gender),
        position="综合窗口工作人员",
        established=True,
        unit_start_date=datetime.date(2019, 3, 1),
        service_start_date=datetime.date(2019, 3, 1),
        username=username,
        password=DEMO_PASSWORD,
        roles=[Role.WINDOW_STAFF],
    )


def _workday_back(cal, today, n):
    day = today
    while n > 0:
        day -= datetime.timedelta(days=1)
        n -= cal.is_workday(day)
    return day


def _applicant(seq: int):
    from zwfw.cases.services import ApplicantData

    first17 = f"91371000MA{seq + 900:07d}"
    return ApplicantData(
        kind="organisation",
        name=COMPANIES[seq % len(COMPANIES)],
        credit_code=first17 + credit_code_check_char(first17),
    )


def _cases(window, clerk_user, items, today) -> int:
    """Five applications at Z01: two wait for the back office, one is accepted, two are
    decided by the department's chief officer and handed out at Z01 (one completed)."""
    from zwfw.cases import services as cases
    from zwfw.cases.services.delivery import record_delivery
    from zwfw.cases.services.intake import _checklist
    from zwfw.workdays import calendar

    cal = calendar.current()
    done = 0
    for seq, (item, back, stage) in enumerate(
        [
            (items[0], 2, "received"),
            (items[-1], 1, "received"),
            (items[1 % len(items)], 6, "accepted"),
            (items[0], 12, "completed"),
            (items[-1], 9, "decided"),
        ]
    ):
        on = _workday_back(cal, today, back)
        materials = {m.name: "paper" for m in _checklist(item)}
        case = cases.take_in(
            by=clerk_user,
            item=item,
            applicant=_applicant(seq),
            phone=f"1396000{seq:04d}",
            channel="window",
            materials=materials,
            on=on,
            window=window,
        )
        done += 1
        if case.status != "received" or stage == "received":
            continue
        prefix = {"QLJT": "jt", "QLZJ": "zj"}[item.department.code]
        back_office = _user(f"{prefix}_chuangkou")
        case = cases.accept_case(case=case, by=back_office, on=on)
        services.record_agency(
            by=clerk_user, case=case, task="代为向部门后台递交纸质材料并跟踪办理进度", on=on
        )
        if stage == "accepted":
            continue
        decided_on = cal.add_workdays(on, 2)
        try:
            case = cases.decide_case(
                case=case, by=_user(f"{prefix}_shouxi"), result="approve", on=decided_on
            )
        except RuleViolation:
            continue  # no chief officer holds this item: it stays with the back office
        handed = cal.add_workdays(decided_on, 1)
        record_delivery(case=case, by=clerk_user, method="window", note="综合窗口领取", on=handed)
        services.record_agency(
            by=clerk_user, case=case, task="代领决定文书并在综合窗口交付", on=handed
        )
        if stage == "completed":
            cases.complete_case(case=case, by=back_office, on=handed)
    return done


def load() -> str:
    if IntakeWindow.objects.exists():
        return f"skipped: {IntakeWindow.objects.count()} cases already taken in at windows"
    window = Window.objects.filter(center__code="QL", number="Z01").first()
    admin = _user("zhongxin")
    if window is None or admin is None or _user("jt_chuangkou") is None:
        return "skipped: the org demo (Z01, zhongxin) is not loaded"
    from zwfw.catalog.models import ServiceItem

    today = timezone.localdate()
    clerk = _clerk(_user("admin") or admin)
    services.post_staff(
        by=admin, window=window, person=clerk, valid_from=today - datetime.timedelta(days=120)
    )
    approved_on = today - datetime.timedelta(days=90)
    authorized = []
    for code, count in AUTHORIZED.items():
        department = Department.objects.get(code=code)
        items = list(
            ServiceItem.objects.filter(department=department, active=True).order_by("code")
        )
        items = items[:count] if count else items
        if not items:
            continue
        if not ComprehensiveAuthorization.objects.filter(window=window, department=department):
            services.authorize(
                by=admin,
                window=window,
                department=department,
                items=items,
                approved_on=approved_on,
                approved_by=admin.person,
                approval_ref=f"青政服〔{approved_on.year}〕{len(authorized) + 7}号",
            )
        authorized.extend(items)
    if not authorized:
        return "skipped: the catalog demo is not loaded"
    from zwfw.cases.services.intake import procedure_for

    # Items a chief officer decides come first: the demo hands their results out at Z01.
    authorized.sort(key=lambda i: procedure_for(i, today) != "final")
    jt = [i for i in authorized if i.department.code == "QLJT"]
    zj = [i for i in authorized if i.department.code == "QLZJ"]
    taken = _cases(window, clerk.user, (jt[:2] + zj[:1]) or authorized, today)
    return (
        f"Z01 authorized by {len(AUTHORIZED)} departments for {len(authorized)} items; "
        f"clerk zonghe; {taken} cases taken in there"
    )
