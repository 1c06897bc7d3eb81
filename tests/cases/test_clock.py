"""The legal clock over the real calendar (chinese_calendar, day by day): no database."""

import datetime as dt

import chinese_calendar

from zwfw.cases.clock import Pause, alert_level, read_clock

D = dt.date


class ReferenceCalendar:
    """Plain day-by-day arithmetic over the official holidays and adjusted working days."""

    @staticmethod
    def add_workdays(start, n):
        day = start
        while n:
            day += dt.timedelta(days=1)
            n -= chinese_calendar.is_workday(day)
        return day

    @staticmethod
    def count_workdays(start, end):
        return sum(
            chinese_calendar.is_workday(start + dt.timedelta(days=i))
            for i in range(1, (end - start).days + 1)
        )


CAL = ReferenceCalendar()


def test_l_limit_due_date_skips_national_day_2025():
    """L-LIMIT: 20 working days from acceptance on 2025-09-26 skip 国庆+中秋 (10/1–8) and
    count the adjusted working days 9/28 and 10/11."""
    reading = read_clock(CAL, accepted_on=D(2025, 9, 26), limit_days=20, today=D(2025, 9, 26))
    # Working days after 9/26: 9/28, 9/29, 9/30, 10/9, 10/10, 10/11, 10/13 … → the 20th is 10/30.
    assert reading.due_date == D(2025, 10, 30)
    assert reading.remaining_workdays == 20
    assert reading.alert_level == "green"


def test_l_limit_spring_festival_2026_with_adjusted_saturdays():
    """L-LIMIT: 5 working days from 2026-02-12 run over 春节 (2/15–23), counting 2/13, 2/14
    (Saturday worked) and 2/24, 2/25, 2/26."""
    reading = read_clock(CAL, accepted_on=D(2026, 2, 12), limit_days=5, today=D(2026, 2, 12))
    assert reading.due_date == D(2026, 2, 26)


def test_l_pause_site_inspection_moves_due_date_by_its_working_days():
    """L-PAUSE: a site inspection from 10/13 to 10/17 2025 (5 working days) is not counted."""
    base = read_clock(CAL, accepted_on=D(2025, 9, 26), limit_days=20, today=D(2025, 10, 20))
    paused = read_clock(
        CAL,
        accepted_on=D(2025, 9, 26),
        limit_days=20,
        today=D(2025, 10, 20),
        pauses=[Pause("site_inspection", D(2025, 10, 12), D(2025, 10, 17))],
    )
    assert paused.paused_workdays == 5
    assert paused.due_date == CAL.add_workdays(base.due_date, 5)


def test_l_pause_open_pause_runs_to_today():
    """L-PAUSE: while a pause is open its working days keep being added."""
    reading = read_clock(
        CAL,
        accepted_on=D(2025, 9, 26),
        limit_days=20,
        today=D(2025, 10, 14),
        pauses=[Pause("expert_review", D(2025, 10, 12))],
    )
    assert reading.paused_workdays == 2  # 10/13, 10/14


def test_l_limit_extension_adds_working_days():
    """L-LIMIT: an approved extension of 10 working days moves the due date by 10."""
    base = read_clock(CAL, accepted_on=D(2025, 9, 26), limit_days=20, today=D(2025, 9, 26))
    extended = read_clock(
        CAL, accepted_on=D(2025, 9, 26), limit_days=20, today=D(2025, 9, 26), extension_days=10
    )
    assert extended.due_date == CAL.add_workdays(base.due_date, 10)


def test_alert_levels():
    """Yellow at ≤20% of the limit or ≤2 working days left; red once overdue."""
    assert alert_level(10, 20) == "green"
    assert alert_level(4, 20) == "yellow"
    assert alert_level(2, 5) == "yellow"
    assert alert_level(3, 5) == "green"
    assert alert_level(0, 20) == "yellow"
    assert alert_level(-1, 20) == "red"


def test_overdue_reading_is_red_with_negative_remaining():
    reading = read_clock(CAL, accepted_on=D(2025, 9, 26), limit_days=5, today=D(2025, 10, 20))
    assert reading.due_date == D(2025, 10, 10)
    assert reading.remaining_workdays == -7  # 10/11 (adjusted), 10/13–17, 10/20
    assert reading.alert_level == "red"
