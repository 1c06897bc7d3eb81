"""Personal data at rest (SM4) and national checksums (GB 11643, GB 32100)."""

import pytest
from django.db import connection

from tests.factories import PersonFactory, valid_id_number
from zwfw.core import crypto
from zwfw.core.errors import RuleViolation
from zwfw.core.masking import mask_id_number, mask_phone
from zwfw.core.validators import (
    clean_credit_code,
    clean_id_number,
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
    assert is_valid_id_number("440524188001010014")
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
