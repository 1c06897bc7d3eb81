"""12345 hotline feedback (TW-10): recorded against case, staff member and department; one
ticket, a batch or an .xlsx import; all rows or none; idempotent by ticket number; counted by
`hotline_counts` (the contract the evaluations statistics call)."""

import datetime

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from tests.factories import WindowFactory, staff
from tests.supervision.factories import TZ, closed_case
from zwfw.core.errors import Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.documents.xlsx import write_xlsx
from zwfw.supervision import selectors, services
from zwfw.supervision.models import HotlineFeedback
from zwfw.supervision.services.hotline import TEMPLATE_HEADERS, HotlineRow

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(datetime.datetime(2026, 10, 9, 10, 0, tzinfo=TZ), tick=False):
        yield


def row(n=1, **kw):
    data = {
        "ticket_number": f"12345-20260915-{n:04d}",
        "received_on": D(2026, 9, 15),
        "kind": "complaint",
        "content": "反映窗口办理时间过长",
        "caller_phone": "13800001111",
    }
    data.update(kw)
    return HotlineRow(**data)


def sheet(rows, headers=TEMPLATE_HEADERS, name="tickets.xlsx"):
    content = write_xlsx(headers, rows, title="12345工单")
    return SimpleUploadedFile(name, content)


def test_ticket_is_linked_to_case_staff_and_department(supervisor, department, clerk):
    """TW-10: a ticket linked to a case takes the case's department, center and item, and
    names the staff member."""
    case = closed_case(department, on=D(2026, 9, 10))
    result = services.save_hotline(
        by=supervisor, rows=[row(case=case.number, staff=clerk.person.pk)], single=True
    )
    t = result.tickets[0]
    assert result.created == 1
    assert (t.case_id, t.department_id, t.center_id, t.item_id) == (
        case.pk,
        department.pk,
        department.center_id,
        case.item_id,
    )
    assert t.staff_id == clerk.person.pk and t.status == "pending"
    assert t.masked_phone == "138****1111"


def test_caller_phone_is_encrypted_at_rest(supervisor):
    """SEC: the caller's phone is stored encrypted and shown masked."""
    services.save_hotline(by=supervisor, rows=[row()], single=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT caller_phone FROM supervision_hotlinefeedback")
        (raw,) = cursor.fetchone()
    assert "13800001111" not in raw
    assert HotlineFeedback.objects.get().caller_phone == "13800001111"
    event = AuditEvent.objects.get(action="record_hotline_feedback")
    assert "caller_phone" not in (event.after or {})


def test_same_ticket_twice_updates_instead_of_duplicating(supervisor):
    """TW-10: the ticket number makes a repeat idempotent; a changed status updates it."""
    services.save_hotline(by=supervisor, rows=[row()], single=True)
    again = services.save_hotline(by=supervisor, rows=[row()], single=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)
    changed = services.save_hotline(
        by=supervisor, rows=[row(status="已办结", resolution="已答复")], single=True
    )
    assert changed.updated == 1
    t = HotlineFeedback.objects.get()
    assert (t.status, t.resolution) == ("closed", "已答复")
    assert HotlineFeedback.objects.count() == 1


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"ticket_number": " "}, "ticket_number"),
        ({"received_on": "2026-13-01"}, "received_on"),
        ({"received_on": D(2026, 10, 10)}, "received_on"),
        ({"kind": "抱怨"}, "kind"),
        ({"content": ""}, "content"),
        ({"caller_phone": "12345"}, "caller_phone"),
        ({"case": "NO-SUCH"}, "case"),
        ({"department": "NO-SUCH"}, "department"),
        ({"staff": 999999}, "staff"),
        ({"window": "A01"}, "window"),
        ({"status": "搁置"}, "status"),
        ({"replied_on": D(2026, 9, 1)}, "replied_on"),
    ],
)
def test_bad_ticket_is_refused_with_its_field(supervisor, kw, field):
    """TW-10: every bad value gives a Chinese message naming its field; nothing is saved."""
    with pytest.raises(RuleViolation) as exc:
        services.save_hotline(by=supervisor, rows=[row(**kw)], single=True)
    assert exc.value.field == field
    assert exc.value.status == 422
    assert not HotlineFeedback.objects.exists()


def test_department_must_match_the_linked_case(supervisor, department, other_department):
    """TW-10: a ticket cannot name another department than its case's."""
    case = closed_case(department, on=D(2026, 9, 10))
    with pytest.raises(RuleViolation) as exc:
        services.save_hotline(
            by=supervisor,
            rows=[row(case=case.number, department=other_department.code)],
            single=True,
        )
    assert "不一致" in exc.value.message


def test_staff_by_name_and_window_by_number(supervisor, department, center):
    """TW-10: a sheet may name the staff member and the window; the department decides."""
    person = staff("window_staff", department=department, name="苏晴")
    staff("window_staff", name="苏晴")  # the same name in another department
    window = WindowFactory(center=center, department=department, number="A01")
    result = services.save_hotline(
        by=supervisor,
        rows=[row(department=department.name, staff_name="苏晴", window="A01")],
        single=True,
    )
    t = result.tickets[0]
    assert (t.staff_id, t.window_id, t.department_id) == (person.pk, window.pk, department.pk)


def test_batch_is_all_or_nothing_with_row_errors(supervisor):
    """TW-10: one bad row in a batch saves nothing and every bad row is listed."""
    rows = [row(1), row(2, kind="抱怨"), row(3), row(1), row(4, content="")]
    with pytest.raises(services.HotlineRejected) as exc:
        services.save_hotline(by=supervisor, rows=rows)
    assert [e["row"] for e in exc.value.errors] == [2, 4, 5]
    assert "共有3行数据有误" in exc.value.message
    assert "重复" in exc.value.errors[1]["message"]
    assert not HotlineFeedback.objects.exists()


def test_xlsx_import_and_repeat_import(supervisor, department):
    """TW-10: an .xlsx sheet imports every row; importing it again adds nothing."""
    case = closed_case(department, on=D(2026, 9, 10))
    rows = [
        [
            "T-0001",
            "2026-09-15",
            "投诉",
            "办理慢",
            "13800001111",
            case.number,
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["T-0002", 46280, "咨询", "咨询材料", "", "", department.code, "", "", "办理中", "", ""],
        [
            "T-0003",
            "2026/9/17",
            "表扬",
            "服务好",
            "",
            "",
            "",
            "",
            "",
            "已办结",
            "已回复",
            "2026年9月18日",
        ],
    ]
    result = services.import_hotline(by=supervisor, file=sheet(rows))
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    t2 = HotlineFeedback.objects.get(ticket_number="T-0002")
    assert t2.received_on == D(2026, 9, 15) and t2.department_id == department.pk  # Excel serial
    t3 = HotlineFeedback.objects.get(ticket_number="T-0003")
    assert (t3.status, t3.replied_on) == ("closed", D(2026, 9, 18))
    again = services.import_hotline(by=supervisor, file=sheet(rows))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert HotlineFeedback.objects.count() == 3
    assert AuditEvent.objects.filter(action="import_hotline_feedback").count() == 2


def test_xlsx_import_with_a_bad_row_imports_nothing(supervisor):
    rows = [
        ["T-0001", "2026-09-15", "投诉", "办理慢", "", "", "", "", "", "", "", ""],
        ["T-0002", "2026-09-15", "投诉", "", "", "", "", "", "", "", "", ""],
    ]
    with pytest.raises(services.HotlineRejected) as exc:
        services.import_hotline(by=supervisor, file=sheet(rows))
    assert exc.value.errors == [
        {"row": 3, "code": "invalid", "message": "缺少诉求内容", "field": "content"}
    ]
    assert not HotlineFeedback.objects.exists()


def test_xlsx_without_header_or_not_xlsx_is_refused(supervisor):
    with pytest.raises(RuleViolation, match="未找到表头"):
        services.import_hotline(by=supervisor, file=sheet([["x"]], headers=["编号"]))
    with pytest.raises(RuleViolation, match="xlsx"):
        services.import_hotline(by=supervisor, file=SimpleUploadedFile("a.xlsx", b"not excel"))


def test_import_query_count_does_not_grow_with_rows(
    supervisor, department, django_assert_max_num_queries
):
    """TW-10: an import costs the same number of statements for 3 rows and for 60."""

    def rows(n, offset=0):
        return [
            [f"Q-{offset + i:05d}", "2026-09-15", "投诉", "内容", "", "", department.code]
            + [""] * 5
            for i in range(n)
        ]

    with django_assert_max_num_queries(100) as small:
        services.import_hotline(by=supervisor, file=sheet(rows(3)))
    with django_assert_max_num_queries(len(small.captured_queries)):
        services.import_hotline(by=supervisor, file=sheet(rows(60, 100)))
    assert HotlineFeedback.objects.count() == 63


def test_only_the_office_and_center_record(
    dept_admin, clerk, department, supervisor, other_department
):
    """TW-10: departments read and handle their tickets but do not record them."""
    for user in (dept_admin, clerk):
        with pytest.raises(Forbidden):
            services.save_hotline(by=user, rows=[row()], single=True)
    scoped = staff("supervisor", department=department).user
    with pytest.raises(RuleViolation) as exc:
        services.save_hotline(by=scoped, rows=[row(department=other_department.code)], single=True)
    assert exc.value.status == 403


def test_department_admin_handles_its_ticket(supervisor, dept_admin, department):
    """TW-10: the responsible department records the handling; closing needs a result."""
    t = services.save_hotline(
        by=supervisor, rows=[row(department=department.code)], single=True
    ).tickets[0]
    with pytest.raises(RuleViolation) as exc:
        services.handle_hotline(by=dept_admin, feedback=t, status="closed", resolution="")
    assert exc.value.field == "resolution"
    services.handle_hotline(
        by=dept_admin,
        feedback=t,
        status="closed",
        resolution="已当面致歉并办结",
        replied_on=D(2026, 9, 20),
    )
    t.refresh_from_db()
    assert (t.status, t.replied_on) == ("closed", D(2026, 9, 20))
    assert AuditEvent.objects.filter(action="handle_hotline_feedback").exists()


def test_hotline_counts_by_every_dimension(supervisor, department, other_department, clerk):
    """TW-10: hotline_counts(group_by, start, end) → {id or None: {total, complaints}} in one
    GROUP BY query, period by received date inclusive."""
    case = closed_case(department, on=D(2026, 9, 10))
    rows = [
        row(1, case=case.number, staff=clerk.person.pk),
        row(2, case=case.number, kind="praise"),
        row(3, department=other_department.code, received_on=D(2026, 9, 30)),
        row(4, received_on=D(2026, 8, 31)),  # outside the period
        row(5, kind="consultation", received_on=D(2026, 9, 1)),  # no department
    ]
    services.save_hotline(by=supervisor, rows=rows)
    start, end = D(2026, 9, 1), D(2026, 9, 30)
    assert selectors.hotline_counts("department", start, end) == {
        department.pk: {"total": 2, "complaints": 1},
        other_department.pk: {"total": 1, "complaints": 1},
        None: {"total": 1, "complaints": 0},
    }
    assert selectors.hotline_counts("staff", start, end) == {
        clerk.person.pk: {"total": 1, "complaints": 1},
        None: {"total": 3, "complaints": 1},
    }
    assert selectors.hotline_counts("item", start, end)[case.item_id] == {
        "total": 2,
        "complaints": 1,
    }
    assert selectors.hotline_counts("center", start, end) == {
        department.center_id: {"total": 3, "complaints": 2},
        None: {"total": 1, "complaints": 0},
    }
    assert selectors.hotline_counts("window", start, end) == {None: {"total": 4, "complaints": 2}}
    with pytest.raises(RuleViolation):
        selectors.hotline_counts("region", start, end)


def test_hotline_counts_is_one_query(supervisor, django_assert_num_queries):
    services.save_hotline(by=supervisor, rows=[row(i) for i in range(1, 6)])
    with django_assert_num_queries(1):
        selectors.hotline_counts("department", D(2026, 9, 1), D(2026, 9, 30))
