"""Which tests are slow, and how thoroughly property tests explore.

`make test` on SQLite (a fresh clone on a 2-core machine) leaves out the tests marked
`slow`: the crawls of the whole demo city, schemathesis over every API operation, every
public page at phone width, the 10,000-row import. They run on PostgreSQL, the production
database (`.ci/run`'s second pass), and wherever ZWFW_SLOW=1 (`make test-all`);
ZWFW_SLOW=0 leaves them out on PostgreSQL too. Property tests ask `examples(n)`: n examples
when slow tests run, a sixth of them (at least 25) otherwise.
"""

import os


def enabled() -> bool:
    flag = os.environ.get("ZWFW_SLOW", "")
    if flag in ("0", "1"):
        return flag == "1"
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


SLOW = enabled()


def examples(n: int) -> int:
    return n if SLOW else max(25, n // 6)
