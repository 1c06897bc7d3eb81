"""The recomputation job a calendar edit queues: its row, the API, the calendar page and the
resume command (L-CAL). The cases it visits are tested in tests/cases/test_recompute.py."""

import pytest
from django.core.management import call_command

from tests.workdays.factories import ADJUSTED_2027, HOLIDAYS_2027, LATE_2026
from zwfw.core.models import AuditEvent
from zwfw.workdays import recompute, services
from zwfw.workdays.models import CalendarRecompute

pytestmark = pytest.mark.django_db


def set_2027(user, capture, *, run=True, **kwargs):
    params = {
        "by": user,
        "year": 2027,
        "holidays": HOLIDAYS_2027,
        "adjusted_workdays": ADJUSTED_2027,
        "source": "国务院办公厅关于2027年部分节假日安排的通知",
        "on": LATE_2026,
    }
    with capture(execute=run) as callbacks:
        services.set_year(**{**params, **kwargs})
    return callbacks


def test_l_cal_an_edit_commits_a_job_and_queues_it_after_commit(
    platform_admin, django_capture_on_commit_callbacks
):
    """L-CAL: the edit's transaction writes the job row (named in its audit event); the task
    is queued only on commit, so a worker never looks for a row that is not there yet."""
    callbacks = set_2027(platform_admin, django_capture_on_commit_callbacks, run=False)
    job = CalendarRecompute.objects.get()
    assert (job.year, job.revision, job.state) == (2027, 1, "queued")
    assert job.requested_by == platform_admin
    event = AuditEvent.objects.get(action="set_calendar_year")
    assert event.after["recompute_job"] == job.pk
    assert len(callbacks) == 2  # the calendar's publish, then the job's enqueue
    for callback in callbacks:
        callback()  # Huey runs in immediate mode in tests
    job.refresh_from_db()
    assert job.state == "done" and job.finished_at is not None


def test_l_cal_the_same_notice_twice_queues_nothing(
    platform_admin, django_capture_on_commit_callbacks
):
    set_2027(platform_admin, django_capture_on_commit_callbacks)
    set_2027(platform_admin, django_capture_on_commit_callbacks)
    assert CalendarRecompute.objects.count() == 1


def test_l_cal_api_gives_the_job_state(
    api, platform_admin, clerk, django_capture_on_commit_callbacks
):
    """L-CAL: GET /workdays/years/{year}/recompute and the year's `recompute` field."""
    user = api.login(clerk)
    r = user.get("/workdays/years/2027/recompute")
    assert r.status_code == 404 and "没有重新计算任务" in r.json()["message"]
    assert user.get("/workdays/years/2027").json()["recompute"] is None

    set_2027(platform_admin, django_capture_on_commit_callbacks, run=False)
    body = user.get("/workdays/years/2027/recompute").json()
    assert body["state"] == "queued" and body["state_label"] == "排队中"
    assert (body["year"], body["revision"], body["done"], body["retry"]) == (2027, 1, 0, 0)

    recompute.run(body["id"])
    year = user.get("/workdays/years/2027").json()
    assert year["recompute"]["state"] == "done" and year["recompute"]["finished_at"]
    assert user.get("/workdays/years/1999/recompute").status_code == 422


def test_l_cal_calendar_page_shows_progress_then_the_result(
    client, clerk, platform_admin, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    """L-CAL: 正在重新计算 N / M while the job runs (the page refreshes itself), then when
    it finished and how many due dates moved."""
    set_2027(platform_admin, django_capture_on_commit_callbacks, run=False)
    job = CalendarRecompute.objects.get()
    CalendarRecompute.objects.filter(pk=job.pk).update(state="running", total=1200, done=400)
    client.force_login(clerk)
    client.get("/workdays/?year=2027")  # warm the in-memory calendar
    with django_assert_max_num_queries(12):
        body = client.get("/workdays/?year=2027").content.decode()
    assert "正在重新计算 400 / 1200" in body and 'http-equiv="refresh"' in body

    CalendarRecompute.objects.filter(pk=job.pk).update(total=0, done=0, state="running")
    recompute.run(job.pk)
    body = client.get("/workdays/?year=2027").content.decode()
    assert "正在重新计算" not in body and 'http-equiv="refresh"' not in body
    assert "第1版日历已于" in body and "完成重新计算" in body


def test_l_cal_command_finishes_unfinished_jobs(
    platform_admin, django_capture_on_commit_callbacks, capsys
):
    """L-CAL: `manage.py recompute_due_dates` runs what a crash (or no worker) left."""
    set_2027(platform_admin, django_capture_on_commit_callbacks, run=False)
    call_command("recompute_due_dates")
    out = capsys.readouterr().out
    assert "2027年第1版" in out and "已完成" in out
    call_command("recompute_due_dates")
    assert "没有未完成的重新计算任务" in capsys.readouterr().out
