"""create_item / update_item / decide_inclusion: versions, audit, permissions (C-4.2 …)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.catalog.factories import item_data, make_item
from zwfw.catalog import selectors, services
from zwfw.catalog.models import ItemVersion, ServiceItem
from zwfw.core.errors import Forbidden, NotFound, RuleViolation
from zwfw.core.models import AuditEvent

pytestmark = pytest.mark.django_db

DAY1 = timezone.make_aware(datetime.datetime(2026, 1, 5, 9))
DAY2 = timezone.make_aware(datetime.datetime(2026, 3, 2, 10))


def test_create_item_writes_version_1_and_audit(dept_admin, department):
    """C-4.2: the first state of an item is version 1 with who, when and why."""
    item = services.create_item(
        by=dept_admin,
        department=department,
        data=item_data(code="S-1"),
        reason="新增事项",
        now=DAY1,
    )
    version = item.versions.get()
    assert (version.number, version.changed_by, version.reason) == (1, dept_admin, "新增事项")
    assert version.effective_from == datetime.date(2026, 1, 5)
    assert version.data["code"] == "S-1" and version.data["department_name"] == department.name
    assert AuditEvent.objects.filter(action="create_item", object_id=str(item.pk)).exists()


def test_update_keeps_primary_key_and_adds_version_c42(dept_admin, department):
    """C-4.2: a change is a new snapshot; the item's primary key never changes."""
    item = make_item(dept_admin, department, promised_limit_days=5)
    pk = item.pk
    updated = services.update_item(
        by=dept_admin, item=item, reason="依法调整", changes={"name": "新名称"}, now=DAY2
    )
    assert updated.pk == pk and updated.version_number == 2
    v1, v2 = ItemVersion.objects.filter(item_id=pk).order_by("number")
    assert v1.data["name"] != v2.data["name"] == "新名称"
    assert v2.reason == "依法调整" and v2.changed_by == dept_admin
    event = AuditEvent.objects.get(action="update_item", object_id=str(pk))
    assert event.before == {"name": v1.data["name"]} and event.after["name"] == "新名称"


def test_update_requires_a_reason_c42(dept_admin, department):
    """C-4.2: edits record why; without a reason the edit is refused."""
    item = make_item(dept_admin, department)
    with pytest.raises(RuleViolation) as exc:
        services.update_item(by=dept_admin, item=item, changes={"name": "x"}, reason=" ")
    assert exc.value.code == "C-4.2"
    assert ServiceItem.objects.get(pk=item.pk).version_number == 1


def test_update_without_change_makes_no_version(dept_admin, department):
    item = make_item(dept_admin, department)
    services.update_item(by=dept_admin, item=item, changes={"name": item.name}, reason="无")
    assert item.versions.count() == 1


def test_version_in_force_on_a_date_c42(dept_admin, department):
    """C-4.2: the guide in force on a date is the last version effective by then."""
    item = services.create_item(
        by=dept_admin, department=department, data=item_data(promised_limit_days=5), now=DAY1
    )
    services.update_item(
        by=dept_admin,
        item=item,
        reason="压缩时限",
        now=DAY2,
        changes={"promised_limit_days": 2, "steps": [{"name": "受理", "post": "窗口", "days": 2}]},
    )
    assert selectors.version_in_force(item, datetime.date(2026, 2, 1)).number == 1
    assert selectors.version_in_force(item, datetime.date(2026, 3, 2)).number == 2
    with pytest.raises(NotFound):
        selectors.version_in_force(item, datetime.date(2025, 12, 31))


def test_version_in_force_defaults_to_today(dept_admin, department):
    with time_machine.travel(DAY1, tick=False):
        item = make_item(dept_admin, department)
    before = datetime.datetime(2026, 1, 4, 12, tzinfo=datetime.UTC)
    with time_machine.travel(before, tick=False), pytest.raises(NotFound):
        selectors.version_in_force(item)
    with time_machine.travel(DAY2, tick=False):
        assert selectors.version_in_force(item).number == 1


def test_vague_material_refused_and_nothing_saved_r14(dept_admin, department):
    """R-14: an item whose material list says "等材料" is not saved at all."""
    with pytest.raises(RuleViolation) as exc:
        make_item(dept_admin, department, code="V-1", materials=[{"name": "身份证明等材料"}])
    assert exc.value.code == "R-14" and "等材料" in exc.value.message
    assert not ServiceItem.objects.filter(code="V-1").exists()


def test_added_phrase_is_refused_afterwards_r14(platform_admin, dept_admin, department):
    """R-14: the phrase list is a table a center admin extends; new phrases apply at once."""
    make_item(dept_admin, department, materials=[{"name": "各类证明"}])
    services.add_vague_phrase(by=platform_admin, phrase="各类证明")
    with pytest.raises(RuleViolation) as exc:
        make_item(dept_admin, department, materials=[{"name": "各类证明"}])
    assert exc.value.code == "R-14"
    with pytest.raises(Forbidden):
        services.add_vague_phrase(by=dept_admin, phrase="随便")


def test_permissions(dept_admin, department, other_admin, clerk, center_admin):
    with pytest.raises(Forbidden):
        make_item(other_admin, department)
    with pytest.raises(Forbidden):
        make_item(clerk, department)
    item = make_item(center_admin, department)
    with pytest.raises(Forbidden):
        services.update_item(by=other_admin, item=item, changes={"name": "x"}, reason="r")


def test_duplicate_code_is_conflict(dept_admin, department):
    make_item(dept_admin, department, code="D-1")
    with pytest.raises(RuleViolation) as exc:
        make_item(dept_admin, department, code="D-1")
    assert exc.value.status == 409


def test_parent_must_exist_in_same_department(
    dept_admin, department, other_admin, other_department
):
    main = make_item(
        dept_admin,
        department,
        code="M-1",
        node_kind="main",
        on_application=False,
        chief_list_included=None,
    )
    child = make_item(dept_admin, department, code="M-1-01", parent_code="M-1", handling_kind="new")
    assert child.parent == main
    with pytest.raises(RuleViolation):
        make_item(other_admin, other_department, parent_code="M-1")
    with pytest.raises(RuleViolation):
        make_item(dept_admin, department, parent_code="NOPE")


def test_sample_text_kept_across_versions(dept_admin, department):
    """R-14: a sample text stays with its material when other fields change."""
    upload = SimpleUploadedFile("示范.pdf", b"%PDF sample")
    item = make_item(dept_admin, department, materials=[{"name": "申请书", "sample_text": upload}])
    name = item.versions.get().data["materials"][0]["sample_text"]
    assert name.endswith(".pdf")
    services.update_item(
        by=dept_admin,
        item=item,
        reason="加材料",
        changes={"materials": [{"name": "申请书"}, {"name": "营业执照"}]},
    )
    data = item.versions.get(number=2).data
    assert data["materials"][0]["sample_text"] == name
    bad = SimpleUploadedFile("x.exe", b"MZ")
    with pytest.raises(RuleViolation):
        make_item(dept_admin, department, materials=[{"name": "申请书", "sample_text": bad}])


def test_decide_inclusion_c41(dept_admin, department):
    """C-4.1: excluding needs a reason of the three and a note; each decision is a version."""
    item = make_item(dept_admin, department, chief_list_included=None)
    with pytest.raises(RuleViolation) as exc:
        services.decide_inclusion(by=dept_admin, item=item, included=False)
    assert exc.value.code == "C-4.1"
    services.decide_inclusion(
        by=dept_admin,
        item=item,
        included=False,
        exclusion_reason="classified",
        exclusion_note="涉及国家秘密",
    )
    item.refresh_from_db()
    assert item.chief_list_included is False and item.exclusion_reason == "classified"
    assert item.version_number == 2
    assert "不纳入" in item.versions.get(number=2).reason
    assert list(selectors.chief_list_items(department)) == []
    services.decide_inclusion(by=dept_admin, item=item, included=True)
    item.refresh_from_db()
    assert item.exclusion_reason == "" and list(selectors.chief_list_items(department)) == [item]


def test_item_by_code_raises_not_found():
    with pytest.raises(NotFound):
        selectors.item_by_code("missing")


def test_unknown_field_is_refused(dept_admin, department):
    with pytest.raises(RuleViolation):
        services.create_item(
            by=dept_admin, department=department, data={**item_data(), "colour": "red"}
        )
