"""Issue 12 point 5: first inquiry (首问首接, R-16) — who asked (encrypted at rest, masked on
pages and in the API), about which item, who answered, whether the one-time notice of all
materials was given (C-2.2) and where the person was referred; counts per window and per
staff member by month in a fixed number of queries."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from tests.cases.factories import officer
from tests.factories import WindowFactory
from zwfw.cases.models import Inquiry
from zwfw.cases.services.inquiries import log_inquiry
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.models import AuditEvent

D = datetime.date
pytestmark = pytest.mark.django_db
PHONE = "13812345678"


@pytest.fixture
def window(center, department):
    return WindowFactory(center=center, department=department, number="A01", name="公安窗口")


@pytest.fixture
def other_window(center, other_department):
    return WindowFactory(center=center, department=other_department, number="B02", name="交通窗口")


def test_point5_r16_inquiry_logged_with_asker_encrypted_and_masked(clerk, item, window):
    """R-16: who asked, about which item, who answered; name and phone are SM4 ciphertext in
    the table and masked wherever shown."""
    inquiry = log_inquiry(
        by=clerk,
        window=window,
        asker_name="王小明",
        asker_phone=PHONE,
        item=item,
        question="设立保安服务公司需要什么材料？",
        answer="已告知全部材料",
        on=D(2026, 3, 2),
    )
    assert (
        inquiry.answered_by == clerk.person and inquiry.department_id == clerk.person.department_id
    )
    assert (inquiry.masked_name, inquiry.masked_phone) == ("王**", "138****5678")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT asker_name, asker_phone FROM cases_inquiry WHERE id = %s", [inquiry.pk]
        )
        stored = cursor.fetchone()
    assert "王小明" not in stored[0] and PHONE not in stored[1]
    event = AuditEvent.objects.get(action="log_inquiry")
    assert "王小明" not in str(event.after) and PHONE not in str(event.after)


def test_point5_c22_one_time_notice_keeps_all_materials_and_prints_them(
    client, clerk, item, window
):
    """C-2.2: the one-time notice names ALL materials of the item (snapshot of that day); its
    告知单 opens as a PDF listing them."""
    inquiry = log_inquiry(
        by=clerk, window=window, item=item, question="需要哪些材料", notice_given=True
    )
    names = [m["name"] for m in inquiry.notice_materials]
    assert names == ["申请书", "营业执照", "场地租赁合同"]
    client.force_login(clerk)
    r = client.get(f"/cases/inquiries/{inquiry.pk}/notice.pdf")
    assert r.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "一次性告知单" in text and all(n in text for n in names)


def test_point5_c22_notice_needs_an_item(clerk, window):
    with pytest.raises(RuleViolation) as exc:
        log_inquiry(by=clerk, window=window, question="办什么", notice_given=True)
    assert exc.value.code == "C-2.2" and exc.value.field == "item"


def test_point5_r16_referral_to_another_window_or_department(
    clerk, window, other_window, other_department
):
    """R-16: a matter of another department is referred there, and the log says where."""
    inquiry = log_inquiry(
        by=clerk,
        window=window,
        question="办理道路运输许可",
        referred_to_window=other_window,
        referred_to_department=other_department,
        referral_note="属交通运输局职责",
    )
    assert inquiry.referred and inquiry.referred_to_window == other_window
    with pytest.raises(RuleViolation):
        log_inquiry(by=clerk, window=window, question="x", referred_to_window=window)
    with pytest.raises(RuleViolation):
        log_inquiry(by=clerk, question="x", referred_to_department=clerk.person.department)


def test_point5_r16_only_staff_holding_a_handling_role_log(outsider, superuser, window):
    with pytest.raises(Forbidden):
        log_inquiry(by=outsider, question="问题")
    with pytest.raises(Forbidden):
        log_inquiry(by=superuser, question="问题")  # no person: nobody to be responsible


def test_point5_r16_required_question_and_valid_phone(clerk):
    with pytest.raises(RuleViolation) as exc:
        log_inquiry(by=clerk, question="  ")
    assert exc.value.field == "question"
    with pytest.raises(RuleViolation) as exc:
        log_inquiry(by=clerk, question="问", asker_phone="12")
    assert exc.value.field == "asker_phone"


def test_point5_r16_page_logs_quickly_and_lists_masked(client, clerk, item, window):
    client.force_login(clerk)
    r = client.get("/cases/inquiries/")
    assert r.status_code == 200 and 'id="form-inquiry"' in r.content.decode()
    r = client.post(
        "/cases/inquiries/",
        {
            "window": window.pk,
            "asker_name": "李四",
            "asker_phone": PHONE,
            "item": item.pk,
            "question": "怎么办理",
            "notice_given": "on",
        },
        follow=True,
    )
    body = r.content.decode()
    assert "已登记首问" in body and "李*" in body and "138****5678" in body
    assert "李四" not in body and PHONE not in body and "告知单（PDF）" in body
    r = client.post("/cases/inquiries/", {"question": "x", "notice_given": "on"})
    assert r.status_code == 422 and "实施方案》第二部分" in r.content.decode()


def test_point5_r16_other_departments_do_not_see_the_log(client, clerk, window, other_department):
    log_inquiry(by=clerk, window=window, question="问题一")
    other = officer(other_department)
    client.force_login(other.user)
    body = client.get("/cases/inquiries/").content.decode()
    assert "问题一" not in body


def test_point5_r16_monthly_counts_per_window_and_staff_in_fixed_queries(
    client, clerk, department, window, other_window, item
):
    """R-16: counts by month per window and per staff member; the page's queries do not grow
    with the rows."""
    colleague = officer(department, name="赵敏")
    for on, by, w in [
        (D(2026, 1, 5), clerk, window),
        (D(2026, 1, 6), clerk, window),
        (D(2026, 2, 3), colleague.user, other_window),
        (D(2026, 2, 4), colleague.user, window),
        (D(2025, 12, 31), clerk, window),  # another year
    ]:
        log_inquiry(by=by, window=w, question="咨询", item=item, notice_given=True, on=on)
    from zwfw.cases.inquiry_selectors import monthly_counts

    counts = monthly_counts(clerk, 2026)
    by_window = {r["label"]: r for r in counts["windows"]}
    assert by_window["A01号 公安窗口"]["months"][:2] == [2, 1]
    assert by_window["A01号 公安窗口"]["notices"] == 3
    assert by_window["B02号 交通窗口"]["total"] == 1
    by_staff = {r["label"].split("（")[0]: r["total"] for r in counts["staff"]}
    assert by_staff == {clerk.person.name: 2, "赵敏": 2}
    assert counts["total"] == 4
    client.force_login(clerk)
    client.get("/cases/inquiries/stats/?year=2026")  # warm the session and role caches
    with CaptureQueriesContext(connection) as before:
        client.get("/cases/inquiries/stats/?year=2026")
    third = WindowFactory(center=window.center, department=department, number="A09")
    for more in range(6):
        log_inquiry(by=clerk, window=third, question="再问", on=D(2026, 3, 1 + more))
    with CaptureQueriesContext(connection) as after:
        r = client.get("/cases/inquiries/stats/?year=2026")
    # Session, user, roles, menu, then the two grouped counts: none per window or person.
    assert len(after) == len(before) <= 10
    assert r.status_code == 200 and 'id="inquiry-windows"' in r.content.decode()


def test_point5_inquiry_api(api, clerk, item, window, other_department):
    """POST/GET /api/v1/inquiries and /inquiries/stats; personal data masked."""
    api.login(clerk)
    r = api.post(
        "/inquiries",
        {
            "question": "设立条件",
            "asker_name": "周杰",
            "asker_phone": PHONE,
            "item": item.code,
            "window": window.pk,
            "notice_given": True,
            "referred_to_department": other_department.code,
        },
    )
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["asker_name"] == "周*" and data["asker_phone"] == "138****5678"
    assert len(data["notice_materials"]) == 3 and data["referred_to_department"] == "D-JT"
    r = api.post("/inquiries", {"question": "x", "item": "NOPE"})
    assert r.status_code == 422 and r.json()["field"] == "item"
    listed = api.get("/inquiries").json()
    assert listed["count"] == 1 and listed["items"][0]["answered_by"] == clerk.person.name
    year = Inquiry.objects.get().asked_on.year
    stats = api.get("/inquiries/stats", year=year).json()
    assert stats["total"] == 1 and stats["windows"][0]["notices"] == 1
