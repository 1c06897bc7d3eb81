"""What a person may do to a case now (issue 16 point 4).

The state table says which actions a state allows (`states.allowed`); the services' own
precondition checks (`check_*`, the functions the services themselves call) say whether this
person may take them today. The case page offers exactly these actions and keeps no list of
its own, so it never shows a button that the service would refuse.
"""

import datetime

from django.utils import timezone

from zwfw.cases.services.acceptance import check_accept
from zwfw.cases.services.base import require_handler
from zwfw.cases.services.closing import check_complete, check_terminate
from zwfw.cases.services.decision import check_decide, check_first_review, check_refer
from zwfw.cases.services.timing import check_extend
from zwfw.cases.states import Action, CaseState, allowed
from zwfw.core.errors import RuleViolation

# Actions taken on the staff case page, in the order they are shown. (记录环节 has the steps
# panel; 补正 is offered with the notice's open materials.)
PAGE_ACTIONS = (
    Action.ACCEPT,
    Action.SUPPLEMENT_NOTICE,
    Action.SUPPLEMENT,
    Action.REFUSE,
    Action.PAUSE,
    Action.RESUME,
    Action.EXTEND,
    Action.FIRST_REVIEW,
    Action.DECIDE,
    Action.REFER,
    Action.COMPLETE,
    Action.WITHDRAW,
    Action.TERMINATE,
)
# Cannot be undone: the page asks for confirmation first.
IRREVERSIBLE = frozenset(
    {Action.DECIDE, Action.REFUSE, Action.COMPLETE, Action.WITHDRAW, Action.TERMINATE}
)


def _handler(case, user, on):
    require_handler(user, case)


CHECKS = {
    Action.ACCEPT: lambda case, user, on: check_accept(case, user),
    Action.SUPPLEMENT_NOTICE: _handler,
    Action.SUPPLEMENT: _handler,
    Action.REFUSE: _handler,
    Action.PAUSE: _handler,
    Action.RESUME: _handler,
    Action.EXTEND: check_extend,
    Action.FIRST_REVIEW: check_first_review,
    Action.DECIDE: check_decide,
    Action.REFER: check_refer,
    Action.COMPLETE: lambda case, user, on: check_complete(case, user),
    Action.WITHDRAW: _handler,
    Action.TERMINATE: lambda case, user, on: check_terminate(case, user),
}


def refusal(case, user, action: Action, on: datetime.date | None = None) -> RuleViolation | None:
    """Why `user` may not take `action` on `case` now, or None when they may."""
    if not allowed(CaseState(case.status), action):
        return RuleViolation("state", f"当前状态不能{action.label}")
    try:
        CHECKS[action](case, user, on or timezone.localdate())
    except RuleViolation as exc:
        return exc
    return None


def offered(case, user, on: datetime.date | None = None) -> list[Action]:
    """The page's actions `user` may take on `case` now, in PAGE_ACTIONS order."""
    return [a for a in PAGE_ACTIONS if refusal(case, user, a, on) is None]
