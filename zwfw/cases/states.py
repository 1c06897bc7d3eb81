"""The case state machine: one table keyed by action (the glossary verbs). No queries."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from zwfw.core.errors import Conflict


class CaseState(models.TextChoices):
    RECEIVED = "received", _("已收件")
    AWAITING_SUPPLEMENT = "awaiting_supplement", _("待补正")
    ACCEPTED = "accepted", _("已受理")
    PAUSED = "paused", _("暂停计时")
    REFERRED = "referred", _("提交审批决策委员会")
    DECIDED = "decided", _("已作出决定")
    REFUSED = "refused", _("不予受理")
    COMPLETED = "completed", _("已办结")
    WITHDRAWN = "withdrawn", _("已撤回")
    TERMINATED = "terminated", _("已终止")


class Action(models.TextChoices):
    SUPPLEMENT_NOTICE = "supplement_notice", _("一次性告知")
    SUPPLEMENT = "supplement", _("补正")
    ACCEPT = "accept", _("受理")
    REFUSE = "refuse", _("不予受理")
    PAUSE = "pause", _("暂停计时")
    RESUME = "resume", _("恢复计时")
    EXTEND = "extend", _("延期")
    FIRST_REVIEW = "first_review", _("初审")
    RECORD_STEP = "record_step", _("办理环节")
    REFER = "refer", _("提交审批决策委员会")
    DECIDE = "decide", _("作出决定")
    COMPLETE = "complete", _("办结")
    WITHDRAW = "withdraw", _("撤回")
    TERMINATE = "terminate", _("终止")


S = CaseState
OPEN_BEFORE_DECISION = frozenset(
    {S.RECEIVED, S.AWAITING_SUPPLEMENT, S.ACCEPTED, S.PAUSED, S.REFERRED}
)

TRANSITIONS: dict[Action, tuple[frozenset[CaseState], CaseState]] = {
    # L-ACCEPT: a notice or a decision on acceptance comes before handling starts.
    Action.SUPPLEMENT_NOTICE: (frozenset({S.RECEIVED}), S.AWAITING_SUPPLEMENT),
    Action.SUPPLEMENT: (frozenset({S.AWAITING_SUPPLEMENT}), S.RECEIVED),
    Action.ACCEPT: (frozenset({S.RECEIVED}), S.ACCEPTED),
    Action.REFUSE: (frozenset({S.RECEIVED, S.AWAITING_SUPPLEMENT}), S.REFUSED),
    # L-PAUSE: only a running clock can stop, only a stopped one can restart.
    Action.PAUSE: (frozenset({S.ACCEPTED}), S.PAUSED),
    Action.RESUME: (frozenset({S.PAUSED}), S.ACCEPTED),
    # L-LIMIT: the extension is a change of the clock, not of the state; a paused clock is
    # resumed first, so an extension never restarts it by accident.
    Action.EXTEND: (frozenset({S.ACCEPTED}), S.ACCEPTED),
    # N-4: a preliminary item's first review keeps the case in handling until the final one.
    Action.FIRST_REVIEW: (frozenset({S.ACCEPTED}), S.ACCEPTED),
    # N-4, R-15: a normal-procedure step before the last keeps the case in handling; the last
    # step is a DECIDE. A paused clock is resumed first (steps are handling time).
    Action.RECORD_STEP: (frozenset({S.ACCEPTED}), S.ACCEPTED),
    Action.REFER: (frozenset({S.ACCEPTED}), S.REFERRED),
    Action.DECIDE: (frozenset({S.ACCEPTED, S.REFERRED}), S.DECIDED),
    Action.COMPLETE: (frozenset({S.DECIDED}), S.COMPLETED),
    Action.WITHDRAW: (OPEN_BEFORE_DECISION, S.WITHDRAWN),
    Action.TERMINATE: (OPEN_BEFORE_DECISION, S.TERMINATED),
}

OPEN_STATES = frozenset(
    {S.RECEIVED, S.AWAITING_SUPPLEMENT, S.ACCEPTED, S.PAUSED, S.REFERRED, S.DECIDED}
)
CLOCK_RUNNING = frozenset({S.ACCEPTED, S.REFERRED})
# States whose due date still matters (the partial index of overdue lists covers these).
CLOCK_OPEN = frozenset({S.ACCEPTED, S.PAUSED, S.REFERRED})
CLOSED_STATES = frozenset({S.REFUSED, S.COMPLETED, S.WITHDRAWN, S.TERMINATED})


def allowed(current: CaseState, action: Action) -> bool:
    sources, _target = TRANSITIONS[action]
    return current in sources


def next_state(current: CaseState, action: Action) -> CaseState:
    """The state `action` leads to from `current`; a forbidden pair is a 409 conflict."""
    sources, target = TRANSITIONS[action]
    if current not in sources:
        raise Conflict(
            "invalid_transition",
            f"办件当前状态为“{CaseState(current).label}”，不能执行“{Action(action).label}”",
        )
    return target


# The applicant's progress bar (issue 16 point 6): 收件 → 受理 → 审批 → 办结. A case that
# ended without a decision (withdrawn, terminated) shows no bar; a refused one stops at 收件.
PUBLIC_STAGES = ("收件", "受理", "审批", "办结")
_PUBLIC_STAGE = {
    S.RECEIVED: 0,
    S.AWAITING_SUPPLEMENT: 0,
    S.REFUSED: 0,
    S.ACCEPTED: 1,
    S.PAUSED: 1,
    S.REFERRED: 2,
    S.DECIDED: 2,
    S.COMPLETED: 3,
}


def public_stage(state: CaseState) -> int | None:
    """The index in PUBLIC_STAGES the case has reached, or None (no bar)."""
    return _PUBLIC_STAGE.get(state)
