"""A calendar edit recomputes open cases' due dates in background batches (L-CAL).

The calendar of 2026 is first entered without its festivals (a notice typed in half), cases
are taken in and accepted under it, then the full State Council notice is entered. After the
job, every open case's stored clock equals a from-scratch computation with the calendar of
chinese-calendar (independent of the database), each batch is one audit event, a crash
resumes where it stopped and a second edit supersedes the first.
"""

import datetime

import pytest
import time_machine

from tests.cases.factories import receive
from tests.workdays.conftest import seeded_calendar
from zwfw.cases import conf, services
from zwfw.cases.models import Case
from zwfw.cases.services.base import refresh_clock
from zwfw.core import audit
from zwfw.core.models import AuditEvent
from zwfw.workdays import hooks, recompute, selectors
from zwfw.workdays import services as workday_services
from zwfw.workdays.models import CalendarRecompute
from zwfw.workdays.seed import official_calendars
from zwfw.workdays.tasks import resume_due_date_recomputes

D = datetime.date
pytestmark = pytest.mark.django_db

REAL_2026 = official_calendars()[2026]  # 春节 2/15–2/23, 2/14 and 2/28 worked; 国庆 10/1–7 …
HALF_2026 = ({d: n for d, n in REAL_2026[0].items() if d.month == 1}, {})  # 元旦 only
CLOCK = ("acceptance_deadline", "due_date", "remaining_workdays", "alert_level", "due_provisional")


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    """A handful of cases spread over several batches."""
    monkeypatch.setattr(recompute, "BATCH_SIZE", 2)


def enter(admin, calendar, capture, *, run=True, on=None):
    """The administrator enters 2026; with `run`, the queued job runs on commit (Huey in
    immediate mode, as in tests)."""
    holidays, adjusted = calendar
    with capture(execute=run):
        workday_services.set_year(
            by=admin,
            year=2026,
            holidays=sorted(holidays.items()),
            adjusted_workdays=sorted(adjusted.items()),
            source="国务院办公厅关于2026年部分节假日安排的通知",
            on=on,
        )
    return CalendarRecompute.objects.filter(year=2026).latest("id")


def from_scratch(case_id: int, today: datetime.date) -> tuple:
    """The clock of the case computed anew with the published calendar (chinese-calendar's
    data, no database calendar involved)."""
    cal = seeded_calendar()
    case = Case.objects.get(pk=case_id)
    if case.status == "received":
        case.acceptance_deadline = cal.add_workdays(case.materials_complete_on, conf.accept_days())
    refresh_clock(case, today, cal)
    return tuple(getattr(case, f) for f in CLOCK)


def stored(case_id: int) -> tuple:
    return tuple(Case.objects.filter(pk=case_id).values_list(*CLOCK).get())


def take_in_and_accept(clerk, item, received_on, accepted_on=None):
    case = receive(clerk, item, on=received_on)
    if accepted_on is not None:
        case = services.accept_case(case=case, by=clerk, on=accepted_on)
    return case


@pytest.fixture
def national_day(platform_admin, clerk, item, django_capture_on_commit_callbacks):
    """Tuesday 2026-09-29 under the half-entered 2026: four open cases, one withdrawn."""
    traveller = time_machine.travel(datetime.datetime(2026, 9, 29, 10, 0), tick=False)
    traveller.start()
    enter(platform_admin, HALF_2026, django_capture_on_commit_callbacks)
    cases = {
        "accepted_0921": take_in_and_accept(clerk, item, D(2026, 9, 21), D(2026, 9, 21)),
        "received_0928": take_in_and_accept(clerk, item, D(2026, 9, 28)),
        "paused": take_in_and_accept(clerk, item, D(2026, 9, 14), D(2026, 9, 14)),
        "accepted_0901": take_in_and_accept(clerk, item, D(2026, 9, 1), D(2026, 9, 1)),
        "withdrawn": take_in_and_accept(clerk, item, D(2026, 9, 22), D(2026, 9, 22)),
    }
    services.pause_case(case=cases["paused"], by=clerk, reason="site_inspection", on=D(2026, 9, 24))
    services.withdraw_case(
        case=cases["withdrawn"], by=clerk, reason="申请人撤回", on=D(2026, 9, 28)
    )
    yield {k: c.pk for k, c in cases.items()}
    traveller.stop()


def test_l_cal_national_day_entered_late_moves_every_open_due_date(
    platform_admin, national_day, django_capture_on_commit_callbacks
):
    """L-CAL: entering 国庆 2026 (10/1–10/7 off, 10/10 worked) recomputes every open case in
    background batches; afterwards each stored clock equals a from-scratch computation."""
    ids = national_day
    assert stored(ids["accepted_0921"])[1] == D(2026, 10, 19)  # weekends only
    assert stored(ids["received_0928"])[0] == D(2026, 10, 5)
    withdrawn_before = stored(ids["withdrawn"])
    events_before = AuditEvent.objects.count()

    job = enter(platform_admin, REAL_2026, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.state == "done" and job.revision == 3 and job.total == 4 and job.done == 4
    today = D(2026, 9, 29)
    for name in ("accepted_0921", "received_0928", "paused", "accepted_0901"):
        assert stored(ids[name]) == from_scratch(ids[name], today), name
    # By hand: 20 working days from 9/21 skip 中秋 9/25 and 国庆 10/1–10/7, count Saturday 10/10.
    assert stored(ids["accepted_0921"])[1] == D(2026, 10, 26)
    # 5 working days from 9/28: 9/29, 9/30, 10/8, 10/9 and Saturday 10/10.
    assert stored(ids["received_0928"])[0] == D(2026, 10, 10)
    assert stored(ids["withdrawn"]) == withdrawn_before  # closed: the clock stopped
    event = Case.objects.get(pk=ids["accepted_0921"]).events.get(action="recompute_due_date")
    assert "2026年10月19日" in event.text and "2026年10月26日" in event.text
    assert selectors.pending_recompute(Case.objects.get(pk=ids["accepted_0921"])) is None
    assert AuditEvent.objects.count() > events_before


def test_l_cal_dashboard_counts_follow_the_recomputed_due_dates(
    platform_admin, national_day, django_capture_on_commit_callbacks
):
    """L-CAL, R-21: the batches write due dates without the transition's rollup deltas; when
    the job finishes, the dashboards' open-case counts (keyed by due date) are recounted."""
    from zwfw.cases import rollups

    enter(platform_admin, REAL_2026, django_capture_on_commit_callbacks)
    assert rollups.recounted() == rollups.counted_from_cases()
    assert any(key[3] == D(2026, 10, 26) for key in rollups.recounted())


def test_l_cal_each_batch_is_one_audit_event_naming_its_range(
    platform_admin, national_day, django_capture_on_commit_callbacks
):
    """L-CAL: one audit event per batch with its id range, counts and moved dates; the
    batches cover every open case exactly once; the chain still verifies."""
    job = enter(platform_admin, REAL_2026, django_capture_on_commit_callbacks)
    job.refresh_from_db()
    batches = list(
        AuditEvent.objects.filter(action="recompute_due_dates", object_id=str(job.pk)).order_by(
            "id"
        )
    )
    assert len(batches) == job.batches == 2  # 4 open cases, 2 a batch
    visited = [b.after for b in batches]
    assert sum(v["visited"] for v in visited) == 4
    assert visited[0]["last_id"] < visited[1]["first_id"]
    open_ids = sorted(v for k, v in national_day.items() if k != "withdrawn")
    assert visited[0]["first_id"] == open_ids[0] and visited[1]["last_id"] == job.until_id
    moved = {int(k): v for b in visited for k, v in b["changes"].items()}
    assert moved[national_day["accepted_0921"]] == ["2026-10-19", "2026-10-26"]
    assert sum(v["changed"] for v in visited) == job.changed == len(moved)
    finish = AuditEvent.objects.get(action="finish_due_date_recompute", object_id=str(job.pk))
    assert finish.after["visited"] == 4 and finish.after["batches"] == 2
    assert audit.verify().ok


def test_l_cal_spring_festival_with_adjusted_workdays(
    platform_admin, clerk, item, django_capture_on_commit_callbacks
):
    """L-CAL: 春节 2026 (2/15–2/23 off, Saturdays 2/14 and 2/28 worked) entered late: the
    acceptance deadline and the due dates of open cases follow it."""
    with time_machine.travel(datetime.datetime(2026, 2, 11, 9, 0), tick=False):
        enter(platform_admin, HALF_2026, django_capture_on_commit_callbacks)
        received = take_in_and_accept(clerk, item, D(2026, 2, 10))
        accepted = take_in_and_accept(clerk, item, D(2026, 1, 26), D(2026, 1, 26))
        early = take_in_and_accept(clerk, item, D(2025, 11, 3), D(2025, 11, 3))
        assert stored(received.pk)[0] == D(2026, 2, 17)
        assert stored(accepted.pk)[1] == D(2026, 2, 23)
        before_early = stored(early.pk)

        job = enter(platform_admin, REAL_2026, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.state == "done"
    today = D(2026, 2, 11)
    for case in (received, accepted, early):
        assert stored(case.pk) == from_scratch(case.pk, today)
    # 2/11, 2/12, 2/13, Saturday 2/14, then 2/24 after the festival.
    assert stored(received.pk)[0] == D(2026, 2, 24)
    # 14 working days by 2/13, 2/14 (Sat, worked) the 15th, 2/24–2/27, and Saturday 2/28.
    assert stored(accepted.pk)[1] == D(2026, 2, 28)
    # Due in 2025, overdue now: the date stays; only the overdue count reads 2026's days.
    assert stored(early.pk)[1] == before_early[1] == D(2025, 12, 1)
    assert not Case.objects.get(pk=early.pk).events.filter(action="recompute_due_date").exists()


def test_l_cal_a_crash_mid_way_resumes_from_the_cursor(
    platform_admin, national_day, django_capture_on_commit_callbacks, monkeypatch
):
    """L-CAL: a worker dying mid-job loses only its batch in flight; the periodic task picks
    the job up again once its heartbeat is a minute old, and it finishes from its cursor."""
    job = enter(platform_admin, REAL_2026, django_capture_on_commit_callbacks, run=False)
    assert job.state == "queued" and job.total == 4
    recompute.run(job.pk, max_batches=1)  # one batch, then the worker "dies"
    job.refresh_from_db()
    assert job.state == "running" and job.done == 2 and job.batches == 1

    real = hooks.recomputer

    def broken(**kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(hooks, "recomputer", hooks.Recomputer(real.scope, broken, real.affects))
    with pytest.raises(RuntimeError):
        recompute.run(job.pk)
    job.refresh_from_db()
    assert job.cursor < job.until_id and job.done == 2 and "worker killed" in job.error
    late = Case.objects.get(pk=max(v for k, v in national_day.items() if k != "withdrawn"))
    assert late.pk > job.cursor  # not reached yet: the case page says so
    assert selectors.pending_recompute(late) == job
    monkeypatch.setattr(hooks, "recomputer", real)

    assert resume_due_date_recomputes.call_local() == []  # heartbeat fresh: still alive?
    with time_machine.travel(datetime.datetime(2026, 9, 29, 10, 2), tick=False):
        assert resume_due_date_recomputes.call_local() == [job.pk]
    job.refresh_from_db()
    assert job.state == "done" and job.done == 4 and job.batches == 2 and job.error == ""
    for name in ("accepted_0921", "received_0928", "paused", "accepted_0901"):
        case_id = national_day[name]
        assert stored(case_id) == from_scratch(case_id, D(2026, 9, 29)), name
        # Visited once: one timeline row per moved case, never two.
        assert Case.objects.get(pk=case_id).events.filter(action="recompute_due_date").count() <= 1


def test_l_cal_a_second_edit_supersedes_the_running_job(
    platform_admin, national_day, django_capture_on_commit_callbacks
):
    """L-CAL: a newer revision of the same year stops the older job where it is; the new job
    starts from the first case and the due dates follow the last edit."""
    first = enter(platform_admin, REAL_2026, django_capture_on_commit_callbacks, run=False)
    recompute.run(first.pk, max_batches=1)
    second = enter(platform_admin, HALF_2026, django_capture_on_commit_callbacks, run=False)
    first.refresh_from_db()
    assert first.state == "superseded" and first.finished_at is not None
    assert second.state == "queued" and second.cursor == 0 and second.revision == first.revision + 1
    assert recompute.run(first.pk).state == "superseded"  # a late worker does nothing
    first.refresh_from_db()
    assert first.batches == 1

    recompute.run(second.pk)
    second.refresh_from_db()
    assert second.state == "done" and second.done == 4
    assert stored(national_day["accepted_0921"])[1] == D(2026, 10, 19)  # weekends only again
    assert stored(national_day["received_0928"])[0] == D(2026, 10, 5)


def test_l_cal_cases_not_yet_reached_are_flagged(
    platform_admin, national_day, django_capture_on_commit_callbacks, client
):
    """L-CAL: until the job's cursor passes a case, its page says the due date is being
    recomputed; the calendar page shows 正在重新计算 N / M."""
    from django.template import Context, Template

    job = enter(platform_admin, REAL_2026, django_capture_on_commit_callbacks, run=False)
    recompute.run(job.pk, max_batches=1)
    job.refresh_from_db()
    ordered = sorted(v for k, v in national_day.items() if k != "withdrawn")
    first, last = Case.objects.get(pk=ordered[0]), Case.objects.get(pk=ordered[-1])
    assert selectors.pending_recompute(first) is None
    assert selectors.pending_recompute(last) == job
    withdrawn = Case.objects.get(pk=national_day["withdrawn"])
    assert selectors.pending_recompute(withdrawn) is None  # closed: not recomputed

    notice = Template("{% load workdays_recompute %}{% recompute_notice case %}")
    assert "正在重新计算" in notice.render(Context({"case": last}))
    assert notice.render(Context({"case": first})).strip() == ""
    public = Template("{% load workdays_recompute %}{% recompute_notice case public=True %}")
    assert "期限正在重新计算" in public.render(Context({"case": last}))

    client.force_login(platform_admin)
    page = client.get("/workdays/?year=2026").content.decode()
    assert "正在重新计算 2 / 4" in page


def test_l_cal_cases_with_the_same_clock_are_computed_once(
    platform_admin, clerk, item, django_capture_on_commit_callbacks, monkeypatch
):
    """L-CAL: a batch computes each distinct clock (start dates, limit, pauses and stored
    values) once and writes it to every case that has it: the same dates as one
    computation per case, a timeline row and an audit entry for each moved case."""
    from zwfw.cases.services import timing

    monkeypatch.setattr(recompute, "BATCH_SIZE", 100)
    computed = []
    real = timing.recompute_clock

    def counting(clock, **kwargs):
        computed.append(clock)
        return real(clock, **kwargs)

    monkeypatch.setattr(timing, "recompute_clock", counting)
    with time_machine.travel(datetime.datetime(2026, 9, 29, 10, 0), tick=False):
        enter(platform_admin, HALF_2026, django_capture_on_commit_callbacks)
        twins = [take_in_and_accept(clerk, item, D(2026, 9, 21), D(2026, 9, 21)) for _ in range(3)]
        received = [take_in_and_accept(clerk, item, D(2026, 9, 28)) for _ in range(2)]
        early = take_in_and_accept(clerk, item, D(2026, 9, 1), D(2026, 9, 1))
        cases = [*twins, *received, early]
        before = {c.pk: stored(c.pk) for c in cases}
        computed.clear()
        job = enter(platform_admin, REAL_2026, django_capture_on_commit_callbacks)

    job.refresh_from_db()
    assert job.state == "done" and job.done == 6 and job.batches == 1
    assert len(computed) == len(set(computed)) == 3  # the twins, the received pair, early
    today = D(2026, 9, 29)
    moved = {c.pk for c in cases if stored(c.pk)[:2] != before[c.pk][:2]}
    # early: its window gains the worked Sunday 9/20 and loses 中秋 9/25, its due date stays.
    assert moved == {c.pk for c in [*twins, *received]}
    for case in cases:
        assert stored(case.pk) == from_scratch(case.pk, today)
        events = Case.objects.get(pk=case.pk).events.filter(action="recompute_due_date")
        assert events.count() == (case.pk in moved)
    assert {stored(c.pk)[1] for c in twins} == {D(2026, 10, 26)}
    batch = AuditEvent.objects.get(action="recompute_due_dates", object_id=str(job.pk))
    assert set(map(int, batch.after["changes"])) == moved
    assert batch.after["changes"][str(twins[0].pk)] == ["2026-10-19", "2026-10-26"]
