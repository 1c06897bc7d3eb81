"""Issue 11 point 10: the person edit form (with the full phone) renders only for those who
may edit; nobody else sees an unmasked staff phone in any page source."""

import pytest

from tests.factories import staff

pytestmark = pytest.mark.django_db

PHONE = "13712345678"


@pytest.fixture
def colleague(department):
    return staff("window_staff", department=department, phone=PHONE)


@pytest.fixture
def supervisor(center, department):
    return staff("supervisor", department=department, center=center).user


def _pages(client, person):
    return {
        url: client.get(url)
        for url in (
            "/org/people/",
            f"/org/people/{person.pk}/",
            f"/org/people/{person.pk}/edit/",
            "/org/people/new/",
            "/",
        )
    }


@pytest.mark.parametrize("reader", ["clerk", "supervisor"])
def test_point10_non_editor_never_sees_the_full_phone(client, request, colleague, reader):
    """Point 10: as window staff of the same department, or a center-wide supervisor, no page
    source carries the phone; the edit form answers 403 and its link is not shown."""
    client.force_login(request.getfixturevalue(reader))
    pages = _pages(client, colleague)
    for url, r in pages.items():
        assert PHONE not in r.content.decode(), url
    detail = pages[f"/org/people/{colleague.pk}/"]
    assert detail.status_code == 200
    assert "137****5678" in detail.content.decode()
    assert f"/org/people/{colleague.pk}/edit/" not in detail.content.decode()
    assert pages[f"/org/people/{colleague.pk}/edit/"].status_code == 403
    assert pages["/org/people/new/"].status_code == 403
    assert "/org/people/new/" not in pages["/org/people/"].content.decode()


def test_point10_editor_gets_the_form(client, dept_admin, colleague):
    """Point 10: the department's administrator may edit, so the form (with the phone) shows."""
    client.force_login(dept_admin)
    detail = client.get(f"/org/people/{colleague.pk}/").content.decode()
    assert f"/org/people/{colleague.pk}/edit/" in detail
    r = client.get(f"/org/people/{colleague.pk}/edit/")
    assert r.status_code == 200 and PHONE in r.content.decode()


def test_point10_admin_of_another_department_is_refused(client, other_department, colleague):
    """Point 10: a department admin elsewhere does not even find the person."""
    client.force_login(staff("department_admin", department=other_department).user)
    r = client.get(f"/org/people/{colleague.pk}/edit/")
    assert r.status_code in (403, 404) and PHONE not in r.content.decode()
