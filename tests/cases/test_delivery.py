"""Issue 12 point 6: the delivery record (送达, 行政许可法第44条) — at the window, by post with a
tracking number, or electronically — must exist before a case completes (R-16 限时办结);
service, API and the staff page."""

import datetime

import pytest

from tests.cases.factories import receive
from zwfw.cases import services
from zwfw.cases.models import Delivery
from zwfw.cases.services.delivery import record_delivery
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(clerk, chief, item):
    case = receive(clerk, item, on=D(2025, 9, 26))
    case = services.accept_case(case=case, by=clerk, on=D(2025, 9, 26))
    return services.decide_case(case=case, by=chief, result="approve", on=D(2025, 9, 29))


def test_point6_r16_completing_without_delivery_is_refused(clerk, decided):
    """R-16: 办结 needs the decision delivered first: a Chinese message and a rule code."""
    with pytest.raises(RuleViolation) as exc:
        services.complete_case(case=decided, by=clerk, on=D(2025, 9, 30))
    assert exc.value.code == "delivery_required" and exc.value.status == 422
    assert "尚未送达" in exc.value.message
    decided.refresh_from_db()
    assert decided.status == "decided" and decided.completed_on is None
    record_delivery(case=decided, by=clerk, method="window", on=D(2025, 9, 30))
    case = services.complete_case(case=decided, by=clerk, on=D(2025, 9, 30))
    assert case.status == "completed"
    actions = list(case.events.values_list("action", flat=True))
    assert actions[-2:] == ["deliver", "complete"]
    assert AuditEvent.objects.filter(action="deliver_case", object_id=str(case.pk)).exists()


def test_point6_post_needs_a_tracking_number(clerk, decided):
    with pytest.raises(RuleViolation) as exc:
        record_delivery(case=decided, by=clerk, method="post", on=D(2025, 9, 30))
    assert exc.value.field == "tracking_number"
    d = record_delivery(
        case=decided, by=clerk, method="post", tracking_number="EMS1234567890", on=D(2025, 9, 30)
    )
    assert (d.method, d.tracking_number, d.delivered_on) == (
        "post",
        "EMS1234567890",
        D(2025, 9, 30),
    )


def test_point6_one_delivery_after_the_decision_only(clerk, item, decided):
    undecided = receive(clerk, item, on=D(2025, 9, 26))
    with pytest.raises(Conflict):
        record_delivery(case=undecided, by=clerk, method="window", on=D(2025, 9, 26))
    with pytest.raises(RuleViolation) as exc:
        record_delivery(case=decided, by=clerk, method="fax", on=D(2025, 9, 30))
    assert exc.value.field == "method"
    record_delivery(case=decided, by=clerk, method="electronic", on=D(2025, 9, 30))
    with pytest.raises(Conflict) as exc:
        record_delivery(case=decided, by=clerk, method="window", on=D(2025, 9, 30))
    assert exc.value.code == "already_delivered"
    assert Delivery.objects.filter(case=decided).count() == 1


def test_point6_delivery_by_another_department_is_forbidden(outsider, decided):
    with pytest.raises(Forbidden):
        record_delivery(case=decided, by=outsider, method="window", on=D(2025, 9, 30))


def test_point6_delivery_api_then_complete(api, clerk, decided):
    """POST /cases/{number}/delivery {"method", "tracking_number"?, "note"?}; complete before
    it answers 422 delivery_required."""
    api.login(clerk)
    r = api.post(f"/cases/{decided.number}/complete")
    assert r.status_code == 422 and r.json()["code"] == "delivery_required"
    r = api.post(f"/cases/{decided.number}/delivery", {"method": "post"})
    assert r.status_code == 422 and r.json()["field"] == "tracking_number"
    r = api.post(
        f"/cases/{decided.number}/delivery",
        {"method": "post", "tracking_number": "SF1234567", "note": "挂号信"},
    )
    assert r.status_code == 201
    assert r.json()["method"] == "post" and r.json()["tracking_number"] == "SF1234567"
    assert api.post(f"/cases/{decided.number}/delivery", {"method": "window"}).status_code == 409
    assert api.post(f"/cases/{decided.number}/complete").json()["status"] == "completed"
    docs = api.get(f"/cases/{decided.number}/documents").json()
    assert docs["delivery"]["method_label"] == "邮寄送达"
    # The applicant is told how it reached them, not asked to come and collect it.
    from zwfw.notifications.models import OutboxMessage

    text = OutboxMessage.objects.get(ref=decided.number, kind="ready").text
    assert "已邮寄送达（邮寄单号SF1234567）" in text and "领取" not in text


def test_point6_staff_page_form_records_delivery_and_complete_shows_refusal(client, clerk, decided):
    client.force_login(clerk)
    r = client.post(f"/cases/{decided.number}/complete/", follow=True)
    assert "尚未送达" in r.content.decode()
    r = client.post(f"/cases/{decided.number}/delivery/", {"method": "post"}, follow=True)
    assert "邮寄送达须填写邮寄单号" in r.content.decode()
    r = client.post(
        f"/cases/{decided.number}/delivery/",
        {"method": "window", "note": "申请人本人领取"},
        follow=True,
    )
    body = r.content.decode()
    assert 'id="delivery"' in body and "窗口领取" in body and 'id="form-delivery"' not in body
    r = client.post(f"/cases/{decided.number}/complete/", follow=True)
    assert "已办结" in r.content.decode()
