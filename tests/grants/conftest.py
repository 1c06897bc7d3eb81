import pytest

from tests.grants.factories import leader


@pytest.fixture
def lg(center):
    """A leading-group member's account (scoped to the center)."""
    return leader(center).user


@pytest.fixture
def lg_person(lg):
    return lg.person
