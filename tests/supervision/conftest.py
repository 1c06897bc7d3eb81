"""Fixtures of supervision tests: a supervisor and a discipline officer scoped to the center,
three departments with closed cases, and an inspector pool across departments."""

import datetime

import pytest

from tests.factories import DepartmentFactory, staff
from tests.supervision.factories import closed_case, inspector

D = datetime.date


@pytest.fixture
def supervisor(center):
    return staff(
        "supervisor", department=DepartmentFactory(center=center), center=center, name="督查员"
    ).user


@pytest.fixture
def discipline(center):
    return staff(
        "discipline", department=DepartmentFactory(center=center), center=center, name="纪检员"
    ).user


@pytest.fixture
def third_department(center):
    return DepartmentFactory(code="D-ZR", name="示范市自然资源局", center=center)


@pytest.fixture
def pool(department, other_department, third_department):
    """Two inspectors in each of the three departments."""
    return [inspector(d) for d in (department, other_department, third_department) for _ in (0, 1)]


@pytest.fixture
def population(department, other_department, third_department):
    """30 cases closed in September 2026: 15 + 10 + 5 across the departments."""
    cases = []
    for dept, n in ((department, 15), (other_department, 10), (third_department, 5)):
        for i in range(n):
            cases.append(closed_case(dept, on=D(2026, 9, 1) + datetime.timedelta(days=i % 28)))
    return cases
