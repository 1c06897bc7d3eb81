"""Fixtures of case tests: an item with a checklist, chief officers holding grants, and a
helper that takes an application in."""

import datetime

import pytest

from tests.cases.factories import (
    FINAL_MATERIALS,
    grant_for,
    make_item,
    officer,
    receive,
)

D = datetime.date


@pytest.fixture(autouse=True)
def _db_rate_store(settings):
    """Rate counters in the test database (rolled back with each test), not a shared Redis."""
    settings.REDIS_URL = ""


@pytest.fixture
def item(dept_admin, department):
    return make_item(dept_admin, department, name="保安服务公司设立许可", promised=20)


@pytest.fixture
def chief(center_admin, department, item):
    """The department's chief service officer, deciding `item` finally (window staff)."""
    person = officer(department, name="陆文博")
    grant_for(center_admin, department, person, final=[item])
    return person.user


@pytest.fixture
def received(clerk, item):
    """A complete application received at the window on Friday 2025-09-26."""
    return receive(clerk, item, materials=FINAL_MATERIALS, on=D(2025, 9, 26))


@pytest.fixture
def incomplete(clerk, item):
    """An application missing the business licence, received on 2025-09-26."""
    return receive(clerk, item, materials=["申请书"], on=D(2025, 9, 26))
