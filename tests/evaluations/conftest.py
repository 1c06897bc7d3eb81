"""Fixtures of 好差评 tests: an item, a chief officer, a window, and completed cases made
through the case services."""

import datetime

import pytest

from tests.cases.factories import (
    PHONE,
    deliver_and_complete,
    grant_for,
    make_item,
    officer,
    receive,
)
from tests.factories import WindowFactory
from zwfw.cases import services as case_services

D = datetime.date


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The public rate limit lives in the cache: each test starts from zero."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def item(dept_admin, department):
    return make_item(dept_admin, department, name="保安服务公司设立许可", promised=20)


@pytest.fixture
def chief(center_admin, department, item):
    person = officer(department, name="陆文博")
    grant_for(center_admin, department, person, final=[item])
    return person.user


@pytest.fixture
def window(department):
    return WindowFactory(center=department.center, department=department, number="A01")


@pytest.fixture
def complete(clerk, chief, item):
    """complete(received_on, completed_on=None): a case taken in, accepted, decided and
    completed through the case services."""

    def make(received_on=None, completed_on=None, phone=PHONE):
        received_on = received_on or D(2026, 9, 28)
        case = receive(clerk, item, on=received_on, phone=phone)
        case = case_services.accept_case(case=case, by=clerk, on=received_on)
        done = completed_on or received_on
        case = case_services.decide_case(case=case, by=chief, result="approve", on=done)
        return deliver_and_complete(case, clerk, on=done)

    return make


@pytest.fixture
def case(complete):
    """A case completed on Monday 2026-09-28, just before National Day."""
    return complete()


@pytest.fixture
def integrator(center, center_admin):
    """An integrator account (API.md): the provincial 好差评 system's account, registered by
    the center; no person, no role."""
    from django.contrib.auth import get_user_model

    from zwfw.evaluations import services

    user = get_user_model().objects.create_user("haochaping", password="Zwfw#2026pass")
    services.register_integrator(by=center_admin, user=user, name="省好差评系统", center=center)
    return user
