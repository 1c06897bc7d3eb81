"""Issue 12 point 4 (R-17) staff pages: the center admin's authorization page, the
comprehensive-window clerk's intake page (the authorized departments' items), and the
agency form of a case."""

import datetime

import pytest

from tests.cases.factories import FINAL_MATERIALS, org_applicant, receive
from zwfw.windows.models import AgencyRecord, ComprehensiveAuthorization, IntakeWindow

D = datetime.date
pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)


def test_point4_r17_center_admin_authorization_page(client, center_admin, window, department, item):
    login(client, center_admin)
    assert "综合窗口" in client.get("/").content.decode()
    r = client.get(f"/windows/{window.pk}/")
    assert r.status_code == 200 and "记录部门授权" in r.content.decode()
    r = client.post(
        f"/windows/{window.pk}/",
        {
            "action": "authorize",
            "department": department.pk,
            "items": [item.pk],
            "approved_on": "2025-08-29",
            "approved_by": center_admin.person.pk,
            "approval_ref": "示政服〔2025〕12号",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    auth = ComprehensiveAuthorization.objects.get()
    assert list(auth.items.all()) == [item] and auth.approval_ref == "示政服〔2025〕12号"
    body = client.get(f"/windows/{window.pk}/").content.decode()
    assert department.name in body and "示政服〔2025〕12号" in body


def test_point4_r17_department_admin_cannot_authorize(client, dept_admin, window, department, item):
    login(client, dept_admin)
    r = client.post(
        f"/windows/{window.pk}/",
        {"action": "authorize", "department": department.pk, "items": [item.pk]},
    )
    assert r.status_code == 403
    assert not ComprehensiveAuthorization.objects.exists()


def test_point4_r17_clerk_intake_page_lists_authorized_items(
    client, zclerk, item, unlisted_item, other_item, window, authorization
):
    login(client, zclerk)
    body = client.get(f"/windows/{window.pk}/intake/").content.decode()
    assert item.name in body and unlisted_item.name not in body and other_item.name not in body
    r = client.get(f"/windows/{window.pk}/intake/{other_item.code}/")
    assert r.status_code == 403
    applicant = org_applicant()
    r = client.post(
        f"/windows/{window.pk}/intake/{item.code}/",
        {
            "kind": "organisation",
            "name": applicant.name,
            "credit_code": applicant.credit_code,
            "phone": "13912345678",
            "channel": "window",
            "material_0": "paper",
            "material_1": "paper",
        },
    )
    assert r.status_code in (200, 302)
    if r.status_code == 200:  # a form error: show it to whoever reads the failure
        raise AssertionError(r.content.decode()[:3000])
    assert IntakeWindow.objects.filter(window=window).count() == 1


def test_point4_r17_agency_page(client, zclerk, item, window, authorization):
    case = receive(zclerk, item, materials=FINAL_MATERIALS, on=D(2025, 9, 26), window=window)
    login(client, zclerk)
    assert client.get(f"/windows/cases/{case.number}/agency/").status_code == 200
    r = client.post(f"/windows/cases/{case.number}/agency/", {"task": "代为跟踪后台办理进度"})
    assert r.status_code == 302
    assert AgencyRecord.objects.get(case=case).agent == zclerk.person
    assert (
        "代为跟踪后台办理进度"
        in client.get(f"/windows/cases/{case.number}/agency/").content.decode()
    )


def test_point4_r17_outsider_gets_403(client, outsider, window):
    login(client, outsider)
    assert client.get("/windows/").status_code == 403
    assert client.get(f"/windows/{window.pk}/intake/").status_code == 403
