"""rate_case, start_visit, rate_visit, rate_at_sheet: who rates what, once (N-18, R-16), and a
bad review opening its ticket (L-EVAL)."""

import datetime

import pytest
import time_machine

from tests.factories import staff
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.evaluations import services, tokens
from zwfw.evaluations.models import Evaluation, EvaluationTag, Rectification, WindowVisit

D = datetime.date
pytestmark = pytest.mark.django_db


def test_r16_applicant_rates_a_case_with_statistics_columns(case, clerk):
    """R-16: every case can be rated (一事一评) by SMS; the rating carries the columns the
    statistics group by (center, department, staff, item, month)."""
    e = services.rate_case(
        case=case, level=4, channel="sms", comment="很好", tags=["efficient"], on=D(2026, 9, 29)
    )
    assert (e.level, e.good, e.channel, e.get_level_display()) == (4, True, "sms", "满意")
    assert e.center_id == case.center_id and e.department_id == case.department_id
    assert e.item_id == case.item_id and e.staff.user_id == clerk.pk
    assert e.month == D(2026, 9, 1) and e.rated_on == D(2026, 9, 29)
    assert list(EvaluationTag.objects.values_list("tag", flat=True)) == ["efficient"]
    assert not Rectification.objects.exists()
    event = AuditEvent.objects.get(action="rate")
    assert event.actor_name == "匿名" and event.after["case"] == case.number


def test_n18_second_rating_on_the_same_channel_is_refused(case):
    """N-18 / API.md: a second rating of the same case on the same channel → 409."""
    services.rate_case(case=case, level=5, channel="sms")
    with pytest.raises(Conflict) as exc:
        services.rate_case(case=case, level=1, channel="sms")
    assert exc.value.code == "N-18" and exc.value.status == 409 and "短信" in exc.value.message
    assert Evaluation.objects.count() == 1 and not Rectification.objects.exists()


def test_n18_online_one_rating_per_case_whatever_the_channel(case):
    """N-18: online, one rating per case (一事一评): SMS then the website is refused."""
    services.rate_case(case=case, level=5, channel="sms")
    with pytest.raises(Conflict) as exc:
        services.rate_case(case=case, level=3, channel="web")
    assert exc.value.code == "N-18" and "一事一评" in exc.value.message


def test_n18_on_site_device_rating_is_separate_from_the_online_one(case, window, center_admin):
    """N-18: the evaluator device at the window rates on site; the online rating stays
    possible; a second device rating of the same case is refused."""
    device, _token = services.register_device(by=center_admin, window=window, name="评价器")
    services.rate_case(case=case, level=5, channel="", device=device)
    services.rate_case(case=case, level=4, channel="sms")
    with pytest.raises(Conflict):
        services.rate_case(case=case, level=5, channel="device", device=device)
    e = Evaluation.objects.get(channel="device")
    assert e.window_id == window.pk and e.device_id == device.pk


def test_devices_of_another_center_or_stopped_cannot_rate(case, window, center_admin):
    from tests.factories import CenterFactory, WindowFactory

    other = WindowFactory(center=CenterFactory())
    device, _ = services.register_device(
        by=staff("center_admin", center=other.center).user, window=other, name="外中心"
    )
    with pytest.raises(Forbidden):
        services.rate_case(case=case, level=5, channel="device", device=device)
    mine, _ = services.register_device(by=center_admin, window=window, name="本窗口")
    services.deactivate_device(by=center_admin, device=mine)
    with pytest.raises(Forbidden):
        services.rate_case(case=case, level=5, channel="device", device=mine)
    assert not Evaluation.objects.exists()


def test_l_eval_bad_review_opens_its_ticket_with_working_day_deadlines(case, department):
    """L-EVAL: 非常不满意 on Wed 2026-09-30 opens a ticket owned by the department: call back
    by 10-08, rectify and report by 10-13 (National Day, adjusted Saturday 10-10)."""
    with time_machine.travel(datetime.datetime(2026, 9, 30, 15, 0), tick=False):
        e = services.rate_case(
            case=case, level=1, channel="web", comment="额外要求材料", tags=["extra_materials"]
        )
    rect = Rectification.objects.get()
    assert e.good is False and rect.evaluation == e and rect.department == department
    assert (rect.callback_due, rect.rectify_due, rect.report_due) == (
        D(2026, 10, 8),
        D(2026, 10, 13),
        D(2026, 10, 13),
    )
    assert rect.status == "open" and rect.next_due_date == D(2026, 10, 8)
    assert rect.alert_level == "yellow"  # one working day left
    assert AuditEvent.objects.filter(action="open_rectification").exists()


def test_l_eval_dissatisfied_is_bad_and_basic_is_good(case, complete):
    """L-EVAL: 不满意 is a bad review; 基本满意 counts as good."""
    services.rate_case(case=case, level="不满意", channel="sms")
    other = complete(received_on=D(2026, 9, 29))
    services.rate_case(case=other, level="basically_satisfied", channel="sms")
    assert list(Evaluation.objects.order_by("id").values_list("level", "good")) == [
        (2, False),
        (3, True),
    ]
    assert Rectification.objects.count() == 1


@pytest.mark.parametrize("level", [0, 6, "很好", "", None, True])
def test_level_outside_1_to_5_is_refused_in_chinese(case, level):
    with pytest.raises(RuleViolation) as exc:
        services.rate_case(case=case, level=level, channel="sms")
    assert exc.value.field == "level" and "非常满意" in exc.value.message
    assert not Evaluation.objects.exists()


def test_bad_input_writes_nothing(case):
    """A refused rating leaves no row, no tag, no ticket, no audit event."""
    events = AuditEvent.objects.count()
    for kwargs, field in [
        ({"tags": ["no_such_tag"]}, "tags"),
        ({"comment": "长" * 501}, "comment"),
        ({"channel": "default"}, "channel"),
        ({"channel": "telepathy"}, "channel"),
    ]:
        call = {"case": case, "level": 1, "channel": "sms", **kwargs}
        with pytest.raises(RuleViolation) as exc:
            services.rate_case(**call)
        assert exc.value.field == field
    assert not Evaluation.objects.exists() and not Rectification.objects.exists()
    assert AuditEvent.objects.count() == events


def test_staff_records_a_rating_only_within_their_scope(case, center_admin, outsider):
    """Staff accounts record what a channel received, in their scope only (and never for
    their own department, N-18); unverified, so a bad one would open no ticket."""
    with pytest.raises(Forbidden):
        services.rate_case(case=case, level=5, channel="mobile", by=outsider)
    e = services.rate_case(case=case, level=5, channel="mobile", by=center_admin)
    assert e.recorded_by == center_admin and not e.verified


# --- window visits (一次一评) -------------------------------------------------------------


def test_n18_visit_rated_once_through_its_one_time_token(clerk, window):
    """N-18: on site, one rating per visit (一次一评): the link works once."""
    visit, token = services.start_visit(by=clerk, window=window)
    assert visit.token_digest == tokens.digest(token) and token not in visit.token_digest
    e = services.rate_visit(token=token, level=5, rater_phone="13900001111")
    assert e.visit == visit and e.window == window and e.department == window.department
    assert e.channel == "qr" and e.rater_phone == "13900001111"
    with pytest.raises(Conflict) as exc:
        services.rate_visit(token=token, level=1)
    assert exc.value.code == "N-18" and "一次一评" in exc.value.message
    # A new visit at the same window is a new rating.
    _visit, again = services.start_visit(by=clerk, window=window)
    services.rate_visit(token=again, level=4)
    assert Evaluation.objects.filter(window=window).count() == 2


def test_visit_link_expires(clerk, window, settings):
    settings.ZWFW_EVAL_VISIT_TOKEN_HOURS = 1
    with time_machine.travel(datetime.datetime(2026, 10, 9, 9, 0), tick=False):
        _visit, token = services.start_visit(by=clerk, window=window)
    with (
        time_machine.travel(datetime.datetime(2026, 10, 9, 10, 30), tick=False),
        pytest.raises(RuleViolation) as exc,
    ):
        services.rate_visit(token=token, level=5)
    assert exc.value.status == 410 and not Evaluation.objects.exists()


def test_staff_of_another_department_cannot_open_a_visit_at_this_window(outsider, window):
    with pytest.raises(Forbidden):
        services.start_visit(by=outsider, window=window)
    assert not WindowVisit.objects.exists()


def test_n18_sheet_form_counts_once(window):
    """N-18: a window's QR sheet: each submitted form is one visit; the same form twice is
    refused (its nonce is the visit's one-time token)."""
    nonce = tokens.new_secret()
    services.rate_at_sheet(nonce=nonce, window=window, level=4)
    with pytest.raises(Conflict):
        services.rate_at_sheet(nonce=nonce, window=window, level=1)
    assert Evaluation.objects.count() == 1 and WindowVisit.objects.get().source == "sheet"


def test_rating_a_staff_member_through_their_sheet(department):
    """A rating can be made for a staff member: staff and department columns are set."""
    person = staff("window_staff", department=department, name="苏晴")
    e = services.rate_at_sheet(
        nonce=tokens.new_secret(),
        staff=person,
        level=2,
        tags=["attitude"],
        rater_phone="13912345678",
        phone_confirmed=True,
    )
    assert e.staff == person and e.department == department and e.window is None
    assert Rectification.objects.get().department == department
