"""Issue 11 point 11: bad input never gives a 500 (API.md error shape {code, message, field},
Chinese messages), and stored text is cleaned on the way in (zwfw.core.inputguard)."""

import io
import json

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.catalog.factories import item_data
from zwfw.catalog.models import ServiceItem
from zwfw.supervision.models import HotlineFeedback

pytestmark = pytest.mark.django_db

ILLEGAL = "含有非法字符"


def _shape(r, status, field=None):
    assert r.status_code == status, r.content
    body = r.json()
    assert set(body) <= {"code", "message", "field", "errors"}  # errors: a batch's rows
    assert body["code"] and body["message"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"]), body  # Chinese
    if field is not None:
        assert body.get("field") == field, body
    return body


def _raw(client, path, body: str, headers=None, content_type="application/json"):
    """POST `body` exactly as written: json.dumps escapes a lone surrogate as \\ud800."""
    return client.generic(
        "POST", path, body.encode(), content_type=content_type, headers=headers or {}
    )


def _item(department, **overrides):
    return {**item_data(**overrides), "department": department.code}


def _ticket(n=1, **kw):
    return {
        "ticket_number": f"12345-{n:05d}",
        "received_on": "2026-09-15",
        "kind": "complaint",
        "content": "反映办理时间过长",
        "caller_phone": "13800001111",
        **kw,
    }


@pytest.fixture
def supervisor(center):
    from tests.factories import DepartmentFactory, staff

    return staff("supervisor", department=DepartmentFactory(center=center), center=center).user


# --- NUL and lone surrogates -------------------------------------------------------------


def test_point11_nul_in_json_field_is_refused_422(api, dept_admin, department):
    """A NUL byte in a string field: 422 含有非法字符 naming the field (PostgreSQL: was 500)."""
    r = api.login(dept_admin).post("/items", _item(department, name="许可\x00事项"))
    body = _shape(r, 422, field="name")
    assert ILLEGAL in body["message"]
    assert not ServiceItem.objects.filter(name__startswith="许可").exists()


def test_point11_lone_surrogate_in_json_is_refused_422(api, client, dept_admin, department):
    """ "\\ud800" decodes to a lone surrogate no database driver can encode (was 500)."""
    api.login(dept_admin)
    payload = json.dumps(_item(department, name="NAME"), ensure_ascii=False)
    r = _raw(client, "/api/v1/items", payload.replace("NAME", "\\ud800事项"), api.headers)
    assert ILLEGAL in _shape(r, 422, field="name")["message"]
    nested = json.dumps(_item(department)).replace('"申请书"', '"\\udfff"')
    nested = nested.replace('"\\u7533\\u8bf7\\u4e66"', '"\\udfff"')
    r = _raw(client, "/api/v1/items", nested, api.headers)
    assert _shape(r, 422)["field"].startswith("materials.0")


def test_point11_nul_in_query_and_path_is_refused_422(api, dept_admin):
    api.login(dept_admin)
    _shape(api.get("/items", q="a\x00b"), 422, field="q")
    r = api.get("/items/A%00B")
    _shape(r, 422, field="path")


def test_point11_nul_in_anonymous_login_is_refused_422(client):
    """Even anonymously (the login username reached the database on PostgreSQL: 500)."""
    r = client.post(
        "/api/v1/auth/token",
        {"username": "ad\x00min", "password": "x"},
        content_type="application/json",
    )
    _shape(r, 422, field="username")
    page = client.post("/login/", {"username": "ad\x00min", "password": "x"})
    assert page.status_code == 422
    assert ILLEGAL in page.content.decode()


def test_point11_nul_in_a_page_form_gives_a_chinese_error_page(client, dept_admin, department):
    client.force_login(dept_admin)
    r = client.post("/org/people/new/", {"name": "孙\x00测试", "department": department.pk})
    assert r.status_code == 422 and ILLEGAL in r.content.decode()


def test_point11_hotline_batch_with_odd_unicode_is_not_500(api, client, supervisor):
    """`POST /hotline/feedback/batch` with odd unicode answered 500 (UnicodeEncodeError in the
    driver); now 422 for what cannot be stored, and the rest is cleaned."""
    api.login(supervisor)
    odd = json.dumps({"items": [_ticket(1), _ticket(2, content="CONTENT")]})
    r = _raw(
        client,
        "/api/v1/hotline/feedback/batch",
        odd.replace("CONTENT", "\\ud83d反映\\u0000"),
        api.headers,
    )
    _shape(r, 422, field="items.1.content")
    assert not HotlineFeedback.objects.exists()
    fine = {"items": [_ticket(1, content="反映\x01窗口\u202e慢\ufeff😀")]}
    r = api.post("/hotline/feedback/batch", fine)
    assert r.status_code == 200, r.content
    assert HotlineFeedback.objects.get().content == "反映窗口慢😀"


# --- control characters are cleaned, exports never fail ----------------------------------


def test_point11_control_character_in_item_name_is_cleaned_and_export_works(
    api, dept_admin, department
):
    """U+0001 in an item name was stored, and every items export answered 500 after it."""
    api.login(dept_admin)
    r = api.post("/items", _item(department, code="CTL-1", name="道路\x01运输\u200b许可"))
    assert r.status_code == 201, r.content
    assert ServiceItem.objects.get(code="CTL-1").name == "道路运输许可"
    r = api.get("/items/export.xlsx", department=department.code)
    assert r.status_code == 200


def test_point11_export_survives_a_bad_stored_value(api, dept_admin, department):
    """A value stored before the cleaning (or by a raw UPDATE) cannot break the export."""
    api.login(dept_admin)
    assert api.post("/items", _item(department, code="CTL-2")).status_code == 201
    ServiceItem.objects.filter(code="CTL-2").update(name="旧\x01数据\x1f名称")
    r = api.get("/items/export.xlsx", department=department.code)
    assert r.status_code == 200
    values = [c for row in load_workbook(io.BytesIO(r.content)).active.values for c in row]
    assert "旧数据名称" in values


def test_point11_page_form_text_is_cleaned(client, dept_admin, department):
    client.force_login(dept_admin)
    r = client.post(
        "/org/people/new/",
        {
            "name": "孙\x01测\u200d试",
            "gender": "male",
            "birth_date": "1990-01-01",
            "phone": "13800001111",
            "id_number": "11010519491231002X",
            "department": department.pk,
            "unit_start_date": "2015-01-01",
            "established": "on",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    from zwfw.org.models import Person

    assert Person.objects.filter(name="孙测试").exists()


def test_point11_passwords_are_not_rewritten(client, dept_admin):
    """Passwords are checked for NUL but not cleaned: the hash is of what the user typed."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user("ctluser", password="Pa\x01ss#2026word")
    r = client.post(
        "/api/v1/auth/token",
        {"username": user.username, "password": "Pa\x01ss#2026word"},
        content_type="application/json",
    )
    assert r.status_code == 200, r.content


# --- limits, numbers, media types, empty bodies -----------------------------------------


def test_point11_long_idempotency_key_is_refused_422(api, dept_admin, department):
    api.login(dept_admin)
    r = api.post("/items", _item(department), headers={"Idempotency-Key": "k" * 201})
    _shape(r, 422, field="Idempotency-Key")
    ok = api.post("/items", _item(department), headers={"Idempotency-Key": "k" * 200})
    assert ok.status_code == 201


@pytest.mark.parametrize("page", ["0", str(10**30), "1000001"])
def test_point11_page_out_of_range_is_422(api, dept_admin, page):
    r = api.login(dept_admin).get("/items", page=page)
    _shape(r, 422, field="page")


@pytest.mark.parametrize(
    "path",
    [
        "/people/99999999999999999999",
        "/people/9223372036854775808",
        "/grants/99999999999999999999",
        "/evaluations/99999999999999999999",
        "/inspections/draws/99999999999999999999",
    ],
)
def test_point11_id_out_of_range_is_4xx(api, superuser, path):
    """Ids past 64 bits: SQLite raised OverflowError, PostgreSQL a DataError — both 500."""
    r = api.login(superuser, password="Root#2026pass").get(path)
    assert r.status_code in (404, 422), r.content
    _shape(r, r.status_code)


def test_point11_integer_too_big_for_its_column_is_not_500(api, dept_admin, department):
    """2**31 for a small integer column: PostgreSQL's DataError became a 500."""
    api.login(dept_admin)
    r = api.post("/items", _item(department, legal_limit_days=2**31, promised_limit_days=2**40))
    assert r.status_code < 500, r.content


def test_point11_body_over_the_limit_is_413(api, dept_admin, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    r = api.login(dept_admin).post("/items", {"name": "x" * 2000})
    _shape(r, 413)
    assert r.json()["code"] == "payload_too_large"


def test_point11_wrong_content_type_is_415(api, client, dept_admin):
    api.login(dept_admin)
    r = _raw(client, "/api/v1/items", "name=x", api.headers, "application/x-www-form-urlencoded")
    assert _shape(r, 415)["code"] == "unsupported_media_type"
    r = _raw(client, "/api/v1/items", '{"name": "x"}', api.headers, "text/plain")
    _shape(r, 415)


def test_point11_invalid_and_empty_json_bodies(api, client, dept_admin):
    api.login(dept_admin)
    r = _raw(client, "/api/v1/items", '{"name": ', api.headers)
    assert _shape(r, 400)["code"] == "invalid_json"
    r = _raw(client, "/api/v1/items", "", api.headers)
    assert "请求体不能为空" in _shape(r, 422)["message"]


def test_point11_anonymous_write_is_401_not_csrf_403():
    """ninja's SessionAuth checked CSRF before the user: no credentials gave a CSRF 403."""
    anonymous = Client(enforce_csrf_checks=True)
    r = anonymous.post("/api/v1/items", {"name": "x"}, content_type="application/json")
    assert _shape(r, 401)["code"] == "unauthorized"


def test_point11_logged_in_session_still_needs_csrf(dept_admin, department):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(dept_admin)
    r = browser.post("/api/v1/items", _item(department), content_type="application/json")
    assert _shape(r, 403)["code"] == "csrf_failed"


# --- point 12: names and date ranges through the services ------------------------------


def test_point12_hotline_received_on_far_past_is_refused_with_range(api, supervisor):
    """0001-01-01 as a hotline `received_on` was stored; now 422 naming the allowed range."""
    api.login(supervisor)
    r = api.post("/hotline/feedback", _ticket(1, received_on="0001-01-01"))
    body = _shape(r, 422, field="received_on")
    assert "1949-10-01" in body["message"]
    r = api.post("/hotline/feedback/batch", {"items": [_ticket(2, received_on="1900-05-04")]})
    assert r.status_code == 422 and "1949-10-01" in r.content.decode()
    assert not HotlineFeedback.objects.exists()


def test_point12_person_name_loses_invisible_characters(api, dept_admin, department):
    """A zero-width space or a right-to-left override in a name is stripped (API and
    service alike): "张\u200b三" is stored as 张三, not as a look-alike of 张三."""
    person = {
        "name": "\u202e钱\u200b晓光\ufeff",
        "gender": "female",
        "birth_date": "1990-02-03",
        "phone": "13800138000",
        "id_number": "11010519491231002X",
        "department": department.code,
        "established": True,
        "unit_start_date": "2015-07-01",
    }
    r = api.login(dept_admin).post("/people", person)
    assert r.status_code == 201, r.content
    assert r.json()["name"] == "钱晓光"


def test_point12_person_with_impossible_birth_date_in_id_number_is_refused(
    api, dept_admin, department
):
    from zwfw.core.validators import id_number_check_digit

    first17 = "11010519900230123"  # 30 February 1990, with a right check digit
    r = api.login(dept_admin).post(
        "/people",
        {
            "name": "钱晓光",
            "gender": "female",
            "birth_date": "1990-02-03",
            "phone": "13800138000",
            "id_number": first17 + id_number_check_digit(first17),
            "department": department.code,
            "established": True,
            "unit_start_date": "2015-07-01",
        },
    )
    body = _shape(r, 422, field="id_number")
    assert "19900230" in body["message"]


def test_point12_applicant_name_is_cleaned_by_the_service(dept_admin, department, clerk):
    """The service itself cleans (demo loaders, imports, any caller): the applicant is one
    ledger under its visible name."""
    from tests.cases.factories import make_item, org_applicant, receive

    item = make_item(dept_admin, department, name="保安服务公司设立许可")
    data = org_applicant(name="青岚\u200d示范\u202e公司", seq=77)
    case = receive(clerk, item, applicant=data)
    assert case.applicant.name == "青岚示范公司"


def test_point11_nul_in_a_header_is_refused_422(client):
    """django-axes stores a failed login's User-Agent: a NUL in it made that write fail on
    PostgreSQL (500, and the failure went uncounted toward the lockout)."""
    r = client.post(
        "/api/v1/auth/token",
        {"username": "admin", "password": "wrong"},
        content_type="application/json",
        headers={"User-Agent": "curl\x00"},
    )
    _shape(r, 422, field="User-Agent")


def test_point11_deeply_nested_json_is_400(api, client, dept_admin):
    """json.loads raises RecursionError (not ValueError) past its nesting limit."""
    api.login(dept_admin)
    for depth in (900, 100000):
        r = _raw(client, "/api/v1/items", "[" * depth + "]" * depth, api.headers)
        assert 400 <= r.status_code < 500, (depth, r.content[:200])
        _shape(r, r.status_code)
