import pytest


@pytest.fixture(autouse=True)
def _huey_immediate():
    """Tasks run in-process: djhuey built its HUEY before the test settings changed."""
    from huey.contrib.djhuey import HUEY

    before = HUEY.immediate
    HUEY.immediate = True
    yield
    HUEY.immediate = before
