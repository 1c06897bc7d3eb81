"""Fixtures of the resident-staff app: a department stationed at the center with a
government service section, its admin, the center admin, and people of several ages."""

import datetime

import pytest

from tests.factories import PersonFactory, SectionFactory
from zwfw.staff import services

D = datetime.date


@pytest.fixture
def section(department):
    return SectionFactory(department=department, name="政务服务科", is_service_section=True)


@pytest.fixture
def make_person(department, section):
    def make(**fields):
        fields.setdefault("department", department)
        fields.setdefault("section", section)
        return PersonFactory(**fields)

    return make


@pytest.fixture
def young(make_person):
    return make_person(name="李青", birth_date=D(1990, 5, 1), unit_start_date=D(2015, 3, 1))


@pytest.fixture
def resident(center_admin, dept_admin, young, department):
    """`young` stationed since 2025-01-02 (admitted through the service)."""
    admission = services.apply_admission(
        by=dept_admin, person=young, department=department, start_date=D(2025, 1, 2)
    )
    services.review_admission(
        by=center_admin,
        admission=admission,
        result="pass",
        reviewed_on=D(2024, 12, 30),
        hr_reviewer="组织部 王审核",
    )
    return young.resident_assignments.get()
