import pytest

from tests.factories import staff


@pytest.fixture
def coordinator(center):
    """The coordination office (a center role) of the test center."""
    from tests.factories import DepartmentFactory

    return staff(
        "coordination_office", department=DepartmentFactory(center=center), center=center
    ).user


@pytest.fixture
def other_admin(other_department):
    return staff("department_admin", department=other_department).user


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded sample texts go to a throw-away directory, not var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = tmp_path / "media"
