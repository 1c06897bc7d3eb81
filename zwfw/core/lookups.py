"""`field__in_constants=[...]`: IN with the values written into the statement, not bound.

PostgreSQL binds parameters on the server here (settings: server_side_binding), and once a
statement is prepared it may be planned once for any values (a generic plan). Such a plan
cannot use a partial index whose predicate names values it sees only as $1, $2…: the home
page's work queue (`status IN (received, accepted, paused, referred)`) then sorted a
department's open cases, 4.8 ms at 1 M cases, instead of reading the first rows of the
partial index case_queue_due, 0.08 ms (EXPLAIN ANALYZE EXECUTE under
plan_cache_mode = force_generic_plan). With the constants in the statement every plan can
prove the index's predicate.

For the code's own constants only (state values): anything but lower-case letters and
underscores is refused, so no caller's input can reach the SQL text.
"""

import re

from django.db.models import CharField, Lookup

_CONSTANT = re.compile(r"[a-z_]+")


def constants_sql(values) -> str:
    """The code's own constants as SQL literals ("'a', 'b'"), sorted; anything else is
    refused. For statements written out by hand (cases.rollups) and the lookup below."""
    values = sorted({str(v) for v in values})
    if not values or not all(_CONSTANT.fullmatch(v) for v in values):
        raise ValueError(f"only the code's own constants go into SQL text, not {values!r}")
    return ", ".join(f"'{v}'" for v in values)


@CharField.register_lookup
class InConstants(Lookup):
    lookup_name = "in_constants"
    prepare_rhs = False

    def get_prep_lookup(self):
        constants_sql(self.rhs)  # refuses anything but the code's constants, at filter()
        return sorted({str(v) for v in self.rhs})

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} IN ({constants_sql(self.rhs)})", params
