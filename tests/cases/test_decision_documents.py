"""Issue 12 point 6: 准予/不予行政许可决定书 (行政许可法第38条) numbered once at the decision per
center and year, with the reasons, the deciding person, the authority relied on (N-13) and
the rights of 行政复议 (60 days) and 行政诉讼 (6 months); the 收件回执 with QR codes of the
progress query and rating (R-16); downloads on the staff page and, only through the signed
token of a progress query, on the public page."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from tests.cases.factories import FINAL_MATERIALS, receive
from zwfw.cases import services
from zwfw.cases.models import DecisionDocument, IntakeReceipt
from zwfw.core.models import AuditEvent

D = datetime.date
pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    return text.replace(" ", "").replace("\n", "")


def decided(clerk, chief, item, *, result="approve", opinion="材料齐全，符合法定条件", on=None):
    on = on or D(2025, 9, 29)
    case = receive(clerk, item, on=D(2025, 9, 26))
    case = services.accept_case(case=case, by=clerk, on=D(2025, 9, 26))
    return services.decide_case(case=case, by=chief, result=result, opinion=opinion, on=on)


def test_point6_n13_approval_document_names_person_reasons_authority_and_appeal_rights(
    client, clerk, chief, item
):
    """N-13 / 行政许可法第38条: the 准予行政许可决定书 opens with pypdf and holds its number, date,
    the reasons, the deciding person, the grant relied on and the appeal rights."""
    case = decided(clerk, chief, item, opinion="申请材料齐全，经审查符合设立条件")
    document = DecisionDocument.objects.get(case=case)
    assert document.kind == "approve" and document.issued_on == D(2025, 9, 29)
    assert document.number == "C370300许决〔2025〕00001号"
    client.force_login(clerk)
    r = client.get(f"/cases/{case.number}/documents/decision.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    text = pdf_text(r.content)
    for word in [
        "准予行政许可决定书",
        "C370300许决〔2025〕00001号",
        "2025年9月29日",
        "申请材料齐全，经审查符合设立条件",
        "陆文博",  # the deciding person
        f"授权编号{case.grant_id}",  # the authority relied on
        "六十日内",
        "行政复议",
        "六个月内",
        "行政诉讼",
    ]:
        assert word in text, word


def test_point6_denial_document_states_the_reasons(client, clerk, chief, item):
    """行政许可法第38条第二款: a 不予行政许可决定书 gives the reasons and the appeal rights."""
    case = decided(clerk, chief, item, result="deny", opinion="经营场所不符合消防安全要求")
    client.force_login(clerk)
    text = pdf_text(client.get(f"/cases/{case.number}/documents/decision.pdf").content)
    for word in [
        "不予行政许可决定书",
        "经营场所不符合消防安全要求",
        "陆文博",
        "行政复议",
        "行政诉讼",
    ]:
        assert word in text, word


def test_point6_numbers_run_per_center_and_year_and_are_kept_once(clerk, chief, item):
    """One sequence per center and year, drawn at the decision and never again."""
    a = decided(clerk, chief, item, on=D(2025, 9, 29))
    b = decided(clerk, chief, item, result="deny", opinion="不符合条件", on=D(2025, 9, 30))
    numbers = [DecisionDocument.objects.get(case=c).number for c in (a, b)]
    assert numbers == ["C370300许决〔2025〕00001号", "C370300许决〔2025〕00002号"]
    assert AuditEvent.objects.filter(action="issue_decision_document").count() == 2
    # Completing (delivery first) keeps the number drawn at the decision.
    from tests.cases.factories import deliver_and_complete

    deliver_and_complete(a, clerk, on=D(2025, 9, 30))
    assert DecisionDocument.objects.get(case=a).number == numbers[0]
    assert DecisionDocument.objects.count() == 2


def test_point6_no_decision_no_document(client, clerk, item):
    case = receive(clerk, item, on=D(2025, 9, 26))
    client.force_login(clerk)
    assert client.get(f"/cases/{case.number}/documents/decision.pdf").status_code == 404


def test_point6_r16_intake_receipt_lists_materials_with_progress_and_rating_qr(client, clerk, item):
    """R-16: the 收件回执 written at intake lists what was handed in and what is missing, and
    prints the progress query address (its QR code) beside the rating QR code."""
    case = receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
    receipt = IntakeReceipt.objects.get(case=case)
    assert receipt.received == [{"name": "申请书", "form": "paper"}]
    assert receipt.missing == ["营业执照"]
    # A later supplement does not change what the receipt says was handed in at intake.
    services.send_supplement_notice(case=case, by=clerk, missing=["营业执照"], on=D(2025, 9, 26))
    services.supplement_case(
        case=case, by=clerk, materials={"营业执照": "paper"}, on=D(2025, 9, 29)
    )
    assert IntakeReceipt.objects.get(case=case).received == [{"name": "申请书", "form": "paper"}]
    client.force_login(clerk)
    r = client.get(f"/cases/{case.number}/documents/receipt.pdf")
    assert r.status_code == 200
    text = pdf_text(r.content)
    for word in ["收件回执", case.number, "申请书", "营业执照", "扫码查询办理进度", "好差评"]:
        assert word in text, word
    assert f"/public/cases/?number={case.number}" in text
    images = [img for page in PdfReader(io.BytesIO(r.content)).pages for img in page.images]
    assert len(images) == 2  # the two QR codes


def test_point6_staff_case_page_links_the_documents(client, clerk, chief, item):
    case = decided(clerk, chief, item)
    client.force_login(clerk)
    body = client.get(f"/cases/{case.number}/").content.decode()
    assert 'id="intake-receipt"' in body and 'id="decision-document"' in body
    assert "C370300许决〔2025〕00001号" in body and 'id="form-delivery"' in body


def test_point6_public_documents_only_through_the_signed_progress_token(client, clerk, chief, item):
    """The public progress page offers the receipt and the decision through the signed token
    of a query that passed its checks; a made-up token is refused."""
    case = decided(clerk, chief, item)
    body = client.get(
        "/public/cases/", {"number": case.number, "phone_last4": "5678"}
    ).content.decode()
    link = re.search(r'href="(/public/cases/documents/[^"]+/decision\.pdf)"', body)
    assert link and "/receipt.pdf" in body
    r = client.get(link.group(1))
    assert r.status_code == 200 and "准予行政许可决定书" in pdf_text(r.content)
    assert client.get(f"/public/cases/documents/{case.number}/decision.pdf").status_code == 404
    wrong = client.get("/public/cases/", {"number": case.number, "phone_last4": "0000"})
    assert "/public/cases/documents/" not in wrong.content.decode()


def test_point6_documents_api(api, clerk, chief, item):
    case = decided(clerk, chief, item)
    data = api.login(clerk).get(f"/cases/{case.number}/documents").json()
    assert data["decision"]["number"] == "C370300许决〔2025〕00001号"
    assert data["decision"]["kind"] == "approve" and data["delivery"] is None
    assert [m["name"] for m in data["receipt"]["received"]] == FINAL_MATERIALS


def test_point5_point6_demo_completed_cases_delivered_with_documents_and_inquiry_log(monkeypatch):
    """Issue 12 points 5, 6: every completed demo case has its delivery and decision document,
    every case its intake receipt; the windows have an inquiry log (R-16, C-2.2)."""
    from zwfw.cases import demo
    from zwfw.cases.models import Case, Delivery, Inquiry
    from zwfw.catalog import demo as catalog_demo
    from zwfw.grants import demo as grants_demo
    from zwfw.org import demo as org_demo

    org_demo.load()
    catalog_demo.load()
    grants_demo.load()
    monkeypatch.setattr(demo, "PER_DEPARTMENT", 12)
    demo.load()
    completed = Case.objects.filter(status="completed")
    assert completed.exists()
    assert not completed.filter(delivery__isnull=True).exists()
    assert not completed.filter(decision_document__isnull=True).exists()
    assert Delivery.objects.filter(method="post").exclude(tracking_number="").exists()
    decided = Case.objects.exclude(result="")
    assert DecisionDocument.objects.count() == decided.count()
    assert IntakeReceipt.objects.count() == Case.objects.count()
    assert Inquiry.objects.count() >= 30
    assert Inquiry.objects.filter(notice_given=True).exists()
    assert Inquiry.objects.exclude(referred_to_window=None).exists()


def test_point6_n13_normal_procedure_document_names_the_post_relied_on(
    client, clerk, dept_admin, department
):
    """N-13: a normal-procedure decision's document names the last step's person and the post
    assignment relied on (no grant), with the reasons and appeal rights."""
    from tests.cases.test_normal_procedure import excluded_item, holder, three_steps

    item = excluded_item(dept_admin, department)
    handlers = {p: holder(dept_admin, department, p) for p in ("承办", "审核", "审批")}
    case = receive(clerk, item, materials=FINAL_MATERIALS, on=D(2025, 9, 26))
    case = services.accept_case(case=case, by=clerk, on=D(2025, 9, 26))
    case = three_steps(case, handlers, result="deny")
    document = DecisionDocument.objects.get(case=case)
    assert document.kind == "deny" and document.issued_on == D(2025, 10, 9)
    client.force_login(clerk)
    text = pdf_text(client.get(f"/cases/{case.number}/documents/decision.pdf").content)
    approver = handlers["审批"].person
    for word in ["不予行政许可决定书", approver.name, "办理岗位：审批", "同意许可", "行政复议"]:
        assert word in text, word


def test_point6_cases_decided_before_documents_existed_are_numbered_by_the_migration(
    client, clerk, chief, item
):
    """The data migration numbers earlier decisions after the numbers already drawn; a case
    taken in before receipts existed still has a receipt (read from its materials)."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("zwfw.cases.migrations.0006_number_earlier_decisions")
    first = decided(clerk, chief, item, on=D(2025, 9, 29))
    older = decided(clerk, chief, item, on=D(2025, 9, 30))
    DecisionDocument.objects.filter(case=older).delete()
    IntakeReceipt.objects.filter(case=older).delete()
    migration.number_earlier_decisions(apps, None)
    assert DecisionDocument.objects.get(case=first).number.endswith("00001号")
    assert DecisionDocument.objects.get(case=older).number == "C370300许决〔2025〕00003号"
    client.force_login(clerk)
    r = client.get(f"/cases/{older.number}/documents/receipt.pdf")
    assert r.status_code == 200 and "营业执照" in pdf_text(r.content)
