"""The chief service officer list: submission, review and publication (C-4.1, C-4.2, N-4).

A department administrator submits the list to the coordination office, which approves it
(a new published snapshot) or returns it with comments. A change after approval needs a
new submission; the published snapshot stays until the next approval.
"""

import datetime

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from zwfw.catalog import selectors
from zwfw.catalog.models import (
    ChiefList,
    ListCampaign,
    ListStatus,
    ListSubmission,
    PublishedList,
)
from zwfw.core import audit
from zwfw.core.errors import Conflict, RuleViolation
from zwfw.core.permissions import Role, require_role, require_role_anywhere
from zwfw.org.models import Department, ServiceCenter

UNDECIDED_NAMES_SHOWN = 5


def _locked_list(department: Department) -> ChiefList:
    ChiefList.objects.get_or_create(department=department)
    return ChiefList.objects.select_for_update().get(department=department)


def note_list_changed(*, department: Department, by) -> None:
    """Called by item services when a column of 附件1 changes: the list needs resubmitting."""
    chief_list = _locked_list(department)
    was = chief_list.status
    chief_list.changed_since_submission = True
    if was == ListStatus.APPROVED:
        chief_list.status = ListStatus.DRAFT
    chief_list.save(update_fields=["changed_since_submission", "status", "updated_at"])
    if was == ListStatus.APPROVED:
        audit.record(
            actor=by,
            action="reopen_chief_list",
            obj=chief_list,
            before={"status": was},
            after={"status": chief_list.status, "why": "清单内容在审核发布后有修改，须重新报送"},
        )


@transaction.atomic
def submit_list(
    *, by, department: Department, note: str = "", now: datetime.datetime | None = None
) -> ListSubmission:
    """Submit the department's list to the coordination office (C-4.1: no undecided item)."""
    require_role(by, Role.DEPARTMENT_ADMIN, department=department)
    now = now or timezone.now()
    chief_list = _locked_list(department)
    if chief_list.status == ListStatus.SUBMITTED:
        raise Conflict("conflict", "清单已报送，正在等待协调办公室审核")
    if chief_list.status == ListStatus.APPROVED and not chief_list.changed_since_submission:
        raise Conflict("conflict", "清单已审核发布且没有修改，无需重新报送")
    items = selectors.list_items(department)
    undecided = list(
        items.filter(chief_list_included__isnull=True).values_list("name", "handling_name")
    )
    if undecided:
        names = "、".join(f"{n}（{h}）" if h else n for n, h in undecided[:UNDECIDED_NAMES_SHOWN])
        more = f"等{len(undecided)}项" if len(undecided) > UNDECIDED_NAMES_SHOWN else ""
        raise RuleViolation(
            "C-4.1",
            f"还有{len(undecided)}个事项未决定是否纳入清单（{names}{more}），请逐项决定后再报送",
        )
    rows = selectors.list_rows(department)
    if not rows:
        raise RuleViolation("C-4.1", "该部门没有依申请事项，无法报送清单")
    number = (department.list_submissions.aggregate(n=Max("number"))["n"] or 0) + 1
    submission = ListSubmission.objects.create(
        department=department,
        number=number,
        rows=rows,
        submitted_by=by,
        submitted_at=now,
        note=(note or "").strip(),
    )
    before = chief_list.status
    chief_list.status = ListStatus.SUBMITTED
    chief_list.changed_since_submission = False
    chief_list.latest_submission = submission
    chief_list.save()
    audit.record(
        actor=by,
        action="submit_chief_list",
        obj=submission,
        before={"status": before},
        after={"status": chief_list.status, "number": number, "rows": len(rows)},
    )
    return submission


def _pending(department: Department, chief_list: ChiefList) -> ListSubmission:
    submission = chief_list.latest_submission
    if chief_list.status != ListStatus.SUBMITTED or submission is None:
        raise Conflict("conflict", "该部门没有待审核的清单")
    return ListSubmission.objects.select_for_update().get(pk=submission.pk)


@transaction.atomic
def approve_list(
    *, by, department: Department, comment: str = "", now: datetime.datetime | None = None
) -> PublishedList:
    """Approve a submitted list and publish it as a new snapshot (C-4.2)."""
    require_role(by, Role.COORDINATION_OFFICE, department=department)
    now = now or timezone.now()
    chief_list = _locked_list(department)
    submission = _pending(department, chief_list)
    submission.status = ListSubmission.Status.APPROVED
    submission.reviewed_by = by
    submission.reviewed_at = now
    submission.comment = (comment or "").strip()
    submission.save()
    number = (department.published_lists.aggregate(n=Max("number"))["n"] or 0) + 1
    published = PublishedList.objects.create(
        department=department,
        number=number,
        submission=submission,
        rows=submission.rows,
        published_at=now,
        approved_by=by,
    )
    # What was reviewed is what is published; a change made during the review leaves the
    # list in draft so the change is submitted in turn.
    chief_list.status = (
        ListStatus.DRAFT if chief_list.changed_since_submission else ListStatus.APPROVED
    )
    chief_list.save()
    audit.record(
        actor=by,
        action="approve_chief_list",
        obj=submission,
        before={"status": ListStatus.SUBMITTED},
        after={
            "status": chief_list.status,
            "published_number": number,
            "comment": submission.comment,
        },
    )
    return published


@transaction.atomic
def return_list(
    *, by, department: Department, comment: str, now: datetime.datetime | None = None
) -> ListSubmission:
    """Return a submitted list to the department with comments."""
    require_role(by, Role.COORDINATION_OFFICE, department=department)
    comment = (comment or "").strip()
    if not comment:
        raise RuleViolation("invalid", "退回清单须填写审核意见", field="comment")
    now = now or timezone.now()
    chief_list = _locked_list(department)
    submission = _pending(department, chief_list)
    submission.status = ListSubmission.Status.RETURNED
    submission.reviewed_by = by
    submission.reviewed_at = now
    submission.comment = comment
    submission.save()
    chief_list.status = ListStatus.RETURNED
    chief_list.save()
    audit.record(
        actor=by,
        action="return_chief_list",
        obj=submission,
        before={"status": ListStatus.SUBMITTED},
        after={"status": ListStatus.RETURNED, "comment": comment},
    )
    return submission


@transaction.atomic
def set_due_date(*, by, department: Department, due_date: datetime.date | None) -> ChiefList:
    """Set (or clear) one department's submission due date."""
    require_role(by, Role.COORDINATION_OFFICE, department=department)
    chief_list = _locked_list(department)
    before = chief_list.due_date
    chief_list.due_date = due_date
    chief_list.campaign = None
    chief_list.save()
    audit.record(
        actor=by,
        action="set_chief_list_due_date",
        obj=chief_list,
        before={"due_date": before},
        after={"due_date": due_date},
    )
    return chief_list


@transaction.atomic
def create_campaign(
    *,
    by,
    name: str,
    due_date: datetime.date,
    center: ServiceCenter | None = None,
    departments: list[Department] | None = None,
    today: datetime.date | None = None,
) -> ListCampaign:
    """Open a submission round: one due date for the chosen departments (or all in scope)."""
    if center is not None:
        require_role(by, Role.COORDINATION_OFFICE, center=center)
    else:
        # "Every department in my scope": each one is checked below.
        require_role_anywhere(by, Role.COORDINATION_OFFICE)
    name = (name or "").strip()
    if not name:
        raise RuleViolation("invalid", "请填写报送批次名称", field="name")
    today = today or timezone.localdate()
    if due_date < today:
        raise RuleViolation("invalid", "报送截止日期不能早于今天", field="due_date")
    if departments is None:
        departments = list(_departments_in(by, center))
    for department in departments:
        require_role(by, Role.COORDINATION_OFFICE, department=department)
    if not departments:
        raise RuleViolation("invalid", "没有可报送清单的部门", field="departments")
    campaign = ListCampaign.objects.create(
        name=name, due_date=due_date, center=center, created_by=by
    )
    ids = [d.pk for d in departments]
    existing = set(
        ChiefList.objects.filter(department_id__in=ids).values_list("department_id", flat=True)
    )
    ChiefList.objects.bulk_create([ChiefList(department_id=i) for i in ids if i not in existing])
    ChiefList.objects.filter(department_id__in=ids).update(due_date=due_date, campaign=campaign)
    audit.record(
        actor=by,
        action="create_list_campaign",
        obj=campaign,
        after={"name": name, "due_date": due_date, "departments": [d.code for d in departments]},
    )
    return campaign


def _departments_in(user, center: ServiceCenter | None):
    from zwfw.core.permissions import department_scope

    scope = department_scope(user, Role.COORDINATION_OFFICE)
    qs = Department.objects.filter(active=True)
    if scope is not None:
        qs = qs.filter(id__in=scope)
    if center is not None:
        qs = qs.filter(center_id__in=center.descendant_ids())
    return qs.order_by("code")
