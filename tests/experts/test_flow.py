"""Notices, objections, pool, ballot, inspection, approval, studio and revocation
(E-9.2 … E-9.6, E-10, E-11, E-12), with the official calendar across National Day 2025."""

import datetime

import pytest

from tests.experts.conftest import at
from tests.factories import staff
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.experts import rules, selectors, services
from zwfw.experts.models import ChiefExpert, Nomination, Objection, PublicNotice

D = datetime.date
S = Nomination.Status


NOTICE_START = D(2025, 6, 11)


def noticed(nominate, org_user, start=NOTICE_START, **over):
    n = nominate(**over)
    with at(start):
        services.publish_notice(by=org_user, nomination=n, start=start)
    n.refresh_from_db()
    return n


def forwarded(nominate, org_user, **over):
    n = noticed(nominate, org_user, **over)
    with at(D(2025, 6, 18)):
        services.forward(by=org_user, nomination=n)
    n.refresh_from_db()
    return n


@pytest.fixture
def voters(sectors):
    return [staff(None, name=f"库员{i}") for i in range(5)]


def pooled(office, campaign, sector, noms, voters):
    with at(D(2025, 7, 1)):
        services.build_pool(
            by=office, campaign=campaign, sector=sector, members=voters, nominations=noms
        )


def test_E_9_2_notice_runs_five_working_days_across_national_day(db):
    """E-9.2: 2025-09-26 (Fri) + 28 Sep (adjusted Sunday) + 29, 30 Sep + 9 Oct after the
    1–8 October holiday."""
    assert rules.notice_end(D(2025, 9, 26)) == D(2025, 10, 9)
    assert rules.notice_end(D(2025, 6, 11)) == D(2025, 6, 17)
    assert rules.notice_end(D(2025, 10, 4)) == D(2025, 10, 14)  # starts in the holiday


def test_E_9_2_forward_refused_while_the_notice_runs(nominate, org_user):
    n = nominate()
    with at(D(2025, 6, 11)), pytest.raises(RuleViolation) as exc:
        services.forward(by=org_user, nomination=n)  # not yet noticed
    assert exc.value.code == "E-9.2"
    n = noticed(nominate, org_user, name="许清", phone="13905330009")
    notice = n.notices.get()
    assert notice.end == D(2025, 6, 17)
    with at(D(2025, 6, 17)), pytest.raises(RuleViolation) as exc:
        services.forward(by=org_user, nomination=n)
    assert exc.value.code == "E-9.2" and "公示期" in exc.value.message
    with at(D(2025, 6, 18)):
        services.forward(by=org_user, nomination=n)
    n.refresh_from_db()
    assert n.status == S.FORWARDED


def test_E_9_2_objection_stands_until_dismissed_and_upheld_stops_it(nominate, org_user):
    a = noticed(nominate, org_user)
    b = noticed(nominate, org_user, name="许清", phone="13905330009")
    with at(D(2025, 6, 12)):
        oa = services.lodge_objection(notice=a.notices.get(), text="该同志事迹有夸大成分")
        ob = services.lodge_objection(
            notice=b.notices.get(), text="该同志材料不实", contact="13800001111"
        )
    with at(D(2025, 6, 18)), pytest.raises(RuleViolation) as exc:
        services.forward(by=org_user, nomination=a)
    assert exc.value.code == "E-9.2" and "异议" in exc.value.message
    with at(D(2025, 6, 18)):
        services.decide_objection(by=org_user, objection=oa, upheld=False, finding="经核实属实")
        services.forward(by=org_user, nomination=a)
        services.decide_objection(by=org_user, objection=ob, upheld=True, finding="证书不实")
        with pytest.raises(RuleViolation):
            services.forward(by=org_user, nomination=b)
    b.refresh_from_db()
    assert b.status == S.REJECTED
    assert Objection.objects.get(pk=ob.pk).contact == "13800001111"  # stored encrypted


def test_E_9_2_objection_only_while_notice_runs(nominate, org_user):
    n = noticed(nominate, org_user)
    with at(D(2025, 6, 18)), pytest.raises(RuleViolation) as exc:
        services.lodge_objection(notice=n.notices.get(), text="公示期后提出的异议")
    assert exc.value.code == "E-9.2"


def test_E_6_6_over_55_not_forwarded_without_office_approval(nominate, org_user, office):
    n = noticed(nominate, org_user, birth_date=D(1965, 1, 1), just="业务骨干，无可替代")
    with at(D(2025, 6, 18)), pytest.raises(RuleViolation) as exc:
        services.forward(by=org_user, nomination=n)
    assert exc.value.code == "E-6.6"
    services.approve_age(by=office, nomination=n)
    with at(D(2025, 6, 18)):
        services.forward(by=org_user, nomination=n)


def test_E_9_3_pool_takes_only_forwarded_and_falsified_cancels(
    nominate, org_user, office, campaign, sectors, voters
):
    fresh = nominate(name="许清", phone="13905330009")
    with pytest.raises(RuleViolation) as exc:
        pooled(office, campaign, sectors[0], [fresh], voters)
    assert exc.value.code == "E-9.3"
    a = forwarded(nominate, org_user)
    pooled(office, campaign, sectors[0], [a], voters)
    a.refresh_from_db()
    assert a.status == S.POOLED
    services.cancel_for_falsification(by=office, nomination=a, finding="获奖证书系伪造")
    a.refresh_from_db()
    assert a.status == S.CANCELLED and a.cancel_finding == "获奖证书系伪造"


def test_E_9_4_tie_break_under_50_first_then_earlier_nomination(
    nominate, org_user, office, campaign, sectors, voters
):
    old = forwarded(nominate, org_user, birth_date=D(1972, 1, 1))  # 53: nominated first
    young = forwarded(
        nominate, org_user, name="许清", phone="13905330009", birth_date=D(1980, 1, 1)
    )  # 45
    later = forwarded(
        nominate, org_user, name="程远", phone="13905330010", birth_date=D(1971, 1, 1)
    )  # 54, nominated last
    pooled(office, campaign, sectors[0], [old, young, later], voters)
    v = [p.pk for p in voters]
    votes = [
        {"voter": v[0], "choices": [old.pk]},
        {"voter": v[1], "choices": [young.pk]},
        {"voter": v[2], "choices": [later.pk]},
        {"voter": v[3], "choices": [old.pk]},
        {"voter": v[4], "choices": [young.pk]},
    ]
    with at(D(2025, 7, 15)):
        ballot = services.hold_ballot(
            by=office,
            campaign=campaign,
            sector=sectors[0],
            votes=votes,
            discussion="逐一讨论候选人事迹后记名投票",
        )
    tally = list(ballot.results.order_by("rank"))
    assert [(r.nomination_id, r.votes) for r in tally] == [
        (young.pk, 2),
        (old.pk, 2),
        (later.pk, 1),
    ]
    assert "50周岁以下" in tally[1].tie_note
    assert tally[0].proposed and not tally[1].proposed
    young.refresh_from_db()
    old.refresh_from_db()
    assert young.status == S.PROPOSED and old.status == S.NOT_SELECTED


def test_E_9_4_equal_votes_both_over_50_earlier_nomination_first():
    t = datetime.datetime(2025, 6, 1, tzinfo=datetime.UTC)
    ranked = rules.ballot_order(
        [
            {"id": 2, "votes": 3, "under_50": False, "created_at": t + datetime.timedelta(hours=1)},
            {"id": 1, "votes": 3, "under_50": False, "created_at": t},
            {"id": 3, "votes": 3, "under_50": True, "created_at": t + datetime.timedelta(hours=2)},
        ]
    )
    assert [c["id"] for c in ranked] == [3, 1, 2]
    assert ranked[2]["tie_note"] == "同票：推荐在先者优先"


def test_E_9_4_named_votes_only_from_pool_members_in_q3(
    nominate, org_user, office, campaign, sectors, voters
):
    a = forwarded(nominate, org_user)
    pooled(office, campaign, sectors[0], [a], voters[:2])
    stranger = staff(None)
    with at(D(2025, 7, 15)), pytest.raises(RuleViolation) as exc:
        services.hold_ballot(
            by=office,
            campaign=campaign,
            sector=sectors[0],
            votes=[{"voter": stranger.pk, "choices": [a.pk]}],
        )
    assert exc.value.code == "E-9.4"
    with at(D(2025, 10, 15)), pytest.raises(RuleViolation) as exc:
        services.hold_ballot(
            by=office,
            campaign=campaign,
            sector=sectors[0],
            votes=[{"voter": voters[0].pk, "choices": [a.pk]}],
        )
    assert exc.value.code == "E-9.4"  # Q4: too late


@pytest.fixture
def proposed(nominate, org_user, office, campaign, sectors, voters):
    a = forwarded(nominate, org_user)
    pooled(office, campaign, sectors[0], [a], voters)
    with at(D(2025, 7, 15)):
        services.hold_ballot(
            by=office,
            campaign=campaign,
            sector=sectors[0],
            votes=[{"voter": p.pk, "choices": [a.pk]} for p in voters],
        )
    a.refresh_from_db()
    assert a.status == S.PROPOSED
    return a


def test_E_9_5_second_notice_then_committee_inspects(proposed, office, committee_member, org_user):
    with at(D(2025, 9, 26)):
        notice = services.publish_second_notice(
            by=office, nomination=proposed, start=D(2025, 9, 26)
        )
    assert notice.kind == PublicNotice.Kind.PROPOSED and notice.end == D(2025, 10, 9)
    member = committee_member.person
    with at(D(2025, 10, 9)), pytest.raises(RuleViolation) as exc:
        services.record_inspection(
            by=committee_member,
            nomination=proposed,
            date=D(2025, 10, 9),
            members=[member],
            findings="考察良好",
            passed=True,
        )
    assert exc.value.code == "E-9.5"
    with at(D(2025, 10, 10)), pytest.raises(Forbidden):
        services.record_inspection(
            by=office,
            nomination=proposed,
            date=D(2025, 10, 10),
            members=[member],
            findings="考察良好",
            passed=True,
        )
    with at(D(2025, 10, 10)):
        services.record_inspection(
            by=committee_member,
            nomination=proposed,
            date=D(2025, 10, 10),
            members=[member],
            findings="实地考察工作业绩突出",
            passed=True,
        )
    proposed.refresh_from_db()
    assert proposed.status == S.INSPECTED


@pytest.fixture
def expert(proposed, office, committee_member):
    with at(D(2025, 9, 26)):
        services.publish_second_notice(by=office, nomination=proposed, start=D(2025, 9, 26))
    with at(D(2025, 10, 10)):
        services.record_inspection(
            by=committee_member,
            nomination=proposed,
            date=D(2025, 10, 10),
            members=[committee_member.person],
            findings="实地考察工作业绩突出",
            passed=True,
        )
    with at(D(2025, 10, 13)):
        return services.approve(by=office, nomination=proposed)


def test_E_9_6_approval_opens_studio_and_E_11_1_four_year_term(expert):
    assert expert.approved_on == D(2025, 10, 13)
    assert expert.term_end == D(2029, 10, 12)
    assert expert.studio.is_open and expert.studio.opened_on == D(2025, 10, 13)
    assert expert.nomination.status == S.APPROVED


def test_E_9_6_approval_refused_before_inspection(proposed, office):
    with at(D(2025, 9, 26)):
        services.publish_second_notice(by=office, nomination=proposed, start=D(2025, 9, 26))
    with at(D(2025, 10, 13)), pytest.raises(RuleViolation) as exc:
        services.approve(by=office, nomination=proposed)
    assert exc.value.code == "E-9.6"


def test_E_10_studio_logs_by_kind_with_served_masked(expert, committee_member):
    with at(D(2025, 11, 3)):
        log = services.log_work(
            by=committee_member,
            studio=expert.studio,
            date=D(2025, 11, 3),
            kind="land",
            served_type="person",
            served_name="王小明",
            summary="指导用地预审材料",
        )
        with pytest.raises(RuleViolation) as exc:
            services.log_work(
                by=committee_member,
                studio=expert.studio,
                date=D(2025, 11, 3),
                kind="sport",
                served_type="person",
                served_name="王小明",
                summary="x",
            )
        assert exc.value.code == "E-10"
        services.add_mentoring(
            by=committee_member,
            studio=expert.studio,
            trainee="周学员",
            trainee_unit="审批局",
            start=D(2025, 11, 1),
            outcome="独立办理",
        )
    assert log.masked_served == "王**"
    assert expert.studio.mentorings.count() == 1


def test_E_12_revocation_needs_ground_and_office_approver_and_closes_studio(
    expert, office, committee_member
):
    other = staff(None)
    with at(D(2026, 3, 2)):
        with pytest.raises(RuleViolation) as exc:
            services.revoke(
                by=committee_member, expert=expert, ground="dislike", approved_by=office.person
            )
        assert exc.value.code == "E-12"
        with pytest.raises(RuleViolation) as exc:
            services.revoke(by=committee_member, expert=expert, ground="refusal", approved_by=other)
        assert exc.value.code == "E-12" and exc.value.field == "approved_by"
        services.revoke(
            by=committee_member,
            expert=expert,
            ground="refusal",
            approved_by=office.person,
            reason="连续半年拒不参加会商",
        )
    expert.refresh_from_db()
    assert expert.status == ChiefExpert.Status.REVOKED and expert.revoke_ground == "refusal"
    assert expert.studio.closed_on == D(2026, 3, 2)
    with at(D(2026, 3, 2)):
        public = selectors.public_experts()
    assert public["revoked"] == [expert] and public["by_sector"] == []
    assert AuditEvent.objects.filter(action="experts.revoke").exists()


def test_E_11_2_change_reports_have_effects(expert, org_user):
    """E-11.2: change reports (job change, discipline, retirement, leaving, death) by the
    employer, each with its effect on the title and the studio."""
    with at(D(2026, 1, 5)):
        services.report_change(
            by=org_user,
            expert=expert,
            kind="job_change",
            date=D(2026, 1, 4),
            description="调任市行政审批服务局",
        )
        services.report_change(
            by=org_user,
            expert=expert,
            kind="retirement",
            date=D(2026, 1, 5),
            description="到龄退休",
        )
    expert.refresh_from_db()
    assert expert.term_end == D(2026, 1, 5)
    assert expert.studio.closed_on == D(2026, 1, 5)
    assert expert.changes.count() == 2


def test_E_11_1_expiring_titles_on_the_office_home_panel(expert, office, org_user):
    from zwfw.experts.apps import expiring_panel

    with at(D(2029, 7, 13)):
        assert expiring_panel(office) is None  # 91 days ahead
    with at(D(2029, 7, 14)):  # 2029-07-14 + 90 days = 2029-10-12
        panel = expiring_panel(office)
        assert panel and "2029-10-12" in panel.rows[0]["text"]
        assert expiring_panel(org_user) is None


def test_E_11_3_agreement_filed_as_pdf_and_served_to_office_only(
    expert, committee_member, office, org_user, client
):
    """E-11.3: the committee's agreement with the expert is filed (PDF) and served only to
    the office and that sector's committee."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    pdf = b"%PDF-1.4\n%%EOF\n"
    with at(D(2025, 10, 20)):
        with pytest.raises(RuleViolation):
            services.file_agreement(
                by=committee_member,
                expert=expert,
                signed_on=D(2025, 10, 20),
                upload=SimpleUploadedFile("协议.png", b"\x89PNG\r\n\x1a\n0000"),
            )
        a = services.file_agreement(
            by=committee_member,
            expert=expert,
            signed_on=D(2025, 10, 20),
            upload=SimpleUploadedFile("协议.pdf", pdf),
        )
    url = f"/experts/list/{expert.pk}/agreements/{a.pk}/"
    client.force_login(org_user)
    assert client.get(url).status_code == 403
    client.force_login(office)
    r = client.get(url)
    assert r.status_code == 200 and b"".join(r.streaming_content) == pdf


def test_E_11_4_studio_evaluation_report_docx_and_pdf(expert, office, committee_member, client):
    """E-11.4: a studio evaluation produces its report (docx and PDF)."""
    from tests.experts.test_pages import _docx_text, _pdf_text

    with at(D(2025, 12, 1)):
        services.log_work(
            by=committee_member,
            studio=expert.studio,
            date=D(2025, 11, 3),
            kind="funding",
            served_type="enterprise",
            served_name="青岚精工机械有限公司",
            summary="资金申报辅导",
        )
        services.add_mentoring(
            by=committee_member,
            studio=expert.studio,
            trainee="周学员",
            trainee_unit="审批局",
            start=D(2025, 11, 1),
        )
        with pytest.raises(Forbidden):
            services.evaluate_studio(
                by=committee_member, studio=expert.studio, year=2025, grade="good", findings="良好"
            )
        services.evaluate_studio(
            by=office,
            studio=expert.studio,
            year=2025,
            grade="excellent",
            findings="服务企业成效突出",
        )
    client.force_login(office)
    for fmt, read in (("docx", _docx_text), ("pdf", _pdf_text)):
        text = read(client.get(f"/experts/list/{expert.pk}/report-2025.{fmt}").content)
        for expected in ("优秀", "服务企业成效突出", "资金", "周学员", "田文博"):
            assert expected in text, (fmt, expected)


def test_E_4_and_E_7_office_sets_committees_and_organisations(api, office, sectors):
    """E-4, E-7: the office sets each sector's committee members and creates nominating
    organisations of the five kinds."""
    from zwfw.experts.models import NominatingOrganisation

    member = staff("industry_committee", name="郑委员")
    account = staff("nominating_org", name="胡账号").user
    api.login(office)
    r = api.post(f"/experts/sectors/{sectors[1].code}/committee", {"members": [member.pk]})
    assert r.status_code == 200 and r.json()["members"] == [member.pk]
    r = api.post(
        "/experts/organisations",
        {"name": "青岚市建筑业协会", "kind": "association", "accounts": [account.username]},
    )
    assert r.status_code == 201, r.content
    org = NominatingOrganisation.objects.get(name="青岚市建筑业协会")
    assert org.department.name == "青岚市建筑业协会" and list(org.accounts.all()) == [account]
    r = api.post("/experts/organisations", {"name": "某个人工作室", "kind": "person"})
    assert r.status_code == 422 and r.json()["code"] == "E-7"
    assert api.get("/experts/organisations").json()["count"] == 1
