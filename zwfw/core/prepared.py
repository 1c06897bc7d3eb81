"""Reads on the hottest paths whose SQL Django compiles once, not on every request.

Django builds and compiles a queryset's SQL each time it is evaluated: for a case with its
joins that is about 1.3–2 ms of Python, against 0.3 ms for the database to answer the same
statement (bench/http.py; `python bench/prepared.py` prints both). A request that reads a
token, the user's roles, a case, its materials, events and notice paid that seven times.

`PreparedRead(Model, build)` calls `build` once per shape with marker values in place of the
caller's, compiles it, and remembers the SQL, where each marker landed among the
parameters, and the compiler's row layout. Each call then only binds the values, runs the
statement and turns the rows into model instances the way iterating the queryset does
(`select_related` objects included; prefetches are not: read those with their own
PreparedRead). The shape is the database alias plus the length of every list value
(`department_id__in=[…]` compiles to one placeholder per id).

What `build` may take: str, int and date values and lists of them, each bound as given
(a lookup that rewrites its value, as `__contains` does, is refused when the read is
prepared, so it cannot silently bind the wrong thing). An empty list, which Django answers
without a query, is evaluated through the ORM as usual.
"""

import datetime
import itertools
import threading
from dataclasses import dataclass

from django.apps import apps
from django.db import connections, router
from django.db.models.query import ModelIterable, get_related_populators

# Markers are looked for only among the parameters of the statement `build` made with them,
# so they need only differ from the constants a query is written with (statuses, roles).
# Integers stay inside a 32-bit column's range: Django answers an out-of-range lookup
# without a query, so a bigger marker would never reach the parameters.
_STR = "\ue000{}\ue001"
_INT = 2_146_990_000
_DATE = datetime.date(1000, 1, 1)


@dataclass(frozen=True)
class _Shape:
    sql: str
    params: tuple
    # (position in params, argument name, index in a list argument or None, as str)
    slots: tuple
    compiler: object
    converters: tuple
    populators: tuple
    init_list: tuple
    start: int
    end: int
    annotations: tuple


def _marker(kind: type, n: int):
    if kind is str:
        return _STR.format(n)
    if kind is int:
        return _INT + n
    if kind is datetime.date:
        return _DATE + datetime.timedelta(days=n)
    raise TypeError(f"PreparedRead binds str, int and date values, not {kind.__name__}")


class PreparedRead:
    def __init__(self, model, build):
        # The model, or its "app_label.Model" where the module cannot import it yet.
        self._model = model
        self._build = build
        self._shapes: dict[tuple, _Shape] = {}
        self._lock = threading.Lock()

    def __call__(self, **values) -> list:
        if any(isinstance(v, list | tuple | set | frozenset) and not v for v in values.values()):
            return list(self._build(**values))
        values = {
            k: list(v) if isinstance(v, tuple | set | frozenset) else v for k, v in values.items()
        }
        if isinstance(self._model, str):
            self._model = apps.get_model(self._model)
        alias = router.db_for_read(self._model)
        key = (
            alias,
            *sorted((k, len(v) if isinstance(v, list) else -1) for k, v in values.items()),
        )
        shape = self._shapes.get(key)
        if shape is None:
            with self._lock:
                shape = self._shapes.get(key) or self._prepare(alias, values)
                self._shapes[key] = shape
        params = list(shape.params)
        for position, name, index, as_str in shape.slots:
            value = values[name] if index is None else values[name][index]
            params[position] = str(value) if as_str else value
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(shape.sql, params)
            rows = cursor.fetchall()
        if shape.converters:
            rows = list(_converted(rows, shape.converters, connection))
        return [self._instance(shape, alias, row) for row in rows]

    def _prepare(self, alias: str, values: dict) -> _Shape:
        counter = itertools.count()
        markers: dict[object, tuple[str, int | None]] = {}

        def mark(name, value, index=None):
            m = _marker(type(value), next(counter))
            markers[m] = (name, index)
            return m

        marked = {
            name: [mark(name, v, i) for i, v in enumerate(value)]
            if isinstance(value, list)
            else mark(name, value)
            for name, value in values.items()
        }
        queryset = self._build(**marked).using(alias)
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise TypeError("PreparedRead reads model rows without prefetches")
        compiler = queryset.query.get_compiler(using=alias)
        sql, params = compiler.as_sql()
        slots, found = [], set()
        for position, param in enumerate(params):
            for form, probe in ((False, param), (True, _unstr(param))):
                if probe in markers:
                    slots.append((position, *markers[probe], form))
                    found.add(probe)
                    break
        missing = set(markers) - found
        if missing:
            names = sorted({markers[m][0] for m in missing})
            raise TypeError(f"PreparedRead: the query rewrites the value of {names}")
        select, klass_info = compiler.select, compiler.klass_info
        fields = klass_info["select_fields"]
        start, end = fields[0], fields[-1] + 1
        return _Shape(
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            compiler=compiler,
            converters=tuple(
                compiler.get_converters([s[0] for s in select[: compiler.col_count]]).items()
            ),
            populators=tuple(get_related_populators(klass_info, select, alias)),
            init_list=tuple(f[0].target.attname for f in select[start:end]),
            start=start,
            end=end,
            annotations=tuple(compiler.annotation_col_map.items()),
        )

    @staticmethod
    def _instance(shape: _Shape, alias: str, row):
        obj = shape.compiler.query.model.from_db(
            alias, list(shape.init_list), row[shape.start : shape.end]
        )
        for populator in shape.populators:
            populator.populate(row, obj)
        for name, position in shape.annotations:
            setattr(obj, name, row[position])
        return obj


def _converted(rows, converters, connection):
    """SQLCompiler.apply_converters with this thread's connection (a shape is shared by
    threads; its compiler holds the connection of the thread that prepared it)."""
    for row in map(list, rows):
        for position, (functions, expression) in converters:
            value = row[position]
            for function in functions:
                value = function(value, expression, connection)
            row[position] = value
        yield row


def _unstr(param):
    """SQLite's adapter binds dates as text: the marker date in its text form."""
    if isinstance(param, str) and len(param) == 10 and param[4] == "-":
        try:
            return datetime.date.fromisoformat(param)
        except ValueError:
            return None
    return None


def attach(obj, name: str, rows: list) -> None:
    """`rows` as what `obj.<name>.all()` answers for the rest of the request, as
    prefetch_related leaves it (read with a PreparedRead instead of a prefetch query)."""
    qs = getattr(obj, name).all()
    qs._result_cache, qs._prefetch_done = rows, True
    if getattr(obj, "_prefetched_objects_cache", None) is None:
        obj._prefetched_objects_cache = {}
    obj._prefetched_objects_cache[name] = qs
