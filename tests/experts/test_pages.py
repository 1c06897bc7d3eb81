"""Staff and public pages, and the documents (申报表, tally sheet, studio report)."""

import datetime
import io

import pytest
from docx import Document
from pypdf import PdfReader

from tests.experts.conftest import at
from tests.experts.test_flow import forwarded, pooled
from tests.factories import staff
from zwfw.experts import services
from zwfw.experts.models import Objection

D = datetime.date


def _docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


def _pdf_text(content: bytes) -> str:
    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_menu_and_index_only_for_expert_roles(client, office, org_user, committee_member):
    from zwfw.experts.selectors import may_open

    outsider = staff(None).user
    assert not may_open(outsider)
    client.force_login(outsider)
    assert client.get("/experts/").status_code == 403
    for user in (office, org_user, committee_member):
        assert may_open(user)
        client.force_login(user)
        assert client.get("/experts/").status_code == 200


def test_pages_render_for_the_office(client, office, nominate, campaign, sectors):
    n = nominate()
    client.force_login(office)
    for url in (
        "/experts/",
        "/experts/nominations/",
        f"/experts/nominations/{n.pk}/",
        "/experts/sectors/",
        "/experts/coverage/",
        "/experts/list/",
        "/experts/campaigns/new/",
        f"/experts/pools/{campaign.pk}/{sectors[0].pk}/",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
    assert "13905330001" not in client.get(f"/experts/nominations/{n.pk}/").content.decode()


def test_E_11_1_coverage_lists_uncovered_sectors(client, office, campaign, sectors):
    client.force_login(office)
    page = client.get("/experts/coverage/").content.decode()
    assert "尚未覆盖的行业领域（1）" in page and sectors[10].name in page


def test_nomination_page_form_E_8_message_beside_field(client, org_user, campaign, sectors):
    client.force_login(org_user)
    data = {
        "sector": sectors[0].pk,
        "talent_type": "technical",
        "name": "冯一鸣",
        "gender": "male",
        "birth_date": "1982-02-02",
        "phone": "13905337777",
        "unit_start_date": "2010-01-01",
        "field_start_date": "2012-01-01",
        "deeds": "事迹" * 100,
        "political": "on",
        "ethics": "on",
        "health": "on",
        "integrity": "on",
    }
    with at(D(2025, 6, 10)):
        r = client.post("/experts/nominations/new/", data)
        assert r.status_code == 200 and "事迹材料不少于500字" in r.content.decode()
        data["deeds"] = "事迹材料" * 130
        r = client.post("/experts/nominations/new/", data)
    assert r.status_code == 302


def test_org_cannot_open_another_orgs_nomination(client, nominate):
    from tests.factories import DepartmentFactory
    from zwfw.experts.models import NominatingOrganisation

    n = nominate()
    other = NominatingOrganisation.objects.create(
        name="青岚大学", kind="university", department=DepartmentFactory()
    )
    user = staff("nominating_org").user
    other.accounts.add(user)
    client.force_login(user)
    assert client.get(f"/experts/nominations/{n.pk}/").status_code == 403
    assert client.get(f"/experts/nominations/{n.pk}/form.pdf").status_code == 403


def test_E_8_application_form_docx_and_pdf_carry_every_field(client, org_user, nominate):
    n = nominate(education="研究生", professional_title="高级工程师", awards="省级劳动模范")
    client.force_login(org_user)
    docx_text = _docx_text(client.get(f"/experts/nominations/{n.pk}/form.docx").content)
    pdf_text = _pdf_text(client.get(f"/experts/nominations/{n.pk}/form.pdf").content)
    for text in (docx_text, pdf_text):
        for expected in (
            "田文博",
            "行政审批",
            "技术技能型",
            "高级工程师",
            "省级劳动模范",
            "云溪县人民政府",
            "13905330001",
            "政治素质",
        ):
            assert expected in text.replace("\n", ""), expected
    assert "服务企业群众" in docx_text


def test_public_notice_objection_form_contact_optional(client, nominate, org_user, _db_rate_store):
    n = nominate()
    with at(D(2025, 6, 11)):
        notice = services.publish_notice(by=org_user, nomination=n, start=D(2025, 6, 11))
    with at(D(2025, 6, 12)):
        assert "田文博" in client.get("/public/experts/notices/").content.decode()
        r = client.post(f"/public/experts/notices/{notice.pk}/", {"text": "反映该同志材料问题"})
        assert r.status_code == 302
    assert Objection.objects.get().contact == ""
    with at(D(2025, 6, 18)):
        page = client.get(f"/public/experts/notices/{notice.pk}/").content.decode()
        assert "公示期已结束" in page


def test_public_schedule_page(client, campaign):
    page = client.get("/public/experts/schedule/").content.decode()
    assert "部署申报" in page and "2025-04-01" in page


@pytest.fixture
def ballot(nominate, org_user, office, campaign, sectors):
    a = forwarded(nominate, org_user)
    b = forwarded(nominate, org_user, name="许清", phone="13905330009", birth_date=D(1983, 1, 1))
    voters = [staff(None, name=f"库员{i}") for i in range(3)]
    pooled(office, campaign, sectors[0], [a, b], voters)
    with at(D(2025, 7, 15)):
        return services.hold_ballot(
            by=office,
            campaign=campaign,
            sector=sectors[0],
            discussion="逐一介绍后讨论",
            votes=[
                {"voter": voters[0].pk, "choices": [a.pk]},
                {"voter": voters[1].pk, "choices": [b.pk]},
                {"voter": voters[2].pk, "choices": [b.pk]},
            ],
        )


def test_E_9_4_tally_sheet_lists_every_named_vote(client, office, ballot):
    client.force_login(office)
    for fmt, read in (("docx", _docx_text), ("pdf", _pdf_text)):
        text = read(client.get(f"/experts/ballots/{ballot.pk}/tally.{fmt}").content)
        for name in ("库员0", "库员1", "库员2", "许清", "田文博", "建议人选", "逐一介绍后讨论"):
            assert name in text, (fmt, name)


def test_E_9_4_ballot_from_the_pool_page(client, office, nominate, org_user, campaign, sectors):
    a = forwarded(nominate, org_user)
    voters = [staff(None, name=f"库员{i}") for i in range(2)]
    pooled(office, campaign, sectors[0], [a], voters)
    client.force_login(office)
    url = f"/experts/pools/{campaign.pk}/{sectors[0].pk}/"
    with at(D(2025, 7, 20)):
        r = client.post(
            url,
            {
                "action": "ballot",
                "discussion": "讨论",
                "seats": "1",
                f"voted_{voters[0].pk}": "1",
                f"vote_{voters[0].pk}": str(a.pk),
                f"voted_{voters[1].pk}": "1",
            },
        )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.status == "proposed"


def test_lists_do_not_query_per_row(client, office, nominate, django_assert_max_num_queries):
    for i in range(6):
        nominate(name=f"候选{i}", phone=f"1390533{i:04d}")
    client.force_login(office)
    with django_assert_max_num_queries(25):
        assert client.get("/experts/nominations/").status_code == 200
