"""Helpers for case tests: items through the catalog services, officers with grants through
the grants services, applications through the case services."""

import datetime
import itertools

from tests.factories import staff, valid_id_number
from tests.grants.factories import make_grant, service_section
from zwfw.cases import services
from zwfw.catalog import services as catalog_services
from zwfw.catalog.models import ItemVersion
from zwfw.core.validators import credit_code_check_char

D = datetime.date
_seq = itertools.count(1)
FINAL_MATERIALS = ["申请书", "营业执照"]
PHONE = "13912345678"


def make_item(by, department, *, name=None, promised=5, legal=20, immediate=False, included=True):
    n = next(_seq)
    item = catalog_services.create_item(
        by=by,
        department=department,
        data={
            "code": f"C{department.code}-{n:04d}",
            "name": name or f"测试许可事项{n}",
            "handling_name": "新设",
            "item_type": "license",
            "legal_basis": "《中华人民共和国行政许可法》",
            "legal_limit_days": legal,
            "promised_limit_days": promised,
            "immediate": immediate,
            "high_frequency": True,
            "chief_list_included": included,
            "fee": "不收费",
            "conditions": "依法设立的企业",
            "materials": [
                {"name": "申请书", "required": True, "original": True, "copies": 1},
                {"name": "营业执照", "required": True, "original": False, "copies": 1},
                {"name": "场地租赁合同", "required": False, "original": False, "copies": 1},
            ],
            "steps": [
                {"name": "受理", "post": "窗口受理岗", "days": 1},
                {"name": "决定", "post": "首席服务员", "days": 1},
            ],
        },
    )
    # Published long before the dates the tests travel to.
    ItemVersion.objects.filter(item=item).update(effective_from=D(2020, 1, 1))
    item.refresh_from_db()
    return item


def officer(department, *, role="window_staff", **fields):
    """A staff member with an account and years of approval work (eligible for a grant)."""
    return staff(
        role,
        department=department,
        section=service_section(department),
        position=fields.pop("position", "审批科副科长"),
        service_start_date=D(2018, 3, 1),
        **fields,
    )


def grant_for(
    center_admin,
    department,
    person,
    *,
    final=(),
    preliminary=(),
    role="chief_service_officer",
    powers=None,
    **kwargs,
):
    kwargs.setdefault("valid_from", D(2025, 1, 1))
    kwargs.setdefault("valid_to", D(2026, 12, 31))
    extra = {"powers": powers} if powers is not None else {}
    return make_grant(
        center_admin,
        department,
        grantee=person,
        final=list(final),
        preliminary=list(preliminary),
        role=role,
        **extra,
        **kwargs,
    )


def person_applicant(name="张三", seq=None):
    seq = next(_seq) if seq is None else seq
    return services.ApplicantData(
        kind="person", name=name, id_number=valid_id_number(D(1990, 1, 1), seq)
    )


def org_applicant(name="青岚示范保安服务有限公司", seq=None):
    seq = next(_seq) if seq is None else seq
    first17 = f"91371000MA{seq:07d}"
    return services.ApplicantData(
        kind="organisation", name=name, credit_code=first17 + credit_code_check_char(first17)
    )


def receive(
    by,
    item,
    *,
    materials=FINAL_MATERIALS,
    on=None,
    channel="window",
    applicant=None,
    phone=PHONE,
    **kwargs,
):
    on = on or D(2025, 9, 26)
    forms = {m: ("paper" if channel == "window" else "electronic") for m in materials}
    if by is None and channel != "window":
        # An anonymous application proves its phone first (issue 11 point 5); tests that
        # are about the proof call take_in or services.public themselves.
        kwargs.setdefault("proof", services.PhoneProof(phone, "apply", item.code))
    return services.take_in(
        by=by,
        item=item,
        applicant=applicant or org_applicant(),
        phone=phone,
        channel=channel,
        materials=forms,
        on=on,
        **kwargs,
    )


def deliver(case, by, *, on=None, method="window", tracking_number=""):
    """Record the delivery (送达) a decided case needs before it completes (issue 12 point 6);
    other states are returned as they are, so callers may pass any case."""
    from zwfw.cases.models import Case, Delivery
    from zwfw.cases.services.delivery import record_delivery

    # The row's state, not the caller's copy (services return fresh copies).
    status = Case.objects.filter(pk=case.pk).values_list("status", flat=True).first()
    if status == "decided" and not Delivery.objects.filter(case_id=case.pk).exists():
        record_delivery(case=case, by=by, method=method, tracking_number=tracking_number, on=on)
    return case


def deliver_and_complete(case, by, *, on=None, method="window"):
    """送达 at the window, then 办结 (the way every completed case goes)."""
    return services.complete_case(case=deliver(case, by, on=on, method=method), by=by, on=on)
