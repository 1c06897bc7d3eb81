"""Issue 11 point 9 (scope semantics): decision committees (N-14) are listed by the
committee's center within the reader's scope; a global role sees every center's."""

import pytest

from tests.factories import CenterFactory, DepartmentFactory, staff
from zwfw.core.errors import NotFound
from zwfw.grants import selectors, services

pytestmark = pytest.mark.django_db


def test_point9_committees_filtered_by_center_scope(center, center_admin, platform_admin):
    """Point 9 / N-14: a committee member scoped to one center does not see another
    center's committee, nor may it open it; a global role sees both."""
    far = CenterFactory(code="C370399", name="另一县政务服务中心")
    own = services.create_committee(by=center_admin, center=center)
    other = services.create_committee(by=platform_admin, center=far)
    member = staff(
        "committee_member", department=DepartmentFactory(center=center), center=center
    ).user
    far_member = staff(
        "committee_member", department=DepartmentFactory(center=far), center=far
    ).user
    for user in (member, center_admin):
        assert list(selectors.committees(user)) == [own]
        with pytest.raises(NotFound):
            selectors.committee_for(user, other.pk)
    assert list(selectors.committees(far_member)) == [other]
    assert set(selectors.committees(platform_admin)) == {own, other}
