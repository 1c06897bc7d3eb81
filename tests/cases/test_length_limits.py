"""Issue 16 point 7: a field's length limit is the field's own, never the SMS's."""

import datetime

import pytest
import time_machine

from tests.cases.factories import receive
from zwfw.cases import services
from zwfw.cases.forms import NoticeForm, RefuseForm
from zwfw.core.errors import RuleViolation
from zwfw.notifications.models import OutboxMessage

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2025, 9, 26, 10, 0), tick=False):
        yield


def test_long_refusal_reason_is_kept_whole_and_the_sms_stays_short(clerk, item):
    """L-ACCEPT: a refusal reason of 800 characters is accepted (the SMS carries its opening
    words and points to the notice); over 2000 is refused by the reason's own limit."""
    case = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
    reason = "经审查，" + "申请事项不属于本机关职权范围，" * 53
    assert 700 < len(reason) < 2000
    case = services.refuse_case(case=case, by=clerk, reason=reason, on=D(2025, 9, 26))
    assert case.refusal_reason == reason
    sms = OutboxMessage.objects.filter(ref=case.number, kind="refusal").get().text
    assert len(sms) <= 500 and "详见通知书" in sms
    other = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
    with pytest.raises(RuleViolation) as exc:
        services.refuse_case(case=other, by=clerk, reason="理" * 2001, on=D(2025, 9, 26))
    assert (
        exc.value.field == "reason"
        and "2000" in exc.value.message
        and "短信" not in exc.value.message
    )


def test_notice_note_has_its_own_limit(clerk, item):
    case = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
    with pytest.raises(RuleViolation) as exc:
        services.send_supplement_notice(case=case, by=clerk, missing=[], note="说" * 1001)
    assert exc.value.field == "note" and "1000" in exc.value.message


def test_forms_state_the_same_limits():
    assert RefuseForm().fields["reason"].max_length == 2000
    assert NoticeForm.base_fields["note"].max_length == 1000
