"""Raw facts of a month for the assessment tests (rows written straight to the other apps'
tables: the tests are about counting them, not about how they came to be)."""

import datetime
import itertools

from django.utils import timezone

from zwfw.cases.models import Applicant, Case, SupplementNotice
from zwfw.evaluations.models import Evaluation, Rectification
from zwfw.supervision.models import HotlineFeedback, Inspection, InspectionDraw

D = datetime.date
OCT15 = D(2025, 10, 15)
OCT20 = D(2025, 10, 20)
OCT21 = D(2025, 10, 21)
_seq = itertools.count(1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def applicant():
    n = next(_seq)
    return Applicant.objects.create(
        kind="person", name=f"申请人{n}", identifier=f"id{n}", identifier_index=f"idx-staff-{n}"
    )


def case(
    item,
    *,
    received_by=None,
    received_on=OCT15,
    decided_by=None,
    decided_on=None,
    due=None,
):
    n = next(_seq)
    return Case.objects.create(
        number=f"ST{n:08d}",
        item=item,
        department=item.department,
        center=item.department.center,
        applicant=applicant(),
        phone="13900000000",
        phone_last4="0000",
        channel="window",
        received_by=received_by,
        received_at=at(received_on),
        decided_by=decided_by,
        decided_on=decided_on,
        due_date=due,
        status="decided" if decided_on else "received",
    )


def notice(c, by, on):
    return SupplementNotice.objects.create(
        case=c, issued_on=on, issued_at=at(on), issued_by=by, items=[]
    )


def rating(staff, *, level=5, on=OCT20, excluded=False, center=None):
    return Evaluation.objects.create(
        level=level,
        good=level > 2,
        channel="sms",
        center=center or staff.department.center,
        department=staff.department,
        staff=staff,
        rated_at=at(on),
        rated_on=on,
        month=on.replace(day=1),
        excluded=excluded,
    )


def upheld(evaluation, on):
    return Rectification.objects.create(
        evaluation=evaluation,
        center=evaluation.center,
        department=evaluation.department,
        opened_on=on,
        opened_at=at(on),
        callback_due=on,
        callback_done_on=on,
        finding="true",
        rectify_due=on,
        report_due=on,
    )


def inspection(c, inspector, on):
    draw = InspectionDraw.objects.create(
        title="抽查",
        period_start=D(2025, 1, 1),
        period_end=D(2025, 12, 31),
        size=1,
        strata="none",
        method="case_file",
        seed=1,
        inputs={},
        population_size=1,
        population_digest="0" * 64,
    )
    return Inspection.objects.create(
        draw=draw,
        position=1,
        case=c,
        department=c.department,
        inspector=inspector,
        result="problem",
        category="overdue",
        found_on=on,
    )


def hotline(staff, *, kind="complaint", on=OCT21):
    n = next(_seq)
    return HotlineFeedback.objects.create(
        ticket_number=f"12345-{n}",
        received_on=on,
        kind=kind,
        content="反映窗口服务",
        staff=staff,
        department=staff.department,
        created_at=at(on),
        updated_at=at(on),
    )


def attendance(person, day, status, *, sign_in=None, sign_out=None, source="import"):
    """One attendance record of `person`'s current posting (R-21)."""
    from zwfw.staff.models import AttendanceRecord

    a = person.resident_assignments.order_by("-start_date").first()
    return AttendanceRecord.objects.create(
        person=person,
        center_id=a.center_id,
        department_id=a.department_id,
        date=day,
        status=status,
        sign_in=sign_in,
        sign_out=sign_out,
        source=source,
        recorded_at=at(day, 18),
    )
