"""Writes of supervision, one function per use case (re-exported: call sites read
`services.create_draw(...)`)."""

from zwfw.supervision.access import may_report_interference
from zwfw.supervision.services.draws import (
    Replay,
    add_pool_member,
    create_draw,
    record_finding,
    record_rectification,
    remind_overdue_rectifications,
    replay_draw,
    set_pool_member_active,
)
from zwfw.supervision.services.hotline import (
    HotlineRejected,
    HotlineResult,
    HotlineRow,
    handle_hotline,
    import_hotline,
    save_hotline,
)
from zwfw.supervision.services.integrity import (
    handle_interference,
    record_fault_tolerance,
    record_viewing,
    report_interference,
)

__all__ = [
    "HotlineRejected",
    "HotlineResult",
    "HotlineRow",
    "Replay",
    "add_pool_member",
    "create_draw",
    "handle_hotline",
    "handle_interference",
    "import_hotline",
    "may_report_interference",
    "record_fault_tolerance",
    "record_finding",
    "record_rectification",
    "record_viewing",
    "remind_overdue_rectifications",
    "replay_draw",
    "report_interference",
    "save_hotline",
    "set_pool_member_active",
]
