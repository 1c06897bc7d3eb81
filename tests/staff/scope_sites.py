"""require_role call sites of zwfw.staff, merged into tests/core/test_permissions_scope.SITES."""

SITES: dict[str, set[str]] = {
    "zwfw.staff.services:apply_admission": {"department"},
    "zwfw.staff.services:review_admission": {"center"},
    "zwfw.staff.services:end_assignment": {"center"},
    "zwfw.staff.services:submit_change": {"department"},
    "zwfw.staff.services:reply_change": {"center"},
    "zwfw.staff.services:request_leave": {"department"},
    "zwfw.staff.services:report_unrelated_task": {"center"},
    "zwfw.staff.services:record_training": {"department"},
    "zwfw.staff.services:adjust": {"center"},
    "zwfw.staff.services:compute_month": {"center"},
    "zwfw.staff.services:publish_bulletin": {"center"},
    "zwfw.staff.services:set_excellent_share": {"center"},
    "zwfw.staff.services:assign_grades": {"center"},
    "zwfw.staff.services:review_officer": {"department"},
    "zwfw.staff.services:approve_recommendations": {"center"},
    "zwfw.staff.services:save_indicator": {"center"},
    "zwfw.staff.services:import_attendance": {"center"},
    "zwfw.staff.services:correct_attendance": {"center"},
    "zwfw.staff.services:set_working_hours": {"center"},
}
