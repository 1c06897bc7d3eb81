"""Issue 12 point 7: the center sets per item which ways of applying it accepts, and never
restricts them without a recorded reason (seed 002 第十八条 无正当理由不得限定申请方式, R-18).
Intake (pages, API, services) refuses a closed way naming the reason."""

import pytest
from django.db import IntegrityError, transaction

from tests.cases.factories import make_item, org_applicant, receive
from tests.factories import CenterFactory, DepartmentFactory, staff
from zwfw.cases.models import Case
from zwfw.catalog import services
from zwfw.catalog.models import ItemChannelSetting
from zwfw.core.errors import RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.notifications.models import Kind, OutboxMessage

pytestmark = pytest.mark.django_db

REASON = "该许可须现场核验原件及场所，暂不受理网上申请"
APPLY_PHONE = "13911114444"


@pytest.fixture(autouse=True)
def _db_rate_store(settings):
    settings.REDIS_URL = ""


@pytest.fixture
def item(dept_admin, department):
    return make_item(dept_admin, department, name="烟花爆竹经营许可")


def close_online(by, item, reason=REASON):
    return services.set_item_channels(
        by=by, item=item, channels={"online": False, "mobile": False}, reason=reason
    )


# --- the rule in the service ---------------------------------------------------------------


@pytest.mark.parametrize("reason", ["", "   ", "不受理"])
def test_point7_r18_restricting_without_a_reason_is_refused(center_admin, item, reason):
    """R-18 (seed 002 第十八条): closing a way of applying needs a real reason."""
    with pytest.raises(RuleViolation) as exc:
        close_online(center_admin, item, reason=reason)
    assert exc.value.code == "R-18" and exc.value.field == "reason"
    assert "无正当理由不得限定申请方式" in exc.value.message
    assert not ItemChannelSetting.objects.exists()


def test_point7_r18_restriction_records_reason_who_when_and_audit(center_admin, item):
    setting = close_online(center_admin, item)
    assert setting.accepted() == {
        "window": True,
        "online": False,
        "mobile": False,
        "self_service": True,
    }
    assert setting.reason == REASON and setting.set_by == center_admin and setting.set_at
    event = AuditEvent.objects.get(action="set_item_channels")
    assert event.before["online"] is True and event.after["online"] is False
    assert event.after["reason"] == REASON
    # Reopening needs no reason; the old reason is cleared and the change audited too.
    services.set_item_channels(by=center_admin, item=item, channels={})
    setting.refresh_from_db()
    assert not setting.restricted and setting.reason == ""
    assert AuditEvent.objects.filter(action="set_item_channels").count() == 2


def test_point7_r18_at_least_one_way_stays_open(center_admin, item):
    closed = {"window": False, "online": False, "mobile": False, "self_service": False}
    with pytest.raises(RuleViolation) as exc:
        services.set_item_channels(by=center_admin, item=item, channels=closed, reason=REASON)
    assert exc.value.code == "R-18"


def test_point7_r18_database_refuses_a_restriction_without_reason(center_admin, item):
    setting = close_online(center_admin, item)
    setting.reason = ""
    with pytest.raises(IntegrityError), transaction.atomic():
        setting.save()


def test_point7_only_the_centers_admin_sets_the_ways(dept_admin, clerk, platform_admin, item):
    """A department cannot restrict its own item's ways of applying; a center admin of
    another center cannot either; the global admin can."""
    elsewhere = CenterFactory()
    other_admin = staff(
        "center_admin", department=DepartmentFactory(center=elsewhere), center=elsewhere
    ).user
    for user in (dept_admin, clerk, other_admin):
        with pytest.raises(RuleViolation) as exc:
            close_online(user, item)
        assert exc.value.status == 403
    assert close_online(platform_admin, item).restricted


# --- intake respects it --------------------------------------------------------------------


def test_point7_r18_online_intake_refused_naming_the_reason(center_admin, clerk, item):
    close_online(center_admin, item)
    with pytest.raises(RuleViolation) as exc:
        receive(clerk, item, channel="online")
    assert exc.value.code == "channel_restricted" and exc.value.field == "channel"
    assert REASON in exc.value.message and "网上" in exc.value.message
    assert "窗口" in exc.value.message  # where to apply instead
    assert receive(clerk, item, channel="window").status == "received"


def test_point7_r18_public_apply_page_shows_the_reason_and_sends_no_code(
    client, center_admin, item
):
    url = f"/public/cases/apply/{item.code}/"
    assert client.get(url).status_code == 200
    assert "获取验证码" in client.get(url).content.decode()  # open: the form
    close_online(center_admin, item)
    page = client.get(url).content.decode()
    assert REASON in page and "获取验证码" not in page
    r = client.post(url, {"phone": APPLY_PHONE, "send_code": "1"})
    assert r.status_code == 422 and REASON in r.content.decode()
    assert not OutboxMessage.objects.filter(kind=Kind.VERIFICATION).exists()
    from zwfw.cases.services import public

    with pytest.raises(RuleViolation):  # the service refuses too, not only the page
        public.send_apply_code(item=item, phone=APPLY_PHONE, ip="10.0.0.1")
    with pytest.raises(RuleViolation) as exc:
        public.apply_online(
            item=item,
            applicant=org_applicant(seq=3),
            phone=APPLY_PHONE,
            materials={"申请书": "electronic"},
            sms_code="000000",
            ip="10.0.0.1",
        )
    assert exc.value.code == "channel_restricted"
    assert not Case.objects.exists()


def test_point7_public_guide_shows_ways_and_the_online_link(client, center_admin, item):
    url = f"/public/catalog/items/{item.code}/"
    page = client.get(url).content.decode()
    assert f"/public/cases/apply/{item.code}/" in page
    close_online(center_admin, item)
    page = client.get(url).content.decode()
    assert REASON in page and "暂不受理" in page
    assert f"/public/cases/apply/{item.code}/" not in page


# --- API ------------------------------------------------------------------------------------


def test_point7_r18_api_get_put_channels_and_case_intake(api, center_admin, clerk, item):
    api.login(center_admin)
    got = api.get(f"/items/{item.code}/channels")
    assert got.status_code == 200 and got.json()["restricted"] is False
    refused = api.put(f"/items/{item.code}/channels", {"online": False})
    assert refused.status_code == 422 and refused.json()["code"] == "R-18"
    assert refused.json()["field"] == "reason"
    r = api.put(f"/items/{item.code}/channels", {"online": False, "reason": REASON})
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["online"] is False and body["window"] is True and body["restricted"] is True
    assert body["reason"] == REASON and body["set_by"] and body["set_at"]

    application = {
        "item": item.code,
        "applicant": {
            "kind": "organisation",
            "name": "青岚示范有限公司",
            "credit_code": org_applicant(seq=5).credit_code,
            "phone": "13800138000",
        },
        "materials": ["申请书", "营业执照"],
    }
    api.login(clerk)
    online = api.post("/cases", {**application, "channel": "online"})
    assert online.status_code == 422 and online.json()["code"] == "channel_restricted"
    assert REASON in online.json()["message"]
    assert api.post("/cases", {**application, "channel": "window"}).status_code == 201


def test_point7_api_put_refused_to_department_admin(api, dept_admin, item):
    r = api.login(dept_admin).put(
        f"/items/{item.code}/channels", {"online": False, "reason": REASON}
    )
    assert r.status_code == 403


# --- staff pages ----------------------------------------------------------------------------


def test_point7_r18_staff_page_lists_and_edits_with_reason(client, center_admin, item):
    client.force_login(center_admin)
    listing = client.get("/catalog/channels/").content.decode()
    assert item.name in listing and f"/catalog/channels/{item.code}/" in listing
    url = f"/catalog/channels/{item.code}/"
    assert client.get(url).status_code == 200
    data = {"window": "on", "self_service": "on", "reason": ""}
    r = client.post(url, data)
    assert r.status_code == 422 and "无正当理由不得限定申请方式" in r.content.decode()
    r = client.post(url, {**data, "reason": REASON})
    assert r.status_code == 302
    setting = ItemChannelSetting.objects.get(item=item)
    assert not setting.online and not setting.mobile and setting.reason == REASON
    restricted = client.get("/catalog/channels/", {"restricted": "1"}).content.decode()
    assert REASON in restricted


def test_point7_department_admin_reads_but_cannot_edit(client, dept_admin, item):
    client.force_login(dept_admin)
    listing = client.get("/catalog/channels/")
    assert listing.status_code == 200 and item.name in listing.content.decode()
    assert f"/catalog/channels/{item.code}/" not in listing.content.decode()
    assert client.get(f"/catalog/channels/{item.code}/").status_code == 403


def test_point7_r18_demo_has_one_item_restricted_with_a_reason():
    from zwfw.catalog import demo
    from zwfw.org import demo as org_demo

    org_demo.load()
    assert "限定1个事项的申请方式" in demo.load()
    setting = ItemChannelSetting.objects.select_related("item", "set_by").get()
    assert setting.item.name == demo.RESTRICTED_ITEM
    assert not setting.online and setting.window and setting.reason == demo.RESTRICTION_REASON
    assert setting.set_by.username == "zhongxin"
    assert "限定" not in demo.load()  # idempotent
    assert ItemChannelSetting.objects.count() == 1


def test_point7_item_page_shows_the_restriction_and_the_link(client, center_admin, item):
    close_online(center_admin, item)
    client.force_login(center_admin)
    page = client.get(f"/catalog/items/{item.code}/").content.decode()
    assert REASON in page and f"/catalog/channels/{item.code}/" in page
