"""Rectification deadlines over the official calendar: pure, no database (L-EVAL)."""

import datetime

import pytest

from zwfw.core.errors import RuleViolation
from zwfw.evaluations import deadlines
from zwfw.evaluations.deadlines import Budget
from zwfw.workdays.calendar import WorkCalendar
from zwfw.workdays.seed import official_calendars

D = datetime.date


@pytest.fixture(scope="module")
def cal():
    holidays, adjusted = {}, {}
    for off, on in official_calendars().values():
        holidays.update(off)
        adjusted.update(on)
    return WorkCalendar(
        holidays=holidays, adjusted_workdays=adjusted, official_years=range(2004, 2027)
    )


def test_l_eval_defaults_across_national_day(cal):
    """L-EVAL: a bad review on Wed 2026-09-30 is called back by Thu 10-08 (1 working day after
    the 10-01..07 holiday) and rectified and reported by Tue 10-13 (5 working days, counting
    the adjusted working Saturday 10-10)."""
    due = deadlines.deadlines(cal, D(2026, 9, 30), Budget())
    assert due.callback == D(2026, 10, 8)
    assert due.rectify == due.report == D(2026, 10, 13)


def test_l_eval_review_on_a_holiday_counts_from_the_next_working_day(cal):
    """L-EVAL: a review on 2026-10-03 (holiday): the day itself never counts."""
    due = deadlines.deadlines(cal, D(2026, 10, 3), Budget())
    assert due.callback == D(2026, 10, 8)
    assert due.report == D(2026, 10, 13)  # 10-08, 09, 10 (Sat, adjusted), 12, 13


def test_l_eval_spring_festival_2026(cal):
    """L-EVAL: a review on Fri 2026-02-13: Sat 02-14 is an adjusted working day, then the
    festival 02-15..23."""
    due = deadlines.deadlines(cal, D(2026, 2, 13), Budget())
    assert due.callback == D(2026, 2, 14)
    assert due.report == D(2026, 2, 27)


def test_l_eval_extension_is_capped_at_15_working_days(cal):
    """L-EVAL: rectification and report back never take longer than 15 working days."""
    opened = D(2026, 9, 30)
    due = deadlines.deadlines(cal, opened, Budget(), extended_days=10)
    assert due.report == cal.add_workdays(opened, 15)
    assert due.callback == D(2026, 10, 8)  # an extension never moves the call-back
    with pytest.raises(RuleViolation) as exc:
        deadlines.deadlines(cal, opened, Budget(), extended_days=11)
    assert exc.value.code == "L-EVAL" and "15个工作日" in exc.value.message


def test_budget_must_keep_the_steps_in_order():
    with pytest.raises(ValueError):
        Budget(callback=1, rectify=5, report=20, cap=15).check()
    with pytest.raises(ValueError):
        Budget(callback=0).check()


def test_l_eval_step_colours(cal):
    """L-EVAL: overdue steps turn red; the last working day is yellow; late completion shows."""
    due = D(2026, 10, 8)
    assert deadlines.step_alert(cal, due, None, D(2026, 9, 30)) == "yellow"  # 1 wd left
    assert deadlines.step_alert(cal, D(2026, 10, 13), None, D(2026, 9, 30)) == "green"
    assert deadlines.step_alert(cal, due, None, due) == "yellow"
    assert deadlines.step_alert(cal, due, None, D(2026, 10, 9)) == "red"
    assert deadlines.step_alert(cal, due, D(2026, 10, 8), D(2026, 10, 20)) == "done"
    assert deadlines.step_alert(cal, due, D(2026, 10, 9), D(2026, 10, 20)) == "late"
    assert deadlines.worst(["done", "green", "red"]) == "red"
    assert deadlines.worst(["done", "late"]) == "green"


def test_on_time_needs_every_step_by_its_due_date():
    due = D(2026, 10, 8)
    assert deadlines.on_time([(due, due), (due, D(2026, 10, 7))])
    assert not deadlines.on_time([(due, due), (due, D(2026, 10, 9))])
    assert not deadlines.on_time([(due, None)])
