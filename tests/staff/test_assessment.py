"""R-19 leave, R-21 monthly assessment from rollups, R-22 annual grades with the quota."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from tests.cases.factories import make_item
from tests.factories import UserFactory
from tests.staff import facts
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.staff import quota, rollup, scoring, selectors, services
from zwfw.staff.models import AnnualGrade, MonthlyAssessment, MonthlyBulletin, MonthlyFacts

D = datetime.date
OCT = D(2025, 10, 1)
pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(resident):
    person = resident.person
    person.user = UserFactory()
    person.save(update_fields=["user"])
    return person


@pytest.fixture
def second(center_admin, dept_admin, department, make_person):
    p = make_person(name="第二人", birth_date=D(1991, 2, 2))
    p.user = UserFactory()
    p.save(update_fields=["user"])
    a = services.apply_admission(
        by=dept_admin, person=p, department=department, start_date=D(2025, 3, 1)
    )
    services.review_admission(
        by=center_admin, admission=a, result="pass", hr_reviewer="组织部", reviewed_on=D(2025, 2, 1)
    )
    return p


@pytest.fixture
def october(dept_admin, department, worker, second, center_admin):
    """October 2025 for `worker`: 5 received, 4 decided (3 on time), 2 notices, 4 ratings
    (3 good), 1 upheld bad review, 1 inspection finding, 1 complaint, personal leave 9–11 Oct
    (3 working days: 11 Oct 2025 is an adjusted working Saturday), a +2 bonus; attendance:
    5 days present, 2 late, 2 early, 1 absent. Rows outside
    the month or belonging to `second` must not count for `worker`."""
    item = make_item(dept_admin, department)
    u = worker.user
    received = [
        facts.case(item, received_by=u, received_on=D(2025, 10, d)) for d in (9, 10, 13, 20, 31)
    ]
    facts.case(item, received_by=u, received_on=D(2025, 9, 30))
    facts.case(item, received_by=second.user, received_on=D(2025, 10, 14))
    decided = [
        facts.case(item, decided_by=worker, decided_on=D(2025, 10, d), due=D(2025, 10, 20))
        for d in (10, 15, 20)
    ]
    late = facts.case(item, decided_by=worker, decided_on=D(2025, 10, 28), due=D(2025, 10, 20))
    facts.case(item, decided_by=worker, decided_on=D(2025, 11, 3), due=D(2025, 11, 20))
    facts.notice(received[0], u, D(2025, 10, 9))
    facts.notice(received[1], u, D(2025, 10, 10))
    for level in (5, 5, 4):
        facts.rating(worker, level=level)
    bad = facts.rating(worker, level=1)
    facts.rating(worker, level=1, excluded=True)
    facts.rating(second, level=5)
    facts.upheld(bad, D(2025, 10, 24))
    facts.inspection(late, second, D(2025, 10, 30))
    facts.inspection(decided[0], second, D(2025, 11, 5))
    facts.hotline(worker)
    facts.hotline(worker, kind="consultation")
    with time_machine.travel("2025-10-08 09:00 +0800", tick=False):
        leave = services.request_leave(
            by=worker.user,
            person=worker,
            kind="personal",
            start=D(2025, 10, 9),
            end=D(2025, 10, 11),
            reason="家事",
        )
    services.decide_leave(by=center_admin, leave=leave, approve=True)
    services.adjust(by=center_admin, person=worker, month=OCT, points=2, reason="窗口服务之星")
    # Attendance: present 13, 14 (late), 15 (late and early), 16 (early), 20 (on
    # official business); absent 17; on leave 9. Outside the month or of `second`: not counted.
    for day, status in (
        (9, "leave"),
        (13, "present"),
        (14, "late"),
        (15, "late_early"),
        (16, "early"),
        (17, "absent"),
        (20, "business"),
    ):
        facts.attendance(worker, D(2025, 10, day), status)
    facts.attendance(worker, D(2025, 9, 30), "absent")
    facts.attendance(worker, D(2025, 11, 3), "absent")
    facts.attendance(second, D(2025, 10, 13), "absent")
    return item


# --- R-19 -----------------------------------------------------------------------------------


@time_machine.travel("2025-09-25 09:00 +0800", tick=False)
def test_R_19_leave_counts_working_days_across_national_day(worker):
    """R-19: leave is counted in working days of the official calendar: 2025-09-29 … 10-12
    holds 5 (29, 30 Sep; 9, 10 Oct; Saturday 11 Oct adjusted) — National Day 1–8 Oct is off."""
    leave = services.request_leave(
        by=worker.user,
        person=worker,
        kind="annual",
        start=D(2025, 9, 29),
        end=D(2025, 10, 12),
        reason="年休",
    )
    assert leave.workdays == 5 and leave.status == "pending"


@time_machine.travel("2025-09-25 09:00 +0800", tick=False)
def test_R_19_leave_inside_a_holiday_is_refused(worker):
    with pytest.raises(RuleViolation) as exc:
        services.request_leave(
            by=worker.user,
            person=worker,
            kind="annual",
            start=D(2025, 10, 1),
            end=D(2025, 10, 8),
            reason="x",
        )
    assert exc.value.field == "end"


@time_machine.travel("2025-09-25 09:00 +0800", tick=False)
def test_R_19_leave_is_approved_by_the_center_never_the_department(
    worker, dept_admin, center_admin
):
    leave = services.request_leave(
        by=dept_admin,
        person=worker,
        kind="sick",
        start=D(2025, 9, 26),
        end=D(2025, 9, 26),
        reason="病",
    )
    with pytest.raises(Forbidden) as exc:
        services.decide_leave(by=dept_admin, leave=leave, approve=True)
    assert exc.value.code == "R-19"
    leave = services.decide_leave(by=center_admin, leave=leave, approve=True)
    assert leave.status == "approved" and leave.decided_by == center_admin
    with pytest.raises(Conflict):
        services.decide_leave(by=center_admin, leave=leave, approve=False)


@time_machine.travel("2025-09-25 09:00 +0800", tick=False)
def test_R_19_unrelated_task_complaint_visible_to_center_not_department(
    worker, dept_admin, center_admin
):
    services.report_unrelated_task(
        by=worker.user,
        person=worker,
        occurred_on=D(2025, 9, 24),
        description="单位要求回局参加与政务服务无关的会议",
    )
    assert len(selectors.task_complaints(center_admin)) == 1
    assert len(selectors.task_complaints(dept_admin)) == 0


# --- R-21 -----------------------------------------------------------------------------------


def test_R_21_rollup_equals_full_recount(october, worker, second, center):
    """R-21: the GROUP BY rollup equals a row-by-row recount of the raw tables, attendance
    (days present, late, early, absent) included."""
    rollup.refresh(month=OCT, center=center)
    stored = {
        f.person_id: {**f.as_dict(), "adjustments": f.adjustments}
        for f in MonthlyFacts.objects.filter(month=OCT)
    }
    recounted = rollup.recount(month=OCT, center=center)
    assert stored == recounted
    assert set(stored) == {worker.pk, second.pk}
    assert stored[worker.pk] == {
        "received": 5,
        "decided": 4,
        "on_time": 3,
        "notices": 2,
        "evaluations": 4,
        "good": 3,
        "bad_upheld": 1,
        "inspection_problems": 1,
        "hotline_complaints": 1,
        "leave_days": 3,
        "personal_leave_days": 3,
        "days_present": 5,
        "late": 2,
        "early": 2,
        "absent": 1,
        "adjustments": Decimal("2.00"),
    }
    assert stored[second.pk]["absent"] == 1 and stored[second.pk]["days_present"] == 0
    # Refreshing again replaces, never adds.
    rollup.refresh(month=OCT, center=center)
    assert MonthlyFacts.objects.filter(month=OCT).count() == 2


@time_machine.travel("2025-11-03 09:00 +0800", tick=False)
def test_R_21_explained_score_reproduces_by_hand(october, worker, center, center_admin):
    """R-21: 60 + 15×3/4 + 10×3/4 + 0.1×5 + 0.5×2 − 2 − 2 − 2 − 0.5×3 (personal leave)
    − 0.5×2 (late) − 0.5×2 (early) − 3×1 (absent) + 2 = 69.75."""
    services.compute_month(by=center_admin, center=center, month=OCT)
    row = MonthlyAssessment.objects.get(person=worker, month=OCT)
    assert row.score == Decimal("69.75")
    parts = {p["code"]: Decimal(p["points"]) for p in row.parts["parts"]}
    assert parts == {
        "base": Decimal("60.00"),
        "on_time": Decimal("11.25"),
        "good_rate": Decimal("7.50"),
        "volume": Decimal("0.50"),
        "notices": Decimal("1.00"),
        "bad_upheld": Decimal("-2.00"),
        "inspection": Decimal("-2.00"),
        "hotline": Decimal("-2.00"),
        "personal_leave": Decimal("-1.50"),
        "late": Decimal("-1.00"),
        "early": Decimal("-1.00"),
        "absent": Decimal("-3.00"),
        "manual": Decimal("2.00"),
    }
    assert sum(parts.values()) == row.score
    assert row.parts["facts"]["on_time"] == 3
    # The attendance part by hand: the facts shown, the formula and the points of each line.
    shown = {p["code"]: p for p in row.parts["parts"]}
    assert row.parts["facts"]["days_present"] == 5
    assert (shown["late"]["value"], shown["late"]["formula"]) == (2, "−0.5 × 2（封顶 5）")
    assert (shown["early"]["value"], shown["early"]["formula"]) == (2, "−0.5 × 2（封顶 5）")
    assert (shown["absent"]["value"], shown["absent"]["formula"]) == (1, "−3 × 1（封顶 15）")


@time_machine.travel("2025-11-03 09:00 +0800", tick=False)
def test_R_21_bulletin_freezes_the_month(october, worker, center, center_admin, dept_admin):
    with pytest.raises(Forbidden):
        services.publish_bulletin(by=dept_admin, center=center, month=OCT)
    b = services.publish_bulletin(by=center_admin, center=center, month=OCT)
    assert b.headcount == 2 and MonthlyBulletin.objects.count() == 1
    with pytest.raises(Conflict):
        services.compute_month(by=center_admin, center=center, month=OCT)
    with pytest.raises(Conflict):
        services.adjust(by=center_admin, person=worker, month=OCT, points=1, reason="迟到的加分")
    with pytest.raises(RuleViolation):
        services.publish_bulletin(by=center_admin, center=center, month=D(2025, 11, 1))


def test_R_21_indicator_kinds_pure():
    """R-21: formula kinds without a database: rate with an empty denominator scores full."""
    rules = [
        scoring.Rule("r", "按时", "rate", Decimal("10"), "on_time", "decided"),
        scoring.Rule("p", "量", "per_unit", Decimal("1"), "received", cap=Decimal("3")),
        scoring.Rule("d", "扣", "deduct", Decimal("2"), "hotline_complaints", cap=Decimal("3")),
    ]
    out = scoring.score(rules, {"on_time": 0, "decided": 0, "received": 7, "hotline_complaints": 5})
    assert [p["points"] for p in out["parts"]] == ["10.00", "3.00", "-3.00"]
    assert out["score"] == Decimal("10.00")


# --- R-22 -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headcount,share,expected",
    [
        (0, "0.15", 0),
        (1, "0.15", 0),
        (6, "0.15", 0),
        (7, "0.15", 1),
        (13, "0.15", 1),
        (14, "0.15", 2),
        (20, "0.15", 3),
        (100, "0.07", 7),
        (3, "0.34", 1),
    ],
)
def test_R_22_quota_rounds_down_at_small_headcounts(headcount, share, expected):
    """R-22: quota = floor(headcount × share) in decimals (20 × 0.15 = 3 exactly)."""
    assert quota.excellent_quota(headcount, share) == expected


def _scores(center, department, people, year=2025):
    now = datetime.datetime(2025, 12, 31, tzinfo=datetime.UTC)
    for i, p in enumerate(people):
        for m in (1, 2):
            MonthlyAssessment.objects.create(
                person=p,
                center=center,
                department=department,
                month=D(year, m, 1),
                score=Decimal(90 - i),
                parts={},
                computed_at=now,
            )


def test_R_22_over_quota_list_is_refused(center, department, make_person, center_admin):
    """R-22: 7 residents × 15 % → 1 优秀 place; two 优秀 are refused whole."""
    people = [make_person(name=f"人{i}") for i in range(7)]
    _scores(center, department, people)
    with pytest.raises(RuleViolation) as exc:
        services.assign_grades(
            by=center_admin,
            center=center,
            year=2025,
            grades={people[0].pk: "excellent", people[1].pk: "excellent"},
        )
    assert exc.value.code == "R-22" and not AnnualGrade.objects.exists()
    rows = services.assign_grades(by=center_admin, center=center, year=2025)
    grades = {g.person_id: g.grade for g in rows}
    assert grades[people[0].pk] == "excellent" and list(grades.values()).count("excellent") == 1
    # A later change that would exceed the quota, counting the grades already assigned.
    with pytest.raises(RuleViolation):
        services.assign_grades(
            by=center_admin, center=center, year=2025, grades={people[3].pk: "excellent"}
        )


def test_R_25_center_share_is_its_own(center, department, make_person, center_admin):
    """R-25: a center sets its own 优秀 share (6 × 0.2 = 1.2 → 1)."""
    people = [make_person(name=f"人{i}") for i in range(6)]
    _scores(center, department, people)
    with pytest.raises(RuleViolation):
        services.assign_grades(
            by=center_admin, center=center, year=2025, grades={people[0].pk: "excellent"}
        )
    services.set_excellent_share(by=center_admin, center=center, share="0.2")
    services.assign_grades(
        by=center_admin, center=center, year=2025, grades={people[0].pk: "excellent"}
    )
    assert AnnualGrade.objects.get(person=people[0]).score == Decimal("90.00")


def test_R_21_rules_are_data_edited_by_the_center_and_inherited_by_a_county(
    center, center_admin, client
):
    """R-21/R-25: the center edits an indicator (its rules become its own rows, whole); a
    county center below it scores by the city's rules until it sets its own."""
    from tests.factories import CenterFactory

    county = CenterFactory(code="C-CTY", parent=center)
    county.refresh_path()
    services.save_indicator(
        by=center_admin,
        center=center,
        code="on_time",
        name="按时办结率",
        kind="rate",
        fact="on_time",
        denominator="decided",
        weight="20",
    )
    rules = {r.code: r for r in selectors.rules_for(center)}
    assert rules["on_time"].weight == Decimal("20") and "base" in rules and len(rules) == 12
    assert {r.code: r.weight for r in selectors.rules_for(county)}["on_time"] == Decimal("20")
    with pytest.raises(RuleViolation):
        services.save_indicator(
            by=center_admin,
            center=center,
            code="x",
            name="x",
            kind="rate",
            fact="on_time",
            weight=1,
        )
    out = scoring.score(selectors.rules_for(center), {"on_time": 1, "decided": 2})
    assert {p["code"]: p["points"] for p in out["parts"]}["on_time"] == "10.00"
    client.force_login(center_admin)
    r = client.post(
        "/staff/assessments/",
        {
            "action": "indicator",
            "center": center.code,
            "month": "2025-10",
            "code": "bonus",
            "name": "表扬",
            "kind": "per_unit",
            "fact": "good",
            "weight": "0.2",
            "cap": "2",
            "active": "on",
        },
    )
    assert r.status_code == 302
    assert "bonus" in {r.code for r in selectors.rules_for(center)}
