"""Joint cases (一事联办, issue 12 point 3): L-LIMIT (45 working days, one extension of at most
15 approved by the lead department), R-18 (shared materials asked and checked once), parts
handled by their own departments, the joint case completing when all parts do."""

import datetime

import pytest
import time_machine

from tests.cases.factories import deliver_and_complete, grant_for, make_item, officer, org_applicant
from tests.factories import staff
from tests.workdays.factories import ADJUSTED_2027, HOLIDAYS_2027, LATE_2026
from zwfw.cases import joint, joint_selectors, services
from zwfw.cases.models import Case
from zwfw.cases.models_joint import JointCase
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.workdays import calendar
from zwfw.workdays import services as workday_services

pytestmark = pytest.mark.django_db
D = datetime.date
PHONE = "13912345678"
ALL = {"申请书": "paper", "营业执照": "paper"}


def frozen(day: D):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(2, 0)), tick=False)


@pytest.fixture
def items(center_admin, department, other_department):
    a = make_item(center_admin, department, name="食品经营许可")
    b = make_item(center_admin, other_department, name="户外广告设置许可")
    return a, b


@pytest.fixture
def theme(center_admin, center, department, items):
    a, b = items
    return joint.create_theme(
        by=center_admin,
        center=center,
        code="T-CANYIN",
        name="开办餐饮店",
        lead_department=department,
        items=[(a, False), (b, True)],
    )


def take(by, items, *, materials=ALL, on):
    return joint.take_in_joint(
        by=by,
        items=[i.code for i in items],
        applicant=org_applicant("青岚小馆餐饮有限公司"),
        phone=PHONE,
        materials=materials,
        title="开办青岚小馆",
        on=on,
    )


def parts(j):
    return list(Case.objects.filter(joint_part__joint=j).order_by("joint_part__position"))


def test_l_limit_joint_case_due_45_workdays_over_national_day_2026(center_admin, theme, items):
    """L-LIMIT: accepted Monday 2026-09-28, 45 working days skip 国庆 10-01..07 and count the
    adjusted Saturday 10-10: due Friday 2026-12-04. Each part keeps its own clock."""
    day = D(2026, 9, 28)
    with frozen(day):
        j = take(center_admin, items, on=day)
        assert j.status == "received" and len(parts(j)) == 2
        j = joint.accept_joint(joint=j, by=center_admin, on=day)
    assert j.status == "accepted" and j.accepted_on == day
    assert j.due_date == D(2026, 12, 4)
    assert calendar.count_workdays(day, j.due_date) == 45
    for case in parts(j):
        assert case.status == "accepted" and case.limit_days == 5
        assert case.due_date == calendar.add_workdays(day, 5)


def test_l_limit_spring_festival_2027_one_extension_of_at_most_15_by_lead(
    platform_admin, center_admin, dept_admin, other_department, theme, items
):
    """L-LIMIT: accepted 2026-12-28, due 2027-03-09 over 元旦 and 春节 2027 (with the adjusted
    Saturday 02-20); an extension over 15 is refused, a non-lead department cannot approve,
    the lead department's admin extends by 15 (2027-03-30), a second extension is refused."""
    workday_services.set_year(
        by=platform_admin,
        year=2027,
        holidays=HOLIDAYS_2027,
        adjusted_workdays=ADJUSTED_2027,
        source="国务院办公厅关于2027年部分节假日安排的通知",
        on=LATE_2026,
    )
    day = D(2026, 12, 28)
    with frozen(day):
        j = joint.accept_joint(joint=take(center_admin, items, on=day), by=center_admin, on=day)
    assert j.due_date == D(2027, 3, 9)
    assert calendar.count_workdays(day, j.due_date) == 45
    on = D(2027, 1, 11)
    with frozen(on):
        with pytest.raises(RuleViolation) as exc:
            joint.extend_joint(joint=j, by=dept_admin, days=16, reason="需现场核查", on=on)
        assert exc.value.code == "L-LIMIT"
        other_admin = staff("department_admin", department=other_department).user
        with pytest.raises(Forbidden) as exc:
            joint.extend_joint(joint=j, by=other_admin, days=5, reason="需现场核查", on=on)
        assert exc.value.code == "L-LIMIT"
        j = joint.extend_joint(joint=j, by=dept_admin, days=15, reason="需现场核查", on=on)
        assert j.due_date == D(2027, 3, 30) and j.extension_days == 15
        with pytest.raises(RuleViolation) as exc:
            joint.extend_joint(joint=j, by=dept_admin, days=1, reason="再次延期", on=on)
        assert exc.value.code == "L-LIMIT" and "一次" in exc.value.message
    assert JointCase.objects.get(pk=j.pk).extension_days == 15
    from zwfw.notifications.models import OutboxMessage

    told = OutboxMessage.objects.filter(ref=j.number, kind="extension").get()
    assert "需现场核查" in told.text and "2027年03月30日" in told.text


def test_r18_shared_materials_asked_and_checked_once(center_admin, theme, items):
    """R-18: the joint checklist lists each material once though both parts need it; one
    one-time notice names the missing licence once, one supplement completes both parts,
    and a material already handed in is not asked again."""
    day = D(2026, 9, 28)
    with frozen(day):
        j = take(center_admin, items, materials={"申请书": "paper"}, on=day)
        rows = joint_selectors.materials_of(joint_selectors.joint_for(center_admin, j.number))
        names = [r["name"] for r in rows]
        assert names == ["申请书", "营业执照", "场地租赁合同"]
        assert {r["name"]: len(r["cases"]) for r in rows}["营业执照"] == 2
        assert all(c.materials.get(name="申请书").status == "received" for c in parts(j))
        with pytest.raises(RuleViolation) as exc:
            joint.accept_joint(joint=j, by=center_admin, on=day)
        assert exc.value.code == "L-ACCEPT"
        j = joint.send_joint_supplement_notice(joint=j, by=center_admin, missing=[], on=day)
        assert j.status == "awaiting_supplement"
        notices = joint_selectors.notices_of(joint_selectors.joint_for(center_admin, j.number))
        assert [n["name"] for n in notices] == ["营业执照"]
        assert all(c.status == "awaiting_supplement" for c in parts(j))
        j = joint.supplement_joint(
            joint=j, by=center_admin, materials={"营业执照": "paper"}, on=day
        )
        assert j.status == "received"
        assert all(c.materials.get(name="营业执照").status == "received" for c in parts(j))
        with pytest.raises(RuleViolation) as exc:
            joint.supplement_joint(joint=j, by=center_admin, materials={"营业执照": ""}, on=day)
        j = joint.accept_joint(joint=j, by=center_admin, on=day)
    assert j.status == "accepted"


def test_parts_decided_by_their_departments_joint_completes_when_all_do(
    center_admin, department, other_department, theme, items
):
    """N-13 per part: each department's chief officer decides its own part only; the joint
    case completes when every part completes and the countersign part carries the lead
    department's opinion (会签)."""
    a, b = items
    chief_a = officer(department, name="陆文博")
    grant_for(center_admin, department, chief_a, final=[a])
    chief_b = officer(other_department, name="韩思远")
    grant_for(center_admin, other_department, chief_b, final=[b])
    day = D(2026, 9, 28)
    with frozen(day):
        j = joint.accept_joint(joint=take(center_admin, items, on=day), by=center_admin, on=day)
    part_a, part_b = parts(j)
    assert part_a.procedure == "final" and part_b.procedure == "final"
    on = D(2026, 9, 30)
    with frozen(on):
        with pytest.raises(RuleViolation):
            services.decide_case(case=part_b, by=chief_a.user, result="approve", on=on)
        for case, chief in ((part_a, chief_a), (part_b, chief_b)):
            case = services.decide_case(
                case=case, by=chief.user, result="approve", opinion="符合条件", on=on
            )
        deliver_and_complete(Case.objects.get(pk=part_a.pk), chief_a.user, on=on)
        assert (
            joint_selectors.view(joint_selectors.joint_for(center_admin, j.number)).status
            == "accepted"
        )
        deliver_and_complete(Case.objects.get(pk=part_b.pk), chief_b.user, on=on)
        v = joint_selectors.view(joint_selectors.joint_for(center_admin, j.number))
        assert v.status == "accepted"  # the countersign part still lacks the lead's opinion
        outsider = staff("window_staff", department=other_department).user
        with pytest.raises(Forbidden):
            joint.countersign_part(
                joint=j, by=outsider, case_number=part_b.number, opinion="同意", on=on
            )
        j = joint.countersign_part(
            joint=j, by=chief_a.user, case_number=part_b.number, opinion="同意设置", on=on
        )
    assert j.status == "completed" and j.completed_on == on
    counts = joint_selectors.counts(center_admin)
    assert counts == {"joint_cases": 1, "parts": 2}


def test_theme_needs_two_departments_and_joint_items_need_a_theme(
    center_admin, center, department, items
):
    """A theme spans items of two or more departments; a joint application needs one."""
    a, _b = items
    other = make_item(center_admin, department)
    with pytest.raises(RuleViolation) as exc:
        joint.create_theme(
            by=center_admin,
            center=center,
            code="T1",
            name="单部门",
            lead_department=department,
            items=[(a, False), (other, False)],
        )
    assert "两个以上部门" in exc.value.message
    with pytest.raises(RuleViolation) as exc:
        take(center_admin, items, on=D(2026, 9, 28))
    assert exc.value.field == "items"


def test_joint_withdraw_withdraws_every_part(center_admin, theme, items):
    day = D(2026, 9, 28)
    with frozen(day):
        j = joint.accept_joint(joint=take(center_admin, items, on=day), by=center_admin, on=day)
        j = joint.withdraw_joint(joint=j, by=center_admin, reason="申请人决定暂缓开店", on=day)
    assert j.status == "withdrawn"
    assert {c.status for c in parts(j)} == {"withdrawn"}


def test_joint_api_create_act_and_public_progress(
    api, client, center_admin, dept_admin, theme, items
):
    """API.md: POST /joint-cases → number, status, due_date, parts; accept; extend refused
    over 15 (L-LIMIT); the public query with a joint number shows every part."""
    a, b = items
    with frozen(D(2026, 9, 28)):
        api.login(center_admin)
        r = api.post(
            "/joint-cases",
            {
                "title": "开办青岚小馆",
                "items": [a.code, b.code],
                "applicant": {
                    "kind": "organisation",
                    "name": "青岚小馆餐饮有限公司",
                    "credit_code": org_applicant().credit_code,
                    "phone": PHONE,
                },
                "channel": "window",
                "materials": ["申请书", {"name": "营业执照", "form": "electronic"}],
            },
        )
        assert r.status_code == 201, r.content
        body = r.json()
        number = body["number"]
        assert body["status"] == "received" and len(body["parts"]) == 2
        assert {p["department"] for p in body["parts"]} == {"D-GA", "D-JT"}
        r = api.post(f"/joint-cases/{number}/accept")
        assert r.status_code == 200 and r.json()["due_date"] == "2026-12-04"
        api.login(dept_admin)  # the lead department approves extensions
        r = api.post(f"/joint-cases/{number}/extend", {"days": 16, "reason": "核查"})
        assert r.status_code == 422 and r.json()["code"] == "L-LIMIT"
        assert api.get(f"/joint-cases/{number}").json()["status"] == "accepted"
        r = client.get(f"/api/v1/public/joint-cases/{number}", {"phone_last4": "0000"})
        assert r.status_code == 404
        r = client.get(f"/api/v1/public/joint-cases/{number}", {"phone_last4": PHONE[-4:]})
        assert r.status_code == 200
        assert [p["case"] for p in r.json()["parts"]] == [p["case"] for p in body["parts"]]


def test_joint_pages_intake_accept_and_single_public_progress(client, center_admin, theme, items):
    """Staff: the theme's intake form (one union checklist, R-18), the joint page and its
    accept action, the list with the statistics rule; the applicant: one progress page
    listing every part (wrong digits answer 404)."""
    a, b = items
    day = D(2026, 9, 28)
    with frozen(day):
        client.force_login(center_admin)
        r = client.get("/joint-cases/new/T-CANYIN/")
        assert r.status_code == 200 and r.content.decode().count('value="营业执照"') == 1
        r = client.post(
            "/joint-cases/new/T-CANYIN/",
            {
                "title": "开办青岚小馆",
                "kind": "organisation",
                "name": "青岚小馆餐饮有限公司",
                "credit_code": org_applicant().credit_code,
                "phone": PHONE,
                "materials": ["申请书", "营业执照"],
            },
        )
        assert r.status_code == 302, r.content.decode()[:2000]
        j = JointCase.objects.get()
        r = client.post(f"/joint-cases/{j.number}/accept/")
        assert r.status_code == 302
        page = client.get(f"/joint-cases/{j.number}/").content.decode()
        assert "已受理" in page and "2026-12-04" in page
        assert all(c.number in page for c in parts(j))
        listing = client.get("/joint-cases/").content.decode()
        assert j.number in listing and "按申请人计1件" in listing and "按部门各计1件" in listing
        client.logout()
        r = client.get("/public/joint/", {"number": j.number, "phone_last4": "0000"})
        assert r.status_code == 404
        r = client.get("/public/joint/", {"number": j.number, "phone_last4": PHONE[-4:]})
        html = r.content.decode()
        assert r.status_code == 200 and a.name in html and b.name in html
        assert "收件回执" in html


def test_demo_two_themes_with_joint_cases_in_several_states(monkeypatch):
    """Demo (issue 12 point 3): two themes; joint cases waiting for corrections, received,
    accepted, extended by the lead department, completed with countersign, withdrawn."""
    from zwfw.cases import demo
    from zwfw.catalog import demo as catalog_demo
    from zwfw.grants import demo as grants_demo
    from zwfw.org import demo as org_demo

    org_demo.load()
    catalog_demo.load()
    grants_demo.load()
    monkeypatch.setattr(demo, "PER_DEPARTMENT", 1)
    summary = demo.load()
    from zwfw.cases.models_joint import Theme

    assert Theme.objects.count() == 2, summary
    shown = {joint_selectors.view(j).status for j in joint_selectors.visible_joint_cases(_su())}
    assert {"awaiting_supplement", "received", "accepted", "completed", "withdrawn"} <= shown, (
        summary
    )
    assert JointCase.objects.filter(extension_days__gt=0).exists()


def _su():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="zhongxin")


def test_joint_public_query_follows_issue_11_guess_limit(
    client, settings, center_admin, theme, items
):
    """Issue 11 rules on a joint number: wrong digits count against it; past the limit even
    the right digits need the SMS code texted to its phone. The case progress page sends a
    joint number to the joint page."""
    from zwfw.notifications.codes import latest_code_for_tests

    settings.CASES_PUBLIC_GUESS_LIMIT = (2, 86400)
    j = take(center_admin, items, on=D(2026, 9, 28))
    r = client.get("/public/cases/", {"number": j.number, "phone_last4": PHONE[-4:]})
    assert r.status_code == 302 and r["Location"].startswith("/public/joint/?")
    for _ in range(2):
        assert (
            client.get(f"/api/v1/public/joint-cases/{j.number}?phone_last4=0000").status_code == 404
        )
    r = client.get(f"/api/v1/public/joint-cases/{j.number}?phone_last4={PHONE[-4:]}")
    assert r.status_code == 429 and r.json()["code"] == "sms_code_required"
    assert client.post(f"/api/v1/public/joint-cases/{j.number}/code").status_code == 202
    code = latest_code_for_tests(PHONE)
    r = client.get(f"/api/v1/public/joint-cases/{j.number}?sms_code={code}")
    assert r.status_code == 200 and len(r.json()["parts"]) == 2


def test_joint_intake_needs_authority_for_every_department(clerk, theme, items):
    """A window clerk of one department cannot take in parts for another department."""
    with pytest.raises(Forbidden):
        take(clerk, items, on=D(2026, 9, 28))
    assert not JointCase.objects.exists() and not Case.objects.exists()


def test_themes_page_center_admin_configures_a_theme(client, center_admin, clerk, items):
    """Themes are configured by the center (items of two departments, lead, countersign)."""
    a, b = items
    client.force_login(clerk)
    assert client.get("/joint-cases/themes/").status_code == 403
    client.force_login(center_admin)
    lead = a.department
    r = client.post(
        "/joint-cases/themes/",
        {
            "code": "T-NEW",
            "name": "开办餐饮店",
            "lead_department": str(lead.pk),
            "items": [str(a.pk), str(b.pk)],
            "countersign": [str(b.pk)],
        },
    )
    assert r.status_code == 302, r.content.decode()[:1500]
    from zwfw.cases.models_joint import Theme

    theme = Theme.objects.get(code="T-NEW")
    assert theme.lead_department == lead
    assert [(row.item, row.countersign) for row in theme.items.all()] == [(a, False), (b, True)]
    assert "开办餐饮店" in client.get("/joint-cases/themes/").content.decode()


def _theme_with_chiefs(center_admin, center, department, other_department, items, *, code):
    """A theme over both items without countersign, and a chief officer holding each part's
    item in its department; returns the officers' accounts in the items' order."""
    a, b = items
    joint.create_theme(
        by=center_admin,
        center=center,
        code=code,
        name="开店",
        lead_department=department,
        items=[(a, False), (b, False)],
    )
    chiefs = []
    for dept, item, name in ((department, a, "陆文博"), (other_department, b, "韩思远")):
        person = officer(dept, name=name)
        grant_for(center_admin, dept, person, final=[item])
        chiefs.append(person.user)
    return chiefs


def test_joint_without_countersign_shows_completed_when_parts_complete(
    api, center_admin, center, department, other_department, items
):
    """The parent completes when all parts do (ARCHITECTURE): computed for pages and lists
    (GET never writes) before any joint write stores it."""
    chiefs = _theme_with_chiefs(
        center_admin, center, department, other_department, items, code="T-2"
    )
    day, on = D(2026, 9, 28), D(2026, 9, 30)
    with frozen(day):
        j = joint.accept_joint(joint=take(center_admin, items, on=day), by=center_admin, on=day)
    with frozen(on):
        for case, chief in zip(parts(j), chiefs, strict=True):
            case = services.decide_case(case=case, by=chief, result="approve", on=on)
            deliver_and_complete(case, chief, on=on)
        assert JointCase.objects.get(pk=j.pk).status == "accepted"  # stored: not yet written
        api.login(center_admin)
        rows = api.get("/joint-cases", status="completed").json()
        assert [r["number"] for r in rows] == [j.number] and rows[0]["completed_on"] == "2026-09-30"
        assert api.get("/joint-cases", status="bogus").status_code == 422
        j = joint.settle_joint(joint=j, on=on)
    assert j.status == "completed" and j.completed_on == on


def test_periodic_task_stores_the_completion_the_parts_reached(
    center_admin, center, department, other_department, items
):
    """The nightly catch-up (not a GET) stores a joint case's completion once its parts close."""
    chiefs = _theme_with_chiefs(
        center_admin, center, department, other_department, items, code="T-3"
    )
    day, on = D(2026, 9, 28), D(2026, 9, 30)
    with frozen(day):
        j = joint.accept_joint(joint=take(center_admin, items, on=day), by=center_admin, on=day)
    with frozen(on):
        assert joint.settle_open_joint_cases(on) == 0  # parts still open
        for case, chief in zip(parts(j), chiefs, strict=True):
            case = services.decide_case(case=case, by=chief, result="approve", on=on)
            deliver_and_complete(case, chief, on=on)
        assert joint.settle_open_joint_cases(on) == 1
    stored = JointCase.objects.get(pk=j.pk)
    assert stored.status == "completed" and stored.completed_on == on


def test_statistics_page_states_how_joint_cases_count(client, center_admin):
    """L-LIMIT joint cases: the statistics page documents the counting (a part once for its
    department, the joint application once for the applicant)."""
    client.force_login(center_admin)
    page = client.get("/cases/summary/").content.decode()
    assert "按所属部门各计1件" in page and "对申请人只计1件" in page


def test_applicant_gets_one_sms_per_joint_step_not_one_per_part(
    center_admin, center, department, other_department, items
):
    """One application, one text (一事联办): receiving, the one-time notice and acceptance each
    text the applicant once for the whole joint case, never once per department's part."""
    from zwfw.notifications.models import OutboxMessage

    a, b = items
    joint.create_theme(
        by=center_admin,
        center=center,
        code="T-4",
        name="开店",
        lead_department=department,
        items=[(a, False), (b, False)],
    )
    day = D(2026, 9, 28)
    with frozen(day):
        j = take(center_admin, items, on=day)
        texts = list(OutboxMessage.objects.values_list("ref", "kind"))
        assert texts == [(j.number, "acceptance")]
        j = joint.accept_joint(joint=j, by=center_admin, on=day)
    texts = list(OutboxMessage.objects.order_by("id").values_list("ref", flat=True))
    assert texts == [j.number, j.number]
