"""Staff and public pages of grants, via the Django test client: wiring only."""

import datetime

from tests.factories import DepartmentFactory, staff
from tests.grants.factories import candidate, item, make_grant
from zwfw.grants.models import Grant, GrantProposal, SectionHeadFiling

D = datetime.date
PASSWORD = "Zwfw#2026pass"


def login(client, user):
    client.force_login(user)
    return client


def test_grant_list_page_query_count(
    client, center_admin, department, other_department, django_assert_max_num_queries
):
    """The list page does not query per row."""
    make_grant(center_admin, department)
    login(client, center_admin)
    with django_assert_max_num_queries(20) as few:
        assert client.get("/grants/").status_code == 200
    baseline = len(few.captured_queries)
    for n in range(5):
        make_grant(center_admin, other_department, business_domain=f"d{n}", justification="j")
    with django_assert_max_num_queries(baseline):
        r = client.get("/grants/")
    assert r.content.decode().count("/letter") == 0
    assert "授权管理" in r.content.decode()


def test_list_filters(client, center_admin, department, other_department):
    make_grant(center_admin, department, grantee=candidate(department, name="甲某"))
    make_grant(center_admin, other_department, grantee=candidate(other_department, name="乙某"))
    login(client, center_admin)
    page = client.get(f"/grants/?department={department.code}&status=bogus").content.decode()
    assert "甲某" in page and "乙某" not in page


def test_detail_page_shows_downloads_and_decision_forms(client, center_admin, department, lg):
    grant = make_grant(center_admin, department)
    login(client, lg)
    page = client.get(f"/grants/{grant.pk}/").content.decode()
    assert f"/grants/{grant.pk}/letter.docx" in page
    assert f"/grants/{grant.pk}/letter.pdf" in page
    assert "撤销授权" in page and "延续授权" in page


def test_revoke_page_shows_the_rule_beside_the_field(client, center_admin, department, lg):
    """N-12: an empty reason is refused on the page, not with a 500."""
    grant = make_grant(center_admin, department)
    login(client, lg)
    r = client.post(
        f"/grants/{grant.pk}/revoke/", {"revoke-reason": " ", "revoke-decided_on": "2025-06-01"}
    )
    assert r.status_code == 200
    assert "第十二条" in r.content.decode() or "必填" in r.content.decode()
    r = client.post(
        f"/grants/{grant.pk}/revoke/",
        {
            "revoke-reason": "调离",
            "revoke-decided_on": "2025-06-01",
            "revoke-members_present": [lg.person.pk],
        },
    )
    assert r.status_code == 302
    grant.refresh_from_db()
    assert grant.revoked_on == D(2025, 6, 1)


def test_renew_page(client, center_admin, department, lg):
    """N-12: a renewal shorter than two years shows C-4.3 beside the field."""
    grant = make_grant(center_admin, department)
    login(client, lg)
    r = client.post(
        f"/grants/{grant.pk}/renew/",
        {"renew-valid_to": "2027-06-30", "renew-decided_on": "2026-01-05"},
    )
    assert r.status_code == 200
    assert "实施方案》第四部分" in r.content.decode()


def test_propose_and_decide_through_pages(client, dept_admin, lg, department):
    """N-10: a department proposes on a page; the leading group decides on a page."""
    person = candidate(department, name="候选人甲")
    final = item(department, name="特种行业许可")
    login(client, dept_admin)
    page = client.get("/grants/proposals/new/").content.decode()
    assert "候选人甲" in page and "特种行业许可" in page
    today = datetime.date.today()
    r = client.post(
        "/grants/proposals/new/",
        {
            "department_code": department.code,
            "role": "chief_service_officer",
            "grantee": person.pk,
            "final_items": [final.pk],
            "powers": ["decide", "review_and_report", "use_seal", "coordinate"],
            "valid_from": today.isoformat(),
            "valid_to": today.replace(year=today.year + 2).isoformat(),
            "justification": "骨干",
        },
    )
    assert r.status_code == 302, r.content.decode()
    proposal = GrantProposal.objects.get()
    login(client, lg)
    page = client.get(f"/grants/proposals/{proposal.pk}/").content.decode()
    assert "领导小组研究决定" in page
    r = client.post(
        f"/grants/proposals/{proposal.pk}/decision/",
        {
            "result": "approve",
            "decided_on": today.isoformat(),
            "members_present": [lg.person.pk],
            "note": "同意",
        },
    )
    grant = Grant.objects.get()
    assert r.status_code == 302 and r["Location"] == f"/grants/{grant.pk}/"


def test_proposal_refusal_is_shown_beside_the_field(client, dept_admin, department):
    """N-9: the page shows the rule and its message."""
    person = candidate(department, service_start_date=None)
    final = item(department)
    login(client, dept_admin)
    r = client.post(
        "/grants/proposals/new/",
        {
            "department_code": department.code,
            "role": "chief_service_officer",
            "grantee": person.pk,
            "final_items": [final.pk],
            "powers": ["decide"],
            "valid_from": "2099-01-01",
            "valid_to": "2101-01-01",
        },
    )
    assert r.status_code == 200
    assert "首席服务员管理办法》第九条" in r.content.decode()


def test_propose_page_refuses_non_admins(client, clerk):
    login(client, clerk)
    r = client.get("/grants/proposals/new/")
    assert r.status_code == 403
    assert "部门管理员" in r.content.decode()


def test_section_head_page(client, dept_admin, department):
    """R-12: the filing page records the section head."""
    person = candidate(department, name="科长甲")
    login(client, dept_admin)
    assert "科长甲" in client.get("/grants/section-heads/").content.decode()
    r = client.post(
        "/grants/section-heads/",
        {"department_code": department.code, "person": person.pk, "filed_on": "2025-01-01"},
    )
    assert r.status_code == 302
    assert SectionHeadFiling.objects.get().person == person


def test_public_page_masks_phones_and_hides_id_numbers(client, center_admin, department):
    """C-A3: the public list shows name, items and term; the phone masked; no ID number."""
    person = candidate(department, name="陆文博", phone="13712345678")
    person.id_number = "110101199003070034"
    person.save()
    make_grant(
        center_admin,
        department,
        grantee=person,
        final=[item(department, name="保安服务公司设立许可")],
        valid_from=D(2025, 1, 1),
        valid_to=datetime.date.today().replace(year=2099),
    )
    r = client.get("/public/grants/")
    page = r.content.decode()
    assert r.status_code == 200
    assert "陆文博" in page and "保安服务公司设立许可" in page
    assert "137****5678" in page
    assert "13712345678" not in page
    assert "110101199003070034" not in page and "0034" not in page


def test_public_page_query_count(
    client, center_admin, department, other_department, django_assert_max_num_queries
):
    for d in (department, other_department):
        make_grant(center_admin, d, valid_from=D(2025, 1, 1), valid_to=D(2099, 12, 31))
    with django_assert_max_num_queries(4):
        assert client.get("/public/grants/").status_code == 200


def test_committee_pages(client, center_admin, center):
    """N-14: committee, members and meetings are managed on pages."""
    login(client, center_admin)
    r = client.post(
        "/grants/committee/",
        {
            "name": "审批决策委员会",
            "office_name": "委员会办公室",
            "office_location": "",
            "quorum_ratio": "",
            "majority_ratio": "",
        },
    )
    assert r.status_code == 302
    committee_url = r["Location"]
    people = [
        staff("committee_member", department=DepartmentFactory(center=center), center=center)
        for _ in range(3)
    ]
    for person, position in zip(people, ["director", "executive_deputy", "member"], strict=True):
        r = client.post(
            f"{committee_url}members/",
            {"person": person.pk, "position": position, "joined_on": "2025-01-01"},
        )
        assert r.status_code == 302, r.content.decode()
    r = client.post(
        f"{committee_url}members/",
        {"person": people[0].pk, "position": "director", "joined_on": "2025-01-01"},
    )
    assert r.status_code == 200
    r = client.post(f"{committee_url}meetings/", {"title": "第1次会议", "held_on": "2025-03-01"})
    assert r.status_code == 302
    meeting_url = r["Location"]
    from zwfw.grants.models import CommitteeMember

    members = list(CommitteeMember.objects.order_by("id"))
    client.post(f"{meeting_url}agenda/", {"title": "疑难许可议题", "reference": "QL-1"})
    r = client.post(f"{meeting_url}attendance/", {"present": [members[0].pk]})
    assert r.status_code == 302
    page = client.get(meeting_url).content.decode()
    assert "未达到法定人数" in page
    client.post(f"{meeting_url}attendance/", {"present": [members[0].pk, members[1].pk]})
    from zwfw.grants.models import AgendaItem

    agenda = AgendaItem.objects.get()
    r = client.post(
        f"{meeting_url}agenda/{agenda.pk}/decide/",
        {
            f"item{agenda.pk}-vote_{members[0].pk}": "for",
            f"item{agenda.pk}-vote_{members[1].pk}": "for",
            f"item{agenda.pk}-decision_text": "同意",
        },
    )
    assert r.status_code == 302
    agenda.refresh_from_db()
    assert agenda.result == "approved"
    page = client.get(meeting_url).content.decode()
    assert "同意 2 票" in page
