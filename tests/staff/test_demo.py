"""The demo: residents in every state, one pending change letter, leave requests, three
months of attendance (R-21: a few lates, one absence) and of bulletins, last year's grades; a
second load adds nothing."""

import pytest

from zwfw.staff import demo
from zwfw.staff.models import (
    Admission,
    AnnualGrade,
    ChangeLetter,
    LeaveRequest,
    MonthlyBulletin,
    OfficerReview,
    ResidentAssignment,
)

pytestmark = pytest.mark.django_db


def test_staff_demo_every_state_and_idempotent():
    from zwfw.catalog import demo as catalog_demo
    from zwfw.grants import demo as grants_demo
    from zwfw.org import demo as org_demo

    org_demo.load()
    catalog_demo.load()
    grants_demo.load()
    summary = demo.load()
    assert {a.status for a in Admission.objects.all()} == {"applied", "admitted", "rejected"}, (
        summary
    )
    assert ResidentAssignment.objects.filter(ended_on__isnull=False).exists()
    assert ChangeLetter.objects.filter(status="pending").count() == 1
    assert {leave.status for leave in LeaveRequest.objects.all()} == {
        "pending",
        "approved",
        "rejected",
    }
    assert MonthlyBulletin.objects.filter(center__code="QL").count() == 3
    assert MonthlyBulletin.objects.filter(center__code="YX").count() == 3
    assert AnnualGrade.objects.filter(grade="excellent").exists()
    assert OfficerReview.objects.filter(recommended=True).exists()
    from zwfw.staff.models import AttendanceRecord, MonthlyAssessment

    statuses = [r.status for r in AttendanceRecord.objects.all()]
    assert statuses.count("absent") == 1 and 0 < statuses.count("late") < len(statuses) // 10
    assert len({r.date.month for r in AttendanceRecord.objects.all()}) == 3
    absent = AttendanceRecord.objects.get(status="absent")
    scored = MonthlyAssessment.objects.get(person=absent.person, month=absent.date.replace(day=1))
    assert scored.parts["facts"]["absent"] == 1
    assert any(p["code"] == "absent" and p["points"] == "-3.00" for p in scored.parts["parts"])
    counts = (
        Admission.objects.count(),
        MonthlyBulletin.objects.count(),
        LeaveRequest.objects.count(),
    )
    assert demo.load() == "already loaded"
    assert counts == (
        Admission.objects.count(),
        MonthlyBulletin.objects.count(),
        LeaveRequest.objects.count(),
    )
