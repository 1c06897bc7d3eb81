from tests.grants.conftest import lg, lg_person  # noqa: F401  (shared grants fixtures)
