"""Fixtures of the comprehensive window (R-17): a center with two departments, a comprehensive
window Z01, a clerk posted there (window_staff of the center's own office, not of either
department), and the center's authorization of the first department's item."""

import datetime

import pytest

from tests.cases.conftest import _db_rate_store, chief, item  # noqa: F401  (shared fixtures)
from tests.cases.factories import make_item
from tests.factories import DepartmentFactory, staff
from zwfw.org.models import Window
from zwfw.windows import services as windows

D = datetime.date


@pytest.fixture
def window(center):
    return Window.objects.create(
        center=center, number="Z01", name="无差别综合受理窗口", kind=Window.Kind.COMPREHENSIVE
    )


@pytest.fixture
def office(center):
    """The center's own office, where comprehensive-window clerks are employed."""
    return DepartmentFactory(code="D-ZX", name="示范市政务服务中心办公室", center=center)


@pytest.fixture
def zclerk(office, window, center_admin):
    person = staff("window_staff", department=office, name="沈一窗")
    windows.post_staff(by=center_admin, window=window, person=person, valid_from=D(2025, 1, 1))
    return person.user


@pytest.fixture
def unlisted_item(dept_admin, department):
    """An item of the authorized department that the authorization does not list."""
    return make_item(dept_admin, department, name="保安培训单位备案")


@pytest.fixture
def other_item(other_department):
    admin = staff("department_admin", department=other_department).user
    return make_item(admin, other_department, name="道路运输经营许可")


@pytest.fixture
def authorization(center_admin, window, department, item):  # noqa: F811
    approver = center_admin.person
    return windows.authorize(
        by=center_admin,
        window=window,
        department=department,
        items=[item],
        approved_on=D(2025, 8, 29),
        approved_by=approver,
        approval_ref="示政服〔2025〕12号",
    )
