"""The normal procedure's steps on the case page (N-4, R-15): what was done, and the form of
the current step for a person holding its post."""

from django import template

from zwfw.cases.services import steps

register = template.Library()


@register.inclusion_tag("cases/_steps.html", takes_context=True)
def steps_panel(context, case):
    if case.procedure != "normal":
        return {"show": False}
    from zwfw.cases.steps_views import StepForm

    done = steps.steps_of(case)
    plan = steps.plan_for(case)
    current = steps.current_step(case, len(done))
    person = getattr(context["request"].user, "person", None)
    form = None
    if steps.may_record(person, case, current):
        last = len(done) == len(plan) - 1
        form = StepForm(initial={"step": current["step"]}, last=last)
    return {
        "show": True,
        "case": case,
        "done": done,
        "plan": plan[len(done) :],
        "current": current,
        "form": form,
        "csrf_token": context.get("csrf_token"),
    }
