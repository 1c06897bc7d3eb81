"""The vague-phrase list (R-14): a setting that center administrators extend."""

from django.db import transaction

from zwfw.catalog.models import VaguePhrase
from zwfw.core import audit
from zwfw.core.errors import RuleViolation
from zwfw.core.permissions import Role, require_role


@transaction.atomic
def add_vague_phrase(*, by, phrase: str) -> VaguePhrase:
    """Add a phrase that guides may no longer contain (R-14)."""
    require_role(by, Role.CENTER_ADMIN)
    phrase = "".join((phrase or "").split())
    if len(phrase) < 2:
        raise RuleViolation("invalid", "模糊表述至少2个字", field="phrase")
    if len(phrase) > 50:
        raise RuleViolation("invalid", "模糊表述不能超过50个字", field="phrase")
    found = VaguePhrase.objects.filter(phrase=phrase).first()
    if found and found.active:
        raise RuleViolation("duplicate", f"“{phrase}”已在列表中", field="phrase", status=409)
    if found:
        found.active = True
        found.save(update_fields=["active"])
        audit.record(actor=by, action="enable_vague_phrase", obj=found, after={"phrase": phrase})
        return found
    created = VaguePhrase.objects.create(phrase=phrase)
    audit.record(actor=by, action="add_vague_phrase", obj=created, after={"phrase": phrase})
    return created


@transaction.atomic
def set_vague_phrase_active(*, by, phrase: VaguePhrase, active: bool) -> VaguePhrase:
    """Switch a phrase on or off; rows are kept so the history of the setting stays readable."""
    require_role(by, Role.CENTER_ADMIN)
    before = phrase.active
    phrase.active = bool(active)
    phrase.save(update_fields=["active"])
    audit.record(
        actor=by,
        action="enable_vague_phrase" if active else "disable_vague_phrase",
        obj=phrase,
        before={"active": before},
        after={"active": phrase.active},
    )
    return phrase
