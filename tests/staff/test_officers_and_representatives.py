"""R-12 (chief representative's page and training), N-19 (chief officers' annual review),
R-25 (each center its own bulletin; the city reads the county's)."""

import datetime
from decimal import Decimal

import pytest

from tests.cases.factories import grant_for, make_item, officer
from tests.factories import CenterFactory, DepartmentFactory, staff
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.staff import selectors, services
from zwfw.staff.models import OfficerReview, Training

D = datetime.date
pytestmark = pytest.mark.django_db


def test_R_12_training_and_promised_items_page(
    client, dept_admin, department, resident, make_person
):
    make_item(dept_admin, department, name="保安员证核发", promised=5, legal=20)
    client.force_login(dept_admin)
    page = client.get(f"/staff/departments/{department.pk}/").content.decode()
    assert "保安员证核发" in page and "20" in page
    outsider = make_person(name="未进驻")
    with pytest.raises(RuleViolation):
        services.record_training(
            by=dept_admin,
            department=department,
            held_on=D(2025, 3, 1),
            topic="x",
            attendees=[outsider],
        )
    r = client.post(
        f"/staff/departments/{department.pk}/",
        {"held_on": "2025-03-01", "topic": "一次性告知规范", "attendees": [resident.person_id]},
    )
    assert r.status_code == 302
    t = Training.objects.get()
    assert list(t.attendees.all()) == [resident.person]
    assert "一次性告知规范" in client.get(f"/staff/departments/{department.pk}/").content.decode()


def test_N_19_officer_year_recommendation_approved_by_leading_group(
    center, department, center_admin, dept_admin
):
    chief = officer(department, name="首席甲")
    item = make_item(dept_admin, department)
    grant_for(
        center_admin,
        department,
        chief,
        final=[item],
        valid_from=D(2025, 1, 1),
        valid_to=D(2026, 12, 31),
    )
    assert chief in selectors.chief_officers(center_admin, 2025)
    with pytest.raises(RuleViolation):
        services.review_officer(
            by=center_admin, person=chief, year=2025, recommended=True, reason=""
        )
    review = services.review_officer(
        by=center_admin, person=chief, year=2025, recommended=True, reason="全年无超期，好评率高"
    )
    assert review.facts["decided"] == 0 and review.status == "draft"
    with pytest.raises(Forbidden):
        services.approve_recommendations(by=center_admin, center=center, year=2025)
    leader = staff("leading_group", department=DepartmentFactory(center=center), center=center).user
    assert services.approve_recommendations(by=leader, center=center, year=2025) == 1
    review.refresh_from_db()
    assert review.status == OfficerReview.Status.APPROVED and review.approved_by == leader
    with pytest.raises(Conflict):
        services.review_officer(by=center_admin, person=chief, year=2025, recommended=False)


def test_R_25_county_center_rules_and_city_reads_bulletins(center, center_admin):
    """R-25: a county center uses the same rules with its own share and bulletin; a county
    admin cannot publish the city's; the city admin reads the county's."""
    from zwfw.staff.models import MonthlyBulletin

    county = CenterFactory(code="C-COUNTY", name="县中心", parent=center)
    county.refresh_path()
    dept = DepartmentFactory(center=county)
    county_admin = staff("center_admin", department=dept, center=county).user
    services.set_excellent_share(by=county_admin, center=county, share="0.3")
    assert services.excellent_share(county) == Decimal("0.3")
    assert services.excellent_share(center) == Decimal("0.15")
    with pytest.raises(Forbidden):
        services.set_excellent_share(by=county_admin, center=center, share="0.3")
    b = MonthlyBulletin.objects.create(
        center=county,
        month=D(2025, 1, 1),
        headcount=0,
        average=0,
        issued_at="2025-02-01T00:00:00+08:00",
    )
    assert b in selectors.bulletins(center_admin)
    assert b in selectors.bulletins(county_admin)
    assert selectors.rules_for(county)[0].code == "base"
