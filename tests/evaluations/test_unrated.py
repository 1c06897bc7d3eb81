"""Unrated services: one SMS invitation after 3 natural days, a default 基本满意 marked as
default after 7 (NATIONAL.md, both settings); bounded queries (L-EVAL, N-18)."""

import datetime

import pytest
import time_machine

from zwfw.core.models import AuditEvent
from zwfw.evaluations import services, statistics
from zwfw.evaluations.models import Evaluation, RatingInvitation
from zwfw.notifications.models import OutboxMessage

D = datetime.date
pytestmark = pytest.mark.django_db


def test_l_eval_invitation_after_3_natural_days_once(case):
    """L-EVAL: completed Mon 09-28; on 10-01 (a holiday: natural days count) one SMS with
    the rating link; never twice."""
    assert services.invite_unrated(on=D(2026, 9, 30)) == 0
    assert services.invite_unrated(on=D(2026, 10, 1)) == 1
    sms = OutboxMessage.objects.get(kind="evaluation")
    assert sms.ref == case.number and "/public/rate/case/" in sms.text and sms.phone == case.phone
    assert RatingInvitation.objects.get(case=case).sent_on == D(2026, 10, 1)
    assert services.invite_unrated(on=D(2026, 10, 2)) == 0
    assert OutboxMessage.objects.filter(kind="evaluation").count() == 1
    assert AuditEvent.objects.filter(action="invite_rating").count() == 1


def test_l_eval_rated_cases_are_not_invited_nor_defaulted(case):
    services.rate_case(case=case, level=5, channel="web", on=D(2026, 9, 29))
    assert services.process_unrated(on=D(2026, 10, 10)) == {"invited": 0, "defaulted": 0}
    assert Evaluation.objects.count() == 1


def test_l_eval_default_basic_satisfied_after_7_natural_days(case):
    """L-EVAL: 7 natural days after completion (09-28 → 10-05, inside National Day) an unrated
    case gets 基本满意, marked as default; no invitation once the default is due."""
    assert services.default_unrated(on=D(2026, 10, 4)) == 0
    assert services.process_unrated(on=D(2026, 10, 5)) == {"invited": 0, "defaulted": 1}
    e = Evaluation.objects.get()
    assert (e.level, e.good, e.is_default, e.channel) == (3, True, True, "default")
    assert e.rated_on == D(2026, 10, 5) and e.month == D(2026, 10, 1)
    assert e.staff is not None and e.department_id == case.department_id
    assert services.default_unrated(on=D(2026, 10, 6)) == 0
    assert not OutboxMessage.objects.filter(kind="evaluation").exists()


def test_l_eval_default_over_spring_festival_uses_natural_days(complete, settings):
    """L-EVAL: natural days, not working days: completed Fri 2026-02-13, default on 02-20
    in the middle of the Spring Festival holiday."""
    case = complete(received_on=D(2026, 2, 12), completed_on=D(2026, 2, 13))
    assert services.default_unrated(on=D(2026, 2, 19)) == 0
    with time_machine.travel(datetime.datetime(2026, 2, 20, 9, 30), tick=False):
        from zwfw.evaluations import tasks

        result = tasks.process_unrated.call_local()
    assert result["defaulted"] == 1
    assert Evaluation.objects.get(case=case).rated_on == D(2026, 2, 20)
    # The settings move both thresholds.
    settings.ZWFW_EVAL_INVITE_AFTER_DAYS = 1
    other = complete(received_on=D(2026, 2, 24), completed_on=D(2026, 2, 24))
    assert services.invite_unrated(on=D(2026, 2, 25)) == 1
    assert RatingInvitation.objects.get().case == other


def test_l_eval_default_counts_in_good_rate_not_in_active_good_rate(case, complete, center_admin):
    """L-EVAL: the default 基本满意 counts in 好评率 but not in 主动评价好评率, and its case
    stays unrated for 未评价率."""
    other = complete(received_on=D(2026, 10, 9), completed_on=D(2026, 10, 9))
    services.rate_case(case=other, level=1, channel="sms", on=D(2026, 10, 10))
    services.default_unrated(on=D(2026, 10, 5))  # the case of 09-28
    rep = statistics.report(center_admin, dimension="department", start=D(2026, 10, 1))
    assert (rep.total.total, rep.total.good, rep.total.active, rep.total.active_good) == (
        2,
        1,
        1,
        0,
    )
    assert rep.total.good_rate == 50.0 and rep.total.active_good_rate == 0.0
    sept = statistics.report(center_admin, dimension="department", start=D(2026, 9, 1))
    assert (sept.total.completed, sept.total.unrated, sept.total.unrated_rate) == (1, 1, 100.0)


def test_the_task_selects_with_one_bounded_query(complete, django_assert_max_num_queries):
    """The unrated task reads candidates in one indexed range query, whatever the number of
    cases outside its window (no loop over all cases)."""
    for day in (D(2026, 9, 1), D(2026, 9, 2), D(2026, 9, 3)):
        complete(received_on=day)  # long past the catch-up window of 10-30
    done = complete(received_on=D(2026, 10, 26))
    services.rate_case(case=done, level=5, channel="sms")
    # Two selects (invite, default), each in its transaction (savepoint and release here).
    with django_assert_max_num_queries(6):
        assert services.process_unrated(on=D(2026, 10, 30)) == {"invited": 0, "defaulted": 0}
