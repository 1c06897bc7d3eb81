import pytest

from tests.factories import staff


@pytest.fixture
def platform_auditor(center):
    """An auditor without a scope: the audit trail is platform-wide (issue 11 point 9)."""
    user = staff("auditor", center=center).user
    user.role_assignments.update(center=None, department=None)
    return user
