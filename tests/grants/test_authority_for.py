"""selectors.authority_for: the single answer to "may this person decide (or first-review)
this item on this day, and by which grant?" (N-13). Computed from dates only."""

import datetime

import pytest

from tests.grants.factories import candidate, item, make_grant
from zwfw.grants import selectors, services
from zwfw.grants.models import Grant
from zwfw.grants.terms import GrantStatus

D = datetime.date


@pytest.fixture
def setup(center_admin, department):
    final, prelim = item(department), item(department)
    person = candidate(department)
    grant = make_grant(
        center_admin,
        department,
        grantee=person,
        final=[final],
        preliminary=[prelim],
        valid_from=D(2025, 1, 1),
        valid_to=D(2026, 12, 31),
        decided_on=D(2024, 12, 20),
    )
    return grant, person, final, prelim


def test_final_item_on_the_first_day(setup):
    """N-13: on valid_from the grantee decides final items, and the grant is named."""
    grant, person, final, _ = setup
    authority = selectors.authority_for(person, final, on=D(2025, 1, 1))
    assert authority.grant == grant
    assert authority.scope == "final"
    assert authority.may_decide
    assert authority.powers == frozenset(["decide", "review_and_report", "use_seal", "coordinate"])


def test_last_day_still_gives_authority(setup):
    """N-13: valid_to is the last day of authority."""
    grant, person, final, _ = setup
    assert selectors.authority_for(person, final, on=D(2026, 12, 31)).grant == grant


def test_nothing_the_day_before_or_the_day_after(setup):
    """N-13/N-12: no authority before valid_from nor on the day after valid_to."""
    _, person, final, _ = setup
    assert selectors.authority_for(person, final, on=D(2024, 12, 31)) is None
    assert selectors.authority_for(person, final, on=D(2027, 1, 1)) is None


def test_expiry_does_not_wait_for_the_status_task(setup):
    """N-12: the stored status may still say active; authority ends anyway."""
    grant, person, final, _ = setup
    Grant.objects.filter(pk=grant.pk).update(status=GrantStatus.ACTIVE)
    assert selectors.authority_for(person, final, on=D(2027, 1, 1)) is None


def test_stale_revoked_status_does_not_matter_either(setup):
    """N-13: authority reads the dates, not the stored status."""
    grant, person, final, _ = setup
    Grant.objects.filter(pk=grant.pk).update(status=GrantStatus.EXPIRED)
    assert selectors.authority_for(person, final, on=D(2025, 6, 1)).grant == grant


def test_preliminary_item_is_first_review_only(setup):
    """N-13: a preliminary item gives first review, not the final decision."""
    grant, person, _, prelim = setup
    authority = selectors.authority_for(person, prelim, on=D(2025, 6, 1))
    assert authority.scope == "preliminary"
    assert authority.grant == grant
    assert not authority.may_decide


def test_item_not_in_the_grant_gives_nothing(setup, department):
    """N-13: another item of the same department is not covered."""
    _, person, _, _ = setup
    assert selectors.authority_for(person, item(department), on=D(2025, 6, 1)) is None


def test_other_department_item_gives_nothing(setup, other_department):
    """N-13: an item of another department is never covered."""
    _, person, _, _ = setup
    assert selectors.authority_for(person, item(other_department), on=D(2025, 6, 1)) is None


def test_other_person_gets_nothing(setup, department):
    """N-13: the grant belongs to its grantee only."""
    _, _, final, _ = setup
    assert selectors.authority_for(candidate(department), final, on=D(2025, 6, 1)) is None


def test_revoked_from_the_revocation_date(setup, lg):
    """N-12/N-13: revoked grants give nothing from the revocation date."""
    grant, person, final, _ = setup
    services.revoke_grant(by=lg, grant=grant, reason="工作调整", on=D(2025, 6, 1))
    assert selectors.authority_for(person, final, on=D(2025, 5, 31)).grant == grant
    assert selectors.authority_for(person, final, on=D(2025, 6, 1)) is None
    assert selectors.authority_for(person, final, on=D(2026, 1, 1)) is None


def test_item_taken_off_the_chief_list_gives_nothing(setup):
    """C-4.1/N-13: an item excluded from the list later follows the normal procedure."""
    _, person, final, _ = setup
    final.chief_list_included = False
    final.save()
    assert selectors.authority_for(person, final, on=D(2025, 6, 1)) is None


def test_final_wins_over_preliminary_across_two_grants(setup, center_admin, department):
    """N-13: with two grants covering one item, the final one answers."""
    grant, person, final, prelim = setup
    second = make_grant(
        center_admin,
        department,
        grantee=person,
        final=[prelim],
        valid_from=D(2025, 3, 1),
        valid_to=D(2027, 2, 28),
        decided_on=D(2025, 3, 1),
        business_domain="第二领域",
        justification="业务量大",
    )
    authority = selectors.authority_for(person, prelim, on=D(2025, 6, 1))
    assert (authority.grant, authority.scope) == (second, "final")


def test_authority_costs_one_query(setup, django_assert_num_queries):
    _, person, final, _ = setup
    with django_assert_num_queries(1):
        selectors.authority_for(person, final, on=D(2025, 6, 1))


def test_current_chief_officers(setup, center_admin, other_department, department):
    """N-13: current officers on a day, per department."""
    grant, *_ = setup
    other = make_grant(
        center_admin,
        other_department,
        valid_from=D(2026, 1, 1),
        valid_to=D(2027, 12, 31),
        decided_on=D(2025, 12, 1),
    )
    assert list(selectors.current_chief_officers(on=D(2025, 6, 1))) == [grant]
    assert set(selectors.current_chief_officers(on=D(2026, 6, 1))) == {grant, other}
    assert list(
        selectors.current_chief_officers(department=other_department, on=D(2026, 6, 1))
    ) == [other]
    assert list(selectors.current_chief_officers(on=D(2027, 6, 1))) == [other]
