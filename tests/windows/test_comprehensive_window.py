"""Issue 12 point 4: the comprehensive window (无差别综合窗口, R-17).

A department hands intake of authorized items to the comprehensive window with the center's
approval (date, approver, items); the clerk posted there takes in for it (一窗进出) and for
nobody else, the case is handled in the department's back office (接办分离、后台流转), the
result is handed out at the comprehensive window, agency (全程代办) is recorded per case, and
the clerk never decides."""

import datetime

import pytest

from tests.cases.factories import FINAL_MATERIALS, receive
from zwfw.cases import selectors as case_selectors
from zwfw.cases import services
from zwfw.cases.services.delivery import record_delivery
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.windows import services as windows
from zwfw.windows.models import AgencyRecord, ComprehensiveAuthorization, IntakeWindow

D = datetime.date
pytestmark = pytest.mark.django_db


def _take_in(by, item, window, on=None):
    on = on or D(2025, 9, 26)
    return receive(by, item, materials=FINAL_MATERIALS, on=on, window=window)


def test_point4_r17_authorization_records_date_approver_items(authorization, item, center_admin):
    """R-17: the center's approval is recorded with its date, approver and items, audited."""
    a = ComprehensiveAuthorization.objects.get(pk=authorization.pk)
    assert a.approved_on == D(2025, 8, 29) and a.approved_by == center_admin.person
    assert list(a.items.all()) == [item]
    assert a.window.departments.filter(pk=a.department_id).exists()
    assert AuditEvent.objects.filter(
        action="authorize_comprehensive_window", object_id=str(a.pk)
    ).exists()


def test_point4_r17_only_a_center_admin_authorizes(dept_admin, window, department, item):
    """R-17: the department cannot authorize the window itself: the center approves."""
    with pytest.raises(Forbidden):
        windows.authorize(
            by=dept_admin,
            window=window,
            department=department,
            items=[item],
            approved_on=D(2025, 8, 29),
            approved_by=dept_admin.person,
        )
    assert not ComprehensiveAuthorization.objects.exists()


def test_point4_r17_clerk_takes_in_for_authorized_department(zclerk, item, window, authorization):
    """R-17 一窗进出: the comprehensive-window clerk takes in the authorized item; the case
    records the window and the authorization relied on."""
    case = _take_in(zclerk, item, window)
    intake = IntakeWindow.objects.get(case=case)
    assert intake.window == window and intake.authorization == authorization
    assert case.department == item.department and case.received_by == zclerk
    assert "Z01号" in case.events.get(action="receive").text


def test_point4_r17_clerk_refused_for_another_department(zclerk, other_item, window, authorization):
    """R-17: a department that did not authorize the window: refused, nothing written."""
    with pytest.raises(Forbidden) as exc:
        _take_in(zclerk, other_item, window)
    assert exc.value.code == "R-17" and exc.value.status == 403
    assert "未授权" in exc.value.message
    assert not IntakeWindow.objects.exists()


def test_point4_r17_clerk_refused_for_unauthorized_item(
    zclerk, unlisted_item, window, authorization
):
    """R-17: only the items the center approved, not every item of the department."""
    with pytest.raises(Forbidden) as exc:
        _take_in(zclerk, unlisted_item, window)
    assert exc.value.code == "R-17" and "不在" in exc.value.message


def test_point4_r17_clerk_refused_without_the_window(zclerk, item, authorization):
    """Without naming the window the clerk is just staff of the center's office: refused."""
    with pytest.raises(Forbidden):
        receive(zclerk, item, materials=FINAL_MATERIALS, on=D(2025, 9, 26))


def test_point4_r17_unposted_staff_refused_at_the_window(office, item, window, authorization):
    """Window staff not posted at the comprehensive window cannot take in there."""
    from tests.factories import staff

    stranger = staff("window_staff", department=office).user
    with pytest.raises(Forbidden) as exc:
        _take_in(stranger, item, window)
    assert "在岗" in exc.value.message


def test_point4_r17_revoked_authorization_stops_intake(
    zclerk, item, window, authorization, center_admin
):
    windows.revoke(by=center_admin, authorization=authorization, reason="部门事项调整")
    with pytest.raises(Forbidden) as exc:
        _take_in(zclerk, item, window, on=datetime.date.today())
    assert exc.value.code == "R-17"


def test_point4_r17_back_office_handles_and_window_hands_out(
    zclerk, clerk, chief, item, window, authorization
):
    """R-17 接办分离、后台流转: the department's back office sees the case in its queue and
    handles it; the comprehensive-window clerk hands the result out (送达) there."""
    case = _take_in(zclerk, item, window)
    assert case in case_selectors.my_open_cases(clerk)
    assert case_selectors.visible_cases(clerk).filter(pk=case.pk).exists()
    case = services.accept_case(case=case, by=clerk, on=D(2025, 9, 26))
    case = services.decide_case(case=case, by=chief, result="approve", on=D(2025, 9, 29))
    # The clerk reaches the case taken in at their window (and only such cases).
    assert case_selectors.case_for_action(zclerk, case.number) == case
    delivery = record_delivery(case=case, by=zclerk, method="window", on=D(2025, 9, 30))
    assert delivery.recorded_by == zclerk
    case = services.complete_case(case=case, by=clerk, on=D(2025, 9, 30))
    assert case.status == "completed"


def test_point4_r17_clerk_cannot_hand_out_other_cases(zclerk, clerk, chief, item):
    """A case taken in at the department's own window is not the comprehensive clerk's."""
    from zwfw.core.errors import NotFound

    case = receive(clerk, item, materials=FINAL_MATERIALS, on=D(2025, 9, 26))
    case = services.accept_case(case=case, by=clerk, on=D(2025, 9, 26))
    case = services.decide_case(case=case, by=chief, result="approve", on=D(2025, 9, 29))
    with pytest.raises(Forbidden):
        record_delivery(case=case, by=zclerk, method="window", on=D(2025, 9, 30))
    with pytest.raises(NotFound):
        case_selectors.case_for_action(zclerk, case.number)


def test_point4_r17_comprehensive_clerk_cannot_decide(
    zclerk, clerk, chief, item, window, authorization
):
    """R-17: window staff of the comprehensive window cannot decide (no grant, no post)."""
    case = _take_in(zclerk, item, window)
    case = services.accept_case(case=case, by=clerk, on=D(2025, 9, 26))
    assert case.procedure == "final"  # a chief officer decides it: not the clerk
    with pytest.raises(RuleViolation) as exc:
        services.decide_case(case=case, by=zclerk, result="approve", on=D(2025, 9, 29))
    assert exc.value.code == "N-13"  # no grant
    case.refresh_from_db()
    assert case.status == "accepted" and case.result == ""


def test_point4_r17_comprehensive_clerk_cannot_record_a_step(
    zclerk, clerk, item, window, authorization
):
    """R-17 / N-13: no chief officer holds the item, so it runs the normal procedure; the
    clerk holds no handling post: refused."""
    case = _take_in(zclerk, item, window)
    case = services.accept_case(case=case, by=clerk, on=D(2025, 9, 26))
    assert case.procedure == "normal"
    from zwfw.cases.services.steps import record_step

    with pytest.raises(RuleViolation) as exc:
        record_step(case=case, by=zclerk, step="受理", opinion="同意", on=D(2025, 9, 29))
    assert exc.value.code == "R-15"  # the step's post is not held
    case.refresh_from_db()
    assert case.status == "accepted" and case.result == ""


def test_point4_r17_agency_recorded_per_case(zclerk, item, window, authorization):
    """R-17 全程代办: who, what, when — on the case's timeline and in the audit chain."""
    case = _take_in(zclerk, item, window)
    record = windows.record_agency(
        by=zclerk, case=case, task="代为向公安局后台递交材料并跟踪进度", on=D(2025, 9, 26)
    )
    assert AgencyRecord.objects.get(pk=record.pk).agent == zclerk.person
    assert record.on == D(2025, 9, 26)
    assert case.events.filter(action="agency", text__contains="代为向公安局").exists()
    assert AuditEvent.objects.filter(action="record_agency", object_id=str(case.pk)).exists()
    with pytest.raises(RuleViolation) as exc:
        windows.record_agency(by=zclerk, case=case, task="  ")
    assert exc.value.field == "task"


def test_point4_r17_agency_refused_to_outsiders(zclerk, clerk, item, outsider):
    """Agency on a case is recorded by its handlers or the window it came in at only."""
    case = receive(clerk, item, materials=FINAL_MATERIALS, on=D(2025, 9, 26))
    for who in (zclerk, outsider):
        with pytest.raises(Forbidden):
            windows.record_agency(by=who, case=case, task="代办")


def test_point4_r17_department_window_takes_in_only_its_department(
    center, clerk, item, other_department
):
    """Naming a department window of another department is refused (not a way round R-17)."""
    from zwfw.org.models import Window

    other = Window.objects.create(
        center=center, number="A05", name="交通窗口", department=other_department
    )
    with pytest.raises(RuleViolation) as exc:
        _take_in(clerk, item, other)
    assert exc.value.field == "window"
    own = Window.objects.create(
        center=center, number="A01", name="公安窗口", department=item.department
    )
    assert IntakeWindow.objects.get(case=_take_in(clerk, item, own)).authorization is None


def test_point4_r17_department_of_another_center_cannot_authorize(center_admin, window, item):
    """R-17: only a department stationed at the window's center hands intake to it."""
    from tests.factories import CenterFactory, DepartmentFactory

    elsewhere = DepartmentFactory(code="D-YX", center=CenterFactory(code="C-YX"))
    with pytest.raises(RuleViolation) as exc:
        windows.authorize(
            by=center_admin,
            window=window,
            department=elsewhere,
            items=[item],
            approved_on=D(2025, 8, 29),
            approved_by=center_admin.person,
        )
    assert exc.value.field == "department"


def test_point4_r17_a_new_authorization_replaces_the_old(
    center_admin, zclerk, window, department, item, unlisted_item, authorization
):
    """R-17: the items authorized change by a new approval; the old one is kept, revoked."""
    new = windows.authorize(
        by=center_admin,
        window=window,
        department=department,
        items=[unlisted_item],
        approved_on=D(2025, 9, 1),
        approved_by=center_admin.person,
    )
    authorization.refresh_from_db()
    assert authorization.revoked_at is not None and new.revoked_at is None
    today = datetime.date.today()
    assert IntakeWindow.objects.get(case=_take_in(zclerk, unlisted_item, window, on=today))
    with pytest.raises(Forbidden):
        _take_in(zclerk, item, window, on=today)
