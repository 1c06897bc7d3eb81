"""Writes of the catalog, one function per use case (re-exported from the sub-modules)."""

from zwfw.catalog.services.channels import set_item_channels
from zwfw.catalog.services.imports import ImportRejected, ImportResult, import_items
from zwfw.catalog.services.items import create_item, decide_inclusion, update_item
from zwfw.catalog.services.lists import (
    approve_list,
    create_campaign,
    note_list_changed,
    return_list,
    set_due_date,
    submit_list,
)
from zwfw.catalog.services.phrases import add_vague_phrase, set_vague_phrase_active

__all__ = [
    "ImportRejected",
    "ImportResult",
    "add_vague_phrase",
    "approve_list",
    "create_campaign",
    "create_item",
    "decide_inclusion",
    "import_items",
    "note_list_changed",
    "return_list",
    "set_due_date",
    "set_item_channels",
    "set_vague_phrase_active",
    "submit_list",
    "update_item",
]
