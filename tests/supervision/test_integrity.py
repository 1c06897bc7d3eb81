"""Interference reports (N-7) and fault-tolerance records (N-21): filed by chief officers /
the discipline office, readable by the discipline role only, never in the audit trail's
content."""

import datetime
import json

import pytest
import time_machine
from django.contrib.auth import get_user_model

from tests.cases.factories import officer
from tests.factories import staff
from tests.grants.factories import make_grant
from tests.supervision.factories import TZ, closed_case
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.supervision import access, selectors, services
from zwfw.supervision.models import FaultToleranceRecord, InterferenceReport

D = datetime.date
pytestmark = pytest.mark.django_db
SECRET = "要求对其亲属的申请特事特办、直接批准"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 10, 9, 10, 0, tzinfo=TZ), tick=False):
        yield


@pytest.fixture
def chief(center_admin, department):
    """A chief service officer in office 2025-01-01..2026-12-31."""
    person = officer(department, name="陆文博")
    make_grant(center_admin, department, grantee=person)
    return person.user


def report(user, **kw):
    data = {
        "interferer_name": "王某",
        "interferer_unit": "某局",
        "interferer_post": "副局长",
        "occurred_on": D(2026, 9, 30),
        "manner": "phone",
        "content": SECRET,
    }
    data.update(kw)
    return services.report_interference(by=user, **data)


def test_chief_officer_files_and_gets_a_receipt(chief, department):
    """N-7: a chief officer in office records an interference and gets a receipt number."""
    case = closed_case(department, on=D(2026, 9, 20))
    r = report(chief, case=case)
    assert r.receipt_number.startswith("GY20261009-")
    assert (r.reporter_id, r.department_id, r.case_id) == (chief.person.pk, department.pk, case.pk)
    assert selectors.own_receipt(chief, r.receipt_number) == r


def test_only_chief_officers_file(clerk, dept_admin, discipline):
    """N-7: staff without a chief officer's grant cannot file an interference report."""
    for user in (clerk, dept_admin, discipline):
        assert not access.may_report_interference(user)
        with pytest.raises(Forbidden) as exc:
            report(user)
        assert exc.value.code == "N-7"
    assert not InterferenceReport.objects.exists()


def test_former_officer_may_file_for_the_time_in_office(center_admin, department):
    """N-7: an interference during the term may be filed after the term ended."""
    person = officer(department)
    make_grant(
        center_admin, department, grantee=person, valid_from=D(2024, 1, 1), valid_to=D(2026, 3, 31)
    )
    with pytest.raises(Forbidden):
        report(person.user, occurred_on=D(2026, 5, 1))
    assert report(person.user, occurred_on=D(2026, 3, 2)).pk


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"interferer_name": " "}, "interferer_name"),
        ({"content": ""}, "content"),
        ({"manner": "telepathy"}, "manner"),
        ({"occurred_on": D(2026, 10, 10)}, "occurred_on"),
    ],
)
def test_bad_report_is_refused(chief, kw, field):
    with pytest.raises(RuleViolation) as exc:
        report(chief, **kw)
    assert exc.value.field == field
    assert not InterferenceReport.objects.exists()


def test_only_discipline_reads_reports(
    chief, discipline, center_admin, auditor, superuser, supervisor
):
    """N-7: only the discipline role reads interference reports — not the center admin, not
    the auditor, not a superuser, not the reporter (who keeps only the receipt)."""
    r = report(chief)
    assert list(selectors.interference_reports(discipline)) == [r]
    assert selectors.interference_for(discipline, r.receipt_number).content == SECRET
    for user in (center_admin, auditor, superuser, supervisor, chief):
        with pytest.raises(Forbidden):
            selectors.interference_reports(user)
    other = staff("window_staff").user
    with pytest.raises(Exception, match="回执"):
        selectors.own_receipt(other, r.receipt_number)


def test_audit_trail_holds_no_content(chief, discipline):
    """N-7: the audit event records the action and id only (auditors read the chain)."""
    r = report(chief)
    services.record_viewing(by=discipline, report=r)
    services.handle_interference(by=discipline, report=r, note="已约谈干预人并通报")
    events = AuditEvent.objects.filter(object_type="supervision.InterferenceReport")
    assert [e.action for e in events.order_by("id")] == [
        "report_interference",
        "view_interference",
        "handle_interference",
    ]
    dumped = json.dumps([[e.object_repr, e.before, e.after] for e in events], ensure_ascii=False)
    assert SECRET not in dumped and "王某" not in dumped and "约谈" not in dumped
    assert all(e.object_id == str(r.pk) for e in events)
    assert str(r) == r.receipt_number


def test_report_content_is_encrypted_at_rest(chief):
    """N-7, SEC: the content and the interferer are stored encrypted."""
    from django.db import connection

    report(chief)
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, interferer_name FROM supervision_interferencereport")
        content, name = cursor.fetchone()
    assert SECRET not in content and "王某" not in name


def test_discipline_handles_once(chief, discipline, center_admin):
    r = report(chief)
    with pytest.raises(Forbidden):
        services.handle_interference(by=center_admin, report=r, note="x")
    with pytest.raises(RuleViolation) as exc:
        services.handle_interference(by=discipline, report=r, note=" ")
    assert exc.value.field == "note"
    services.handle_interference(by=discipline, report=r, note="已转线索处置")
    with pytest.raises(Conflict):
        services.handle_interference(by=discipline, report=r, note="再次")


def ft(user, person, **kw):
    data = {
        "person": person,
        "event": "试行容缺受理导致超期",
        "innovation_context": "先行先试容缺受理",
        "error": "未跟踪补交材料",
        "decision": "exempt",
        "basis": "符合容错情形",
        "decided_on": D(2026, 10, 8),
    }
    data.update(kw)
    return services.record_fault_tolerance(by=user, **data)


def test_discipline_records_fault_tolerance(discipline, clerk):
    """N-21: the discipline office records the error made while innovating and its decision."""
    record = ft(discipline, clerk.person, decision="mitigate", correction="建立提醒台账")
    assert record.department_id == clerk.person.department_id
    assert list(selectors.fault_tolerance_records(discipline)) == [record]
    event = AuditEvent.objects.get(action="record_fault_tolerance")
    assert event.after is None and "容缺" not in event.object_repr


def test_only_discipline_records_and_reads_fault_tolerance(
    discipline, clerk, center_admin, auditor, superuser
):
    """N-21: list and detail are for the discipline role only."""
    record = ft(discipline, clerk.person)
    for user in (center_admin, auditor, superuser, clerk):
        with pytest.raises(Forbidden):
            ft(user, clerk.person)
        with pytest.raises(Forbidden):
            selectors.fault_tolerance_for(user, record.pk)
    assert FaultToleranceRecord.objects.count() == 1


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"decision": "pardon"}, "decision"),
        ({"event": ""}, "event"),
        ({"basis": " "}, "basis"),
        ({"decided_on": D(2026, 10, 10)}, "decided_on"),
    ],
)
def test_bad_fault_tolerance_is_refused(discipline, clerk, kw, field):
    with pytest.raises(RuleViolation) as exc:
        ft(discipline, clerk.person, **kw)
    assert exc.value.field == field
    assert not FaultToleranceRecord.objects.exists()


def test_n7_discipline_home_lists_new_reports_without_their_content(client, chief, discipline):
    """N-7 (issue 16 point 3): the discipline office's home shows reports not yet handled —
    receipt, manner, date — never the content; other roles see no such panel."""
    r = report(chief)
    client.force_login(discipline)
    html = client.get("/").content.decode()
    assert "新登记的干预记录" in html and r.receipt_number in html and SECRET not in html
    client.force_login(chief)
    assert "新登记的干预记录" not in client.get("/").content.decode()
    superuser = get_user_model().objects.create_superuser("root-n7", password="x")
    client.force_login(superuser)  # not the discipline office: no panel, and no 403
    home = client.get("/")
    assert home.status_code == 200 and "新登记的干预记录" not in home.content.decode()
    InterferenceReport.objects.filter(pk=r.pk).update(status="handled")
    client.force_login(discipline)
    assert r.receipt_number not in client.get("/").content.decode()
