"""The chief service officer list: submission, review, publication, due dates (C-4.1, C-4.2)."""

import datetime

import pytest

from tests.catalog.factories import make_item
from zwfw.catalog import selectors, services
from zwfw.catalog.models import ChiefList, ListStatus, PublishedList
from zwfw.catalog.panels import due_level
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def _status(department):
    return ChiefList.objects.get(department=department).status


def test_submission_refused_while_items_undecided_c41(dept_admin, department):
    """C-4.1: every on-application item is decided before the list can be submitted."""
    make_item(dept_admin, department, name="甲事项", chief_list_included=True)
    make_item(dept_admin, department, name="乙事项", chief_list_included=None)
    with pytest.raises(RuleViolation) as exc:
        services.submit_list(by=dept_admin, department=department)
    assert exc.value.code == "C-4.1" and "乙事项" in exc.value.message
    # Items that are not on application or no longer active do not block the list.
    make_item(dept_admin, department, on_application=False, chief_list_included=None)
    services.update_item(
        by=dept_admin,
        item=selectors.visible_items(dept_admin).get(name="乙事项"),
        changes={"active": False},
        reason="事项取消",
    )
    assert services.submit_list(by=dept_admin, department=department).number == 1


def test_inclusion_rate_against_target_c41(dept_admin, department):
    """C-4.1: the list page shows the inclusion rate against the 100% target."""
    make_item(dept_admin, department, chief_list_included=True)
    make_item(dept_admin, department, chief_list_included=True)
    make_item(
        dept_admin,
        department,
        chief_list_included=False,
        exclusion_reason="public_safety",
        exclusion_note="涉及重大公共安全",
    )
    make_item(dept_admin, department, chief_list_included=None)
    summary = selectors.list_summary(department)
    assert (summary["total"], summary["included"], summary["excluded"], summary["undecided"]) == (
        4,
        2,
        1,
        1,
    )
    assert summary["rate"] == 50.0 and summary["target"] == 100


def test_full_cycle_submit_return_resubmit_approve_publish_c42(dept_admin, department, coordinator):
    """C-4.2: only an approved list is published, as a new snapshot, with every step audited."""
    item = make_item(dept_admin, department, chief_list_included=True)
    services.submit_list(by=dept_admin, department=department, note="请审核")
    assert _status(department) == ListStatus.SUBMITTED
    with pytest.raises(RuleViolation):
        services.submit_list(by=dept_admin, department=department)
    with pytest.raises(RuleViolation) as exc:
        services.return_list(by=coordinator, department=department, comment="")
    assert exc.value.field == "comment"
    services.return_list(by=coordinator, department=department, comment="请补充未纳入说明")
    assert _status(department) == ListStatus.RETURNED
    assert not PublishedList.objects.exists()
    services.submit_list(by=dept_admin, department=department)
    published = services.approve_list(by=coordinator, department=department, comment="同意")
    assert _status(department) == ListStatus.APPROVED
    assert published.number == 1 and published.rows[0]["code"] == item.code
    actions = list(
        AuditEvent.objects.filter(action__contains="chief_list").values_list("action", flat=True)
    )
    assert actions == [
        "submit_chief_list",
        "return_chief_list",
        "submit_chief_list",
        "approve_chief_list",
    ]


def test_edit_after_approval_needs_new_submission_c42(dept_admin, department, coordinator):
    """C-4.2: a change to an approved list reopens it; the published snapshot stays until the
    next approval, which publishes version 2."""
    item = make_item(dept_admin, department, chief_list_included=True)
    services.submit_list(by=dept_admin, department=department)
    services.approve_list(by=coordinator, department=department)
    with pytest.raises(RuleViolation):  # nothing changed: nothing to submit
        services.submit_list(by=dept_admin, department=department)
    services.decide_inclusion(
        by=dept_admin,
        item=item,
        included=False,
        exclusion_reason="life_property",
        exclusion_note="关系生命安全",
    )
    assert _status(department) == ListStatus.DRAFT
    assert selectors.published_list(department).rows[0]["chief_list_included"] is True
    services.submit_list(by=dept_admin, department=department)
    published = services.approve_list(by=coordinator, department=department)
    assert published.number == 2 and published.rows[0]["chief_list_included"] is False
    assert selectors.published_list(department, 1).rows[0]["chief_list_included"] is True


def test_guide_only_change_keeps_the_list_approved(dept_admin, department, coordinator):
    item = make_item(dept_admin, department, chief_list_included=True)
    services.submit_list(by=dept_admin, department=department)
    services.approve_list(by=coordinator, department=department)
    services.update_item(
        by=dept_admin, item=item, changes={"fee": "按国家规定收取工本费"}, reason="收费依据更新"
    )
    assert _status(department) == ListStatus.APPROVED


def test_change_during_review_leaves_list_in_draft_after_approval(
    dept_admin, department, coordinator
):
    item = make_item(dept_admin, department, chief_list_included=True)
    services.submit_list(by=dept_admin, department=department)
    services.update_item(by=dept_admin, item=item, changes={"name": "改名"}, reason="更名")
    published = services.approve_list(by=coordinator, department=department)
    assert published.rows[0]["name"] != "改名"  # what was reviewed is what is published
    assert _status(department) == ListStatus.DRAFT


def test_review_permissions(dept_admin, department, coordinator, center_admin):
    make_item(dept_admin, department, chief_list_included=True)
    with pytest.raises(Forbidden):
        services.submit_list(by=coordinator, department=department)
    services.submit_list(by=dept_admin, department=department)
    with pytest.raises(Forbidden):
        services.approve_list(by=dept_admin, department=department)
    with pytest.raises(Forbidden):
        services.approve_list(by=center_admin, department=department)
    services.approve_list(by=coordinator, department=department)
    with pytest.raises(RuleViolation):  # nothing left to review
        services.approve_list(by=coordinator, department=department)


def test_due_dates_per_department_and_campaign(
    coordinator, department, other_department, dept_admin, center
):
    services.set_due_date(
        by=coordinator, department=department, due_date=datetime.date(2026, 6, 30)
    )
    assert selectors.list_summary(department)["due_date"] == datetime.date(2026, 6, 30)
    with pytest.raises(Forbidden):
        services.set_due_date(by=dept_admin, department=department, due_date=None)
    campaign = services.create_campaign(
        by=coordinator,
        name="2026年度报送",
        due_date=datetime.date(2026, 7, 15),
        center=center,
        today=datetime.date(2026, 7, 1),
    )
    for d in (department, other_department):
        state = ChiefList.objects.get(department=d)
        assert state.due_date == datetime.date(2026, 7, 15) and state.campaign == campaign
    with pytest.raises(RuleViolation):
        services.create_campaign(
            by=coordinator,
            name="过期",
            due_date=datetime.date(2026, 6, 1),
            center=center,
            today=datetime.date(2026, 7, 1),
        )
    assert AuditEvent.objects.filter(action="create_list_campaign").count() == 1


def test_due_level():
    today = datetime.date(2026, 7, 10)
    assert due_level(datetime.date(2026, 7, 9), ListStatus.DRAFT, today) == "red"
    assert due_level(datetime.date(2026, 7, 12), ListStatus.RETURNED, today) == "yellow"
    assert due_level(datetime.date(2026, 9, 1), ListStatus.DRAFT, today) == "green"
    assert due_level(datetime.date(2026, 7, 9), ListStatus.SUBMITTED, today) is None


def test_list_pages_submit_and_review(client, dept_admin, department, coordinator):
    make_item(dept_admin, department, chief_list_included=None, name="待定事项")
    client.force_login(dept_admin)
    r = client.post(f"/catalog/lists/{department.code}/submit/", {"note": ""})
    assert r.status_code == 422 and "实施方案》第四部分" in r.content.decode()
    item = selectors.visible_items(dept_admin).get()
    r = client.post(
        f"/catalog/items/{item.code}/inclusion/",
        {"included": "no", "exclusion_reason": "", "exclusion_note": ""},
    )
    assert r.status_code == 200 and "实施方案》第四部分" in r.content.decode()
    client.post(f"/catalog/items/{item.code}/inclusion/", {"included": "yes"})
    r = client.post(f"/catalog/lists/{department.code}/submit/", {"note": "请审核"})
    assert r.status_code == 302
    client.force_login(coordinator)
    r = client.post(
        f"/catalog/lists/{department.code}/review/", {"decision": "return", "comment": ""}
    )
    assert r.status_code == 422
    r = client.post(f"/catalog/lists/{department.code}/review/", {"decision": "approve"})
    assert r.status_code == 302
    r = client.get(f"/public/catalog/lists/{department.code}/")
    assert r.status_code == 200 and "待定事项" in r.content.decode()
