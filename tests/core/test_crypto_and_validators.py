"""Personal data at rest (SM4), national checksums (GB 11643, GB 32100), names and date
ranges (issue 11 point 12)."""

import datetime

import pytest
from django.db import connection

from tests.factories import PersonFactory, valid_id_number
from zwfw.core import crypto
from zwfw.core.errors import RuleViolation
from zwfw.core.masking import mask_id_number, mask_phone
from zwfw.core.validators import (
    clean_credit_code,
    clean_date_range,
    clean_id_number,
    clean_name,
    clean_phone,
    id_number_check_digit,
    is_valid_credit_code,
    is_valid_id_number,
)
from zwfw.org.selectors import person_by_id_number


def test_sm3_known_answer():
    # GB/T 32905 example: SM3("abc")
    assert crypto.sm3(b"abc") == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


def test_encrypt_round_trip_and_randomised():
    a, b = crypto.encrypt("13812345678"), crypto.encrypt("13812345678")
    assert a != b
    assert crypto.decrypt(a) == crypto.decrypt(b) == "13812345678"


def test_blind_index_is_deterministic_and_keyed(settings):
    first = crypto.blind_index("370302199001011234")
    assert first == crypto.blind_index("370302199001011234")
    settings.DATA_KEY = "another-key"
    crypto._keys.cache_clear()
    try:
        assert crypto.blind_index("370302199001011234") != first
    finally:
        crypto._keys.cache_clear()


@pytest.mark.django_db
def test_phone_and_id_number_are_encrypted_in_the_database():
    id_number = valid_id_number(__import__("datetime").date(1990, 1, 1), 123)
    person = PersonFactory(phone="13812345678", id_number=id_number)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, id_number FROM org_person WHERE id = %s", [person.pk])
        phone_raw, id_raw = cursor.fetchone()
    assert "13812345678" not in phone_raw
    assert id_number not in id_raw
    person.refresh_from_db()
    assert person.phone == "13812345678"
    assert person.id_number == id_number


@pytest.mark.django_db
def test_lookup_by_id_number_through_blind_index(center_admin, department):
    from zwfw.org import services

    person = services.create_person(
        by=center_admin,
        name="王测试",
        gender="male",
        birth_date=__import__("datetime").date(1990, 1, 1),
        phone="13812345678",
        department=department,
        id_number="11010519491231002x",
        unit_start_date=__import__("datetime").date(2015, 1, 1),
    )
    assert person_by_id_number("11010519491231002X") == person


def test_masks():
    assert mask_id_number("370302199001011234") == "370302********1234"
    assert mask_phone("13812345678") == "138****5678"


def test_id_number_checksum():
    assert is_valid_id_number("11010519491231002X")
    assert not is_valid_id_number("440524188001010014")  # GB 11643's own 1880 example: < 1900
    assert not is_valid_id_number("110105194912310021")  # wrong check digit
    assert not is_valid_id_number("110105194913310029")  # month 13
    assert not is_valid_id_number("12345")
    with pytest.raises(RuleViolation) as exc:
        clean_id_number("110105194912310021")
    assert exc.value.field == "id_number" and "GB 11643" in exc.value.message


def test_credit_code_checksum():
    assert is_valid_credit_code("91350100M000100Y43")
    assert not is_valid_credit_code("91350100M000100Y44")
    assert not is_valid_credit_code("9135010OM000100Y43")  # O is not in the charset
    with pytest.raises(RuleViolation) as exc:
        clean_credit_code("91350100M000100Y44")
    assert "GB 32100" in exc.value.message


def _id(birth: str, seq: str = "123", region: str = "110105") -> str:
    """An ID number with the right check digit for any 8 birth digits, possible or not."""
    first17 = region + birth + seq
    return first17 + id_number_check_digit(first17)


@pytest.mark.parametrize(
    "birth",
    [
        "19901301",  # month 13
        "19900230",  # 30 February
        "19900229",  # 1990 is no leap year
        "19900001",  # month 0
        "19900100",  # day 0
        "18991231",  # before 1900
        "21000101",  # in the future
    ],
)
def test_point12_id_number_with_impossible_birth_date_is_refused(birth):
    """Issue 11 point 12 (GB 11643): a right check digit does not make an impossible birth
    date valid; the message names the date and the allowed range."""
    number = _id(birth)
    assert id_number_check_digit(number[:17]) == number[17]
    assert not is_valid_id_number(number)
    with pytest.raises(RuleViolation) as exc:
        clean_id_number(number, field="applicant.id_number")
    assert exc.value.field == "applicant.id_number"
    assert birth in exc.value.message and "1900-01-01" in exc.value.message


def test_point12_id_number_birth_date_bounds():
    """1900-01-01 and today are possible birth dates; tomorrow is not."""
    import time_machine

    with time_machine.travel(datetime.datetime(2026, 10, 9, 12, tzinfo=datetime.UTC)):
        assert is_valid_id_number(_id("19000101"))
        assert is_valid_id_number(_id("20000229"))  # a leap day
        assert is_valid_id_number(_id("20261009"))
        assert not is_valid_id_number(_id("20261010"))


def test_point12_id_number_digits_are_ascii():
    """Full-width or Arabic-Indic digits match \\d but are no ID number."""
    number = _id("19900101")
    assert not is_valid_id_number("１" + number[1:])
    assert not is_valid_id_number("\u0663" + number[1:])
    with pytest.raises(RuleViolation):
        clean_phone("1３812345678")


@pytest.mark.parametrize(
    "raw",
    [
        "张\u200b三",  # zero-width space
        "张\u200c\u200d三",  # zero-width non-joiner, joiner
        "\ufeff张三",  # byte-order mark
        "张三\u202e",  # right-to-left override
        "\u202a张三\u202c",  # embedding and pop
        "\u2066张\u2069三",  # isolates
        "\u200e张三\u200f",  # direction marks
        "张\u2060三\x01",  # word joiner, a control character
        " 张  三 ",
    ],
)
def test_point12_invisible_characters_are_stripped_from_names(raw):
    """Issue 11 point 12: invisible and direction-control characters leave a name."""
    assert clean_name(raw).replace(" ", "") == "张三"
    assert clean_name("Zhang  San\u200b") == "Zhang San"


def test_point12_name_length_after_cleaning():
    assert clean_name("\u200b" * 500 + "张三", max_length=5) == "张三"
    with pytest.raises(RuleViolation) as exc:
        clean_name("张" * 6, field="applicant.name", max_length=5)
    assert exc.value.field == "applicant.name"


def test_point12_date_range_names_the_range():
    """One shared check: 0001-01-01 and dates past the allowed future are refused with the
    allowed range in the message."""
    today = datetime.date(2026, 10, 9)
    with pytest.raises(RuleViolation) as exc:
        clean_date_range(datetime.date(1, 1, 1), "received_on", label="受理日期", today=today)
    assert exc.value.field == "received_on"
    assert "1949-10-01" in exc.value.message and "2026-10-09" in exc.value.message
    with pytest.raises(RuleViolation):
        clean_date_range(datetime.date(2026, 10, 10), "received_on", today=today)
    assert clean_date_range(today, "d", today=today) == today
    far = datetime.date(2031, 10, 9)
    assert clean_date_range(far, "d", future_years=5, today=today) == far
    with pytest.raises(RuleViolation) as exc:
        clean_date_range(datetime.date(2031, 10, 10), "d", future_years=5, today=today)
    assert "2031-10-09" in exc.value.message
    leap = datetime.date(2028, 2, 29)
    assert clean_date_range(leap, "d", future_years=1, today=leap) == leap
