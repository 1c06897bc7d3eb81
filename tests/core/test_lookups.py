"""zwfw.core.lookups.in_constants: the states of a partial index written into the statement,
so that a prepared statement's generic plan can still use the index."""

import pytest

from zwfw.cases import selectors
from zwfw.cases.models import Case


def test_in_constants_writes_the_values_into_the_statement():
    sql, params = (
        Case.objects.filter(status__in_constants=["paused", "accepted"]).query.sql_with_params()
    )
    assert "IN ('accepted', 'paused')" in sql
    assert "accepted" not in params and "paused" not in params


@pytest.mark.parametrize("bad", [["x'); DROP TABLE cases_case; --"], ["Accepted"], [], [1]])
def test_in_constants_refuses_anything_but_the_codes_constants(bad):
    with pytest.raises(ValueError):
        Case.objects.filter(status__in_constants=bad).query.sql_with_params()


def test_the_work_queue_and_overdue_lists_name_their_index_s_states():
    """case_queue_due is partial on (received + open clocks): both readers write those
    states into their SQL (a bound list would hide them from a generic plan)."""
    queue = str(Case.objects.filter(status__in_constants=selectors.QUEUE_VALUES).query)
    assert "IN ('accepted', 'paused', 'received', 'referred')" in queue
    overdue = selectors.overdue_cases(department_id=1, on=__import__("datetime").date(2026, 1, 5))
    assert "IN ('accepted', 'paused', 'referred')" in str(overdue.query)
