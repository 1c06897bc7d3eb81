"""services.set_year: who may enter a year, what is refused, the audit row (L-CAL)."""

import datetime

import pytest
from django.db import transaction

from tests.factories import staff
from tests.workdays.conftest import d
from tests.workdays.factories import ADJUSTED_2027, HOLIDAYS_2027, LATE_2026
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.workdays import calendar, hooks, services
from zwfw.workdays.models import AdjustedWorkday, CalendarYear, Holiday

pytestmark = pytest.mark.django_db


def set_2027(user, **kwargs):
    params = {
        "by": user,
        "year": 2027,
        "holidays": HOLIDAYS_2027,
        "adjusted_workdays": ADJUSTED_2027,
        "source": "国务院办公厅关于2027年部分节假日安排的通知",
        "on": LATE_2026,
    }
    return services.set_year(**{**params, **kwargs})


def test_center_admin_enters_next_year_and_it_counts_at_once(platform_admin):
    """L-CAL: 2027 is provisional until entered, then official and used at once."""
    assert calendar.add_workdays_detail(d("2027-02-04"), 1) == (d("2027-02-05"), True)
    row = set_2027(platform_admin)
    assert row.official and row.revision == 1
    assert Holiday.objects.filter(calendar_year=row).count() == len(HOLIDAYS_2027)
    assert AdjustedWorkday.objects.filter(calendar_year=row).count() == 2
    assert calendar.add_workdays_detail(d("2027-02-04"), 1) == (d("2027-02-15"), False)
    assert calendar.day_info(d("2027-02-20")).kind == "adjusted_workday"
    assert not calendar.is_workday(d("2027-10-04"))


def test_audit_event_keeps_before_and_after(platform_admin):
    """L-CAL: each entry and edit is in the audit chain with the full before/after lists."""
    row = set_2027(platform_admin)
    first = AuditEvent.objects.get(action="set_calendar_year")
    assert first.object_id == str(row.pk) and first.before is None
    assert first.after["holidays"]["2027-02-05"] == "春节"
    assert first.after["adjusted_workdays"] == {"2027-02-20": "春节", "2027-10-09": "国庆节"}
    assert first.actor_id == platform_admin.pk

    set_2027(platform_admin, adjusted_workdays=ADJUSTED_2027[:1])
    second = AuditEvent.objects.filter(action="set_calendar_year").latest("id")
    assert second.before["adjusted_workdays"] == first.after["adjusted_workdays"]
    assert second.after["adjusted_workdays"] == {"2027-02-20": "春节"}
    assert second.after["revision"] == 2
    assert calendar.is_workday(d("2027-10-09")) is False  # the removed Saturday is off again


def test_entering_the_same_notice_twice_records_nothing(platform_admin):
    set_2027(platform_admin)
    row = set_2027(platform_admin)
    assert row.revision == 1
    assert AuditEvent.objects.filter(action="set_calendar_year").count() == 1


def test_superuser_may_enter_a_year(superuser):
    assert set_2027(superuser).official


@pytest.mark.parametrize("who", ["dept_admin", "clerk", "outsider", "auditor"])
def test_other_roles_are_refused(request, who):
    """L-CAL: only a center administrator enters the State Council notice."""
    user = request.getfixturevalue(who)
    with pytest.raises(Forbidden):
        set_2027(user)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_coordination_office_is_refused(center):
    user = staff("coordination_office", center=center).user
    with pytest.raises(Forbidden):
        set_2027(user)


@pytest.mark.parametrize(
    "change,field,words",
    [
        ({"holidays": [(d("2026-12-31"), "元旦")]}, "holidays", "不在2027年内"),
        ({"holidays": HOLIDAYS_2027 + [(d("2027-01-01"), "元旦")]}, "holidays", "重复"),
        ({"holidays": [(d("2027-01-01"), "  ")]}, "holidays", "名称"),
        ({"holidays": [(d("2027-01-01"), "节" * 51)]}, "holidays", "过长"),
        ({"holidays": []}, "holidays", "至少"),
        ({"adjusted_workdays": [(d("2027-03-01"), "春节")]}, "adjusted_workdays", "星期一"),
        ({"adjusted_workdays": [(d("2027-01-02"), "元旦")]}, "adjusted_workdays", "不能同时"),
        ({"adjusted_workdays": [(d("2028-01-01"), "元旦")]}, "adjusted_workdays", "不在2027年"),
        ({"year": 2003}, "year", "2004"),
        ({"year": 2100}, "year", "2099"),
        ({"year": 2028}, "year", "下一年度"),
        ({"source": "通" * 301}, "source", "300"),
    ],
)
def test_bad_year_entries_are_refused_with_field(platform_admin, change, field, words):
    """L-CAL: dates inside the year, no day both off and on, adjusted days on weekends."""
    with pytest.raises(RuleViolation) as err:
        set_2027(platform_admin, **change)
    assert err.value.field == field
    assert words in err.value.message
    assert err.value.status == 422
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_a_past_year_is_kept_unless_a_reason_is_given(platform_admin):
    """L-CAL: past years are kept as they were; a correction needs a recorded reason."""
    holidays = [
        (d, n)
        for d, n in Holiday.objects.filter(calendar_year__year=2025).values_list("date", "name")
    ]
    on = datetime.date(2026, 3, 1)
    with pytest.raises(RuleViolation) as err:
        services.set_year(by=platform_admin, year=2025, holidays=holidays[1:], on=on)
    assert (err.value.code, err.value.field) == ("L-CAL", "reason")
    assert calendar.is_workday(d("2025-01-01")) is False

    services.set_year(by=platform_admin, year=2025, holidays=holidays[1:], reason="更正测试", on=on)
    event = AuditEvent.objects.get(action="set_calendar_year")
    assert event.after["reason"] == "更正测试"
    assert event.before["holidays"]["2025-01-01"] == "元旦"
    assert calendar.is_workday(d("2025-01-01")) is True


def test_the_current_year_may_be_edited_without_reason(platform_admin):
    """L-CAL: a notice can change during its own year (e.g. 2020's extended 春节)."""
    holidays = list(Holiday.objects.filter(calendar_year__year=2026).values_list("date", "name"))
    row = services.set_year(
        by=platform_admin,
        year=2026,
        holidays=holidays + [(d("2026-12-31"), "测试")],
        on=datetime.date(2026, 6, 1),
    )
    assert row.revision == 2 and row.source == "国务院办公厅关于2026年部分节假日安排的通知"


def test_hooks_run_inside_the_transaction_with_the_new_calendar(platform_admin, monkeypatch):
    """L-CAL: open cases recompute with the new calendar (hooks.on_calendar_change)."""
    seen = []

    def recompute(year):
        seen.append((year, calendar.add_workdays_detail(d("2027-02-04"), 1)))

    monkeypatch.setattr(hooks, "on_calendar_change", [recompute])
    set_2027(platform_admin)
    assert seen == [(2027, (d("2027-02-15"), False))]


def test_a_failing_hook_rolls_the_edit_back(platform_admin, monkeypatch):
    """L-CAL: calendar and due dates never disagree: a hook error undoes the edit."""

    def broken(year):
        raise RuntimeError("recompute failed")

    monkeypatch.setattr(hooks, "on_calendar_change", [broken])
    with pytest.raises(RuntimeError):
        set_2027(platform_admin)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert calendar.add_workdays_detail(d("2027-02-04"), 1) == (d("2027-02-05"), True)


def test_a_rolled_back_edit_is_forgotten(platform_admin):
    """L-CAL: after a rollback the process computes with the committed calendar again."""
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        set_2027(platform_admin)
        assert calendar.is_workday(d("2027-02-08")) is False
        1 / 0  # noqa: B018
    assert calendar.is_workday(d("2027-02-08")) is True
    assert calendar.day_info(d("2027-02-08")).provisional is True
