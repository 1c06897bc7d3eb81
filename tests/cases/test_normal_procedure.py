"""The normal procedure (一般程序; N-4, R-15, N-13): an item no chief officer decides goes
through its guide's handling steps, each recorded by a holder of the step's post in the
department; the last step decides and its post assignment is the authority relied on."""

import datetime
import itertools

import pytest
import time_machine

from tests.cases.factories import FINAL_MATERIALS, grant_for, make_item, officer, receive
from tests.factories import staff
from zwfw.cases import services
from zwfw.cases.models import Case, CaseEvent, CaseStep
from zwfw.catalog import services as catalog_services
from zwfw.catalog.models import ItemVersion
from zwfw.core.errors import Conflict, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.notifications.models import OutboxMessage
from zwfw.org import posts
from zwfw.org.models import PostAssignment

D = datetime.date
pytestmark = pytest.mark.django_db
_seq = itertools.count(1)
STEPS = [
    {"name": "承办", "post": "承办", "days": 5},
    {"name": "审核", "post": "审核", "days": 5},
    {"name": "审批", "post": "审批", "days": 5},
]


def excluded_item(by, department, *, steps=STEPS, included=False):
    """An item left off the chief list for public safety (C-4.1): normal procedure only
    (`included`: listed, but nobody may hold it yet)."""
    n = next(_seq)
    item = catalog_services.create_item(
        by=by,
        department=department,
        data={
            "code": f"N{department.code}-{n:04d}",
            "name": f"爆破作业单位许可{n}",
            "handling_name": "新设",
            "item_type": "license",
            "legal_basis": "《民用爆炸物品安全管理条例》",
            "legal_limit_days": 20,
            "promised_limit_days": 15,
            "chief_list_included": included,
            "exclusion_reason": "" if included else "public_safety",
            "fee": "不收费",
            "conditions": "依法设立的企业",
            "materials": [
                {"name": "申请书", "required": True, "original": True, "copies": 1},
                {"name": "营业执照", "required": True, "original": False, "copies": 1},
            ],
            "steps": steps,
        },
    )
    ItemVersion.objects.filter(item=item).update(effective_from=D(2020, 1, 1))
    item.refresh_from_db()
    return item


def holder(dept_admin, department, post, *, name=None, **kwargs):
    """A window-staff member holding `post` in `department` since 2025-01-01."""
    person = officer(department, name=name or f"{post}人员{next(_seq)}")
    posts.assign_post(by=dept_admin, person=person, post=post, valid_from=D(2025, 1, 1), **kwargs)
    return person.user


@pytest.fixture
def normal_item(dept_admin, department):
    return excluded_item(dept_admin, department)


@pytest.fixture
def handlers(dept_admin, department):
    return {p: holder(dept_admin, department, p) for p in ("承办", "审核", "审批")}


@pytest.fixture
def accepted(clerk, normal_item):
    case = receive(clerk, normal_item, materials=FINAL_MATERIALS, on=D(2025, 9, 26))
    return services.accept_case(case=case, by=clerk, on=D(2025, 9, 26))


def three_steps(case, handlers, *, result="approve", on=None):
    on = on or D(2025, 10, 9)
    case = services.record_step(
        case=case, by=handlers["承办"], step="承办", opinion="材料齐全，拟同意", on=on
    )
    case = services.record_step(
        case=case, by=handlers["审核"], step="审核", opinion="审核通过", result="approve", on=on
    )
    return services.record_step(
        case=case, by=handlers["审批"], step="审批", opinion="同意许可", result=result, on=on
    )


def test_n4_r15_excluded_item_goes_from_intake_to_decision_by_three_steps(accepted, handlers):
    """N-4, R-15, N-13: an excluded item's case is decided through 承办 → 审核 → 审批; the last
    step's person is the deciding person and its post assignment the authority relied on."""
    assert accepted.procedure == "normal"
    assert [s["step"] for s in accepted.step_plan] == ["承办", "审核", "审批"]
    case = three_steps(accepted, handlers)
    assert case.status == "decided" and case.result == "approve"
    approver = handlers["审批"].person
    assert case.decided_by == approver and case.grant is None
    assert case.post_assignment == PostAssignment.objects.get(person=approver, post="审批")
    rows = list(CaseStep.objects.filter(case=case).order_by("position"))
    assert [(r.step, r.by.user, r.on) for r in rows] == [
        ("承办", handlers["承办"], D(2025, 10, 9)),
        ("审核", handlers["审核"], D(2025, 10, 9)),
        ("审批", handlers["审批"], D(2025, 10, 9)),
    ]
    # The clock stops at the decision as for any case (9/28, 9/29, 9/30, 10/9 used of 15).
    assert case.remaining_workdays == 11
    audit = AuditEvent.objects.get(action="decide_case")
    assert audit.after["post_assignment"] == case.post_assignment.pk
    assert audit.after["grant"] is None
    assert OutboxMessage.objects.filter(ref=case.number, kind="decision").exists()
    assert list(
        CaseEvent.objects.filter(case=case).values_list("action", flat=True).order_by("at", "id")
    )[-3:] == ["record_step", "record_step", "decide"]


def test_n4_listed_item_without_officer_follows_its_guide_steps(clerk, dept_admin, department):
    """N-4, R-15: a listed item that no officer holds is decided by the normal procedure,
    through its own guide's steps between acceptance and delivery: 受理 is the acceptance
    and 办结送达 the delivery, so 审查 (审查岗) → 决定 (首席服务员岗) remain."""
    guide = [
        {"name": "受理", "post": "窗口受理岗", "days": 0},
        {"name": "审查", "post": "审查岗", "days": 10},
        {"name": "决定", "post": "首席服务员", "days": 1},
        {"name": "办结送达", "post": "窗口出件岗", "days": 0},
    ]
    item = excluded_item(dept_admin, department, steps=guide, included=True)
    case = receive(clerk, item, on=D(2025, 9, 26))
    case = services.accept_case(case=case, by=clerk, on=D(2025, 9, 26))
    assert case.procedure == "normal"
    assert case.step_plan == [
        {"step": "审查", "post": "审查岗"},
        {"step": "决定", "post": "首席服务员"},
    ]
    first = holder(dept_admin, department, "审查岗")
    last = holder(dept_admin, department, "首席服务员")
    case = services.record_step(
        case=case, by=first, step="审查", opinion="场所不达标", result="deny", on=D(2025, 9, 29)
    )
    case = services.record_step(
        case=case,
        by=last,
        step="决定",
        opinion="不符合条件：场所不达标",
        result="deny",
        on=D(2025, 9, 30),
    )
    assert case.status == "decided" and case.result == "deny"
    assert case.decided_by == last.person and case.decided_on == D(2025, 9, 30)


def test_n13_person_without_the_steps_post_is_refused(accepted, handlers, clerk):
    """N-13: recording a step needs the step's post; the clerk has none, the 审核 holder is
    not 承办, and nothing is written."""
    for by in (clerk, handlers["审核"]):
        with pytest.raises(RuleViolation) as exc:
            services.record_step(case=accepted, by=by, step="承办", opinion="拟同意")
        assert exc.value.code == "N-13" and exc.value.status == 403
        assert "承办" in exc.value.message
    assert not CaseStep.objects.exists()


def test_n13_post_in_another_department_or_ended_gives_no_authority(
    accepted, dept_admin, department, other_department, center_admin
):
    """N-13: a post is held with a department scope and dates, like roles and grants."""
    elsewhere = officer(other_department, name="外部门承办")
    posts.assign_post(
        by=center_admin,
        person=elsewhere,
        post="承办",
        department=other_department,
        valid_from=D(2025, 1, 1),
    )
    ended = holder(dept_admin, department, "承办", valid_to=D(2025, 9, 30))
    for by in (elsewhere.user, ended):
        with pytest.raises(RuleViolation) as exc:
            services.record_step(
                case=accepted, by=by, step="承办", opinion="拟同意", on=D(2025, 10, 9)
            )
        assert exc.value.code == "N-13"


def test_r15_steps_go_in_the_guides_order_and_one_person_records_one(
    accepted, handlers, dept_admin, department
):
    """R-15: the current step only; the last step must decide; the handler does not also
    approve (N-13)."""
    with pytest.raises(RuleViolation) as exc:
        services.record_step(case=accepted, by=handlers["审核"], step="审核", opinion="通过")
    assert exc.value.code == "R-15"
    both = holder(dept_admin, department, "承办")
    posts.assign_post(by=dept_admin, person=both.person, post="审核", valid_from=D(2025, 1, 1))
    case = services.record_step(
        case=accepted, by=both, step="承办", opinion="拟同意", on=D(2025, 10, 9)
    )
    with pytest.raises(RuleViolation) as exc:
        services.record_step(case=case, by=both, step="审核", opinion="通过", on=D(2025, 10, 9))
    assert exc.value.code == "N-13"
    case = services.record_step(
        case=case, by=handlers["审核"], step="审核", opinion="通过", on=D(2025, 10, 9)
    )
    with pytest.raises(RuleViolation) as exc:
        services.record_step(case=case, by=handlers["审批"], step="审批", opinion="同意")
    assert exc.value.code == "N-4" and exc.value.field == "result"


def test_n4_normal_case_is_not_decided_by_decide_and_steps_refused_when_paused(
    accepted, handlers, dept_admin, chief_of
):
    """N-4, L-PAUSE, L-LIMIT: the chief path does not apply; a paused clock refuses steps
    (409) until resumed; the department administrator extends a normal-procedure case."""
    with pytest.raises(RuleViolation) as exc:
        services.decide_case(case=accepted, by=handlers["审批"], result="approve")
    assert exc.value.code == "N-4"
    case = services.pause_case(
        case=accepted,
        by=handlers["承办"],
        reason="site_inspection",
        note="现场踏勘",
        on=D(2025, 9, 29),
    )
    with pytest.raises(Conflict):
        services.record_step(
            case=case, by=handlers["承办"], step="承办", opinion="拟同意", on=D(2025, 9, 30)
        )
    case = services.resume_case(case=case, by=handlers["承办"], on=D(2025, 10, 9))
    case = services.extend_case(
        case=case, by=dept_admin, days=5, reason="需专家论证", on=D(2025, 10, 9)
    )
    case = three_steps(case, handlers, on=D(2025, 10, 10))
    assert case.status == "decided" and case.extension_days == 5


@pytest.fixture
def chief_of(center_admin, department):
    def make(item, **kwargs):
        person = officer(department, name=f"首席{next(_seq)}")
        grant_for(center_admin, department, person, final=[item], **kwargs)
        return person.user

    return make


def test_n4_procedure_is_fixed_at_acceptance_from_the_grants_that_day(
    clerk, dept_admin, department, chief_of, handlers
):
    """N-4: received while nobody held the item, accepted after a grant began → chief; a
    case accepted as normal stays normal when a grant begins later (the officer cannot take
    it over with `decide`)."""
    item = make_item(dept_admin, department, name="旅馆业特种行业许可")
    late = receive(clerk, item, on=D(2025, 9, 26))
    assert late.procedure == "normal"  # at intake no grant covered the item
    early = services.accept_case(
        case=receive(clerk, item, on=D(2025, 9, 26)), by=clerk, on=D(2025, 9, 26)
    )
    assert early.procedure == "normal"
    chief = chief_of(item, valid_from=D(2025, 9, 29), valid_to=D(2027, 12, 31))
    late = services.accept_case(case=late, by=clerk, on=D(2025, 9, 29))
    assert late.procedure == "final"
    with pytest.raises(RuleViolation) as exc:
        services.decide_case(case=early, by=chief, result="approve", on=D(2025, 10, 9))
    assert exc.value.code == "N-4"
    assert Case.objects.get(pk=early.pk).procedure == "normal"


def test_n4_n13_grant_ending_mid_way_moves_the_case_to_the_normal_procedure(
    clerk, dept_admin, department, chief_of, handlers
):
    """The documented rule: authority is read on the day of the act (N-13). A chief case
    whose officer's grant ended is no longer decided by that officer; while nobody holds the
    item it continues by the normal procedure (the change is on the timeline); while another
    officer does, steps are refused (N-4)."""
    item = make_item(dept_admin, department, name="典当业特种行业许可")
    # A two-year term that ends while the case is in handling.
    chief = chief_of(item, valid_from=D(2023, 10, 11), valid_to=D(2025, 10, 10))
    case = receive(clerk, item, on=D(2025, 9, 26))
    case = services.accept_case(case=case, by=clerk, on=D(2025, 9, 26))
    assert case.procedure == "final"
    with pytest.raises(RuleViolation) as exc:
        services.decide_case(case=case, by=chief, result="approve", on=D(2025, 10, 13))
    assert exc.value.code == "N-13"
    last = holder(dept_admin, department, "首席服务员")
    with pytest.raises(RuleViolation) as exc:  # still in force on 10/10: no normal steps
        services.record_step(
            case=case, by=last, step="决定", opinion="同意", result="approve", on=D(2025, 10, 10)
        )
    assert exc.value.code == "N-4"
    assert Case.objects.get(pk=case.pk).procedure == "final"
    # The guide's 受理 → 决定: the one step left decides.
    case = services.record_step(
        case=case, by=last, step="决定", opinion="同意", result="approve", on=D(2025, 10, 13)
    )
    assert case.procedure == "normal" and Case.objects.get(pk=case.pk).procedure == "normal"
    assert CaseEvent.objects.filter(case=case, action="procedure_change").exists()
    assert case.status == "decided" and case.decided_by == last.person and case.grant is None


# --- API ------------------------------------------------------------------------------------


@pytest.fixture
def _day():
    with time_machine.travel(datetime.datetime(2025, 10, 9, 10, 0), tick=False):
        yield


def test_n13_api_steps_decide_and_get_shows_procedure_and_steps(api, accepted, handlers, _day):
    """API.md: POST /cases/{n}/steps records the current step; GET shows `procedure` and
    `steps`; a person without the post gets 403 with code N-13."""
    number = accepted.number
    r = api.login(handlers["审核"]).post(f"/cases/{number}/steps", {"step": "承办", "opinion": "x"})
    assert r.status_code == 403 and r.json()["code"] == "N-13", r.content
    r = api.login(handlers["承办"]).post(
        f"/cases/{number}/steps", {"step": "承办", "opinion": "材料齐全"}
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["procedure"] == "normal" and data["current_step"]["step"] == "审核"
    assert [(s["step"], s["by"], s["opinion"]) for s in data["steps"]] == [
        ("承办", handlers["承办"].person.name, "材料齐全")
    ]
    api.login(handlers["审核"]).post(f"/cases/{number}/steps", {"step": "审核", "opinion": "通过"})
    r = api.login(handlers["审批"]).post(
        f"/cases/{number}/steps", {"step": "审批", "opinion": "同意", "result": "approve"}
    )
    assert r.status_code == 200, r.content
    data = r.json()
    assert data["status"] == "decided" and data["decided_by"] == handlers["审批"].person.name
    assert data["grant"] is None and data["post_assignment"] is not None
    assert data["steps"][-1]["on"] == "2025-10-09" and data["current_step"] is None
    r = api.login(handlers["审批"]).post(f"/cases/{number}/steps", {"step": "审批", "opinion": "x"})
    assert r.status_code == 409


def test_api_procedure_of_a_chief_case_reads_chief(api, clerk, item, chief, _day):
    """API.md: `procedure` is chief|preliminary|normal."""
    case = receive(clerk, item, on=D(2025, 10, 9))
    r = api.login(clerk).get(f"/cases/{case.number}")
    assert r.json()["procedure"] == "chief" and r.json()["steps"] == []


def test_api_people_with_posts(api, dept_admin, department):
    """API.md: POST /api/v1/people `"posts"` gives handling posts in the person's department."""
    r = api.login(dept_admin).post(
        "/people",
        {
            "name": "岗位测试",
            "gender": "female",
            "birth_date": "1988-05-01",
            "phone": "13800001111",
            "department": department.code,
            "unit_start_date": "2015-01-01",
            "posts": ["审核", "审批", "审核"],
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["posts"] == ["审批", "审核"]
    person_id = r.json()["id"]
    assert api.get(f"/people/{person_id}").json()["posts"] == ["审批", "审核"]
    held = PostAssignment.objects.filter(person_id=person_id)
    assert {a.department_id for a in held} == {department.pk}
    assert AuditEvent.objects.filter(action="assign_post").count() == 2
    r = api.post(
        "/people",
        {
            "name": "岗位测试二",
            "gender": "male",
            "birth_date": "1988-05-01",
            "phone": "13800001112",
            "department": department.code,
            "unit_start_date": "2015-01-01",
            "posts": [" "],
        },
    )
    assert r.status_code == 422 and r.json()["field"] == "posts"


def test_n13_post_assigned_only_by_the_departments_admin(dept_admin, other_department):
    """Posts are assigned by an administrator of the department they are held in."""
    stranger = staff("window_staff", department=other_department)
    with pytest.raises(Exception) as exc:
        posts.assign_post(by=dept_admin, person=stranger, post="审批")
    assert getattr(exc.value, "status", None) == 403
    assert not PostAssignment.objects.exists()


# --- staff pages ----------------------------------------------------------------------------


def test_r15_case_page_shows_steps_and_the_form_only_to_the_posts_holder(
    client, accepted, handlers, clerk, _day
):
    """R-15, N-13: the case page lists the steps; the holder of the current step's post gets
    the form (and the 待我办理 panel on the home page), others do not."""
    url = f"/cases/{accepted.number}/"
    client.force_login(clerk)
    page = client.get(url).content.decode()
    assert "办理环节（一般程序）" in page and 'id="form-step"' not in page
    assert 'id="form-decide"' not in page  # decided by the last step, not the chief form
    client.force_login(handlers["承办"])
    assert accepted.number in client.get("/").content.decode()  # 待我办理
    page = client.get(url).content.decode()
    assert 'id="form-step"' in page and "办理“承办”环节" in page
    r = client.post(f"{url}steps/", {"step": "承办", "opinion": "材料齐全，拟同意"})
    assert r.status_code == 302
    assert CaseStep.objects.get(case=accepted).by == handlers["承办"].person
    client.force_login(clerk)
    r = client.post(f"{url}steps/", {"step": "审核", "opinion": "通过"}, follow=True)
    assert "首席服务员管理办法》第十三条" in r.content.decode()
    assert CaseStep.objects.filter(case=accepted).count() == 1
