"""require_role call sites of zwfw.staff, merged into tests/core/test_permissions_scope.SITES."""

SITES: dict[str, set[str]] = {}
