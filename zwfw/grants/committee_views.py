"""Staff pages of the decision committee (审批决策委员会, N-14): members, meetings,
attendance, agenda and named votes. Thin: parse, call, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.forms_util import add_violation
from zwfw.core.permissions import Role, has_role
from zwfw.grants import quorum, selectors, services
from zwfw.grants.forms import (
    AgendaItemForm,
    AttendanceForm,
    CommitteeForm,
    MeetingForm,
    MemberForm,
    VoteForm,
)
from zwfw.grants.models import AgendaItem
from zwfw.org import selectors as org_selectors


def _user_center(user):
    person = getattr(user, "person", None)
    if person is not None and person.department.center_id:
        return person.department.center
    return org_selectors.centers().first()


@login_required
def committee_list(request):
    center = _user_center(request.user)
    can_create = center is not None and has_role(request.user, Role.CENTER_ADMIN, center=center)
    form = CommitteeForm(request.POST or None) if can_create else None
    if request.method == "POST":
        if form is None:
            raise Forbidden("只有中心管理员可以设立审批决策委员会")
        if form.is_valid():
            try:
                committee = services.create_committee(
                    by=request.user, center=center, **form.cleaned_data
                )
            except RuleViolation as exc:
                add_violation(form, exc)
            else:
                messages.success(request, "审批决策委员会已设立")
                return redirect("grants:committee", committee_id=committee.pk)
    return render(
        request,
        "grants/committee_list.html",
        {
            "committees": selectors.committees(request.user),
            "form": form,
            "center": center,
        },
    )


def _committee_page(request, committee, member_form=None, meeting_form=None):
    can_admin = has_role(request.user, Role.CENTER_ADMIN, center=committee.center)
    can_manage = has_role(
        request.user, Role.CENTER_ADMIN, Role.COMMITTEE_MEMBER, center=committee.center
    )
    people = org_selectors.visible_people(request.user)
    return render(
        request,
        "grants/committee_detail.html",
        {
            "committee": committee,
            "meetings": selectors.meetings(committee),
            "can_admin": can_admin,
            "can_manage": can_manage,
            "member_form": member_form or (MemberForm(people=people) if can_admin else None),
            "meeting_form": meeting_form or (MeetingForm() if can_manage else None),
            "quorum": quorum.parse_ratio(committee.quorum, quorum.default_quorum()),
            "majority": quorum.parse_ratio(committee.majority, quorum.default_majority()),
        },
    )


@login_required
def committee_detail(request, committee_id: int):
    return _committee_page(request, selectors.committee_for(request.user, committee_id))


@login_required
@require_POST
def member_add(request, committee_id: int):
    committee = selectors.committee_for(request.user, committee_id)
    form = MemberForm(request.POST, people=org_selectors.visible_people(request.user))
    if form.is_valid():
        try:
            services.add_committee_member(by=request.user, committee=committee, **form.cleaned_data)
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, "成员已加入委员会")
            return redirect("grants:committee", committee_id=committee.pk)
    return _committee_page(request, committee, member_form=form)


@login_required
@require_POST
def member_remove(request, committee_id: int, member_id: int):
    committee = selectors.committee_for(request.user, committee_id)
    member = next((m for m in committee.members.all() if m.pk == member_id), None)
    if member is None:
        raise RuleViolation("not_found", "未找到该成员", status=404)
    services.remove_committee_member(by=request.user, member=member)
    messages.success(request, f"{member.person.name}已离任")
    return redirect("grants:committee", committee_id=committee.pk)


@login_required
@require_POST
def meeting_create(request, committee_id: int):
    committee = selectors.committee_for(request.user, committee_id)
    form = MeetingForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.schedule_meeting(
                by=request.user, committee=committee, **form.cleaned_data
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, "会议已安排")
            return redirect("grants:meeting", meeting_id=meeting.pk)
    return _committee_page(request, committee, meeting_form=form)


def _meeting_page(request, meeting, attendance_form=None, agenda_form=None, vote_forms=None):
    can_manage = has_role(
        request.user, Role.CENTER_ADMIN, Role.COMMITTEE_MEMBER, center=meeting.committee.center
    )
    rows = list(meeting.attendance.all())
    present = [a.member for a in rows if a.present]
    items = list(meeting.agenda_items.all())
    vote_forms = vote_forms or {}
    for item in items:
        item.vote_form = None
        if can_manage and item.result == AgendaItem.Result.PENDING and meeting.quorum_met:
            item.vote_form = vote_forms.get(item.pk) or VoteForm(
                present=present, prefix=f"item{item.pk}"
            )
    return render(
        request,
        "grants/meeting_detail.html",
        {
            "meeting": meeting,
            "attendance": rows,
            "items": items,
            "can_manage": can_manage,
            "decided": any(i.result != AgendaItem.Result.PENDING for i in items),
            "attendance_form": attendance_form or AttendanceForm(rows=rows),
            "agenda_form": agenda_form or AgendaItemForm(),
        },
    )


@login_required
def meeting_detail(request, meeting_id: int):
    return _meeting_page(request, selectors.meeting_for(request.user, meeting_id))


@login_required
@require_POST
def meeting_attendance(request, meeting_id: int):
    meeting = selectors.meeting_for(request.user, meeting_id)
    rows = list(meeting.attendance.all())
    form = AttendanceForm(request.POST, rows=rows)
    if form.is_valid():
        chosen = {int(v) for v in form.cleaned_data["present"]}
        try:
            services.record_attendance(
                by=request.user,
                meeting=meeting,
                present=[a.member for a in rows if a.member_id in chosen],
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, "出席情况已登记")
            return redirect("grants:meeting", meeting_id=meeting.pk)
    return _meeting_page(request, meeting, attendance_form=form)


@login_required
@require_POST
def agenda_add(request, meeting_id: int):
    meeting = selectors.meeting_for(request.user, meeting_id)
    form = AgendaItemForm(request.POST)
    if form.is_valid():
        try:
            services.add_agenda_item(by=request.user, meeting=meeting, **form.cleaned_data)
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, "议题已列入")
            return redirect("grants:meeting", meeting_id=meeting.pk)
    return _meeting_page(request, meeting, agenda_form=form)


@login_required
@require_POST
def agenda_decide(request, meeting_id: int, item_id: int):
    meeting = selectors.meeting_for(request.user, meeting_id)
    item = next((i for i in meeting.agenda_items.all() if i.pk == item_id), None)
    if item is None:
        raise RuleViolation("not_found", "未找到该议题", status=404)
    present = [a.member for a in meeting.attendance.all() if a.present]
    form = VoteForm(request.POST, present=present, prefix=f"item{item.pk}")
    if form.is_valid():
        try:
            services.decide_agenda_item(
                by=request.user,
                item=item,
                votes=form.votes(),
                decision_text=form.cleaned_data["decision_text"],
            )
        except RuleViolation as exc:
            add_violation(form, exc)
        else:
            messages.success(request, "表决结果已记录")
            return redirect("grants:meeting", meeting_id=meeting.pk)
    return _meeting_page(request, meeting, vote_forms={item.pk: form})
