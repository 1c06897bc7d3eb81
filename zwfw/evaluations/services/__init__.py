"""Writes of 好差评, one function per use case (re-exported: call sites read
`services.rate_case(...)`)."""

from zwfw.evaluations.services.appeals import decide_appeal, file_appeal
from zwfw.evaluations.services.devices import (
    deactivate_device,
    device_seen,
    register_device,
    register_integrator,
)
from zwfw.evaluations.services.ratings import (
    confirm_rater_phone,
    integrator_of,
    rate_at_sheet,
    rate_case,
    rate_visit,
    refuse_own_unit,
    send_rating_code,
    start_visit,
    visit_for_token,
)
from zwfw.evaluations.services.rectifications import (
    call_back,
    close_rectification,
    extend_rectification,
    record_rectified,
    refresh_rectifications,
    report_back,
)
from zwfw.evaluations.services.unrated import default_unrated, invite_unrated, process_unrated

__all__ = [
    "call_back",
    "confirm_rater_phone",
    "integrator_of",
    "refuse_own_unit",
    "register_integrator",
    "send_rating_code",
    "close_rectification",
    "deactivate_device",
    "decide_appeal",
    "default_unrated",
    "device_seen",
    "extend_rectification",
    "file_appeal",
    "invite_unrated",
    "process_unrated",
    "rate_at_sheet",
    "rate_case",
    "rate_visit",
    "record_rectified",
    "refresh_rectifications",
    "register_device",
    "report_back",
    "start_visit",
    "visit_for_token",
]
