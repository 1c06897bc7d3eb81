"""Writes of case handling, one function per use case (re-exported: call sites read
`services.accept_case(...)`)."""

from zwfw.cases.services.acceptance import (
    accept_case,
    refuse_case,
    send_supplement_notice,
    supplement_case,
)
from zwfw.cases.services.applicants import may_rename, rename_applicant
from zwfw.cases.services.base import PhoneProof
from zwfw.cases.services.closing import complete_case, terminate_case, withdraw_case
from zwfw.cases.services.decision import (
    decide_case,
    first_review_case,
    handle_on_the_spot,
    on_agenda_decided,
    record_committee_decision,
    refer_case,
)
from zwfw.cases.services.intake import (
    AgentData,
    ApplicantData,
    create_project,
    procedure_for,
    take_in,
)
from zwfw.cases.services.steps import record_step
from zwfw.cases.services.timing import (
    bring_up_to_date,
    extend_case,
    pause_case,
    recompute_due_dates_for_year,
    refresh_open_cases,
    resume_case,
)

__all__ = [
    "AgentData",
    "ApplicantData",
    "PhoneProof",
    "accept_case",
    "bring_up_to_date",
    "complete_case",
    "create_project",
    "decide_case",
    "extend_case",
    "first_review_case",
    "handle_on_the_spot",
    "may_rename",
    "on_agenda_decided",
    "pause_case",
    "procedure_for",
    "recompute_due_dates_for_year",
    "record_committee_decision",
    "record_step",
    "refer_case",
    "refresh_open_cases",
    "refuse_case",
    "rename_applicant",
    "resume_case",
    "send_supplement_notice",
    "supplement_case",
    "take_in",
    "terminate_case",
    "withdraw_case",
]
