"""require_role call sites of zwfw.talents, merged into tests/core/test_permissions_scope.SITES."""

SITES: dict[str, set[str]] = {
    "zwfw.talents.services:register_window": {"center"},
}
