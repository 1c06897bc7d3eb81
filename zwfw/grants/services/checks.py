"""Checks a grant must pass before it is proposed or given. They read the database, so they
live beside the services; the pure parts are in grants.terms and grants.eligibility."""

import datetime
from collections.abc import Iterable

from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import Role, roles_of
from zwfw.grants import terms
from zwfw.grants.eligibility import GrantRole, check_service_years, clean_powers
from zwfw.grants.models import Grant
from zwfw.grants.selectors import current_section_head
from zwfw.org.models import Department, Person


def check_items(department: Department, final_items: Iterable, preliminary_items: Iterable) -> None:
    """Items belong to the department and are on its chief service officer list (C-2.1, C-4.1);
    one item is either decided finally or reviewed first, never both (C-A2)."""
    final_items, preliminary_items = list(final_items), list(preliminary_items)
    if not final_items and not preliminary_items:
        raise RuleViolation(
            "C-2.1", "须至少授予一项审批服务事项（终审或初审）", field="final_items"
        )
    both = {i.pk for i in final_items} & {i.pk for i in preliminary_items}
    if both:
        names = "、".join(i.name for i in final_items if i.pk in both)
        raise RuleViolation(
            "C-A2", f"同一事项不能既列为终审又列为初审：{names}", field="preliminary_items"
        )
    for field, items in (("final_items", final_items), ("preliminary_items", preliminary_items)):
        for item in items:
            if item.department_id != department.pk:
                raise RuleViolation(
                    "C-2.1",
                    f"事项“{item.name}”不属于{department.name}，只能授予本部门的审批服务事项",
                    field=field,
                )
            if not item.active or item.chief_list_included is not True:
                raise RuleViolation(
                    "C-4.1", f"事项“{item.name}”未纳入本部门首席服务员审批服务事项清单", field=field
                )


def check_grantee(*, role: str, grantee: Person, department: Department, on: datetime.date) -> None:
    """The person is of the department, has 1 year of approval work (N-9) and, for a chief
    representative, is the filed head of the government service section (R-12)."""
    if grantee.department_id != department.pk:
        raise RuleViolation(
            "N-10", f"只能提名本部门（{department.name}）的工作人员", field="grantee"
        )
    if not grantee.active:
        raise RuleViolation("N-10", "该人员已不在职", field="grantee")
    check_service_years(grantee.service_start_date, on)
    if role == GrantRole.CHIEF_REPRESENTATIVE:
        head = current_section_head(department, on)
        if head is None or head.person_id != grantee.pk:
            who = f"（现备案负责人：{head.person.name}）" if head else "（该部门尚未备案）"
            raise RuleViolation(
                "R-12",
                f"首席代表须由经组织人事部门备案的政务服务科科长或主持工作的副科长担任{who}",
                field="grantee",
            )


def check_term(*, role: str, valid_from: datetime.date, valid_to: datetime.date) -> None:
    if valid_to < valid_from:
        raise RuleViolation("invalid", "授权截止日期不能早于起始日期", field="valid_to")
    if role == GrantRole.CHIEF_SERVICE_OFFICER and not terms.term_is_long_enough(
        valid_from, valid_to
    ):
        earliest = terms.add_years(valid_from, terms.MIN_TERM_YEARS) - datetime.timedelta(days=1)
        raise RuleViolation(
            "C-4.3",
            f"首席服务员任期原则上至少2年：自{valid_from:%Y年%m月%d日}起，"
            f"截止日期不得早于{earliest:%Y年%m月%d日}",
            field="valid_to",
        )


def check_coverage(
    *,
    role: str,
    department: Department,
    valid_from: datetime.date,
    valid_to: datetime.date,
    business_domain: str,
    justification: str,
    on: datetime.date,
    exclude: Grant | None = None,
) -> list[Grant]:
    """C-4.3 for one department and role: in principle one holder at a time, a second only for
    a named business domain with a justification; a replacement leaves no gap (不断档).

    Returns the overlapping grants (the caller records who approved the exception).
    """
    others = Grant.objects.filter(department=department, role=role).select_related("grantee")
    if exclude is not None:
        others = others.exclude(pk=exclude.pk)
    # Grants that ended before the decision date cannot overlap or precede without a gap
    # that has already happened; only the current and scheduled ones matter.
    others = [
        g
        for g in others.filter(valid_to__gte=min(on, valid_from) - datetime.timedelta(days=1))
        if g.last_day >= g.valid_from
    ]
    overlapping = [
        g for g in others if terms.overlaps(g.valid_from, g.last_day, valid_from, valid_to)
    ]
    if overlapping:
        _check_second_holder(role, overlapping, business_domain, justification)
    current = [g for g in others if g.last_day >= on and g.valid_from < valid_from]
    if current:
        covered_until = max(g.last_day for g in current)
        gap = terms.continuity_gap(covered_until, valid_from)
        if gap is not None:
            raise RuleViolation(
                "C-4.3",
                f"调整首席服务人员须确保服务不断档：现授权至{covered_until:%Y年%m月%d日}止，"
                f"新授权自{valid_from:%Y年%m月%d日}起，{gap.first:%Y年%m月%d日}至"
                f"{gap.last:%Y年%m月%d日}共{gap.days}天无人授权；新授权最迟应自"
                f"{gap.first:%Y年%m月%d日}起",
                field="valid_from",
            )
    return overlapping


def _check_second_holder(
    role: str, overlapping: list[Grant], business_domain: str, justification: str
) -> None:
    label = GrantRole(role).label
    names = "、".join(f"{g.grantee.name}（{g.valid_from}至{g.last_day}）" for g in overlapping)
    if not business_domain.strip():
        raise RuleViolation(
            "C-4.3",
            f"原则上每个部门只设1名{label}，该期间已有：{names}；"
            "确需增设的，须注明所负责的业务领域",
            field="business_domain",
        )
    if not justification.strip():
        raise RuleViolation(
            "C-4.3", f"原则上每个部门只设1名{label}，增设须说明理由", field="justification"
        )
    same = [
        g
        for g in overlapping
        if g.business_domain.strip() and g.business_domain.strip() == business_domain.strip()
    ]
    if same:
        raise RuleViolation(
            "C-4.3",
            f"业务领域“{business_domain.strip()}”已有{label}："
            f"{same[0].grantee.name}，每个业务领域只设1名",
            field="business_domain",
        )


def check_grant(
    *,
    role: str,
    grantee: Person,
    department: Department,
    final_items: list,
    preliminary_items: list,
    powers: Iterable[str],
    valid_from: datetime.date,
    valid_to: datetime.date,
    business_domain: str,
    justification: str,
    on: datetime.date,
) -> tuple[frozenset[str], list[Grant]]:
    """Every rule a new grant must pass on the decision date `on`."""
    if role not in GrantRole.values:
        raise RuleViolation("invalid", "授权类型须为首席服务员或首席代表", field="role")
    check_term(role=role, valid_from=valid_from, valid_to=valid_to)
    if valid_from < on:
        # Authority is never backdated: cases decided before the decision had none (N-13).
        raise RuleViolation(
            "N-10",
            f"授权起始日期不得早于领导小组研究决定日期（{on:%Y年%m月%d日}）",
            field="valid_from",
        )
    check_items(department, final_items, preliminary_items)
    powers = clean_powers(role, list(powers), bool(final_items), bool(preliminary_items))
    check_grantee(role=role, grantee=grantee, department=department, on=on)
    overlapping = check_coverage(
        role=role,
        department=department,
        valid_from=valid_from,
        valid_to=valid_to,
        business_domain=business_domain,
        justification=justification,
        on=on,
    )
    return powers, overlapping


def leading_group_people(people: Iterable[Person]) -> list[Person]:
    """N-10: only people holding the leading-group role can be recorded as present."""
    people = list(people)
    ids = {p.pk for p in people}
    members = set(
        Person.objects.filter(
            pk__in=ids, user__role_assignments__role=Role.LEADING_GROUP
        ).values_list("pk", flat=True)
    )
    strangers = [p.name for p in people if p.pk not in members]
    if strangers:
        raise RuleViolation(
            "N-10", f"以下人员不是领导小组成员：{'、'.join(strangers)}", field="members_present"
        )
    return people


def decision_members(by, people: Iterable[Person], *, required: bool) -> list[Person]:
    """Members recorded as present; by default the acting member, when they are one (N-10)."""
    people = list(people)
    person = getattr(by, "person", None)
    if not people and person is not None and Role.LEADING_GROUP in roles_of(by):
        people = [person]
    if required and not people:
        raise RuleViolation("N-10", "须记录出席研究的领导小组成员", field="members_present")
    return leading_group_people(people)
