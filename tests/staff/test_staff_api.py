"""The API of API.md "Resident staff (seed 002)": paths and fields are a contract."""

import datetime

import pytest
import time_machine

from zwfw.staff.models import MonthlyAssessment

D = datetime.date
pytestmark = pytest.mark.django_db


@time_machine.travel("2025-09-20 10:00 +0800", tick=False)
def test_admission_review_change_approve_flow(
    api, dept_admin, center_admin, department, young, make_person
):
    api.login(dept_admin)
    old = make_person(name="超龄者", birth_date=D(1970, 1, 1))
    r = api.post(
        "/staff/admissions",
        {"person": old.pk, "department": department.code, "start_date": "2025-10-09"},
    )
    assert r.status_code == 422 and r.json()["code"] == "R-6"
    r = api.post(
        "/staff/admissions",
        {"person": young.pk, "department": department.code, "start_date": "2025-10-09"},
        headers={"Idempotency-Key": "adm-1"},
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["status"] == "applied" and body["assignment"] is None
    again = api.post(
        "/staff/admissions",
        {"person": young.pk, "department": department.code, "start_date": "2025-10-09"},
        headers={"Idempotency-Key": "adm-1"},
    )
    assert again.json()["id"] == body["id"]
    r = api.post(
        f"/staff/admissions/{body['id']}/review", {"result": "pass", "hr_reviewer": "组织部"}
    )
    assert r.status_code == 403
    api.login(center_admin)
    r = api.post(
        f"/staff/admissions/{body['id']}/review", {"result": "pass", "hr_reviewer": "组织部 王"}
    )
    assert r.status_code == 200 and r.json()["status"] == "admitted" and r.json()["assignment"]
    assignment = r.json()["assignment"]
    api.login(dept_admin)
    newcomer = make_person(name="新人")
    r = api.post(
        "/staff/changes",
        {
            "assignment": assignment,
            "reason": "调动",
            "new_person": newcomer.pk,
            "letter_no": "示公函〔2025〕9号",
        },
    )
    assert r.status_code == 201, r.content
    change = r.json()
    r = api.post(
        "/staff/admissions",
        {"person": newcomer.pk, "department": department.code, "start_date": "2025-10-20"},
    )
    assert r.status_code == 422 and r.json()["code"] == "R-11"
    assert api.post(f"/staff/changes/{change['id']}/approve").status_code == 403
    api.login(center_admin)
    r = api.post(f"/staff/changes/{change['id']}/approve")
    assert r.status_code == 200 and r.json()["status"] == "approved" and r.json()["reply_no"]
    api.login(dept_admin)
    r = api.post(
        "/staff/admissions",
        {"person": newcomer.pk, "department": department.code, "start_date": "2025-10-20"},
    )
    assert r.status_code == 201


@time_machine.travel("2025-09-25 10:00 +0800", tick=False)
def test_R_19_leave_api_center_approves_department_cannot(api, dept_admin, center_admin, resident):
    api.login(dept_admin)
    r = api.post(
        "/staff/leave",
        {
            "person": resident.person_id,
            "start": "2025-09-29",
            "end": "2025-10-10",
            "kind": "annual",
            "reason": "休假",
        },
    )
    assert r.status_code == 201, r.content
    leave = r.json()
    assert leave["status"] == "pending" and leave["workdays"] == 4
    r = api.post(f"/staff/leave/{leave['id']}/approve", {})
    assert r.status_code == 403 and r.json()["code"] == "R-19"
    api.login(center_admin)
    r = api.post(f"/staff/leave/{leave['id']}/approve")
    assert r.status_code == 200 and r.json()["status"] == "approved"
    r = api.post(
        "/staff/leave",
        {
            "person": resident.person_id,
            "start": "2025-09-29",
            "end": "2025-09-30",
            "kind": "bogus",
            "reason": "x",
        },
    )
    assert r.status_code in (400, 422)


def test_assessments_and_grades_api(api, center_admin, dept_admin, center, department, resident):
    MonthlyAssessment.objects.create(
        person=resident.person,
        center=center,
        department=department,
        month=D(2025, 3, 1),
        score=88,
        parts={"parts": []},
        computed_at=datetime.datetime(2025, 4, 1, tzinfo=datetime.UTC),
    )
    api.login(center_admin)
    r = api.get("/staff/assessments", month="2025-03", center=center.code)
    assert r.status_code == 200 and r.json()["count"] == 1
    assert r.json()["items"][0]["person"] == resident.person_id
    assert api.get("/staff/assessments", month="2025-13").status_code == 422
    r = api.post(
        "/staff/assessments/2025/grades",
        {"center": center.code, "grades": [{"person": resident.person_id, "grade": "excellent"}]},
    )
    assert r.status_code == 422 and r.json()["code"] == "R-22"
    r = api.post("/staff/assessments/2025/grades", {"center": center.code})
    assert r.status_code == 200, r.content
    assert r.json()["quota"] == 0 and r.json()["items"][0]["grade"] == "competent"
    api.login(dept_admin)
    r = api.get("/staff/assessments", month="2025-03")
    assert r.status_code == 200 and r.json()["count"] == 1  # its own department's resident
    assert api.post("/staff/assessments/2025/grades", {"center": center.code}).status_code == 403
