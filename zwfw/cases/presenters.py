"""The staff case page's display values, computed once per page in Python.

Django's template engine spent about half of the page's time resolving `case.get_x_display`,
`|date` filters, reverse one-to-one relations that do not exist (each a caught exception and
a `dir()` of the case) and one `{% url %}` per offered action. The values here are exactly what
those expressions rendered; what may happen still comes from offers.offered (the view's
`buttons` and `forms`), never from here."""

import datetime

from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils.timezone import template_localtime

from zwfw.cases import offers
from zwfw.cases.models import Applicant, Case, CaseMaterial
from zwfw.cases.states import Action, CaseState

_IRREVERSIBLE = frozenset(a.value for a in offers.IRREVERSIBLE)
_ACTION_LABELS = {a.value: a.label for a in Action}
_PLACEHOLDER = "~"  # kept as is by reverse(); no action value contains it


def _day(value) -> str:
    """`value|date:"Y-m-d"` for a date (or None)."""
    return "" if value is None else f"{value:%Y-%m-%d}"


def _minute(value: datetime.datetime | None) -> str:
    """`value|date:"Y-m-d H:i"` for a datetime, in the current time zone as the filter shows it."""
    return "" if value is None else f"{template_localtime(value):%Y-%m-%d %H:%M}"


def _labels(model, field: str) -> dict:
    # Read once: get_FOO_display builds this dict on every call. The labels stay lazy, so
    # each page shows them in its own language.
    return dict(model._meta.get_field(field).flatchoices)


_CASE_STATUS = _labels(Case, "status")
_PROCEDURE = _labels(Case, "procedure")
_CHANNEL = _labels(Case, "channel")
_RESULT = _labels(Case, "result")
_APPLICANT_KIND = _labels(Applicant, "kind")
_MATERIAL_STATUS = _labels(CaseMaterial, "status")
_MATERIAL_FORM = _labels(CaseMaterial, "form")


def _label(labels: dict, value) -> str:
    """`get_FOO_display()`: the choice's label, or the value itself when it is not a choice."""
    return str(labels.get(value, value))


def _related(case, name: str):
    """A reverse one-to-one or None; the template's lookup raised and caught DoesNotExist."""
    try:
        return getattr(case, name)
    except ObjectDoesNotExist:
        return None


def case_page(case, *, notice, buttons, forms) -> dict:
    """What case_detail.html shows of `case`, its actions' rows and their URLs."""
    number = case.number
    status = case.status
    act = reverse("cases:act", args=[number, _PLACEHOLDER])
    head, _, tail = act.rpartition(_PLACEHOLDER)
    remaining = case.remaining_workdays
    if remaining is None or case.decided_on:
        remaining_text = ""
    elif remaining < 0:
        remaining_text = "，已逾期"
    else:
        remaining_text = f"，剩余{remaining}个工作日"
    urls = {"agency": reverse("windows:agency", args=[number])}
    if notice:
        urls["notice"] = reverse("cases:document", args=[number, "notice"])
    if case.accepted_on:
        urls["acceptance"] = reverse("cases:document", args=[number, "acceptance"])
    if case.refused_on:
        urls["refusal"] = reverse("cases:document", args=[number, "refusal"])
    return {
        "status": _label(_CASE_STATUS, status),
        "procedure": _label(_PROCEDURE, case.procedure),
        "channel": _label(_CHANNEL, case.channel),
        "kind": _label(_APPLICANT_KIND, case.applicant.kind),
        "identifier": case.applicant.masked_identifier,
        "phone": case.masked_phone,
        "name_mismatch": case.name_mismatch,
        "received": _minute(case.received_at),
        "acceptance_deadline": (
            _day(case.acceptance_deadline) if status == CaseState.RECEIVED else None
        ),
        "accepted_on": _day(case.accepted_on),
        "due_date": _day(case.due_date),
        "remaining": remaining_text,
        "decided_on": _day(case.decided_on),
        "result": _label(_RESULT, case.result) if case.decided_on else "",
        "first_reviewed_on": _day(case.first_reviewed_on),
        "intake_window": _related(case, "intake_window"),
        "intake_receipt": _related(case, "intake_receipt"),
        "decision_document": _related(case, "decision_document"),
        "delivery": _related(case, "delivery"),
        "awaiting_delivery": status == CaseState.DECIDED,
        "urls": urls,
        "buttons": [
            {
                "url": f"{head}{a.value}{tail}",
                "label": str(a.label),
                "irreversible": a.value in _IRREVERSIBLE,
            }
            for a in buttons
        ],
        "forms": [
            {
                "name": name,
                "form": form,
                "url": f"{head}{name}{tail}",
                "label": str(_ACTION_LABELS.get(name, "")),
                "irreversible": name in _IRREVERSIBLE,
            }
            for name, form in forms.items()
        ],
        "materials": [
            {
                "name": m.name,
                "required": "是" if m.required else "否",
                "status": _label(_MATERIAL_STATUS, m.status),
                "form": _label(_MATERIAL_FORM, m.form) or "—",
                "problem": m.problem,
            }
            for m in case.materials.all()
        ],
        "events": [
            {"at": _minute(e.at), "actor": e.actor_name, "text": e.text} for e in case.events.all()
        ],
    }
