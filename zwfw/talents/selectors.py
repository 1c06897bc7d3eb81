"""Reads of the talents app: who manages a window, coverage gaps (TC-4), the window's
requests by due date (TW-9), filings due (TW-14), a commissioner's home."""

import datetime
from collections import defaultdict

from django.db.models import Prefetch, Q
from django.utils import timezone

from zwfw.core.errors import Forbidden, NotFound
from zwfw.core.permissions import Role, has_role, has_role_anywhere
from zwfw.talents import rules
from zwfw.talents.models import (
    ArchiveFiling,
    Commissioner,
    GreenItemRule,
    HotlineReferral,
    Rating,
    StatusCheck,
    Talent,
    TalentArchive,
    TalentRequest,
    TalentTask,
    TalentWindow,
)
from zwfw.workdays.calendar import add_workdays


def _person(user):
    return getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None


def may_open(user) -> bool:
    """Whether the menu shows this app's section: the check its index page makes."""
    return has_role_anywhere(user, Role.CENTER_ADMIN, Role.COMMISSIONER)


def require_open(user) -> None:
    if not may_open(user):
        raise Forbidden("需要人才服务专员或中心管理员")


def ancestor_ids(window: TalentWindow) -> list[int]:
    ids, current, seen = [], window, set()
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        ids.append(current.pk)
        current = current.parent
    return ids


def manages(user, window: TalentWindow) -> bool:
    """Center admins over the window's center, and active window commissioners of the window
    or a window above it."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or has_role(user, Role.CENTER_ADMIN, center=window.window.center):
        return True
    person = _person(user)
    if person is None:
        return False
    return Commissioner.objects.filter(
        person=person,
        kind=Commissioner.Kind.WINDOW,
        window_id__in=ancestor_ids(window),
        ended_on__isnull=True,
    ).exists()


def commissions_of(user):
    person = _person(user)
    if person is None:
        return Commissioner.objects.none()
    return Commissioner.objects.filter(person=person, ended_on__isnull=True).select_related(
        "window", "talent", "department", "person"
    )


def may_serve(user, talent: Talent) -> bool:
    """TC-16: any active commissioner may check a card when the talent shows it; the window's
    managers too."""
    return manages(user, talent.window) or commissions_of(user).exists()


def window_commissioners(window: TalentWindow) -> list[Commissioner]:
    return list(
        Commissioner.objects.filter(
            window=window, kind=Commissioner.Kind.WINDOW, ended_on__isnull=True
        ).select_related("person")
    )


def window_commissioner_of(user, window: TalentWindow) -> Commissioner | None:
    person = _person(user)
    if person is None:
        return None
    return Commissioner.objects.filter(
        person=person, window=window, kind=Commissioner.Kind.WINDOW, ended_on__isnull=True
    ).first()


def department_commissioner(department) -> Commissioner | None:
    """The department's commissioner who takes tasks: the longest-serving active one."""
    return (
        Commissioner.objects.filter(
            kind=Commissioner.Kind.DEPARTMENT, department=department, ended_on__isnull=True
        )
        .select_related("person")
        .order_by("appointed_on", "id")
        .first()
    )


def visible_windows(user) -> list[TalentWindow]:
    rows = list(TalentWindow.objects.select_related("window__center", "parent").order_by("id"))
    return [w for w in rows if manages(user, w)]


def window_for(user, pk: int) -> TalentWindow:
    window = TalentWindow.objects.select_related("window__center", "parent").filter(pk=pk).first()
    if window is None:
        raise NotFound("未找到该人才服务窗口")
    if not manages(user, window):
        raise Forbidden(f"需要{window.name}的窗口专员或中心管理员")
    return window


def window_by_code(code: str, center: str | None = None) -> TalentWindow:
    qs = TalentWindow.objects.select_related("window__center", "parent").filter(window__number=code)
    if center:
        qs = qs.filter(window__center__code=center)
    rows = list(qs[:2])
    if not rows:
        raise NotFound(f"未找到人才服务窗口“{code}”")
    if len(rows) > 1:
        from zwfw.core.errors import RuleViolation

        raise RuleViolation(
            "invalid", f"多个中心有窗口“{code}”，请用 center 参数指明", field="window"
        )
    return rows[0]


def talent_for(user, pk: int) -> Talent:
    talent = (
        Talent.objects.select_related("window__window__center", "window__parent")
        .filter(pk=pk)
        .first()
    )
    if talent is None:
        raise NotFound("未找到该人才")
    if not (may_serve(user, talent) or manages(user, talent.window)):
        raise Forbidden("需要人才服务专员或中心管理员")
    return talent


def may_read_request(user, request: TalentRequest) -> bool:
    if manages(user, request.window):
        return True
    person = _person(user)
    if person is None:
        return False
    if request.unit_commissioner.person_id == person.pk:
        return True
    return request.tasks.filter(commissioner__person=person).exists()


def request_for(user, pk: int) -> TalentRequest:
    request = (
        TalentRequest.objects.select_related(
            "talent", "window__window__center", "window__parent", "unit_commissioner__person"
        )
        .filter(pk=pk)
        .first()
    )
    if request is None:
        raise NotFound("未找到该申请")
    if not may_read_request(user, request):
        raise Forbidden("您不是该申请的专员")
    return request


def task_for(pk: int) -> TalentTask:
    task = TalentTask.objects.select_related("request__window").filter(pk=pk).first()
    if task is None:
        raise NotFound("未找到该任务")
    return task


def request_detail(request: TalentRequest) -> dict:
    tasks = list(
        request.tasks.select_related("department", "commissioner__person").prefetch_related("items")
    )
    return {
        "tasks": tasks,
        "items": list(request.items.select_related("department")),
        "steps": list(request.steps.select_related("by").order_by("at", "id")),
        "rating": Rating.objects.filter(request=request).first(),
        "referrals": list(request.referrals.select_related("department", "commissioner__person")),
    }


# --- the window home (TW-9, TC-4, TW-14) ------------------------------------------------------


def open_tasks(window: TalentWindow, today: datetime.date) -> list[TalentTask]:
    """TW-9: the window's open tasks by due date, overdue ones flagged (red on the page)."""
    rows = list(
        TalentTask.objects.filter(request__window=window)
        .exclude(status=TalentTask.Status.COMPLETED)
        .select_related("department", "commissioner__person", "request__talent")
        .order_by("due_date", "id")
    )
    for t in rows:
        t.overdue = t.due_date < today
    return rows


def awaiting_dispatch(window: TalentWindow):
    return list(
        TalentRequest.objects.filter(window=window, status=TalentRequest.Status.AWAITING_DISPATCH)
        .select_related("talent", "unit_commissioner__person")
        .prefetch_related("items")
        .order_by("filed_on", "id")
    )


def recent_requests(window: TalentWindow, limit: int = 30):
    return list(
        TalentRequest.objects.filter(window=window)
        .select_related("talent", "unit_commissioner__person")
        .prefetch_related("items")
        .order_by("-filed_on", "-id")[:limit]
    )


def _subtree_center_ids(window: TalentWindow) -> list[int]:
    return window.window.center.descendant_ids()


def coverage(window: TalentWindow) -> list[dict]:
    """TC-4: every gap of the window: a talent without a unit commissioner, a department with
    green-channel items without a department commissioner, an undertaking organisation
    without an undertaking commissioner, a window without a full-time window commissioner."""
    from zwfw.catalog.models import ServiceItem
    from zwfw.org.models import Department

    gaps = []
    active = Q(commissioners__ended_on__isnull=True)
    for t in (
        Talent.objects.filter(window=window)
        .exclude(Q(commissioners__kind="unit") & active)
        .order_by("id")
    ):
        gaps.append(
            {"kind": "unit", "text": f"{t.masked_name}（{t.employer}）没有单位专员", "talent": t}
        )
    covered = set(
        Commissioner.objects.filter(kind="department", ended_on__isnull=True).values_list(
            "department_id", flat=True
        )
    )
    dept_ids = set(
        ServiceItem.objects.filter(
            green_channel=True, active=True, department__center_id__in=_subtree_center_ids(window)
        ).values_list("department_id", flat=True)
    )
    for d in Department.objects.filter(pk__in=dept_ids - covered).order_by("code"):
        gaps.append({"kind": "department", "text": f"{d.name}有绿色通道事项，但没有部门专员"})
    undertakings = set(
        GreenItemRule.objects.filter(item__department_id__in=dept_ids)
        .exclude(undertaking="")
        .values_list("undertaking", flat=True)
    )
    staffed = set(
        Commissioner.objects.filter(kind="undertaking", ended_on__isnull=True).values_list(
            "organisation", flat=True
        )
    )
    for name in sorted(undertakings - staffed):
        gaps.append({"kind": "undertaking", "text": f"承办机构“{name}”没有承办专员"})
    if not Commissioner.objects.filter(
        window=window, kind="window", full_time=True, ended_on__isnull=True
    ).exists():
        gaps.append({"kind": "window", "text": f"{window.name}没有专职窗口专员"})
    return gaps


def filing_periods(window: TalentWindow, today: datetime.date) -> list[dict]:
    """TW-14: the quarters and years that have ended since the window's first archive, with
    their due date and filing; unfiled past the due date is overdue."""
    if window.parent_id is None:
        return []
    first = (
        TalentArchive.objects.filter(window=window)
        .order_by("opened_on")
        .values_list("opened_on", flat=True)
        .first()
    ) or window.created_at.date()
    filed = {(f.year, f.quarter): f for f in ArchiveFiling.objects.filter(window=window)}
    periods = []
    year, quarter = first.year, (first.month - 1) // 3 + 1
    while True:
        end = rules.period_end(year, quarter)
        if end >= today:
            break
        periods.append((year, quarter))
        if quarter == 4:
            periods.append((year, 0))
            year, quarter = year + 1, 1
        else:
            quarter += 1
    rows = []
    for y, q in periods[-12:]:
        due = add_workdays(rules.period_end(y, q), rules.ARCHIVE_FILING_WORKDAYS)
        f = filed.get((y, q))
        if f is not None:
            state = "late" if f.late else "filed"
        else:
            state = "overdue" if today > due else "due"
        rows.append(
            {
                "year": y,
                "quarter": q,
                "label": f"{y}年第{q}季度" if q else f"{y}年度",
                "due_on": due,
                "filing": f,
                "state": state,
            }
        )
    return rows


def reports_received(window: TalentWindow):
    from zwfw.talents.models import ParentReport

    return list(
        ParentReport.objects.filter(to_window=window)
        .select_related("rule__item", "from_window")
        .order_by("-reported_on", "-id")[:30]
    )


def problems_reported(window: TalentWindow):
    """TC-14: status problems reported up from the windows below."""
    return list(
        StatusCheck.objects.filter(reported_up=True, talent__window__parent=window)
        .select_related("talent__window")
        .order_by("-checked_on")[:30]
    )


def commissioners(window: TalentWindow):
    return list(
        Commissioner.objects.filter(window=window)
        .select_related("person", "talent", "department")
        .prefetch_related("filings")
        .order_by("ended_on", "kind", "id")
    )


def talents_of(window: TalentWindow):
    return list(
        Talent.objects.filter(window=window)
        .prefetch_related(
            "cards",
            Prefetch(
                "commissioners",
                queryset=Commissioner.objects.filter(
                    kind="unit", ended_on__isnull=True
                ).select_related("person"),
                to_attr="unit_commissioners",
            ),
        )
        .order_by("id")
    )


def statistics(window: TalentWindow) -> dict:
    """TW-10: ratings and hotline referrals by commissioner and department."""
    from django.db.models import Avg, Count

    ratings = list(
        Rating.objects.filter(request__window=window)
        .values("request__tasks__department__name")
        .annotate(n=Count("id", distinct=True), avg=Avg("value"))
        .order_by("request__tasks__department__name")
    )
    referrals = list(
        HotlineReferral.objects.filter(window=window)
        .values("department__name", "commissioner__person__name")
        .annotate(n=Count("id"))
        .order_by("department__name")
    )
    return {"ratings": ratings, "referrals": referrals}


# --- archives (TW-14) ---------------------------------------------------------------------


def archive_snapshot(window: TalentWindow, year: int, quarter: int) -> list[dict]:
    if quarter:
        start = datetime.date(year, quarter * 3 - 2, 1)
    else:
        start = datetime.date(year, 1, 1)
    end = rules.period_end(year, quarter)
    talents = list(
        Talent.objects.filter(archive__window=window, archive__opened_on__lte=end).order_by("id")
    )
    requests = defaultdict(list)
    for r in (
        TalentRequest.objects.filter(talent__in=talents, filed_on__range=(start, end))
        .prefetch_related("items")
        .select_related("rating")
    ):
        requests[r.talent_id].append(r)
    checks = defaultdict(int)
    for c in StatusCheck.objects.filter(talent__in=talents, checked_on__range=(start, end)):
        checks[c.talent_id] += 1
    rows = []
    for t in talents:
        mine = requests[t.pk]
        ratings = [r.rating.value for r in mine if hasattr(r, "rating")]
        rows.append(
            {
                "talent": t.masked_name,
                "level": t.level,
                "employer": t.employer,
                "requests": len(mine),
                "items": "、".join(i.name for r in mine for i in r.items.all()) or "—",
                "completed": sum(1 for r in mine if r.completed_on),
                "ratings": "、".join(str(v) for v in ratings) or "—",
                "status_checks": checks[t.pk],
                "status": ("在职" if t.employed else "离职")
                + ("、在本市" if t.lives_in_city else "、不在本市"),
            }
        )
    return rows


def talent_archive(talent: Talent) -> dict:
    requests = list(
        talent.requests.prefetch_related("items", "tasks__department").select_related("rating")
    )
    return {
        "requests": requests,
        "cards": list(talent.cards.all()),
        "checks": list(talent.card_checks.select_related("item")[:20]),
        "status_checks": list(talent.status_checks.all()[:20]),
        "unit": Commissioner.objects.filter(talent=talent, kind="unit", ended_on__isnull=True)
        .select_related("person")
        .first(),
    }


# --- the commissioner home ----------------------------------------------------------------


def commissioner_home(user, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    mine = list(commissions_of(user))
    unit_talents = [c.talent for c in mine if c.kind == "unit" and c.talent_id]
    my_tasks = list(
        TalentTask.objects.filter(commissioner__in=[c for c in mine if c.kind == "department"])
        .select_related("request__talent", "department")
        .prefetch_related("items")
        .order_by("status", "due_date", "id")
    )
    for t in my_tasks:
        t.overdue = t.is_overdue(today)
    window_ids = [c.window_id for c in mine if c.kind == "window"]
    dispatch = list(
        TalentRequest.objects.filter(
            window_id__in=window_ids, status=TalentRequest.Status.AWAITING_DISPATCH
        )
        .select_related("talent", "unit_commissioner__person")
        .prefetch_related("items")
    )
    my_requests = list(
        TalentRequest.objects.filter(unit_commissioner__in=[c for c in mine if c.kind == "unit"])
        .select_related("talent")
        .prefetch_related("items")
        .order_by("-filed_on", "-id")[:30]
    )
    return {
        "commissions": mine,
        "talents": unit_talents,
        "unit_commissions": [c for c in mine if c.kind == "unit"],
        "tasks": my_tasks,
        "dispatch": dispatch,
        "requests": my_requests,
        "windows": sorted({c.window_id for c in mine if c.kind == "window"}),
    }


def on_application_items():
    from zwfw.catalog.models import ServiceItem

    return (
        ServiceItem.objects.filter(
            green_channel=True, active=True, green_channel_mode="on_application"
        )
        .select_related("department")
        .order_by("department__code", "code")
    )


def public_items():
    """TW-7: every green-channel item with its published rules (the public page)."""
    from zwfw.catalog.models import ServiceItem

    return list(
        ServiceItem.objects.filter(green_channel=True, active=True)
        .select_related("department", "talent_rule__window")
        .order_by("department__code", "code")
    )


def card_answer(by, talent, item, *, card_number: str = "", on: datetime.date | None = None):
    """TC-16 as a read: whether the talent's card allows the green-channel item on `on`
    (rules.check_cards). Nothing is written: the logged check is services.check_card."""
    from django.utils import timezone

    from zwfw.core.errors import Forbidden
    from zwfw.talents import rules
    from zwfw.talents.models import GreenItemRule

    if not may_serve(by, talent):
        raise Forbidden("需要人才服务专员或中心管理员")
    cards = talent.cards.all()
    if card_number:
        cards = cards.filter(number=card_number.strip())
    rule = GreenItemRule.objects.filter(item=item).first()
    return rules.check_cards(
        cards, item=item, min_level=rule and rule.min_level, on=on or timezone.localdate()
    )
