"""Talent services (seed 003): windows (TW-3), cards (TC-16), commissioners (TC-4, TC-19,
TC-20, TC-22), requests (TC-17, TW-9), ratings and hotline (TW-10, TC-14), archives (TW-14),
window grades (TW-17)."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import docx
import pytest
import time_machine

from tests.factories import staff
from tests.talents.conftest import TODAY, D
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.notifications.models import OutboxMessage
from zwfw.org.models import Window
from zwfw.talents import selectors, services
from zwfw.talents.models import (
    CardCheck,
    Commissioner,
    Interview,
    ParentReport,
    TalentRequest,
    TalentTask,
)
from zwfw.workdays.calendar import add_workdays

pytestmark = pytest.mark.django_db


def _sent(phone, text=""):
    return any(m.phone == phone and text in m.text for m in OutboxMessage.objects.all())


def _at(day):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai")),
        tick=False,
    )


# --- TW-3 -----------------------------------------------------------------------------------


def test_TW_3_county_window_needs_city_parent(county_center, center_admin, city_window):
    orphan = Window.objects.create(
        center=county_center, number="R09", name="人才窗口", kind="talent"
    )
    with pytest.raises(RuleViolation) as e:
        services.register_window(by=center_admin, window=orphan, level="county")
    assert e.value.code == "TW-3"
    park = Window.objects.create(
        center=county_center, number="R08", name="园区人才窗口", kind="talent"
    )
    county = services.register_window(
        by=center_admin, window=orphan, level="county", parent=city_window
    )
    assert county.parent == city_window
    with pytest.raises(RuleViolation) as e:  # a county window cannot hang under a park
        park_tw = services.register_window(
            by=center_admin, window=park, level="park", parent=county
        )
        other = Window.objects.create(center=county_center, number="R07", name="x", kind="talent")
        services.register_window(by=center_admin, window=other, level="county", parent=park_tw)
    assert e.value.code == "TW-3"


def test_TW_3_city_window_has_no_parent(center, center_admin, city_window):
    w = Window.objects.create(center=center, number="R02", name="人才窗口二", kind="talent")
    with pytest.raises(RuleViolation) as e:
        services.register_window(by=center_admin, window=w, level="city", parent=city_window)
    assert e.value.code == "TW-3"


def test_TW_3_only_talent_kind(center, center_admin):
    w = Window.objects.create(center=center, number="A09", name="部门窗口", kind="department")
    with pytest.raises(RuleViolation):
        services.register_window(by=center_admin, window=w, level="city")


# --- TW-7 -----------------------------------------------------------------------------------


def test_TW_7_publish_reports_to_parent_and_change_reports_again(
    setup, county_window, center_admin
):
    item = setup["items"]["a"]
    services.publish_item(
        by=center_admin,
        window=county_window,
        item=item,
        min_level="C",
        rules_text="凭卡办理，3日办结",
    )
    rule = services.publish_item(
        by=center_admin, window=county_window, item=item, min_level="B", rules_text="压缩至2日"
    )
    reports = list(ParentReport.objects.filter(rule=rule).order_by("id"))
    assert [r.change for r in reports] == ["new", "changed"]
    assert reports[0].to_window == county_window.parent
    assert rule.version == 2
    assert selectors.reports_received(county_window.parent)[0].version == 2
    public = {i.code: i for i in selectors.public_items()}
    assert public[item.code].talent_rule.rules == "压缩至2日"


# --- TC-16 ----------------------------------------------------------------------------------


def test_TC_16_card_expired_yesterday_is_refused(setup, county_window, center_admin, talent):
    item = setup["items"]["direct"]
    card = talent.cards.get()
    card.valid_to = TODAY - datetime.timedelta(days=1)
    card.save()
    row = services.check_card(by=setup["wc"].person.user, talent=talent, item=item)
    assert not row.allowed and "过期" in row.reason
    card.valid_to = TODAY
    card.save()
    assert services.check_card(by=setup["wc"].person.user, talent=talent, item=item).allowed
    assert CardCheck.objects.filter(talent=talent).count() == 2  # logged


def test_TC_16_card_one_level_too_low_is_refused(setup, county_window, center_admin, talent):
    item = setup["items"]["direct"]
    services.publish_item(
        by=center_admin, window=county_window, item=item, min_level="A", rules_text="A类人才"
    )
    row = services.check_card(by=setup["dc"]["D-GA"].person.user, talent=talent, item=item)
    assert not row.allowed and "B类" in row.reason and "A类" in row.reason
    services.publish_item(
        by=center_admin, window=county_window, item=item, min_level="B", rules_text="B类"
    )
    assert services.check_card(by=setup["dc"]["D-GA"].person.user, talent=talent, item=item).allowed
    assert AuditEvent.objects.filter(action="talent_card_check").count() == 2


def test_TC_16_outsider_cannot_check(setup, talent, outsider):
    with pytest.raises(Forbidden):
        services.check_card(by=outsider, talent=talent, item=setup["items"]["direct"])


def test_TC_16_direct_item_is_not_applied_for(setup):
    with pytest.raises(RuleViolation) as e:
        services.file_request(
            by=setup["uc"].person.user,
            talent=setup["talent"],
            items=[setup["items"]["direct"]],
            unit_commissioner=setup["uc"],
        )
    assert e.value.code == "TC-16"


# --- TC-17 / TW-9 ---------------------------------------------------------------------------


def test_TC_17_one_item_goes_straight_to_department(setup):
    a = setup["items"]["a"]
    r = services.file_request(
        by=setup["uc"].person.user, talent=setup["talent"], items=[a], unit_commissioner=setup["uc"]
    )
    assert r.route == "single" and r.status == "in_progress"
    task = r.tasks.get()
    assert task.commissioner == setup["dc"]["D-GA"]
    assert task.dispatched_by is None
    assert task.due_date == add_workdays(TODAY, 3)
    assert _sent(setup["dc"]["D-GA"].person.phone)


def test_TC_17_three_items_go_to_window_then_one_task_per_department(setup):
    it = setup["items"]
    r = services.file_request(
        by=setup["uc"].person.user,
        talent=setup["talent"],
        items=[it["a"], it["b"], it["c"]],
        unit_commissioner=setup["uc"],
    )
    assert r.route == "multiple" and r.status == "awaiting_dispatch"
    assert not r.tasks.exists()
    assert _sent(setup["wc"].person.phone)
    with pytest.raises(Forbidden):  # a department commissioner does not dispatch
        services.dispatch(by=setup["dc"]["D-GA"].person.user, request=r)
    tasks = services.dispatch(by=setup["wc"].person.user, request=r)
    by_dept = {t.department.code: t for t in tasks}
    assert set(by_dept) == {"D-GA", "D-JT"}
    assert {i.name for i in by_dept["D-GA"].items.all()} == {"人才落户办理", "人才子女入学协调"}
    assert by_dept["D-GA"].due_date == add_workdays(TODAY, 5)  # the longest promised limit
    assert by_dept["D-JT"].due_date == add_workdays(TODAY, 10)
    assert by_dept["D-JT"].dispatched_by == setup["wc"]
    r.refresh_from_db()
    assert r.status == "in_progress"
    with pytest.raises(Conflict):
        services.dispatch(by=setup["wc"].person.user, request=r)


def test_TC_17_complete_delay_report_back_and_notify(setup):
    it = setup["items"]
    r = services.file_request(
        by=setup["uc"].person.user,
        talent=setup["talent"],
        items=[it["a"], it["c"]],
        unit_commissioner=setup["uc"],
    )
    tasks = {t.department.code: t for t in services.dispatch(by=setup["wc"].person.user, request=r)}
    ga, jt = tasks["D-GA"], tasks["D-JT"]
    with pytest.raises(Forbidden):  # only the task's own commissioner
        services.complete_task(by=setup["dc"]["D-JT"].person.user, task=ga, result="已办")
    services.complete_task(by=setup["dc"]["D-GA"].person.user, task=ga, result="已办理落户")
    uc_phone = setup["uc"].person.phone
    assert _sent(uc_phone, "已办结")
    assert _sent(setup["wc"].person.phone, "已办结")
    with pytest.raises(RuleViolation) as e:  # the new date must be later than the current one
        services.delay_task(
            by=setup["dc"]["D-JT"].person.user,
            task=jt,
            explanation="等待省厅",
            new_due_date=jt.due_date,
        )
    assert e.value.code == "TC-17"
    new = jt.due_date + datetime.timedelta(days=14)
    services.delay_task(
        by=setup["dc"]["D-JT"].person.user, task=jt, explanation="需省级部门会签", new_due_date=new
    )
    jt.refresh_from_db()
    assert jt.status == "delayed" and jt.due_date == new and jt.original_due_date < new
    assert "需省级部门会签" in jt.delay_explanation
    assert _sent(setup["wc"].person.phone, "延期")
    r.refresh_from_db()
    assert r.status == "in_progress"
    services.complete_task(by=setup["dc"]["D-JT"].person.user, task=jt, result="已开通")
    r.refresh_from_db()
    assert r.status == "completed" and r.completed_on == TODAY
    services.notify_talent(by=setup["uc"].person.user, request=r)
    r.refresh_from_db()
    assert r.status == "notified" and r.rating_token
    assert _sent("13811112222", r.rating_token)
    actions = [s.action for s in r.steps.all()]
    assert actions[0] == "file" and "delay" in actions and actions[-1] == "notify"


def test_TW_9_overdue_tasks_are_flagged_on_window_page(setup, county_window):
    r = services.file_request(
        by=setup["uc"].person.user,
        talent=setup["talent"],
        items=[setup["items"]["a"]],
        unit_commissioner=setup["uc"],
    )
    task = r.tasks.get()
    assert not selectors.open_tasks(county_window, TODAY)[0].overdue
    late = task.due_date + datetime.timedelta(days=1)
    assert selectors.open_tasks(county_window, late)[0].overdue


def test_TC_4_several_items_without_window_commissioner_refused(
    dept_commissioners, unit_commissioner, items, talent
):
    with pytest.raises(RuleViolation) as e:
        services.file_request(
            by=unit_commissioner.person.user,
            talent=talent,
            items=[items["a"], items["c"]],
            unit_commissioner=unit_commissioner,
        )
    assert e.value.code == "TC-4"


# --- TC-4 coverage ----------------------------------------------------------------------------


def test_TC_4_coverage_gaps_appear_and_disappear(
    county_window, talent, items, center_admin, department, other_department, employer_dept
):
    kinds = lambda: sorted(g["kind"] for g in selectors.coverage(county_window))  # noqa: E731
    # Items' departments sit at the city center; the county window covers its own subtree.
    city = county_window.parent
    assert "unit" in kinds() and "window" in kinds()
    city_kinds = sorted(g["kind"] for g in selectors.coverage(city))
    assert city_kinds.count("department") == 2
    services.appoint_commissioner(
        by=center_admin,
        window=county_window,
        person=staff(None, department=employer_dept),
        kind="unit",
        talent=talent,
        appointed_on=TODAY,
    )
    services.appoint_commissioner(
        by=center_admin,
        window=county_window,
        person=staff(None, department=employer_dept),
        kind="window",
        appointed_on=TODAY,
    )
    assert kinds() == []
    services.appoint_commissioner(
        by=center_admin,
        window=city,
        person=staff(None, department=department),
        kind="department",
        department=department,
        appointed_on=TODAY,
    )
    city_kinds = sorted(g["kind"] for g in selectors.coverage(city))
    assert city_kinds.count("department") == 1
    services.publish_item(
        by=center_admin,
        window=city,
        item=items["a"],
        min_level="C",
        rules_text="细则",
        undertaking="示范市公安局出入境服务大厅",
    )
    assert "undertaking" in [g["kind"] for g in selectors.coverage(city)]


def test_TC_4_exactly_one_unit_commissioner_replacement(setup, center_admin, employer_dept):
    new = services.appoint_commissioner(
        by=center_admin,
        window=setup["talent"].window,
        person=staff(None, department=employer_dept),
        kind="unit",
        talent=setup["talent"],
        appointed_on=TODAY,
    )
    old = Commissioner.objects.get(pk=setup["uc"].pk)
    assert old.ended_on == TODAY
    assert (
        Commissioner.objects.filter(
            talent=setup["talent"], kind="unit", ended_on__isnull=True
        ).get()
        == new
    )
    assert new.filings.get().change == "replaced"


def test_TC_4_unit_commissioner_from_the_employer(
    talent, county_window, center_admin, employer_dept
):
    with pytest.raises(RuleViolation) as e:
        services.appoint_commissioner(
            by=center_admin,
            window=county_window,
            person=staff(None, department=employer_dept),
            kind="unit",
            talent=talent,
            organisation="别的公司",
            appointed_on=TODAY,
        )
    assert e.value.code == "TC-4"


# --- TC-19 ------------------------------------------------------------------------------------


def test_TC_19_filing_on_8th_working_day_across_national_day_is_flagged(
    county_window, center_admin, department
):
    """TC-19: changed Fri 2025-09-26; Sun 09-28 and Sat 10-11 are adjusted workdays and
    10-01…08 a holiday: 10-13 is the 7th working day (on time), 10-14 the 8th (late)."""
    changed = D(2025, 9, 26)
    assert add_workdays(changed, 7) == D(2025, 10, 13)
    with _at(D(2025, 10, 13)):
        ok = services.appoint_commissioner(
            by=center_admin,
            window=county_window,
            person=staff(None, department=department),
            kind="department",
            department=department,
            appointed_on=changed,
        )
    with _at(D(2025, 10, 14)):
        late = services.appoint_commissioner(
            by=center_admin,
            window=county_window,
            person=staff(None, department=department),
            kind="undertaking",
            organisation="示范市人才服务中心",
            appointed_on=changed,
        )
    f1, f2 = ok.filings.get(), late.filings.get()
    assert (f1.workdays, f1.late) == (7, False)
    assert (f2.workdays, f2.late) == (8, True)


def test_TC_19_end_filed_late_is_flagged(setup, center_admin):
    dc = setup["dc"]["D-JT"]
    with _at(D(2025, 10, 14)):
        filing = services.end_commissioner(
            by=center_admin, commissioner=dc, ended_on=D(2025, 9, 26)
        )
    assert filing.late and filing.change == "ended"


# --- TC-20 / TC-22 ---------------------------------------------------------------------------


def test_TC_20_training_and_daily_assessment(setup, center_admin, county_window):
    t = services.record_training(
        by=center_admin,
        window=county_window,
        title="绿色通道政策培训",
        held_on=TODAY,
        attendees=[setup["wc"], setup["uc"]],
    )
    assert t.attendees.count() == 2
    a = services.record_assessment(
        by=setup["wc"].person.user, commissioner=setup["uc"], result="good", note="及时申办"
    )
    assert a.on == TODAY
    with pytest.raises(RuleViolation):
        services.record_assessment(
            by=center_admin, commissioner=setup["uc"], result="good", note=""
        )


def test_TC_22_citywide_notice_needs_interview(setup, center_admin):
    with pytest.raises(RuleViolation):
        services.record_action(
            by=center_admin,
            commissioner=setup["dc"]["D-JT"],
            year=2025,
            kind="citywide_notice",
            reason="多次超期未办造成恶劣影响",
        )
    row = services.record_action(
        by=center_admin,
        commissioner=setup["dc"]["D-JT"],
        year=2025,
        kind="citywide_notice",
        reason="多次超期未办造成恶劣影响",
        interviewee="交通运输局分管负责人",
        interview_on=TODAY,
        interview_notes="责令整改",
    )
    assert row.interview.interviewee == "交通运输局分管负责人"
    praise = services.record_action(
        by=center_admin,
        commissioner=setup["uc"],
        year=2025,
        kind="commendation",
        reason="人才评价好",
    )
    assert praise.get_kind_display() == "通报表扬"


# --- TW-10 / TC-14 ---------------------------------------------------------------------------


def _done_request(setup):
    r = services.file_request(
        by=setup["uc"].person.user,
        talent=setup["talent"],
        items=[setup["items"]["a"]],
        unit_commissioner=setup["uc"],
    )
    services.complete_task(by=setup["dc"]["D-GA"].person.user, task=r.tasks.get(), result="已办")
    r.refresh_from_db()
    return r


def test_TW_10_one_rating_per_request(setup):
    r = _done_request(setup)
    services.rate_request(request=r, value=5, comment="非常及时")
    with pytest.raises(Conflict):
        services.rate_request(request=r, value=1)


def test_TW_10_rating_only_after_completion(setup):
    r = services.file_request(
        by=setup["uc"].person.user,
        talent=setup["talent"],
        items=[setup["items"]["a"]],
        unit_commissioner=setup["uc"],
    )
    with pytest.raises(RuleViolation):
        services.rate_request(request=r, value=5)


def test_TW_10_hotline_referral_linked_to_request_commissioner_department(setup, county_window):
    r = _done_request(setup)
    services.rate_request(request=r, value=2)
    ref = services.record_referral(
        by=setup["wc"].person.user,
        window=county_window,
        source="12345",
        ticket="GD20250915001",
        summary="反映落户材料要求不清",
        request=r,
    )
    assert ref.department.code == "D-GA" and ref.commissioner == setup["dc"]["D-GA"]
    stats = selectors.statistics(county_window)
    assert stats["referrals"][0]["n"] == 1
    assert stats["ratings"][0]["avg"] == 2


def test_TC_14_status_check_reports_problem_up(setup, county_window):
    with pytest.raises(RuleViolation):
        services.check_status(
            by=setup["wc"].person.user, talent=setup["talent"], employed=False, lives_in_city=True
        )
    row = services.check_status(
        by=setup["wc"].person.user,
        talent=setup["talent"],
        employed=False,
        lives_in_city=True,
        note="已调往外省工作",
    )
    assert row.reported_up
    setup["talent"].refresh_from_db()
    assert not setup["talent"].employed and setup["talent"].status_checked_on == TODAY
    assert selectors.problems_reported(county_window.parent)[0] == row


# --- TW-14 ----------------------------------------------------------------------------------


def test_TW_14_quarterly_filing_with_document_and_overdue(setup, county_window, center_admin):
    _done_request(setup)
    with _at(D(2025, 10, 9)):  # Q3 ended 09-30; due the 10th working day after it
        periods = selectors.filing_periods(county_window, D(2025, 10, 9))
        q3 = [p for p in periods if p["quarter"] == 3][0]
        assert q3["state"] == "due" and q3["due_on"] == add_workdays(D(2025, 9, 30), 10)
    with _at(D(2025, 10, 31)):
        q3 = [
            p for p in selectors.filing_periods(county_window, D(2025, 10, 31)) if p["quarter"] == 3
        ][0]
        assert q3["state"] == "overdue"
        filing = services.file_archives(
            by=setup["wc"].person.user, window=county_window, year=2025, quarter=3
        )
    assert filing.late and filing.archives == 1 and filing.parent == county_window.parent
    text = "\n".join(
        c.text
        for t in docx.Document(io.BytesIO(bytes(filing.document))).tables
        for row in t.rows
        for c in row.cells
    )
    assert "林**" in text and "人才落户办理" in text and "林博远" not in text
    with pytest.raises(RuleViolation):  # the quarter not yet ended
        services.file_archives(by=center_admin, window=county_window, year=2025, quarter=4)
    with pytest.raises(RuleViolation):  # the city window has no parent
        services.file_archives(by=center_admin, window=county_window.parent, year=2025, quarter=2)


# --- TW-17 ----------------------------------------------------------------------------------


def test_TW_17_fail_grade_needs_interview_of_head(setup, county_window, center_admin):
    with _at(D(2026, 1, 20)):
        grade = services.grade_window(
            by=center_admin,
            window=county_window,
            year=2025,
            manual_score=Decimal("5"),
            manual_note="专员队伍不健全",
        )
        assert grade.grade == "fail"  # no filings, no ratings: 25 + 15 + 5 = 45 < 60
        with pytest.raises(Forbidden):  # the window under evaluation does not grade itself
            services.grade_window(
                by=setup["wc"].person.user, window=county_window, year=2024, manual_score=30
            )
        services.record_interview(
            by=center_admin,
            grade=grade,
            interviewee="吴主任",
            held_on=D(2026, 1, 22),
            notes="约谈窗口负责人",
            meeting_on=D(2026, 2, 3),
            meeting_explanation="在联席会议上作出说明",
        )
    assert Interview.objects.get(grade=grade).meeting_explanation == "在联席会议上作出说明"


def test_TW_17_good_window_no_interview(setup, county_window, center_admin):
    with _at(D(2026, 1, 20)):
        grade = services.grade_window(
            by=center_admin, window=county_window, year=2025, manual_score=30
        )
        assert grade.grade in ("good", "pass", "excellent")
        with pytest.raises(RuleViolation) as e:
            services.record_interview(
                by=center_admin, grade=grade, interviewee="x", held_on=D(2026, 1, 22), notes="x"
            )
    assert e.value.code == "TW-17"


def test_tasks_ordering_and_models(setup):
    assert TalentTask.Status.COMPLETED == "completed"
    assert TalentRequest.Status.NOTIFIED.label == "已告知人才"
