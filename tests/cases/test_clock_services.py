"""pause_case, resume_case, extend_case, the nightly refresh and the calendar hook
(L-PAUSE, L-LIMIT, N-6, L-CAL)."""

import datetime

import pytest
import time_machine

from tests.cases.factories import grant_for, officer
from zwfw.cases import selectors, services
from zwfw.cases.models import Case, ClockEntry
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.notifications.models import OutboxMessage

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def accepted(clerk, received):
    return services.accept_case(case=received, by=clerk, on=D(2025, 9, 26))  # due 10/30


def test_l_pause_site_inspection_moves_due_date_and_tells_applicant(clerk, accepted):
    """L-PAUSE / N-6: a site inspection from 10/13 to 10/17 (5 working days) is not counted;
    the applicant is told in writing at the start and at the end."""
    case = services.pause_case(
        case=accepted, by=clerk, reason="site_inspection", note="组织现场踏勘", on=D(2025, 10, 13)
    )
    assert case.status == "paused" and case.paused_since == D(2025, 10, 13)
    assert OutboxMessage.objects.filter(kind="pause", ref=case.number).exists()
    case = services.resume_case(case=case, by=clerk, on=D(2025, 10, 17))
    assert case.status == "accepted"
    assert case.paused_workdays == 4  # 10/14–10/17: the start day itself was still counted
    assert case.due_date == D(2025, 11, 5)
    entries = list(ClockEntry.objects.filter(case=case).values_list("kind", "reason"))
    assert entries == [("pause", "site_inspection"), ("resume", "")]
    periods = selectors.pauses_of(Case.objects.get(pk=case.pk))
    assert periods[0]["start"] == D(2025, 10, 13) and periods[0]["days"] == 4


def test_l_pause_open_pause_keeps_pushing_due_date(clerk, accepted):
    """L-PAUSE: while paused, each working day moves the stored due date (nightly task)."""
    services.pause_case(case=accepted, by=clerk, reason="expert_review", on=D(2025, 10, 13))
    services.refresh_open_cases(on=D(2025, 10, 15))
    case = Case.objects.get(pk=accepted.pk)
    assert case.paused_workdays == 2 and case.due_date == D(2025, 11, 3)


def test_l_pause_needs_a_legal_reason(clerk, accepted):
    with pytest.raises(RuleViolation) as exc:
        services.pause_case(case=accepted, by=clerk, reason="holiday", on=D(2025, 10, 13))
    assert exc.value.code == "L-PAUSE"


def test_l_pause_cannot_pause_twice_or_resume_running_clock(clerk, accepted):
    with pytest.raises(Conflict):
        services.resume_case(case=accepted, by=clerk, on=D(2025, 10, 13))
    services.pause_case(case=accepted, by=clerk, reason="hearing", on=D(2025, 10, 13))
    with pytest.raises(Conflict):
        services.pause_case(case=accepted, by=clerk, reason="hearing", on=D(2025, 10, 14))


@pytest.fixture
def department_admin_person(dept_admin):
    return dept_admin.person


def test_l_limit_one_extension_of_at_most_10_days_approved_by_department_admin(
    dept_admin, accepted
):
    """L-LIMIT: one extension ≤ 10 working days, approved, with a reason told the applicant;
    a second extension is refused."""
    with pytest.raises(RuleViolation) as exc:
        services.extend_case(
            case=accepted, by=dept_admin, days=11, reason="情况复杂", on=D(2025, 10, 20)
        )
    assert exc.value.code == "L-LIMIT"
    case = services.extend_case(
        case=accepted, by=dept_admin, days=10, reason="需征求相关部门意见", on=D(2025, 10, 20)
    )
    assert case.extension_days == 10 and case.due_date == D(2025, 11, 13)
    entry = ClockEntry.objects.get(case=case, kind="extension")
    assert entry.approved_by == dept_admin.person and entry.approver_grant is None
    assert "需征求相关部门意见" in OutboxMessage.objects.get(kind="extension").text
    with pytest.raises(RuleViolation) as exc:
        services.extend_case(
            case=case, by=dept_admin, days=1, reason="再次延期", on=D(2025, 10, 21)
        )
    assert exc.value.code == "L-LIMIT"


def test_l_limit_extension_needs_approver(clerk, accepted):
    """L-LIMIT: window staff without a chief representative grant cannot approve."""
    with pytest.raises(Forbidden) as exc:
        services.extend_case(case=accepted, by=clerk, days=5, reason="复杂", on=D(2025, 10, 20))
    assert exc.value.code == "L-LIMIT"


def test_l_limit_extension_needs_reason(dept_admin, accepted):
    with pytest.raises(RuleViolation) as exc:
        services.extend_case(case=accepted, by=dept_admin, days=5, reason="", on=D(2025, 10, 20))
    assert exc.value.field == "reason"


def test_l_limit_alert_levels_follow_remaining_days(clerk, accepted):
    """L-LIMIT: yellow at ≤20% of the limit (4 of 20 days) left, red once overdue."""
    services.refresh_open_cases(on=D(2025, 10, 24))  # 4 working days left
    assert Case.objects.get(pk=accepted.pk).alert_level == "yellow"
    services.refresh_open_cases(on=D(2025, 10, 31))
    case = Case.objects.get(pk=accepted.pk)
    assert case.alert_level == "red" and case.remaining_workdays == -1
    assert list(selectors.overdue_cases(department_id=case.department_id, on=D(2025, 10, 31))) == [
        case
    ]


def test_l_limit_spring_festival_2026(clerk, item):
    """L-LIMIT: accepted 2026-02-12 with a 5-day promise: 2/13, 2/14 (adjusted Saturday), then
    春节 2/15–23 skipped: due 2/26."""
    from tests.cases.factories import receive

    case = receive(clerk, item, on=D(2026, 2, 12))
    case.limit_days = 5
    case.save(update_fields=["limit_days"])
    with time_machine.travel(datetime.datetime(2026, 2, 12, 10, 0), tick=False):
        case = services.accept_case(case=case, by=clerk)
    assert case.accepted_on == D(2026, 2, 12) and case.due_date == D(2026, 2, 26)


def test_l_limit_chief_representative_grant_approves_extension(
    center_admin, department, accepted, item
):
    """L-LIMIT: the department's chief representative approves by grant, recorded."""
    from tests.grants.factories import service_section

    head = officer(department, role="department_admin", position="政务服务科科长")
    from zwfw.grants import services as grant_services

    grant_services.file_section_head(
        by=head.user, department=department, person=head, filed_on=D(2024, 12, 1)
    )
    grant = grant_for(
        center_admin,
        department,
        head,
        final=[item],
        role="chief_representative",
        valid_to=D(2027, 12, 31),
    )
    assert service_section(department)
    case = services.extend_case(
        case=accepted, by=head.user, days=3, reason="专家论证", on=D(2025, 10, 20)
    )
    assert ClockEntry.objects.get(case=case, kind="extension").approver_grant == grant


def test_l_cal_new_holiday_moves_open_due_dates_and_is_recorded(
    platform_admin, clerk, accepted, django_capture_on_commit_callbacks
):
    """L-CAL: a holiday entered late for 2025 moves an open case's due date; the change is
    recorded on the case and in the audit chain (by the background recompute's batch, which
    starts when the edit commits)."""
    from zwfw.core.models import AuditEvent
    from zwfw.workdays import calendar
    from zwfw.workdays import services as workday_services

    cal = calendar.current()
    holidays = [(d, n) for d, n in cal.holidays_in(2025).items()]
    adjusted = [(d, n) for d, n in cal.adjusted_workdays_in(2025).items()]
    with (
        time_machine.travel(datetime.datetime(2025, 10, 20, 10, 0), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        workday_services.set_year(
            by=platform_admin,  # the official calendar is kept by a global role (point 9)
            year=2025,
            holidays=[*holidays, (D(2025, 10, 22), "临时休假")],
            adjusted_workdays=adjusted,
            reason="补充临时休假日",
        )
    case = Case.objects.get(pk=accepted.pk)
    assert case.due_date == D(2025, 10, 31)
    event = case.events.get(action="recompute_due_date")
    assert "2025年10月30日" in event.text and "2025年10月31日" in event.text
    batch = AuditEvent.objects.get(action="recompute_due_dates")
    assert batch.after["changes"] == {str(case.pk): ["2025-10-30", "2025-10-31"]}
