"""Handling posts on the person page (R-15, N-13): the department's admin gives and ends a
post; others see the posts held but no form, and a forged POST is refused by the service."""

import time_machine

from tests.factories import staff
from zwfw.core.models import AuditEvent
from zwfw.org.models import PostAssignment


def test_r15_admin_gives_and_ends_a_post_on_the_person_page(client, dept_admin, department):
    person = staff("window_staff", department=department)
    client.force_login(dept_admin)
    url = f"/org/people/{person.pk}/"
    assert "登记岗位" in client.get(url).content.decode()
    with time_machine.travel("2026-10-09 10:00:00+08:00", tick=False):
        r = client.post(f"{url}posts/", {"post": "审核", "valid_from": "2026-10-09"})
        assert r.status_code == 302
        held = PostAssignment.objects.get(person=person)
        assert (held.post, held.department, held.valid_to) == ("审核", department, None)
        page = client.get(url).content.decode()
        assert "审核" in page and "今天起终止" in page
        client.post(f"{url}posts/", {"end": held.pk})
    held.refresh_from_db()
    assert str(held.valid_to) == "2026-10-09"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"assign_post", "end_post"} <= actions


def test_n13_only_the_departments_admin_gives_posts(client, department, other_department):
    person = staff("window_staff", department=department)
    clerk = staff("window_staff", department=department).user
    other_admin = staff("department_admin", department=other_department).user
    for user in (clerk, other_admin):
        client.force_login(user)
        page = client.get(f"/org/people/{person.pk}/")
        if page.status_code == 200:
            assert "登记岗位" not in page.content.decode()
        r = client.post(f"/org/people/{person.pk}/posts/", {"post": "审批"})
        assert r.status_code in (403, 404)
    assert not PostAssignment.objects.exists()


def test_r15_blank_post_is_refused_with_a_message(client, dept_admin, department):
    person = staff("window_staff", department=department)
    client.force_login(dept_admin)
    r = client.post(f"/org/people/{person.pk}/posts/", {"post": "  "}, follow=True)
    assert "岗位名称" in r.content.decode()
    assert not PostAssignment.objects.exists()
