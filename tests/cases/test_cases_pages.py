"""Staff and public pages of case handling: wiring, errors beside fields, query counts."""

import datetime
import io

import pytest
import time_machine
from pypdf import PdfReader

from tests.cases.factories import receive
from tests.factories import valid_id_number
from zwfw.cases import services
from zwfw.cases.models import Case

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _day():
    with time_machine.travel(datetime.datetime(2025, 9, 26, 10, 0), tick=False):
        yield


def login(client, user):
    client.force_login(user)
    return client


def test_intake_page_takes_in_with_checklist(client, clerk, item):
    """R-18: the intake form has one electronic-or-paper choice per material."""
    login(client, clerk)
    r = client.get(f"/cases/new/{item.code}/")
    assert r.status_code == 200 and "场地租赁合同" in r.content.decode()
    data = {
        "kind": "person",
        "name": "王五",
        "id_number": valid_id_number(D(1991, 2, 3), 5),
        "phone": "13700001111",
        "channel": "window",
        "material_0": "paper",
        "material_1": "electronic",
    }
    r = client.post(f"/cases/new/{item.code}/", data)
    assert r.status_code == 302
    case = Case.objects.get()
    assert {m.name: m.form for m in case.materials.all()} == {
        "申请书": "paper",
        "营业执照": "electronic",
        "场地租赁合同": "",
    }


def test_intake_error_is_shown_beside_the_field(client, clerk, item):
    login(client, clerk)
    data = {
        "kind": "person",
        "name": "王五",
        "id_number": "370302199102030001",
        "phone": "13700001111",
        "channel": "window",
    }
    r = client.post(f"/cases/new/{item.code}/", data)
    assert r.status_code == 200
    assert "身份证号码格式或校验位不正确" in r.content.decode()
    assert not Case.objects.exists()


def test_case_page_shows_only_allowed_actions_and_runs_them(client, clerk, item):
    """L-ACCEPT: a received incomplete case offers the notice, not pause or decide."""
    case = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
    login(client, clerk)
    body = client.get(f"/cases/{case.number}/").content.decode()
    assert 'id="form-supplement_notice"' in body and 'id="form-pause"' not in body
    materials = list(case.materials.all())
    r = client.post(
        f"/cases/{case.number}/supplement_notice/", {f"m{materials[1].pk}": "未提交", "note": ""}
    )
    assert r.status_code == 302
    assert Case.objects.get().status == "awaiting_supplement"
    r = client.post(f"/cases/{case.number}/accept/")
    assert r.status_code == 302
    follow = client.get(f"/cases/{case.number}/").content.decode()
    assert "不能执行“受理”" in follow


def test_rule_refusal_on_page_is_shown_beside_field(client, clerk, chief, item):
    """N-13: deciding without authority shows the N-13 message on the page."""
    case = services.accept_case(
        case=receive(clerk, item, on=D(2025, 9, 26)), by=clerk, on=D(2025, 9, 26)
    )
    login(client, clerk)
    r = client.post(f"/cases/{case.number}/decide/", {"result": "approve"})
    assert (
        r.status_code == 422
        and "（依据《自然资源和规划局首席服务员管理办法》第十三条）" in r.content.decode()
    )
    login(client, chief)
    r = client.post(f"/cases/{case.number}/decide/", {"result": "approve", "opinion": "同意"})
    assert r.status_code == 302 and Case.objects.get().status == "decided"


def test_case_page_explains_the_due_date(client, clerk, item):
    """L-LIMIT: the page explains the due date: start, days, 国庆 skipped, adjusted days."""
    case = services.accept_case(
        case=receive(clerk, item, on=D(2025, 9, 26)), by=clerk, on=D(2025, 9, 26)
    )
    body = login(client, clerk).get(f"/cases/{case.number}/").content.decode()
    assert "办理时限20个工作日" in body and "国庆节" in body and "调休上班" in body
    assert "2025年10月30日" in body


def test_list_page_query_count_and_filters(client, clerk, item, django_assert_max_num_queries):
    for _ in range(5):
        receive(clerk, item, on=D(2025, 9, 26))
    login(client, clerk)
    client.get("/cases/")
    with django_assert_max_num_queries(12):
        r = client.get("/cases/?open=1&alert_level=green")
    assert r.status_code == 200 and r.content.decode().count("level-green") >= 5
    with django_assert_max_num_queries(12):
        assert client.get("/cases/summary/").status_code == 200
    assert client.get("/cases/?overdue=1").status_code == 200


def test_pdf_notice_lists_the_missing_materials(client, clerk, item):
    """R-16 / C-2.2: the one-time notice PDF names every material to supplement."""
    case = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
    services.send_supplement_notice(
        case=case,
        by=clerk,
        on=D(2025, 9, 26),
        missing=[{"name": "申请书", "problem": "未加盖公章"}],
    )
    r = login(client, clerk).get(f"/cases/{case.number}/documents/notice.pdf")
    assert r["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
    compact = text.replace(" ", "").replace("\n", "")
    assert "一次性告知书" in compact and "营业执照" in compact and "未加盖公章" in compact


def test_pdf_acceptance_and_refusal_notices(client, clerk, item):
    """L-ACCEPT: dated receipts for acceptance and refusal; the refusal names appeal rights."""
    a = services.accept_case(
        case=receive(clerk, item, on=D(2025, 9, 26)), by=clerk, on=D(2025, 9, 26)
    )
    b = services.refuse_case(
        case=receive(clerk, item, on=D(2025, 9, 26)),
        by=clerk,
        reason="不属于本机关职权范围",
        competent_authority="青岚市应急管理局",
        on=D(2025, 9, 26),
    )
    login(client, clerk)
    for number, kind, words in [
        (a.number, "acceptance", ["受理通知书", "2025年9月26日"]),
        (b.number, "refusal", ["不予受理通知书", "行政复议", "行政诉讼", "青岚市应急管理局"]),
    ]:
        r = client.get(f"/cases/{number}/documents/{kind}.pdf")
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(r.content)).pages)
        compact = text.replace(" ", "").replace("\n", "")
        for word in words:
            assert word in compact
    assert client.get(f"/cases/{a.number}/documents/refusal.pdf").status_code == 404


def test_c22_ledgers_page_and_xlsx(client, clerk, item, django_assert_max_num_queries):
    """C-2.2: a ledger per applicant and per project, on a page and as .xlsx."""
    from openpyxl import load_workbook

    project = services.create_project(
        by=clerk, code="XM-001", name="青岚新材料产业园项目", investor="某投资公司"
    )
    from tests.cases.factories import org_applicant

    applicant = org_applicant(seq=5)
    for _ in range(3):
        receive(clerk, item, applicant=applicant, project=project, on=D(2025, 9, 26))
    login(client, clerk)
    case = Case.objects.first()
    with django_assert_max_num_queries(12):
        r = client.get(f"/cases/ledgers/applicants/{case.applicant_id}/")
    assert r.status_code == 200 and r.content.decode().count(case.item.name) >= 3
    with django_assert_max_num_queries(12):
        r = client.get(f"/cases/ledgers/projects/{project.pk}/")
    assert r.status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get("/cases/ledgers/?q=青岚").status_code == 200
    r = client.get(f"/cases/ledgers/projects/{project.pk}/?format=xlsx")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[1][0] == "办件编号" and len(rows) == 5
    assert rows[2][4] == "青岚新材料产业园项目"


def test_home_panel_lists_open_cases_by_due_date(client, clerk, item):
    receive(clerk, item, on=D(2025, 9, 26))
    body = login(client, clerk).get("/").content.decode()
    assert "待办办件（按期限排序）" in body and item.name in body


def test_public_apply_and_progress_query(client, item):
    """R-18 / R-16: online application with the same checklist, then the progress query."""
    r = client.get(f"/public/cases/apply/{item.code}/")
    assert r.status_code == 200 and "营业执照" in r.content.decode()
    data = {
        "kind": "organisation",
        "name": "青岚示范公司",
        "credit_code": "",
        "phone": "13911112222",
        "material_0": "electronic",
    }
    from tests.cases.factories import org_applicant

    data["credit_code"] = org_applicant(seq=9).credit_code
    # Issue 11 point 5: the phone is confirmed by an SMS code first.
    r = client.post(f"/public/cases/apply/{item.code}/", {**data, "send_code": "1"})
    assert r.status_code == 200 and "验证码已发送" in r.content.decode()
    from zwfw.notifications.codes import latest_code_for_tests

    data["sms_code"] = latest_code_for_tests("13911112222")
    r = client.post(f"/public/cases/apply/{item.code}/", data)
    assert r.status_code == 200
    case = Case.objects.get()
    assert case.channel == "online" and case.received_by is None
    r = client.get("/public/cases/", {"number": case.number, "phone_last4": "2222"})
    assert "已收件" in r.content.decode() and "13911112222" not in r.content.decode()
    r = client.get("/public/cases/", {"number": case.number, "phone_last4": "0000"})
    assert r.status_code == 404 and "未找到该办件" in r.content.decode()


def test_public_notice_page_and_withdrawal(client, clerk, item):
    case = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
    services.send_supplement_notice(case=case, by=clerk, missing=[], on=D(2025, 9, 26))
    r = client.get("/public/cases/", {"number": case.number, "phone_last4": "5678"})
    token = r.context["token"]
    assert "营业执照" in client.get(f"/public/cases/notice/{token}/").content.decode()
    assert client.get("/public/cases/notice/bad-token/").status_code == 404
    # Issue 11 point 4: the withdrawal needs the code texted to the case's phone.
    assert client.post(f"/public/cases/withdraw/{token}/code/").status_code == 200
    from zwfw.notifications.codes import latest_code_for_tests

    code = latest_code_for_tests(case.phone)
    r = client.post(f"/public/cases/withdraw/{token}/", {"reason": "不再办理", "sms_code": code})
    assert r.status_code == 200 and Case.objects.get().status == "withdrawn"
