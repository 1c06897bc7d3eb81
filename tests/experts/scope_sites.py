"""require_role call sites of zwfw.experts, merged into tests/core/test_permissions_scope.SITES."""

SITES: dict[str, set[str]] = {
    "zwfw.experts.services:_require_office": {"anywhere"},
    "zwfw.experts.services:_require_committee": {"anywhere"},
    "zwfw.experts.services:_require_org_account": {"anywhere"},
}
