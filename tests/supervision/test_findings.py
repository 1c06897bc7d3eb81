"""record_finding and record_rectification (N-17): only the assigned inspector records; a
problem opens a rectification due in working days (across National Day); the department
records it; the draw completes when every finding is in."""

import datetime

import pytest
import time_machine

from tests.factories import staff
from tests.supervision.factories import TZ
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.notifications.models import OutboxMessage
from zwfw.supervision import services
from zwfw.supervision.models import Inspection, InspectionDraw, InspectionRectification

D = datetime.date
pytestmark = pytest.mark.django_db
SEPT = {"period_start": D(2026, 9, 1), "period_end": D(2026, 9, 25)}


def travel(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), TZ), tick=False)


@pytest.fixture
def draw(supervisor, population, pool):
    with travel(D(2026, 9, 28)):
        return services.create_draw(by=supervisor, size=3, seed=99, **SEPT)


def _rows(draw):
    return list(
        Inspection.objects.filter(draw=draw).select_related("inspector__user", "department")
    )


def test_only_the_assigned_inspector_records(draw, pool, supervisor):
    """N-17: a finding is recorded by the inspector the draw assigned, nobody else."""
    row = _rows(draw)[0]
    someone_else = next(p for p in pool if p.pk != row.inspector_id)
    with travel(D(2026, 9, 29)):
        for user in (someone_else.user, supervisor):
            with pytest.raises(Forbidden):
                services.record_finding(
                    by=user, inspection=row, result="passed", method="case_file"
                )
        services.record_finding(
            by=row.inspector.user, inspection=row, result="passed", method="system_retrieval"
        )
        with pytest.raises(Conflict):
            services.record_finding(
                by=row.inspector.user, inspection=row, result="passed", method="case_file"
            )
    row.refresh_from_db()
    assert row.result == "passed" and row.method == "system_retrieval"
    assert row.found_on == D(2026, 9, 29)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"result": "maybe", "method": "case_file"}, "result"),
        ({"result": "passed", "method": "phone"}, "method"),
        ({"result": "problem", "method": "on_site", "note": "超期"}, "category"),
        ({"result": "problem", "method": "on_site", "category": "overdue"}, "note"),
    ],
)
def test_bad_findings_are_refused(draw, kwargs, field):
    """N-17: a problem names its category and what is wrong; methods are the three of N-17."""
    row = _rows(draw)[0]
    with travel(D(2026, 9, 29)), pytest.raises(RuleViolation) as exc:
        services.record_finding(by=row.inspector.user, inspection=row, **kwargs)
    assert exc.value.field == field
    row.refresh_from_db()
    assert row.result == "pending"
    assert not InspectionRectification.objects.exists()


def test_problem_opens_rectification_due_after_national_day(draw):
    """N-17, L-CAL: a problem found on 2026-09-30 gives the department 10 working days:
    National Day (10-01..07) is skipped and Saturday 10-10 is worked, so it is due 10-20."""
    row = _rows(draw)[0]
    with travel(D(2026, 9, 30)):
        services.record_finding(
            by=row.inspector.user,
            inspection=row,
            result="problem",
            method="on_site",
            category="missing_materials",
            note="缺少营业执照复印件",
        )
    r = InspectionRectification.objects.get()
    assert r.department_id == row.department_id
    assert (r.opened_on, r.due_date, r.status) == (D(2026, 9, 30), D(2026, 10, 20), "open")
    assert AuditEvent.objects.filter(action="open_inspection_rectification").exists()


def test_rectification_days_is_a_setting(draw, settings):
    """N-17: the rectification period is the setting ZWFW_SUPERVISION_RECTIFY_DAYS."""
    settings.ZWFW_SUPERVISION_RECTIFY_DAYS = 3
    row = _rows(draw)[0]
    with travel(D(2026, 9, 30)):
        services.record_finding(
            by=row.inspector.user,
            inspection=row,
            result="problem",
            method="case_file",
            category="overdue",
            note="超过承诺时限2个工作日",
        )
    # 10-08 Thu, 10-09 Fri, 10-10 Sat (adjusted workday).
    assert InspectionRectification.objects.get().due_date == D(2026, 10, 10)


def test_draw_completes_when_every_finding_is_in(draw):
    """N-17: the draw shows progress and is completed when all findings are recorded."""
    rows = _rows(draw)
    with travel(D(2026, 10, 8)):
        for row in rows[:-1]:
            services.record_finding(
                by=row.inspector.user, inspection=row, result="passed", method="case_file"
            )
        assert InspectionDraw.objects.get().status == "in_progress"
        services.record_finding(
            by=rows[-1].inspector.user, inspection=rows[-1], result="passed", method="case_file"
        )
    draw = InspectionDraw.objects.get()
    assert (draw.status, draw.completed_on) == ("completed", D(2026, 10, 8))
    assert AuditEvent.objects.filter(action="complete_inspection_draw").count() == 1
    assert AuditEvent.objects.filter(action="record_inspection_finding").count() == 3


def _problem(draw):
    row = _rows(draw)[0]
    with travel(D(2026, 9, 30)):
        services.record_finding(
            by=row.inspector.user,
            inspection=row,
            result="problem",
            method="case_file",
            category="irregular_documents",
            note="决定书未加盖审批专用章",
        )
    return InspectionRectification.objects.select_related("department").get(), row


def test_department_admin_records_the_rectification(draw):
    """N-17: the department's administrator records what it corrected, once."""
    r, row = _problem(draw)
    admin = staff("department_admin", department=row.department).user
    other_admin = staff("department_admin").user
    with travel(D(2026, 10, 12)):
        with pytest.raises(Forbidden):
            services.record_rectification(by=other_admin, rectification=r, measures="已补盖")
        with pytest.raises(RuleViolation) as exc:
            services.record_rectification(by=admin, rectification=r, measures="  ")
        assert exc.value.field == "measures"
        services.record_rectification(by=admin, rectification=r, measures="已补盖印章并重新送达")
        with pytest.raises(Conflict):
            services.record_rectification(by=admin, rectification=r, measures="再次登记")
    r.refresh_from_db()
    assert (r.status, r.rectified_on) == ("rectified", D(2026, 10, 12))
    event = AuditEvent.objects.get(action="record_inspection_rectification")
    assert event.after["on_time"] is True


def test_overdue_rectification_is_reminded_once(draw):
    """N-17: past its due date an open rectification texts the department's admins once."""
    r, row = _problem(draw)
    staff("department_admin", department=row.department)
    with travel(D(2026, 10, 21)):
        assert services.remind_overdue_rectifications() == 1
        assert services.remind_overdue_rectifications() == 0
    (sms,) = OutboxMessage.objects.filter(ref=f"inspection-rectification-{r.pk}")
    assert "2026年10月20日到期" in sms.text
    r.refresh_from_db()
    assert r.overdue_notified_on == D(2026, 10, 21)


def test_finding_date_cannot_be_in_the_future(draw):
    row = _rows(draw)[0]
    with travel(D(2026, 9, 29)), pytest.raises(RuleViolation) as exc:
        services.record_finding(
            by=row.inspector.user,
            inspection=row,
            result="passed",
            method="case_file",
            on=D(2026, 9, 30),
        )
    assert exc.value.field == "found_on"
