"""Lists of proposals, filings and committees: no query per row."""

import datetime

from tests.grants.factories import ALL_POWERS, candidate, item
from zwfw.grants import services

D = datetime.date


def _propose(dept_admin, department, n):
    for _ in range(n):
        services.propose_grant(
            by=dept_admin,
            department=department,
            role="chief_service_officer",
            grantee=candidate(department),
            final_items=[item(department)],
            preliminary_items=[item(department)],
            powers=ALL_POWERS,
            valid_from=D(2026, 4, 1),
            valid_to=D(2028, 3, 31),
            on=D(2026, 3, 2),
        )


def _count(client_or_api, path, assert_max, **params):
    with assert_max(50) as captured:
        r = client_or_api.get(path, **params) if params else client_or_api.get(path)
    assert r.status_code == 200
    return len(captured.captured_queries)


def test_proposal_lists_do_not_grow_with_rows(
    client, api, dept_admin, department, django_assert_max_num_queries
):
    _propose(dept_admin, department, 1)
    client.force_login(dept_admin)
    api.login(dept_admin)
    page_base = _count(client, "/grants/proposals/", django_assert_max_num_queries)
    api_base = _count(api, "/grants/proposals", django_assert_max_num_queries)
    _propose(dept_admin, department, 4)
    with django_assert_max_num_queries(page_base):
        assert client.get("/grants/proposals/").status_code == 200
    with django_assert_max_num_queries(api_base):
        assert api.get("/grants/proposals").json()["count"] == 5


def test_section_head_page_does_not_grow_with_rows(
    client, dept_admin, department, django_assert_max_num_queries
):
    services.file_section_head(
        by=dept_admin, department=department, person=candidate(department), filed_on=D(2024, 1, 1)
    )
    client.force_login(dept_admin)
    base = _count(client, "/grants/section-heads/", django_assert_max_num_queries)
    for day in (2, 3, 4):
        services.file_section_head(
            by=dept_admin,
            department=department,
            person=candidate(department),
            filed_on=D(2024, 1, day),
        )
    with django_assert_max_num_queries(base):
        assert client.get("/grants/section-heads/").status_code == 200


def test_committee_pages_do_not_grow_with_rows(
    client, center_admin, center, django_assert_max_num_queries
):
    from tests.factories import PersonFactory

    committee = services.create_committee(by=center_admin, center=center)
    services.add_committee_member(
        by=center_admin, committee=committee, person=PersonFactory(), position="director"
    )
    meeting = services.schedule_meeting(
        by=center_admin, committee=committee, title="会议", held_on=D(2025, 1, 1)
    )
    services.add_agenda_item(by=center_admin, meeting=meeting, title="议题")
    client.force_login(center_admin)
    urls = [
        "/grants/committee/",
        f"/grants/committee/{committee.pk}/",
        f"/grants/committee/meetings/{meeting.pk}/",
    ]
    bases = [_count(client, u, django_assert_max_num_queries) for u in urls]
    for _ in range(3):
        services.add_committee_member(
            by=center_admin, committee=committee, person=PersonFactory(), position="member"
        )
    for n in range(3):
        services.schedule_meeting(
            by=center_admin, committee=committee, title=f"会议{n}", held_on=D(2025, 2, 1)
        )
        services.add_agenda_item(by=center_admin, meeting=meeting, title=f"议题{n}")
    for url, base in zip(urls, bases, strict=True):
        with django_assert_max_num_queries(base):
            assert client.get(url).status_code == 200
