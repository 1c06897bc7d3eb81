"""The national indicators per dimension and month, tags, the 12345 column, .xlsx, scope and
query counts (NATIONAL.md 好差评 indicators; TW-10)."""

import datetime
import io

import pytest
from openpyxl import load_workbook

from tests.factories import DepartmentFactory, WindowFactory, staff
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.evaluations import presenters, services, statistics, tokens
from zwfw.evaluations.models import Rectification

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def october(complete, window, dept_admin, department):
    """October 2026: 5 completed cases; ratings 非常满意, 满意, 不满意 (tags), 非常不满意
    (appealed and upheld), one case unrated; a window rating; one ticket closed on time."""
    cases = [complete(received_on=D(2026, 10, 12 + i)) for i in range(5)]
    services.rate_case(case=cases[0], level=5, channel="sms", on=D(2026, 10, 19))
    services.rate_case(case=cases[1], level=4, channel="web", on=D(2026, 10, 19))
    services.rate_case(
        case=cases[2],
        level=2,
        channel="sms",
        tags=["over_limit", "extra_materials"],
        on=D(2026, 10, 20),
    )
    excluded = services.rate_case(
        case=cases[3], level=1, channel="sms", tags=["attitude"], on=D(2026, 10, 20)
    )
    appeal = services.file_appeal(evaluation=excluded, by=dept_admin, reason="恶意差评")
    admin = staff(
        "center_admin",
        department=DepartmentFactory(center=department.center),
        center=department.center,
    ).user
    services.decide_appeal(appeal=appeal, by=admin, upheld=True, opinion="成立")
    services.rate_at_sheet(nonce=tokens.new_secret(), window=window, level=3, on=D(2026, 10, 21))
    rect = Rectification.objects.get(evaluation__level=2)
    for step in (services.call_back, services.record_rectified, services.report_back):
        kwargs = {"finding": "true"} if step is services.call_back else {}
        rect = step(rectification=rect, by=dept_admin, note="记录", on=D(2026, 10, 21), **kwargs)
    services.close_rectification(
        rectification=rect, by=dept_admin, result="已整改", on=D(2026, 10, 21)
    )
    return cases


def test_national_indicators_per_department(october, center_admin, department):
    """好评率, 主动评价好评率, 未评价率, 整改率, 按时整改率, excluded ratings left out."""
    rep = statistics.report(center_admin, dimension="department", start=D(2026, 10, 1))
    assert len(rep.rows) == 1
    row = rep.rows[0]
    assert row.key == department.pk and row.name == department.name
    # Counted: 1, 2, 4 (cases) and 3 (window); the upheld appeal's 5 is excluded.
    assert (row.total, row.good, row.bad, row.excluded) == (4, 3, 1, 1)
    assert row.good_rate == 75.0 and row.active_good_rate == 75.0
    assert (row.completed, row.unrated, row.unrated_rate) == (5, 1, 20.0)
    assert (row.tickets, row.closed, row.on_time) == (1, 1, 1)
    assert row.rectification_rate == 100.0 and row.on_time_rate == 100.0
    assert row.tags == {"over_limit": 1, "extra_materials": 1}  # the excluded one's tag is not
    assert rep.total.total == 4
    tags = {t["tag"]: t["count"] for t in rep.tags}
    assert tags["over_limit"] == 1 and tags["attitude"] == 0
    assert rep.trend[-1]["month"] == "2026-10" and rep.trend[-1]["good_rate"] == 75.0


def test_dimensions_staff_window_item_center(october, center_admin, window, item, clerk):
    """Indicators per staff member, window, item and center (the rows name each)."""
    by_staff = statistics.report(center_admin, dimension="staff", start=D(2026, 10, 1))
    names = {r.name: r for r in by_staff.rows}
    clerk_row = next(r for r in by_staff.rows if r.key == clerk.person.pk)
    assert clerk_row.total == 3 and clerk_row.completed == 5
    assert "（未关联工作人员）" in names  # the window sheet rating names no one
    by_window = statistics.report(center_admin, dimension="window", start=D(2026, 10, 1))
    window_row = next(r for r in by_window.rows if r.key == window.pk)
    assert window_row.total == 1 and "A01号" in window_row.name
    by_item = statistics.report(center_admin, dimension="item", start=D(2026, 10, 1))
    item_row = next(r for r in by_item.rows if r.key == item.pk)
    assert item_row.total == 3 and item_row.name == item.name
    by_center = statistics.report(center_admin, dimension="center", start=D(2026, 10, 1))
    assert [r.total for r in by_center.rows] == [4]


def test_tw10_hotline_column_comes_from_supervision(october, center_admin, department, monkeypatch):
    """TW-10: the 12345 tickets recorded against a department appear beside its ratings."""
    monkeypatch.setattr(
        statistics,
        "_hotline",
        lambda dim, start, end: {
            department.pk: {"total": 3, "complaints": 2},
            999999: {"total": 9, "complaints": 9},
        },
    )
    rep = statistics.report(center_admin, dimension="department", start=D(2026, 10, 1))
    assert rep.hotline and (rep.rows[0].hotline_total, rep.rows[0].hotline_complaints) == (3, 2)
    assert rep.total.hotline_total == 3  # a department outside the reader's scope is left out
    monkeypatch.setattr(statistics, "_hotline", lambda *a: None)
    assert (
        statistics.report(center_admin, dimension="department", start=D(2026, 10, 1)).hotline
        is False
    )


def test_hotline_counts_of_the_supervision_app_are_read(october, center_admin):
    """TW-10: with the supervision app installed, its selector answers (no rows: zeros)."""
    rep = statistics.report(center_admin, dimension="department", start=D(2026, 10, 1))
    assert rep.hotline is True and rep.total.hotline_total == 0


def test_department_admin_sees_only_their_department(october, center_admin, other_department):
    from zwfw.evaluations.models import Evaluation

    w = WindowFactory(center=other_department.center, department=other_department)
    services.rate_at_sheet(nonce=tokens.new_secret(), window=w, level=5, on=D(2026, 10, 22))
    other_admin = staff("department_admin", department=other_department).user
    rep = statistics.report(other_admin, dimension="department", start=D(2026, 10, 1))
    assert [r.key for r in rep.rows] == [other_department.pk] and rep.total.total == 1
    assert (
        statistics.report(center_admin, dimension="department", start=D(2026, 10, 1)).total.total
        == 5
    )
    assert Evaluation.objects.count() == 6


def test_bad_parameters_and_roles(center_admin, clerk):
    with pytest.raises(RuleViolation) as exc:
        statistics.report(center_admin, dimension="weather", start=D(2026, 10, 1))
    assert exc.value.field == "dimension"
    with pytest.raises(RuleViolation):
        statistics.report(center_admin, dimension="item", start=D(2026, 10, 1), end=D(2026, 9, 1))
    with pytest.raises(Forbidden):
        statistics.report(clerk, dimension="department", start=D(2026, 10, 1))


def test_report_is_a_constant_number_of_queries(
    october, complete, center_admin, django_assert_max_num_queries
):
    """Statistics are GROUP BY queries over stored columns, not a loop over ratings."""
    for i in range(6):
        case = complete(received_on=D(2026, 10, 26 + (i % 3)))
        services.rate_case(
            case=case, level=5 - i % 5, channel="sms", tags=["long_wait"], on=D(2026, 10, 29)
        )
    center_admin._role_assignments_cache = None
    with django_assert_max_num_queries(12):
        rep = statistics.report(center_admin, dimension="staff", start=D(2026, 10, 1))
    assert rep.total.total == 10


def test_xlsx_has_every_indicator(october, center_admin):
    rep = statistics.report(center_admin, dimension="department", start=D(2026, 10, 1))
    response = presenters.xlsx_response(rep)
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "好差评统计" in rows[0][0]
    headers = rows[1]
    for title in (
        "好评率",
        "主动评价好评率",
        "未评价率",
        "整改率",
        "按时整改率",
        "超过法定办理时间",
        "额外增加条件",
        "额外增加材料",
        "12345工单",
    ):
        assert title in headers
    data = dict(zip(headers, rows[2], strict=False))
    assert (
        data["好评率"] == "75.00%"
        and data["未评价率"] == "20.00%"
        and data["超过法定办理时间"] == 1
    )
    assert rows[-1][0] == "合计"
