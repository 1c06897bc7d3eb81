from django.contrib import admin

from zwfw.grants.models import (
    CommitteeMeeting,
    CommitteeMember,
    DecisionCommittee,
    Grant,
    GrantProposal,
    LeadingGroupDecision,
    SectionHeadFiling,
)


# Read-only: every change goes through services so that the audit chain records it.
class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Grant)
class GrantAdmin(ReadOnlyAdmin):
    list_display = [
        "department",
        "role",
        "grantee",
        "valid_from",
        "valid_to",
        "status",
        "revoked_on",
    ]
    list_filter = ["role", "status"]
    list_select_related = ["department", "grantee"]


@admin.register(GrantProposal)
class GrantProposalAdmin(ReadOnlyAdmin):
    list_display = ["department", "role", "grantee", "proposed_on", "status"]
    list_select_related = ["department", "grantee"]


@admin.register(LeadingGroupDecision)
class LeadingGroupDecisionAdmin(ReadOnlyAdmin):
    list_display = ["decided_on", "kind", "result", "grant"]


@admin.register(SectionHeadFiling)
class SectionHeadFilingAdmin(ReadOnlyAdmin):
    list_display = ["department", "person", "acting", "filed_on", "ended_on"]
    list_select_related = ["department", "person"]


@admin.register(DecisionCommittee)
class DecisionCommitteeAdmin(ReadOnlyAdmin):
    list_display = ["name", "center", "department"]


@admin.register(CommitteeMember)
class CommitteeMemberAdmin(ReadOnlyAdmin):
    list_display = ["committee", "person", "position", "active"]


@admin.register(CommitteeMeeting)
class CommitteeMeetingAdmin(ReadOnlyAdmin):
    list_display = ["committee", "title", "held_on", "status", "quorum_met"]
