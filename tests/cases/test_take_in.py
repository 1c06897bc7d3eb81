"""take_in: intake at the window and online (R-16, R-18, L-ACCEPT)."""

import datetime

import pytest

from tests.cases.factories import FINAL_MATERIALS, org_applicant, person_applicant, receive
from zwfw.cases import services
from zwfw.cases.models import Applicant, Case, CaseEvent
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.models import AuditEvent

D = datetime.date
pytestmark = pytest.mark.django_db


def test_window_intake_numbers_checklist_and_acceptance_deadline(clerk, item):
    """L-ACCEPT: the acceptance deadline is 5 working days after receipt; over 国庆 2025 the
    adjusted Sunday 9/28 counts and 10/1–8 do not."""
    case = receive(clerk, item, on=D(2025, 9, 26))
    assert case.number.startswith(f"{item.department.center.code}-20250926-")
    assert case.status == "received"
    assert case.acceptance_deadline == D(2025, 10, 10)  # 9/28, 9/29, 9/30, 10/9, 10/10
    assert case.due_date == D(2025, 10, 10)
    assert case.item_version == 1
    materials = {m.name: m for m in case.materials.all()}
    assert materials["申请书"].status == "received" and materials["申请书"].form == "paper"
    assert materials["场地租赁合同"].status == "missing"
    assert CaseEvent.objects.filter(case=case, action="receive").exists()
    assert AuditEvent.objects.filter(action="receive_case", object_id=str(case.pk)).exists()


def test_case_numbers_are_sequential_per_center_and_day(clerk, item):
    first = receive(clerk, item, on=D(2025, 9, 26))
    second = receive(clerk, item, on=D(2025, 9, 26))
    third = receive(clerk, item, on=D(2025, 9, 29))
    assert first.number.endswith("-00001") and second.number.endswith("-00002")
    assert third.number.endswith("20250929-00001")
    assert sorted([second.number, first.number]) == [first.number, second.number]


def test_applicant_is_one_ledger_row_per_credit_code(clerk, item):
    """C-2.2: the same credit code finds the same applicant (blind index, encrypted)."""
    applicant = org_applicant(seq=77)
    a = receive(clerk, item, applicant=applicant)
    b = receive(clerk, item, applicant=applicant)
    assert a.applicant_id == b.applicant_id
    assert Applicant.objects.count() == 1
    raw = Applicant.objects.values_list("identifier", flat=True).first()
    assert raw == applicant.credit_code  # decrypted by the field
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT identifier FROM cases_applicant")
        assert cursor.fetchone()[0] != applicant.credit_code  # stored encrypted


def test_bad_id_number_is_refused(clerk, item):
    bad = services.ApplicantData(kind="person", name="张三", id_number="370302199001011230")
    with pytest.raises(RuleViolation) as exc:
        receive(clerk, item, applicant=bad)
    assert exc.value.code == "invalid_id_number"


def test_r18_material_form_is_electronic_or_paper_never_both(clerk, item):
    """R-18: each material is received electronic OR paper."""
    with pytest.raises(RuleViolation) as exc:
        services.take_in(
            by=clerk,
            item=item,
            applicant=person_applicant(),
            phone="13912345678",
            channel="window",
            materials={"申请书": "both"},
            on=D(2025, 9, 26),
        )
    assert exc.value.code == "R-18"


def test_r18_online_uses_the_same_checklist(item):
    """R-18: online applications have the same checklist; materials arrive electronic."""
    case = receive(None, item, channel="online")
    assert case.received_by is None
    assert {m.name for m in case.materials.all()} == {"申请书", "营业执照", "场地租赁合同"}
    assert all(m.form == "electronic" for m in case.materials.all() if m.status == "received")


def test_unknown_material_is_refused(clerk, item):
    with pytest.raises(RuleViolation) as exc:
        receive(clerk, item, materials=["其他材料"])
    assert exc.value.field == "materials"


def test_anonymous_window_intake_and_outsider_are_refused(outsider, item):
    with pytest.raises(RuleViolation):
        receive(None, item, channel="window")
    with pytest.raises(Forbidden):
        receive(outsider, item)


def test_agent_is_stored_encrypted_and_checked(clerk, item):
    from tests.factories import valid_id_number

    agent = services.AgentData(
        name="李四", id_number=valid_id_number(D(1988, 5, 5), 3), phone="13800001111"
    )
    case = receive(clerk, item, agent=agent)
    case = Case.objects.get(pk=case.pk)
    assert case.agent_name == "李四" and case.agent_phone == "13800001111"
    with pytest.raises(RuleViolation) as exc:
        receive(clerk, item, agent=services.AgentData(name="李四", id_number="1", phone="1"))
    assert exc.value.field == "agent.id_number"


def test_r16_immediate_item_done_on_the_spot_by_officer(center_admin, dept_admin, department):
    """R-16: an immediate item with complete materials is accepted, decided and completed at
    once by a window officer holding the authority."""
    from tests.cases.factories import grant_for, make_item, officer

    item = make_item(dept_admin, department, immediate=True, promised=0)
    person = officer(department)
    grant_for(center_admin, department, person, final=[item])
    case = receive(person.user, item, materials=FINAL_MATERIALS, on=D(2025, 9, 26))
    assert case.status == "completed"
    assert case.accepted_on == case.decided_on == case.completed_on == D(2025, 9, 26)
    assert case.decided_by == person and case.grant is not None
    actions = list(case.events.values_list("action", flat=True))
    assert actions == ["receive", "accept", "decide", "deliver", "complete"]


def test_immediate_item_waits_when_clerk_has_no_authority(clerk, dept_admin, department):
    from tests.cases.factories import make_item

    item = make_item(dept_admin, department, immediate=True, promised=0)
    case = receive(clerk, item, on=D(2025, 9, 26))
    assert case.status == "received"
    assert case.limit_days == 1
