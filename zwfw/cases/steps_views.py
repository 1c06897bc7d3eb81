"""Staff pages of the normal procedure (N-4, R-15): the step form on the case page (through
the `case_steps` tag), the action that records a step, and the 待我办理 home panel."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from zwfw.cases import selectors, services
from zwfw.cases.models import Result
from zwfw.cases.services import steps
from zwfw.core.basis import explain
from zwfw.core.errors import RuleViolation
from zwfw.core.home import Panel


class StepForm(forms.Form):
    step = forms.CharField(widget=forms.HiddenInput, max_length=100)
    opinion = forms.CharField(
        label="意见", max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.ChoiceField(
        label="结果",
        choices=[("", "（不选）"), *Result.choices],
        required=False,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, last: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if last:
            # The last step decides (N-4): approve or deny is required.
            self.fields["result"] = forms.ChoiceField(
                label="决定", choices=Result.choices, widget=forms.RadioSelect
            )


@login_required
@require_POST
def record_step(request, number):
    """Record the current step; refusals come back as a message on the case page."""
    case = services.bring_up_to_date(case=selectors.case_for_action(request.user, number))
    form = StepForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写办理意见")
        return redirect("cases:detail", number=number)
    d = form.cleaned_data
    try:
        services.record_step(
            case=case, by=request.user, step=d["step"], opinion=d["opinion"], result=d["result"]
        )
    except RuleViolation as exc:
        messages.error(request, explain(exc))
        return redirect("cases:detail", number=number)
    messages.success(request, f"已办理“{d['step']}”环节")
    return redirect("cases:detail", number=number)


def my_steps_panel(user) -> Panel | None:
    """待我办理: normal-procedure steps waiting for a post this person holds."""
    person = getattr(user, "person", None)
    if person is None:
        return None
    # Read once: the posts in force are what awaiting needs, any post at all is whether
    # the panel shows (no second query for that check).
    assignments = steps.post_assignments(person)
    rows = [
        {
            "text": f"{case.number} {case.item.name}",
            "url": reverse("cases:detail", args=[case.number]),
            "level": case.alert_level,
            "meta": f"待办理环节：{step['step']}（{step['post']}）",
        }
        for case, step in steps.awaiting(person, assignments=assignments)
    ]
    if not rows and not assignments:
        return None  # holds no post: nothing to show
    return Panel(title="待我办理（一般程序环节）", rows=rows, empty="没有待我办理的环节", order=9)
