"""Every (state, action) pair of the case state machine: allowed pairs reach the table's
state, every other pair is refused with a 409 and a Chinese message. No database."""

import itertools

import pytest

from zwfw.cases.states import TRANSITIONS, Action, CaseState, allowed, next_state
from zwfw.core.errors import Conflict

PAIRS = list(itertools.product(CaseState, Action))


@pytest.mark.parametrize("state,action", PAIRS)
def test_every_pair(state, action):
    sources, target = TRANSITIONS[action]
    if state in sources:
        assert next_state(state, action) == target
        assert allowed(state, action)
    else:
        with pytest.raises(Conflict) as exc:
            next_state(state, action)
        assert exc.value.status == 409
        assert str(state.label) in exc.value.message and str(action.label) in exc.value.message


def test_every_action_has_a_row():
    assert set(TRANSITIONS) == set(Action)


def test_final_states_allow_nothing():
    for state in (
        CaseState.COMPLETED,
        CaseState.WITHDRAWN,
        CaseState.TERMINATED,
        CaseState.REFUSED,
    ):
        assert not any(allowed(state, a) for a in Action)


def test_l_accept_notice_only_before_acceptance():
    """L-ACCEPT: the one-time notice comes before acceptance, never after."""
    assert allowed(CaseState.RECEIVED, Action.SUPPLEMENT_NOTICE)
    assert not allowed(CaseState.ACCEPTED, Action.SUPPLEMENT_NOTICE)


def test_l_pause_only_running_clock_pauses():
    """L-PAUSE: pause from a running clock, resume only a paused one."""
    assert allowed(CaseState.ACCEPTED, Action.PAUSE)
    assert not allowed(CaseState.PAUSED, Action.PAUSE)
    assert not allowed(CaseState.ACCEPTED, Action.RESUME)
