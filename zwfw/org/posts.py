"""Handling posts (办理岗位, `Post`; R-15, N-13): who holds 承办, 审核, 审批 … in a department.
A post is held with a department scope, like a role; the normal procedure's steps are
recorded by holders of the step's post (cases.services.steps) and the decision stores the
assignment relied on, as it stores a grant for a chief officer."""

import datetime

from django.db import transaction
from django.utils import timezone

from zwfw.core import audit
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import Role, require_role
from zwfw.core.validators import clean_name
from zwfw.org.models import Department, Person, PostAssignment


def clean_post(name: str) -> str:
    post = clean_name(name or "")  # no invisible or bidi characters, trimmed
    if not post:
        raise RuleViolation("invalid", "岗位名称不能为空", field="posts")
    if len(post) > 100:
        raise RuleViolation("invalid", "岗位名称不能超过100个字符", field="posts")
    return post


def _in_force(on: datetime.date):
    from zwfw.grants.selectors import posts_in_force_q

    return PostAssignment.objects.filter(posts_in_force_q(on))


def posts_held(person: Person, on: datetime.date | None = None) -> list[PostAssignment]:
    on = on or timezone.localdate()
    return list(_in_force(on).filter(person=person).select_related("department"))


@transaction.atomic
def assign_post(
    *,
    by,
    person: Person,
    post: str,
    department: Department | None = None,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> PostAssignment:
    """Give `person` a handling post in `department` (their own by default). A department
    administrator assigns posts in their department, a center administrator in its center."""
    department = department or person.department
    require_role(by, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, department=department)
    post = clean_post(post)
    valid_from = valid_from or timezone.localdate()
    if valid_to is not None and valid_to < valid_from:
        raise RuleViolation("invalid", "岗位终止日期不能早于起始日期", field="valid_to")
    held = _in_force(valid_from).filter(person=person, post=post, department=department).first()
    if held is not None:
        return held  # already held that day: assigning twice changes nothing
    assignment = PostAssignment.objects.create(
        person=person, post=post, department=department, valid_from=valid_from, valid_to=valid_to
    )
    audit.record(
        actor=by,
        action="assign_post",
        obj=assignment,
        after={
            "person": person.pk,
            "post": post,
            "department": department.code,
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
    )
    return assignment


@transaction.atomic
def end_post(*, by, assignment: PostAssignment, last_day: datetime.date) -> PostAssignment:
    """The post is held up to `last_day` included (later steps need another holder)."""
    require_role(by, Role.CENTER_ADMIN, Role.DEPARTMENT_ADMIN, department=assignment.department)
    if last_day < assignment.valid_from:
        raise RuleViolation("invalid", "岗位终止日期不能早于起始日期", field="valid_to")
    before = assignment.valid_to
    assignment.valid_to = last_day
    assignment.save(update_fields=["valid_to"])
    audit.record(
        actor=by,
        action="end_post",
        obj=assignment,
        before={"valid_to": before},
        after={"valid_to": last_day},
    )
    return assignment


@transaction.atomic
def create_person_with_posts(*, by, posts: list[str], **fields) -> Person:
    """POST /api/v1/people with `posts`: the person and their posts in one transaction."""
    from zwfw.org.services import create_person

    cleaned = list(dict.fromkeys(clean_post(p) for p in posts))
    person = create_person(by=by, **fields)
    for post in cleaned:
        assign_post(by=by, person=person, post=post, valid_from=fields.get("today"))
    return person
