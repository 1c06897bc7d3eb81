"""API of the chief experts (API.md "Chief experts (seed 000)"): paths and fields."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.experts.conftest import DEADLINE, NOMINATION_DAY, at, deeds
from tests.factories import staff
from zwfw.experts.models import Nomination, Objection

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _nomination_body(campaign, **over):
    body = {
        "campaign": campaign.pk,
        "sector": "S01",
        "talent_type": "knowledge",
        "nominee": {
            "name": "闻知远",
            "gender": "female",
            "birth_date": "1978-05-04",
            "phone": "13905331234",
            "unit_start_date": "2008-09-01",
            "field_start_date": "2010-01-01",
        },
        "deeds": deeds(510),
        "attestations": {"political": True, "ethics": True, "health": True, "integrity": True},
    }
    body.update(over)
    return body


def test_api_sectors_and_campaign_contract(api, office, sectors):
    api.login(office)
    r = api.post("/experts/sectors", {"code": "S99", "name": "水利水务"})
    assert r.status_code == 201, r.content
    assert r.json()["code"] == "S99"
    assert api.get("/experts/sectors").json()["count"] == 12
    codes = [s.code for s in sectors[:10]]
    body = {
        "year": 2026,
        "sectors": codes,
        "nomination_deadline": "2026-06-30",
        "schedule": [
            {"stage": "deployment", "start": "2026-04-01", "end": "2026-04-30"},
            {"stage": "ballot", "start": "2026-07-01", "end": "2026-09-30"},
        ],
    }
    r = api.post("/experts/campaigns", body)
    assert r.status_code == 201, r.content
    assert r.json()["id"] and r.json()["year"] == 2026
    r = api.post(
        "/experts/campaigns",
        dict(body, sectors=codes[:9], year=2027, nomination_deadline="2027-06-30"),
    )
    assert r.status_code == 422 and r.json()["code"] == "E-11.1"


def test_api_nomination_fields_and_rule_codes(api, org_user, campaign):
    api.login(org_user)
    with at(NOMINATION_DAY):
        r = api.post("/experts/nominations", _nomination_body(campaign, deeds=deeds(499)))
        assert r.status_code == 422 and r.json()["code"] == "E-8"
        r = api.post(
            "/experts/nominations", _nomination_body(campaign, attestations={"political": True})
        )
        assert r.json()["code"] == "E-6.1"
        r = api.post("/experts/nominations", _nomination_body(campaign))
    assert r.status_code == 201, r.content
    data = r.json()
    assert data["status"] == "nominated" and data["eligible"] is True
    assert data["age_at_deadline"] == 47 and isinstance(data["nominee"], int)


def test_api_self_nomination_refused_E_7(api, org_user, campaign):
    me = org_user.person
    api.login(org_user)
    nominee = {
        "name": me.name,
        "gender": "male",
        "birth_date": str(me.birth_date),
        "phone": "13905331234",
        "unit_start_date": "2008-09-01",
        "field_start_date": "2010-01-01",
    }
    with at(NOMINATION_DAY):
        r = api.post("/experts/nominations", _nomination_body(campaign, nominee=nominee))
    assert r.status_code == 422 and r.json()["code"] == "E-7"


def test_api_person_account_cannot_nominate_E_7(api, campaign):
    api.login(staff(None).user)
    with at(NOMINATION_DAY):
        r = api.post("/experts/nominations", _nomination_body(campaign))
    assert r.status_code == 403


def test_api_attachment_typed_by_content_and_notice_objection_forward(
    api, client, org_user, campaign, _db_rate_store
):
    api.login(org_user)
    with at(NOMINATION_DAY):
        nid = api.post("/experts/nominations", _nomination_body(campaign)).json()["id"]
    url = f"/api/v1/experts/nominations/{nid}/attachments"
    fake = SimpleUploadedFile("证书.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    r = client.post(url, {"file": fake, "kind": "award"}, headers=api.headers)
    assert r.status_code == 422 and r.json()["field"] == "file"
    good = SimpleUploadedFile("证书.pdf", PDF, content_type="application/pdf")
    r = client.post(url, {"file": good, "kind": "award"}, headers=api.headers)
    assert r.status_code == 201, r.content
    with at(D(2025, 9, 26)):
        r = api.post(f"/experts/nominations/{nid}/notice", {"start": "2025-09-26"})
        assert r.status_code == 201 and r.json()["end"] == "2025-10-09"
        notice_id = r.json()["id"]
        anon = client.post(
            f"/api/v1/experts/notices/{notice_id}/objections",
            {"text": "该同志有违规兼职情况"},
            content_type="application/json",
        )
        assert anon.status_code == 201, anon.content
        for _ in range(5):
            last = client.post(
                f"/api/v1/experts/notices/{notice_id}/objections",
                {"text": "重复提交的异议内容", "contact": "13800000000"},
                content_type="application/json",
            )
        assert last.status_code == 429  # rate-limited by address
    with at(D(2025, 10, 10)):
        r = api.post(f"/experts/nominations/{nid}/forward")
        assert r.status_code == 422 and r.json()["code"] == "E-9.2"
        for o in Objection.objects.filter(notice_id=notice_id):
            r = api.post(
                f"/experts/objections/{o.pk}/decide", {"upheld": False, "finding": "经核查不属实"}
            )
            assert r.status_code == 200, r.content
        r = api.post(f"/experts/nominations/{nid}/forward")
    assert r.status_code == 200 and r.json()["status"] == "forwarded"


def test_api_full_flow_ballot_approval_public_list_and_revoke(
    api, client, org_user, office, committee_member, campaign
):
    api.login(org_user)
    ids = []
    with at(NOMINATION_DAY):
        for i, birth in enumerate(["1970-01-01", "1980-01-01"]):
            body = _nomination_body(campaign)
            body["nominee"] = dict(
                body["nominee"], name=f"候选{i}", birth_date=birth, phone=f"1390533{i:04d}"
            )
            ids.append(api.post("/experts/nominations", body).json()["id"])
    with at(D(2025, 6, 11)):
        for nid in ids:
            api.post(f"/experts/nominations/{nid}/notice", {"start": "2025-06-11"})
    with at(D(2025, 6, 18)):
        for nid in ids:
            assert api.post(f"/experts/nominations/{nid}/forward").status_code == 200
    voters = [staff(None, name=f"投票{i}") for i in range(2)]
    api.login(office)
    with at(D(2025, 7, 1)):
        r = api.post(
            "/experts/pools",
            {
                "campaign": campaign.pk,
                "sector": "S01",
                "members": [v.pk for v in voters],
                "nominations": ids,
            },
        )
        assert r.status_code == 201, r.content
    with at(D(2025, 7, 15)):
        r = api.post(
            "/experts/ballots",
            {
                "campaign": campaign.pk,
                "sector": "S01",
                "discussion": "充分讨论",
                "votes": [
                    {"voter": voters[0].pk, "choices": [ids[0]]},
                    {"voter": voters[1].pk, "choices": [ids[1]]},
                ],
            },
        )
    assert r.status_code == 201, r.content
    tally = r.json()["tally"]
    assert [(t["nomination"], t["votes"], t["rank"]) for t in tally] == [
        (ids[1], 1, 1),
        (ids[0], 1, 2),
    ]  # E-9.4: equal votes, the candidate under 50 ranks first
    winner = ids[1]
    with at(D(2025, 9, 26)):
        r = api.post(f"/experts/nominations/{winner}/second-notice", {"start": "2025-09-26"})
        assert r.status_code == 201 and r.json()["end"] == "2025-10-09"
    api.login(committee_member)
    with at(D(2025, 10, 10)):
        r = api.post(
            f"/experts/nominations/{winner}/inspection",
            {
                "date": "2025-10-10",
                "members": [committee_member.person.pk],
                "findings": "考察通过",
                "passed": True,
            },
        )
        assert r.status_code == 201, r.content
    api.login(office)
    with at(D(2025, 10, 13)):
        r = api.post(f"/experts/nominations/{winner}/approve", {})
        assert r.status_code == 201, r.content
        expert = r.json()
        assert expert["term_end"] == "2029-10-12" and expert["studio"]["is_open"]
        listed = api.get("/experts", status="active").json()
        assert listed["count"] == 1
        page = client.get("/public/experts/")
        assert expert["studio"]["name"] in page.content.decode()
        r = api.post(
            f"/experts/{expert['id']}/revoke", {"ground": "fraud", "approved_by": office.person.pk}
        )
        assert r.status_code == 200 and r.json()["status"] == "revoked"
        assert r.json()["studio"]["is_open"] is False
        detail = api.get(f"/experts/{expert['id']}").json()
        assert detail["archive"][0]["kind"] == "revoked"
        page = client.get("/public/experts/").content.decode()
        assert "已取消资格" in page
    assert Nomination.objects.get(pk=winner).status == "approved"
    assert DEADLINE  # the campaign's deadline governs the ages above
