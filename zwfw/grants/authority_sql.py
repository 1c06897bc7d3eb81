"""The authority look-ups every case decision and intake makes, as SQL built once.

`authority_for` and the intake's procedure choice run on every decision and every new case;
through the ORM their subqueries cost about a millisecond to compile each time (bench/cases.py),
far more than the indexed look-up itself. The conditions are those of `selectors.in_force_q`:
started, not past valid_to, not revoked by that day.
"""

import datetime
from functools import cache

from django.db import connection

from zwfw.core import fastsql
from zwfw.grants.models import Grant


@cache
def _tables() -> dict[str, str]:
    qn = connection.ops.quote_name
    return {
        "grant": qn(Grant._meta.db_table),
        "final": qn(Grant.final_items.through._meta.db_table),
        "preliminary": qn(Grant.preliminary_items.through._meta.db_table),
    }


_IN_FORCE = (
    "g.valid_from <= %s AND g.valid_to >= %s AND (g.revoked_on IS NULL OR g.revoked_on > %s)"
)


def _day(on: datetime.date):
    return connection.ops.adapt_datefield_value(on)


def grants_of(person_id: int, item_id: int, department_id: int, on: datetime.date):
    """[(grant, is_final, is_preliminary)] for the person's grants in force on `on` that list
    the item: the final ones first, then the most recent."""
    t = _tables()
    sql = (
        f"SELECT {fastsql.columns(Grant, 'g')}, "
        f"EXISTS (SELECT 1 FROM {t['final']} f WHERE f.grant_id = g.id AND f.serviceitem_id = %s), "
        f"EXISTS (SELECT 1 FROM {t['preliminary']} p "
        "WHERE p.grant_id = g.id AND p.serviceitem_id = %s) "
        f"FROM {t['grant']} g WHERE g.grantee_id = %s AND g.department_id = %s AND {_IN_FORCE}"
    )
    day = _day(on)
    with connection.cursor() as cursor:
        cursor.execute(sql, [item_id, item_id, person_id, department_id, day, day, day])
        rows = [
            (fastsql.instance(Grant, row), bool(row[-2]), bool(row[-1]))
            for row in cursor.fetchall()
            if row[-2] or row[-1]
        ]
    # Final authority first, then the latest grant, then the oldest id (stable).
    rows.sort(key=lambda r: r[0].pk)
    rows.sort(key=lambda r: r[0].valid_from, reverse=True)
    rows.sort(key=lambda r: r[1], reverse=True)
    return rows


def item_listed(item_id: int, department_id: int, on: datetime.date) -> tuple[bool, bool]:
    """(some grant in force lists the item for first review, some lists it for decision)."""
    t = _tables()
    sql = (
        f"SELECT EXISTS (SELECT 1 FROM {t['grant']} g JOIN {t['preliminary']} p "
        f"ON p.grant_id = g.id WHERE p.serviceitem_id = %s AND g.department_id = %s "
        f"AND {_IN_FORCE}), "
        f"EXISTS (SELECT 1 FROM {t['grant']} g JOIN {t['final']} f ON f.grant_id = g.id "
        f"WHERE f.serviceitem_id = %s AND g.department_id = %s AND {_IN_FORCE})"
    )
    day = _day(on)
    params = [item_id, department_id, day, day, day] * 2
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        preliminary, final = cursor.fetchone()
    return bool(preliminary), bool(final)
