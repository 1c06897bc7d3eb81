"""Set-based writes for the Excel import: one statement per table, whatever the row count.

`bulk_create` splits inserts into batches of at most 999 parameters on SQLite (about 40
rows of an item), so a 10,000-row import would cost hundreds of statements. A prepared
INSERT run through `executemany` is one statement for any number of rows on both SQLite
and PostgreSQL (psycopg pipelines it). Rows are plain dicts (building 50,000 model
instances costs more than the inserts); values that need the database's form (JSON,
dates) go through the field's own `get_db_prep_save`, exactly as the ORM stores them.
"""

from operator import itemgetter

from django.db import connection, models

# Fields whose Python values the drivers take as they are.
_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.ForeignKey,
    models.FileField,
)


def _converter(field):
    if isinstance(field, _PLAIN):
        return None

    def prep(value):
        return field.get_db_prep_save(value, connection=connection)

    if isinstance(field, models.JSONField):
        return prep
    # Dates and times repeat across an import (one "now"): convert each value once.
    cache: dict = {}

    def cached(value):
        if value not in cache:
            cache[value] = prep(value)
        return cache[value]

    return cached


def _plan(model, fields: list[str]):
    columns = [model._meta.get_field(f) for f in fields]
    converters = [(i, conv) for i, c in enumerate(columns) if (conv := _converter(c))]
    return columns, converters


def _params(rows: list[dict], fields: list[str], converters) -> list[list]:
    """Row values in column order; itemgetter keeps the per-row Python work small."""
    get = itemgetter(*fields)
    single = len(fields) == 1
    out = []
    for row in rows:
        values = [get(row)] if single else list(get(row))
        for i, conv in converters:
            if values[i] is not None:
                values[i] = conv(values[i])
        out.append(values)
    return out


def insert(model, rows: list[dict], fields: list[str]) -> None:
    """INSERT every row in one executemany; `fields` are model field names (FKs by name,
    their values are ids). Ids are not returned: select them back by a unique key."""
    if not rows:
        return
    columns, converters = _plan(model, fields)
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        qn(model._meta.db_table),
        ", ".join(qn(c.column) for c in columns),
        ", ".join(["%s"] * len(columns)),
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, _params(rows, fields, converters))


def update(model, rows: list[dict], fields: list[str]) -> None:
    """UPDATE `fields` of every row (dicts with "pk") in one executemany."""
    if not rows:
        return
    columns, converters = _plan(model, fields)
    qn = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        qn(model._meta.db_table),
        ", ".join(f"{qn(c.column)} = %s" for c in columns),
        qn(model._meta.pk.column),
    )
    with connection.cursor() as cursor:
        params = _params(rows, fields, converters)
        for values, row in zip(params, rows, strict=True):
            values.append(row["pk"])
        cursor.executemany(sql, params)


def chunks(values: list, size: int = 20000):
    """Split long IN lists: SQLite allows 32,766 parameters per statement."""
    for start in range(0, len(values), size):
        yield values[start : start + size]
