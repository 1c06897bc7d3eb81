"""Unrated services (NATIONAL.md, Guangdong practice): a completed case nobody rated gets one
SMS invitation after 3 natural days and a default 基本满意, marked as default, after 7.

Both are bounded queries: completion dates in a short window, never a walk over all cases.
(An index on cases' completion date is asked of the cases app in the report.)"""

import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef

from zwfw.core import audit
from zwfw.evaluations import conf, links
from zwfw.evaluations.models import (
    Evaluation,
    EvaluationChannel,
    Level,
    RatingInvitation,
)
from zwfw.evaluations.services.base import moment
from zwfw.evaluations.services.ratings import _record

# A task that was down for a while still catches up, but only this far back.
CATCH_UP_DAYS = 31
BATCH = 500


def _completed(start: datetime.date, end: datetime.date):
    from zwfw.cases.models import Case
    from zwfw.cases.states import CaseState

    return (
        Case.objects.filter(status=CaseState.COMPLETED, completed_on__range=(start, end))
        .exclude(Exists(Evaluation.objects.filter(case=OuterRef("pk"))))
        .order_by("completed_on", "id")
    )


def invitation_text(case) -> str:
    link = links.case_url(case.number, EvaluationChannel.SMS)
    return (
        f"【{case.center.name}】您申请的“{case.item.name}”（办件编号{case.number}）已办结，"
        f"欢迎对本次服务进行评价：{link} 评价自愿，您的信息将严格保密。"
    )


def invite_unrated(*, on: datetime.date | None = None) -> int:
    """One SMS invitation per unrated case completed 3 to 6 days ago (never twice)."""
    from zwfw.notifications.services import queue_sms

    on, at = moment(on)
    end = on - datetime.timedelta(days=conf.invite_after_days())
    # From the day the default applies, inviting makes no sense any more.
    start = on - datetime.timedelta(days=conf.default_after_days() - 1)
    sent = 0
    while True:
        with transaction.atomic():
            cases = list(
                _completed(start, end)
                .exclude(Exists(RatingInvitation.objects.filter(case=OuterRef("pk"))))
                .select_related("item", "center", "department")[:BATCH]
            )
            for case in cases:
                RatingInvitation.objects.create(case=case, sent_on=on, sent_at=at)
                queue_sms(
                    phone=case.phone,
                    text=invitation_text(case),
                    kind="evaluation",
                    ref=case.number,
                    department=case.department,
                )
                audit.record(
                    actor=None,
                    action="invite_rating",
                    obj=case,
                    after={"completed_on": case.completed_on, "on": on},
                )
            sent += len(cases)
        if len(cases) < BATCH:
            return sent


def default_unrated(*, on: datetime.date | None = None) -> int:
    """A default 基本满意, marked as default, for each case unrated 7 natural days after
    completion; dated the day the default became due."""
    on, _at = moment(on)
    after = conf.default_after_days()
    end = on - datetime.timedelta(days=after)
    start = end - datetime.timedelta(days=CATCH_UP_DAYS)
    made = 0
    while True:
        with transaction.atomic():
            cases = list(
                _completed(start, end).select_related(
                    "center", "department", "received_by__person"
                )[:BATCH]
            )
            for case in cases:
                due = case.completed_on + datetime.timedelta(days=after)
                due_on, due_at = moment(due)
                _record(
                    level=Level.BASICALLY_SATISFIED,
                    channel=EvaluationChannel.DEFAULT,
                    comment="",
                    tags=(),
                    on=due_on,
                    at=due_at,
                    center=case.center,
                    department=case.department,
                    staff=getattr(case.received_by, "person", None) if case.received_by else None,
                    case=case,
                    is_default=True,
                )
            made += len(cases)
        if len(cases) < BATCH:
            return made


def process_unrated(*, on: datetime.date | None = None) -> dict:
    return {"invited": invite_unrated(on=on), "defaulted": default_unrated(on=on)}
