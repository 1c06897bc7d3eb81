"""The supervision home panels' reads, compiled once (core.prepared) with only the columns
the panels show, answer the rows of the querysets the task and rectification lists read:
the same rows in the same order, for readers of every scope and every inspector."""

import datetime

import pytest
import time_machine

from tests.factories import CenterFactory, global_staff, staff
from tests.supervision.factories import TZ
from zwfw.supervision import home, selectors, services
from zwfw.supervision.models import Inspection

D = datetime.date
pytestmark = pytest.mark.django_db
SEPT = {"period_start": D(2026, 9, 1), "period_end": D(2026, 9, 25)}
CATEGORIES = ("irregular_documents", "missing_materials", "overdue")


def travel(day: datetime.date):
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(10), TZ), tick=False)


@pytest.fixture
def draws(supervisor, population, pool):
    """Two draws (the later one first in an inspector's list), problems found on most of the
    first draw's cases on different days: open rectifications in three departments, more
    than a panel shows."""
    with travel(D(2026, 9, 28)):
        first = services.create_draw(by=supervisor, size=16, seed=7, **SEPT)
    with travel(D(2026, 9, 29)):
        second = services.create_draw(by=supervisor, size=8, seed=8, **SEPT)
    rows = Inspection.objects.filter(draw=first).select_related("inspector__user")
    for n, row in enumerate(rows.order_by("position")[:13]):
        with travel(D(2026, 9, 29) + datetime.timedelta(days=n % 3)):
            services.record_finding(
                by=row.inspector.user,
                inspection=row,
                result="problem",
                method="case_file",
                category=CATEGORIES[n % 3],
                note="问题",
            )
    return first, second


@pytest.fixture
def readers(center, department, other_department, third_department, supervisor, superuser):
    empty_center = CenterFactory(parent=center)  # no departments: an empty scope
    return {
        "department admin": staff("department_admin", department=department).user,
        "other department's admin": staff("department_admin", department=other_department).user,
        "third department's admin": staff("department_admin", department=third_department).user,
        "center admin": staff("center_admin", center=center).user,
        "global supervisor": global_staff("supervisor").user,
        "supervisor of the center": supervisor,
        "admin of an empty center": staff(
            "department_admin", department=department, center=empty_center
        ).user,
        "superuser": superuser,
        "no role": staff(None, department=department).user,
    }


def _rectification_view(r):
    return (r.pk, r.inspection.case.number, r.inspection.category, r.due_date, r.status)


def test_first_rectifications_are_the_lists_first_rows(draws, readers):
    sizes = set()
    for name, user in readers.items():
        expected = list(selectors.visible_rectifications(user, status="open")[:10])
        got = selectors.first_rectifications(user, status="open")
        assert [_rectification_view(r) for r in got] == [
            _rectification_view(r) for r in expected
        ], name
        sizes.add(len(got))
        assert [r.pk for r in selectors.first_rectifications(user, status="rectified")] == [
            r.pk for r in selectors.visible_rectifications(user, status="rectified")[:10]
        ], name
    assert {0, 10} <= sizes and len(sizes) > 2  # none, a department's, and a full panel


def test_rectifications_panel_shows_the_lists_rows(draws, readers, department):
    user = readers["department admin"]
    with travel(D(2026, 10, 30)):
        panel = home.department_rectifications_panel(user)
        expected = list(
            selectors.visible_rectifications(user, status="open", on=D(2026, 10, 30))[:10]
        )
    assert len(panel.rows) == len(expected) > 0
    for row, r in zip(panel.rows, expected, strict=True):
        assert row["text"] == f"{r.inspection.case.number} {r.inspection.get_category_display()}"
        assert row["url"] == f"/supervision/rectifications/{r.pk}/"
        assert row["meta"].startswith(f"整改期限{r.due_date:%Y-%m-%d}")


def _task_view(i):
    d = i.department
    return (i.pk, i.case.number, i.case.item.name, d.short_name or d.name, i.draw.title)


def test_first_pending_inspections_are_the_task_lists_first_rows(draws, pool, readers):
    users = [p.user for p in pool] + list(readers.values())
    counts = set()
    for user in users:
        expected = list(selectors.my_inspections(user, pending_only=True)[:10])
        got = selectors.first_pending_inspections(user)
        assert [_task_view(i) for i in got] == [_task_view(i) for i in expected]
        counts.add(len(got))
    assert 0 in counts and len(counts) > 2
    panel = home.inspector_tasks_panel(pool[0].user)
    tasks = list(selectors.my_inspections(pool[0].user, pending_only=True)[:10])
    assert [r["url"] for r in panel.rows] == [f"/supervision/tasks/{i.pk}/" for i in tasks]
