"""Demo of the resident-staff app (seed 002) at 青岚市政务服务中心 and 云溪县政务服务中心 (R-25):
residents in every state (applied, admitted with warnings or a collective decision, refused,
ended by a change, a term ending within 60 days), one change letter waiting for the center's
reply, leave requests, an unrelated-task complaint, three months of bulletins, last year's
grades (letters on the grades page) and a chief officer's N-19 review. Idempotent: a second
run adds nothing. Everything goes through the services."""

import contextlib
import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from zwfw.core.errors import RuleViolation
from zwfw.org.models import Department, Person, ServiceCenter
from zwfw.staff import services
from zwfw.staff.models import Admission, LeaveRequest, MonthlyBulletin, ResidentAssignment

D = datetime.date
# Window staff and chief candidates of the city departments become residents.
STATIONED = [
    "ga_chuangkou",
    "ga_shouxi",
    "jt_chuangkou",
    "zr_chuangkou",
    "sj_chuangkou",
    "rs_chuangkou",
    "zj_chuangkou",
]
ADMINS = {
    "QLGA": "ga_admin",
    "QLJT": "jt_admin",
    "QLZR": "zr_admin",
    "QLSJ": "sj_admin",
    "QLRS": "rs_admin",
    "QLZJ": "zj_admin",
}
# Invented people: (key, name, gender, birth, department, established, unit start)
INVENTED = [
    ("waiting", "夏知远", "male", D(1995, 3, 8), "QLGA", True, D(2019, 9, 1)),
    ("refused", "程慕白", "male", D(1990, 6, 1), "QLSJ", True, D(2010, 3, 1)),
    ("contract", "陶可欣", "female", D(1997, 11, 2), "QLZR", False, D(2021, 7, 1)),
    ("newish", "江一帆", "male", D(1996, 1, 20), "QLRS", True, D(2025, 6, 1)),
    ("ending", "宁书瑶", "female", D(1988, 4, 16), "QLZJ", True, D(2012, 8, 1)),
    ("old_jt", "柏青松", "male", D(1986, 9, 9), "QLJT", True, D(2011, 2, 1)),
    ("new_jt", "骆星河", "male", D(1993, 12, 12), "QLJT", True, D(2016, 5, 1)),
    ("new_zr", "唐语桐", "female", D(1994, 7, 7), "QLZR", True, D(2017, 3, 1)),
]


def _user(username):
    return get_user_model().objects.filter(username=username).first()


def _person(username):
    return Person.objects.filter(user__username=username).select_related("department").first()


def _invent(admin, seq, key, name, gender, birth, dept_code, established, unit_start):
    from zwfw.org import services as org
    from zwfw.org.demo import _id_number

    department = Department.objects.get(code=dept_code)
    found = Person.objects.filter(name=name, department=department).first()
    if found:
        return found
    section = department.sections.order_by("-is_service_section", "id").first()
    return org.create_person(
        by=admin,
        name=name,
        gender=gender,
        birth_date=birth,
        phone=f"1377{seq:03d}{(seq * 7919) % 10000:04d}",
        department=department,
        id_number=_id_number(birth, seq, gender),
        section=section,
        position="科员",
        established=established,
        unit_start_date=unit_start,
        service_start_date=unit_start,
    )


def _station(dept_admin, center_admin, person, start, chief_representative=False, **kw):
    a = services.apply_admission(
        by=dept_admin, person=person, department=person.department, start_date=start, **kw
    )
    return services.review_admission(
        by=center_admin,
        admission=a,
        result="pass",
        reviewed_on=min(start, timezone.localdate()) - datetime.timedelta(days=7),
        hr_reviewer="市委组织部 干部科 郑审核",
        union_transferred=True,
        party_transferred=person.established,
        chief_representative=chief_representative,
    )


def _workday_on_or_after(day):
    from zwfw.workdays.calendar import is_workday

    while not is_workday(day):
        day += datetime.timedelta(days=1)
    return day


def _months_back(today, n):
    first = today.replace(day=1)
    for _ in range(n):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return first


def _import_attendance(center, center_admin, month, back):
    """A month of the clock-in export for every resident in force that day, imported through
    the service: on time mostly, a few late arrivals and early leaves, one day absent (the
    third resident, two months back); days under approved leave carry no punches."""
    import io

    from openpyxl import Workbook

    from zwfw.staff import attendance, selectors

    first = month
    nxt = (first + datetime.timedelta(days=32)).replace(day=1)
    days = selectors.month_workdays(first)
    people = selectors.attendance_people(center, first, nxt - datetime.timedelta(days=1))
    leave = selectors.approved_leave_days(
        {a.person_id for a in people.assignments}, first, nxt - datetime.timedelta(days=1)
    )
    wb = Workbook()
    ws = wb.active
    ws.append(attendance.HEADER)
    rows = 0
    for i, a in enumerate(sorted(people.assignments, key=lambda a: a.person_id)):
        p = a.person
        account = p.user.username if p.user_id else ""
        last4 = (p.id_number or "")[-4:]
        if not account and len(last4) != 4:
            continue  # the clock-in system could not name this person
        for j, day in enumerate(days):
            if not (a.start_date <= day and (a.ended_on is None or day <= a.ended_on)):
                continue
            sign_in = datetime.time(8, 40 + (i + j) % 15)
            sign_out = datetime.time(17, 31 + (i * 3 + j) % 20)
            note = ""
            if (i + j + back) % 29 == 0:
                sign_in, note = datetime.time(9, 12), "路上堵车"
            if (i * 7 + j + back) % 41 == 0:
                sign_out = datetime.time(17, 5)
            if (p.pk, day) in leave:
                sign_in = sign_out = None
            if i == 2 and back == 2 and j == 4:
                sign_in = sign_out = None
            ws.append([p.name, last4, account, day, sign_in, sign_out, note])
            rows += 1
    if not rows:
        return
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = f"考勤-{first:%Y-%m}.xlsx"
    services.import_attendance(by=center_admin, center=center, file=out)


def load() -> str:
    city = ServiceCenter.objects.filter(code="QL").first()
    center_admin = _user("zhongxin")
    if city is None or center_admin is None:
        return "org demo missing"
    if Admission.objects.filter(center=city).exists():
        return "already loaded"
    from zwfw.org.demo import _admin

    platform_admin = _admin()
    today = timezone.localdate()
    people = {
        key: _invent(platform_admin, 500 + i, key, *rest) for i, (key, *rest) in enumerate(INVENTED)
    }
    admins = {code: _user(name) for code, name in ADMINS.items()}
    stationed = 0
    # 1. The window staff of each city department, since March 2024 (so last year is graded).
    for username in STATIONED:
        p = _person(username)
        if p is None:
            continue
        try:
            _station(
                admins[p.department.code],
                center_admin,
                p,
                D(2024, 3, 1),
                chief_representative="shouxi" in username,
            )
            stationed += 1
        except RuleViolation:
            continue
    # 2. Every state of an admission.
    services.apply_admission(
        by=admins["QLGA"],
        person=people["waiting"],
        department=people["waiting"].department,
        start_date=today + datetime.timedelta(days=20),
    )
    refused = services.apply_admission(
        by=admins["QLSJ"],
        person=people["refused"],
        department=people["refused"].department,
        start_date=today + datetime.timedelta(days=10),
    )
    services.review_admission(
        by=center_admin,
        admission=refused,
        result="fail",
        reviewed_on=today,
        hr_reviewer="市委组织部 干部科 郑审核",
        note="近一年内有服务对象投诉属实记录，暂不进驻",
    )
    contract_members = [center_admin.person, _person("xietiao"), _person("ducha")]
    _station(
        admins["QLZR"],
        center_admin,
        people["contract"],
        D(2025, 3, 1),
        collective_decision={
            "date": D(2025, 2, 18),
            "members": [m for m in contract_members if m],
            "note": "经政务服务管理办公室会同中心集体审定，同意进驻",
        },
    )
    _station(
        admins["QLRS"],
        center_admin,
        people["newish"],
        D(2026, 3, 2),
        justification="熟悉社保业务，窗口急需",
        approver=center_admin.person,
    )
    # A term that ends within 60 days (home panel).
    ending_start = (today + datetime.timedelta(days=40)).replace(year=today.year - 3)
    _station(admins["QLZJ"], center_admin, people["ending"], ending_start)
    # 3. A change at the transport bureau, replied and done; one at natural resources waiting.
    _station(admins["QLJT"], center_admin, people["old_jt"], D(2024, 3, 1))
    old_jt = ResidentAssignment.objects.get(person=people["old_jt"], ended_on__isnull=True)
    letter = services.submit_change(
        by=admins["QLJT"],
        assignment=old_jt,
        reason="原进驻人员晋升调岗",
        new_person=people["new_jt"],
        letter_no="青交函〔2026〕15号",
        on=D(2026, 5, 6),
    )
    services.reply_change(
        by=center_admin, letter=letter, approved=True, note="请做好业务交接", on=D(2026, 5, 12)
    )
    _station(admins["QLJT"], center_admin, people["new_jt"], D(2026, 5, 18))
    contract = ResidentAssignment.objects.get(person=people["contract"], ended_on__isnull=True)
    services.submit_change(
        by=admins["QLZR"],
        assignment=contract,
        reason="原进驻人员劳动合同到期",
        new_person=people["new_zr"],
        letter_no="青自然资源函〔2026〕32号",
        on=today - datetime.timedelta(days=3),
    )
    # 4. Leave (pending, approved, refused) and an unrelated-task complaint.
    su = _person("ga_chuangkou")
    he = _person("jt_chuangkou")
    if su and he and ResidentAssignment.objects.filter(person=su, ended_on__isnull=True).exists():
        start = _workday_on_or_after(today + datetime.timedelta(days=7))
        services.request_leave(
            by=su.user,
            person=su,
            kind="annual",
            start=start,
            end=start + datetime.timedelta(days=2),
            reason="年休假",
        )
        done = services.request_leave(
            by=admins["QLJT"],
            person=he,
            kind="personal",
            start=_workday_on_or_after(_months_back(today, 1) + datetime.timedelta(days=9)),
            end=_workday_on_or_after(_months_back(today, 1) + datetime.timedelta(days=9)),
            reason="家中有事",
        )
        services.decide_leave(by=center_admin, leave=done, approve=True, note="同意")
        no = services.request_leave(
            by=su.user,
            person=su,
            kind="other",
            start=_workday_on_or_after(today + datetime.timedelta(days=21)),
            end=_workday_on_or_after(today + datetime.timedelta(days=21)),
            reason="参加单位年终总结会",
        )
        services.decide_leave(
            by=center_admin, leave=no, approve=False, note="与政务服务无关的会议，不予准假（R-19）"
        )
        services.report_unrelated_task(
            by=su.user,
            person=su,
            occurred_on=today - datetime.timedelta(days=5),
            description="局办公室要求回局参加与窗口业务无关的文艺汇演排练",
        )
    # 4b. Attendance of the last three months, imported as the clock-in export.
    for back in (3, 2, 1):
        _import_attendance(city, center_admin, _months_back(today, back), back)
    # 5. Last year's monthly scores and grades, then three months of bulletins.
    last_year = today.year - 1
    for m in range(1, 13):
        services.score_month(center=city, month=D(last_year, m, 1), actor=center_admin)
    services.assign_grades(by=center_admin, center=city, year=last_year)
    yx = ServiceCenter.objects.filter(code="YX").first()
    yx_admin = _user("yx_admin")
    yx_person = _person("yx_chuangkou")
    if yx and yx_admin and yx_person:
        services.set_excellent_share(by=yx_admin, center=yx, share="0.2")
        with contextlib.suppress(RuleViolation):
            _station(yx_admin, yx_admin, yx_person, D(2025, 1, 2))
    for back in (3, 2, 1):
        month = _months_back(today, back)
        if back == 1 and he:
            services.adjust(
                by=center_admin, person=he, month=month, points=2, reason="获评月度“服务之星”"
            )
        services.publish_bulletin(
            by=center_admin, center=city, month=month, note="请各进驻单位对照通报改进。"
        )
        if yx and yx_admin and yx_person:
            services.publish_bulletin(by=yx_admin, center=yx, month=month)
    # 6. N-19: a chief officer's year, recommended 优秀 (awaiting the leading group).
    shouxi = _person("ga_shouxi")
    if shouxi:
        services.review_officer(
            by=center_admin,
            person=shouxi,
            year=last_year,
            recommended=True,
            reason="全年授权事项按时办结，无抽查问题，好评率高",
        )
    return (
        f"{ResidentAssignment.objects.count()} postings ({stationed} window staff), "
        f"{LeaveRequest.objects.count()} leave requests, {MonthlyBulletin.objects.count()} bulletins"
    )
