"""Callbacks run when the decision committee decides an agenda item (N-14).

Other apps attach matters to the agenda by a reference string (e.g. a case number) and learn
the outcome here without grants importing them:

    # zwfw/cases/apps.py
    def ready(self):
        from zwfw.grants import hooks
        from zwfw.cases import services
        hooks.on_agenda_decided.append(services.on_agenda_decided)

A callback takes keyword arguments `item` (the decided AgendaItem) and `by` (the user who
recorded the decision). It runs inside `decide_agenda_item`'s transaction: an exception rolls
the committee's decision back too, so the agenda and the referred matter never disagree.
"""

from collections.abc import Callable

on_agenda_decided: list[Callable[..., None]] = []


def agenda_item_decided(*, item, by) -> None:
    for callback in list(on_agenda_decided):
        callback(item=item, by=by)
