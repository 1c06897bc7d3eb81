"""R-21 attendance: the clock-in import (all or nothing, a Chinese error per bad row), the
center's corrections (补录, audited), the month's grid and a resident's own month, the API,
and the facts the monthly score reads."""

import datetime
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from tests.factories import UserFactory
from zwfw.core.audit import AuditEvent
from zwfw.core.crypto import blind_index
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.staff import attendance, rollup, services
from zwfw.staff.attendance import DEFAULT_WORKING_HOURS as HOURS
from zwfw.staff.models import AttendanceRecord, MonthlyAssessment, MonthlyFacts, WorkingHours

D = datetime.date
T = datetime.time
OCT = D(2025, 10, 1)
pytestmark = pytest.mark.django_db
NOV3 = "2025-11-03 10:00 +0800"


@pytest.fixture
def worker(resident):
    """李青 (ID ending 123X, account `liqing`), stationed since 2025-01-02."""
    person = resident.person
    person.user = UserFactory(username="liqing")
    person.id_number = "11010119900501123X"
    person.id_number_index = blind_index(person.id_number)
    person.save(update_fields=["user", "id_number", "id_number_index"])
    return person


def sheet(rows, header=attendance.HEADER) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile(
        "打卡.xlsx",
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


GOOD = [
    # 姓名, 身份证号后四位, 工号, 日期, 签到, 签退, 备注
    ["李青", "123x", "", D(2025, 10, 13), T(8, 50), T(17, 40), ""],  # 出勤
    ["李青", "123X", "", "2025-10-14", "09:12", "17:31", ""],  # 迟到 12 分钟
    ["李青", "", "liqing", "2025/10/15", "9:05:30", "17:00", "堵车"],  # 迟到且早退
    ["李青", "123X", "", D(2025, 10, 16), T(8, 59), "", ""],  # 早退（未签退）
    ["李青", "123X", "", D(2025, 10, 17), "", "", ""],  # 旷工
    ["李青", "123X", "", D(2025, 10, 18), "", "", ""],  # Saturday: no attendance day
]


# --- judging a day (pure) -------------------------------------------------------------------


def test_R_21_judge_against_the_centers_hours():
    """R-21: 签到 after 9:00 is late by the minutes from 9:00; 签退 before 17:30 is early; a
    missing punch counts as late (未签到) or early (未签退); no punch is 旷工 unless on leave."""
    assert attendance.judge(HOURS, T(9, 0), T(17, 30))["status"] == "present"
    late = attendance.judge(HOURS, T(9, 1, 59), T(17, 30))
    assert (late["status"], late["minutes_late"]) == ("late", 1)
    both = attendance.judge(HOURS, T(9, 30), T(16, 0))
    assert (both["status"], both["minutes_late"], both["minutes_early"]) == ("late_early", 30, 90)
    assert attendance.judge(HOURS, None, T(18, 0)) == {
        "status": "late",
        "minutes_late": 0,
        "minutes_early": 0,
        "note": "未签到",
    }
    assert attendance.judge(HOURS, None, None)["status"] == "absent"
    assert attendance.judge(HOURS, None, None, on_leave=True)["status"] == "leave"
    graced = attendance.Hours(T(9, 0), T(12, 0), T(13, 30), T(17, 30), grace_minutes=5)
    assert attendance.judge(graced, T(9, 5), T(17, 30))["status"] == "present"
    assert attendance.judge(graced, T(9, 6), T(17, 30))["minutes_late"] == 6


# --- import ---------------------------------------------------------------------------------


@time_machine.travel(NOV3, tick=False)
def test_R_21_import_judges_each_working_day(worker, center, center_admin):
    """R-21: an import writes one record per person and working day with the status computed
    from the center's hours; Saturday 18 October (not a working day) is skipped; audited."""
    summary = services.import_attendance(by=center_admin, center=center, file=sheet(GOOD))
    assert summary["imported"] == 5 and summary["skipped_non_workdays"] == 1
    got = {r.date.day: r for r in AttendanceRecord.objects.filter(person=worker)}
    assert {d: r.status for d, r in got.items()} == {
        13: "present",
        14: "late",
        15: "late_early",
        16: "early",
        17: "absent",
    }
    assert (got[14].minutes_late, got[15].minutes_late, got[15].minutes_early) == (12, 5, 30)
    assert got[16].note == "未签退" and got[15].note == "堵车"
    assert {r.source for r in got.values()} == {"import"}
    assert AuditEvent.objects.filter(action="staff_import_attendance").count() == 1


@time_machine.travel(NOV3, tick=False)
def test_R_21_import_is_all_or_nothing_with_an_error_per_bad_row(worker, center, center_admin):
    """R-21: any bad row refuses the whole file; each error names its row and column."""
    bad = [
        *GOOD[:2],
        ["王五", "9999", "", D(2025, 10, 20), T(9, 0), T(17, 30), ""],  # row 4: unknown person
        ["李青", "123X", "", "2025-13-01", T(9, 0), T(17, 30), ""],  # row 5: bad date
        ["李青", "123X", "", D(2025, 10, 21), "25:00", T(17, 30), ""],  # row 6: bad time
        ["李青", "123X", "", D(2025, 10, 13), T(9, 0), T(17, 30), ""],  # row 7: same day as 2
        ["李青", "123X", "", D(2025, 10, 22), T(17, 0), T(9, 0), ""],  # row 8: out before in
        ["李青", "123X", "", D(2025, 11, 5), T(9, 0), T(17, 30), ""],  # row 9: in the future
        ["李青", "", "nobody", D(2025, 10, 23), T(9, 0), T(17, 30), ""],  # row 10: unknown 工号
    ]
    with pytest.raises(services.AttendanceImportError) as caught:
        services.import_attendance(by=center_admin, center=center, file=sheet(bad))
    errors = caught.value.errors
    assert errors == [
        "第4行「姓名」：本中心没有姓名为“王五”、身份证号后四位为9999的进驻人员",
        "第5行「日期」：没有2025-13-01这一天",
        "第6行「签到」：时间格式应为 08:55 或 08:55:00",
        "第7行「日期」：与第2行是同一人同一天",
        "第8行「签退」：签退时间应晚于签到时间",
        "第9行「日期」：2025-11-05晚于今天",
        "第10行「工号」：本中心没有工号为“nobody”的进驻人员",
    ]
    assert "未导入任何记录" in caught.value.message
    assert AttendanceRecord.objects.count() == 0


@time_machine.travel(NOV3, tick=False)
def test_R_21_import_header_and_file_checks(worker, center, center_admin, dept_admin):
    with pytest.raises(RuleViolation) as caught:
        services.import_attendance(
            by=center_admin, center=center, file=sheet(GOOD, header=["姓名", "日期", "签到"])
        )
    assert "第1行「表头」：缺少列：签退、身份证号后四位或工号" in caught.value.message
    not_xlsx = SimpleUploadedFile("a.xlsx", b"not a workbook")
    with pytest.raises(RuleViolation, match="xlsx"):
        services.import_attendance(by=center_admin, center=center, file=not_xlsx)
    with pytest.raises(Forbidden):
        services.import_attendance(by=dept_admin, center=center, file=sheet(GOOD))


@time_machine.travel(NOV3, tick=False)
def test_R_21_reimport_replaces_imports_but_keeps_corrections(worker, center, center_admin):
    """R-21: importing a day again replaces it; a day the center corrected (补录) stays."""
    services.import_attendance(by=center_admin, center=center, file=sheet(GOOD))
    services.correct_attendance(
        by=center_admin,
        person=worker,
        date=D(2025, 10, 17),
        status="business",
        reason="经中心批准外出参加业务培训",
    )
    again = [["李青", "123X", "", D(2025, 10, 14), T(8, 30), T(17, 30), ""], GOOD[4]]
    summary = services.import_attendance(by=center_admin, center=center, file=sheet(again))
    assert (summary["imported"], summary["replaced"], summary["kept_corrections"]) == (1, 1, 1)
    got = {r.date.day: r.status for r in AttendanceRecord.objects.filter(person=worker)}
    assert got[14] == "present" and got[17] == "business"


@time_machine.travel(NOV3, tick=False)
def test_R_21_import_uses_leave_and_the_centers_own_hours(worker, center, center_admin):
    """R-21: a day without punches under approved leave is 请假, not 旷工; the center's hours
    (a WorkingHours row) decide late and early."""
    WorkingHours.objects.create(
        center=center,
        morning_start=T(8, 30),
        morning_end=T(12, 0),
        afternoon_start=T(14, 0),
        afternoon_end=T(18, 0),
    )
    with time_machine.travel("2025-10-20 09:00 +0800", tick=False):
        leave = services.request_leave(
            by=worker.user,
            person=worker,
            kind="sick",
            start=D(2025, 10, 21),
            end=D(2025, 10, 21),
            reason="病",
        )
    services.decide_leave(by=center_admin, leave=leave, approve=True)
    rows = [
        ["李青", "123X", "", D(2025, 10, 20), T(8, 50), T(17, 40), ""],
        ["李青", "123X", "", D(2025, 10, 21), "", "", ""],
    ]
    services.import_attendance(by=center_admin, center=center, file=sheet(rows))
    got = {r.date.day: r for r in AttendanceRecord.objects.filter(person=worker)}
    assert (got[20].status, got[20].minutes_late, got[20].minutes_early) == ("late_early", 20, 20)
    assert got[21].status == "leave"


# --- corrections (补录) ----------------------------------------------------------------------


@time_machine.travel(NOV3, tick=False)
def test_R_21_correction_needs_a_reason_the_center_and_a_working_day(
    worker, center, center_admin, dept_admin
):
    """R-21 补录: only the center, with a reason, on a working day, before the bulletin; the
    audit event keeps the record before and after."""
    facts_kw = {"person": worker, "date": D(2025, 10, 14), "status": "present"}
    with pytest.raises(RuleViolation, match="补录理由"):
        services.correct_attendance(by=center_admin, reason=" ", **facts_kw)
    with pytest.raises(Forbidden):
        services.correct_attendance(by=dept_admin, reason="漏打卡", **facts_kw)
    with pytest.raises(RuleViolation, match="不是工作日"):
        services.correct_attendance(
            by=center_admin, person=worker, date=D(2025, 10, 4), status="present", reason="x"
        )
    services.import_attendance(by=center_admin, center=center, file=sheet(GOOD))
    row = services.correct_attendance(
        by=center_admin, reason="考勤机故障，经核实按时到岗", sign_in=T(8, 55), **facts_kw
    )
    assert (row.status, row.source, row.minutes_late) == ("present", "correction", 0)
    event = AuditEvent.objects.filter(action="staff_correct_attendance").get()
    assert event.before["status"] == "late" and event.after["reason"].startswith("考勤机故障")
    services.publish_bulletin(by=center_admin, center=center, month=OCT)
    with pytest.raises(Conflict):
        services.correct_attendance(by=center_admin, reason="又改", **facts_kw)


# --- facts and score ------------------------------------------------------------------------


@time_machine.travel(NOV3, tick=False)
def test_R_21_attendance_part_of_the_score_by_hand(worker, center, center_admin):
    """R-21: the imported month gives days present 4 (13, 14, 15, 16), late 2 (14, 15),
    early 2 (15, 16), absent 1 (17); the parts: −0.5×2, −0.5×2, −3×1 = −5 points, so with no
    cases and no ratings the score is 60 + 15 + 10 − 5 = 80; the rollup equals the recount."""
    services.import_attendance(by=center_admin, center=center, file=sheet(GOOD))
    services.compute_month(by=center_admin, center=center, month=OCT)
    f = MonthlyFacts.objects.get(person=worker, month=OCT)
    assert (f.days_present, f.late, f.early, f.absent) == (4, 2, 2, 1)
    recounted = rollup.recount(month=OCT, center=center)[worker.pk]
    assert {k: recounted[k] for k in ("days_present", "late", "early", "absent")} == {
        "days_present": 4,
        "late": 2,
        "early": 2,
        "absent": 1,
    }
    row = MonthlyAssessment.objects.get(person=worker, month=OCT)
    parts = {p["code"]: Decimal(p["points"]) for p in row.parts["parts"]}
    assert (parts["late"], parts["early"], parts["absent"]) == (
        Decimal("-1.00"),
        Decimal("-1.00"),
        Decimal("-3.00"),
    )
    assert row.score == Decimal("80.00")


# --- pages and API --------------------------------------------------------------------------


@time_machine.travel(NOV3, tick=False)
def test_R_21_attendance_pages(
    client,
    worker,
    center,
    center_admin,
    dept_admin,
    department,
    make_person,
    django_assert_max_num_queries,
):
    """R-21: the center imports on the page (errors listed per row), reads the month's grid
    without a query per resident, downloads the template; a resident reads their own month;
    a department admin reads its department's residents only, without the center's forms."""
    client.force_login(center_admin)
    r = client.get("/staff/attendance/template.xlsx")
    assert r.status_code == 200
    assert list(load_workbook(io.BytesIO(r.content)).active.values)[0] == tuple(attendance.HEADER)
    url = f"/staff/attendance/?month=2025-10&center={center.code}"
    bad = sheet([["王五", "9999", "", D(2025, 10, 20), T(9, 0), T(17, 30), ""]])
    r = client.post(url, {"action": "import", "file": bad})
    assert r.status_code == 200 and "第2行「姓名」" in r.content.decode()
    r = client.post(url, {"action": "import", "file": sheet(GOOD)})
    assert r.status_code == 302 and AttendanceRecord.objects.count() == 5
    r = client.post(
        url,
        {
            "action": "correct",
            "person": worker.pk,
            "date": "2025-10-17",
            "status": "business",
            "reason": "外出公务（中心批准）",
        },
    )
    assert r.status_code == 302
    assert AttendanceRecord.objects.get(date=D(2025, 10, 17)).status == "business"
    with django_assert_max_num_queries(20):
        page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and "李青" in html and "迟早" in html
    for i in range(5):  # more residents, no more queries
        p = make_person(name=f"进驻{i}")
        services.apply_admission(
            by=dept_admin, person=p, department=department, start_date=D(2025, 9, 1)
        )
    with django_assert_max_num_queries(20):
        assert client.get(url).status_code == 200
    client.force_login(worker.user)
    own = client.get("/staff/attendance/?month=2025-10")
    assert own.status_code == 200 and "迟到 2 次" in own.content.decode()
    # The department's administrator reads its own residents' month, and changes nothing.
    client.force_login(dept_admin)
    mine = client.get(url)
    assert mine.status_code == 200 and "李青" in mine.content.decode()
    assert "导入" not in mine.content.decode().split("</h1>", 1)[1].split("<table", 1)[0]
    assert client.post(url, {"action": "import", "file": sheet(GOOD)}).status_code == 403


@time_machine.travel(NOV3, tick=False)
def test_R_21_attendance_api(api, client, worker, center, center_admin, dept_admin):
    """R-21: GET /staff/attendance lists a month (own records for a resident), POST corrects
    (补录) with a reason, POST /staff/attendance/import takes the clock-in export."""
    api.login(center_admin)
    r = client.post(
        f"/api/v1/staff/attendance/import?center={center.code}",
        {"file": sheet(GOOD)},
        headers=api.headers,
    )
    assert r.status_code == 200, r.content
    assert r.json()["imported"] == 5
    r = client.post(
        f"/api/v1/staff/attendance/import?center={center.code}",
        {"file": sheet([["王五", "9999", "", D(2025, 10, 20), T(9, 0), T(17, 30), ""]])},
        headers=api.headers,
    )
    assert r.status_code == 422 and r.json()["errors"][0].startswith("第2行「姓名」")
    r = api.post(
        "/staff/attendance",
        {"person": worker.pk, "date": "2025-10-17", "status": "business", "reason": "外出公务"},
    )
    assert r.status_code == 201, r.content
    assert r.json()["source"] == "correction" and r.json()["status_display"] == "外出公务"
    r = api.get("/staff/attendance", month="2025-10", center=center.code)
    assert r.status_code == 200 and r.json()["count"] == 5
    api.login(dept_admin)
    r = api.post(
        "/staff/attendance",
        {"person": worker.pk, "date": "2025-10-14", "status": "present", "reason": "x"},
    )
    assert r.status_code == 403
    worker.user.set_password("Zwfw#2026pass")
    worker.user.save()
    api.login(worker.user)
    r = api.get("/staff/attendance", month="2025-10")
    assert r.status_code == 200 and r.json()["count"] == 5
    assert {i["person"] for i in r.json()["items"]} == {worker.pk}


def test_R_21_bulk_scorer_equals_score():
    """R-21: the month's bulk scorer (each distinct part computed once) gives exactly what
    scoring.score gives, resident by resident, adjustments included."""
    import json
    import random

    from zwfw.staff import scoring
    from zwfw.staff.models import FACT_FIELDS

    rng = random.Random(21)
    scorer = scoring.Scorer(scoring.DEFAULT_RULES)
    for n in range(300):
        facts = {f: rng.randint(0, 6) for f in FACT_FIELDS}
        adjustments = [(Decimal("1.5"), "服务之星（+1.5）")] if n % 7 == 0 else []
        expected = scoring.score(scoring.DEFAULT_RULES, facts, adjustments)
        total, text = scorer.score_json(facts, adjustments)
        assert total == expected["score"]
        assert json.loads(text) == {"facts": facts, "parts": expected["parts"]}


@time_machine.travel(NOV3, tick=False)
def test_R_21_R_25_the_center_sets_its_working_hours(
    client, worker, center, center_admin, dept_admin
):
    """R-21/R-25: the center's own hours (audited) judge the next import; the order of the
    four times is checked; a department admin cannot set them."""
    with pytest.raises(RuleViolation, match="依次"):
        services.set_working_hours(
            by=center_admin,
            center=center,
            morning_start=T(12, 0),
            morning_end=T(9, 0),
            afternoon_start=T(13, 30),
            afternoon_end=T(17, 30),
        )
    with pytest.raises(Forbidden):
        services.set_working_hours(
            by=dept_admin,
            center=center,
            morning_start=T(8, 30),
            morning_end=T(12, 0),
            afternoon_start=T(14, 0),
            afternoon_end=T(18, 0),
        )
    client.force_login(center_admin)
    r = client.post(
        f"/staff/attendance/?month=2025-10&center={center.code}",
        {
            "action": "hours",
            "morning_start": "08:30",
            "morning_end": "12:00",
            "afternoon_start": "14:00",
            "afternoon_end": "18:00",
            "grace_minutes": "5",
        },
    )
    assert r.status_code == 302
    event = AuditEvent.objects.get(action="staff_set_working_hours")
    assert event.before["hours"].startswith("09:00") and event.after["hours"].startswith("08:30")
    rows = [["李青", "123X", "", D(2025, 10, 20), T(8, 35), T(17, 40), ""]]
    services.import_attendance(by=center_admin, center=center, file=sheet(rows))
    got = AttendanceRecord.objects.get(person=worker)
    assert (got.status, got.minutes_early) == ("early", 20)  # 8:35 is within the 5 minutes
