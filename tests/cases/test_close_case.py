"""complete_case, withdraw_case, terminate_case; every transition at the service level."""

import datetime

import pytest

from tests.cases.factories import deliver, deliver_and_complete, receive
from zwfw.cases import services
from zwfw.cases.models import Case
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.notifications.models import OutboxMessage

D = datetime.date
pytestmark = pytest.mark.django_db


def test_r16_complete_after_decision_tells_applicant_to_collect(clerk, chief, received):
    """R-16: time-limited completion: decided then completed, the applicant is told."""
    case = services.accept_case(case=received, by=clerk, on=D(2025, 9, 26))
    with pytest.raises(Conflict):
        services.complete_case(case=case, by=clerk, on=D(2025, 9, 29))
    services.decide_case(case=case, by=chief, result="approve", on=D(2025, 9, 29))
    case = deliver_and_complete(case, clerk, on=D(2025, 9, 30))
    assert case.status == "completed" and case.completed_on == D(2025, 9, 30)
    assert OutboxMessage.objects.filter(kind="ready", ref=case.number).exists()
    for action in (services.accept_case, services.complete_case):
        with pytest.raises(Conflict) as exc:
            action(case=case, by=clerk, on=D(2025, 9, 30))
        assert "已办结" in exc.value.message


def test_withdraw_by_applicant_and_by_staff_records_reason(clerk, item):
    a = receive(clerk, item, on=D(2025, 9, 26))
    with pytest.raises(Forbidden):  # issue 11 point 4: no anonymous withdrawal unproven
        services.withdraw_case(case=a, by=None, reason="申请人主动撤回", on=D(2025, 9, 29))
    proof = services.PhoneProof(a.phone, "withdraw", a.number)
    a = services.withdraw_case(
        case=a, by=None, reason="申请人主动撤回", on=D(2025, 9, 29), proof=proof
    )
    assert a.status == "withdrawn" and a.closed_reason == "申请人主动撤回"
    assert a.events.get(action="withdraw").text.startswith("申请人撤回申请")
    b = receive(clerk, item, on=D(2025, 9, 26))
    with pytest.raises(RuleViolation):
        services.withdraw_case(case=b, by=clerk, reason="", on=D(2025, 9, 29))
    services.withdraw_case(case=b, by=clerk, reason="申请人书面申请撤回", on=D(2025, 9, 29))


def test_terminate_needs_an_administrator(clerk, dept_admin, received):
    with pytest.raises(Forbidden):
        services.terminate_case(case=received, by=clerk, reason="主体注销", on=D(2025, 9, 29))
    case = services.terminate_case(
        case=received, by=dept_admin, reason="申请主体已注销", on=D(2025, 9, 29)
    )
    assert case.status == "terminated"
    with pytest.raises(Conflict):
        services.withdraw_case(case=case, by=dept_admin, reason="x", on=D(2025, 9, 29))


def _state_in(state, clerk, chief, item, dept_admin):
    """A case brought to `state` through the services."""
    on = D(2025, 9, 26)
    if state == "awaiting_supplement":
        case = receive(clerk, item, materials=["申请书"], on=on)
        return services.send_supplement_notice(case=case, by=clerk, missing=[], on=on)
    case = receive(clerk, item, on=on)
    if state == "received":
        return case
    if state == "refused":
        return services.refuse_case(case=case, by=clerk, reason="不符合条件", on=on)
    case = services.accept_case(case=case, by=clerk, on=on)
    if state == "accepted":
        return case
    if state == "paused":
        return services.pause_case(case=case, by=clerk, reason="testing", on=on)
    if state in ("withdrawn", "terminated"):
        return services.withdraw_case(case=case, by=clerk, reason="撤回", on=on)
    case = services.decide_case(case=case, by=chief, result="approve", on=on)
    if state == "decided":
        return case
    return deliver_and_complete(case, clerk, on=on)


ACTIONS = {
    "supplement_notice": lambda c, u: services.send_supplement_notice(
        case=c, by=u["clerk"], missing=["场地租赁合同"], on=D(2025, 9, 26)
    ),
    "supplement": lambda c, u: services.supplement_case(
        case=c, by=u["clerk"], materials={"营业执照": "paper"}, on=D(2025, 9, 26)
    ),
    "accept": lambda c, u: services.accept_case(case=c, by=u["clerk"], on=D(2025, 9, 26)),
    "refuse": lambda c, u: services.refuse_case(
        case=c, by=u["clerk"], reason="不符", on=D(2025, 9, 26)
    ),
    "pause": lambda c, u: services.pause_case(
        case=c, by=u["clerk"], reason="hearing", on=D(2025, 9, 26)
    ),
    "resume": lambda c, u: services.resume_case(case=c, by=u["clerk"], on=D(2025, 9, 26)),
    "extend": lambda c, u: services.extend_case(
        case=c, by=u["admin"], days=2, reason="复杂", on=D(2025, 9, 26)
    ),
    "decide": lambda c, u: services.decide_case(
        case=c, by=u["chief"], result="approve", on=D(2025, 9, 26)
    ),
    "complete": lambda c, u: services.complete_case(
        case=deliver(c, u["clerk"], on=D(2025, 9, 26)), by=u["clerk"], on=D(2025, 9, 26)
    ),
    "withdraw": lambda c, u: services.withdraw_case(
        case=c, by=u["clerk"], reason="撤回", on=D(2025, 9, 26)
    ),
    "terminate": lambda c, u: services.terminate_case(
        case=c, by=u["admin"], reason="终止", on=D(2025, 9, 26)
    ),
}
STATES = [
    "received",
    "awaiting_supplement",
    "accepted",
    "paused",
    "decided",
    "refused",
    "completed",
    "withdrawn",
]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_services_follow_the_transition_table(state, action, clerk, chief, item, dept_admin):
    """Every service refuses a transition the table forbids with 409 and changes nothing;
    allowed ones reach the table's state (or a rule refusal with a rule code)."""
    from zwfw.cases.states import TRANSITIONS, Action, allowed

    case = _state_in(state, clerk, chief, item, dept_admin)
    users = {"clerk": clerk, "chief": chief, "admin": dept_admin}
    before = Case.objects.get(pk=case.pk).status
    if not allowed(before, Action(action)):
        with pytest.raises(Conflict) as exc:
            ACTIONS[action](case, users)
        assert exc.value.status == 409
        assert Case.objects.get(pk=case.pk).status == before
        return
    try:
        ACTIONS[action](case, users)
    except RuleViolation as exc:
        assert exc.status == 422 and exc.code[:1].isupper()  # a rule, named by its ID
        return
    assert Case.objects.get(pk=case.pk).status == TRANSITIONS[Action(action)][1]
