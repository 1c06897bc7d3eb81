"""National checksums: GB 11643 (citizen ID number) and GB 32100 (unified social credit code)."""

import datetime
import re

from zwfw.core.errors import RuleViolation

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def id_number_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def is_valid_id_number(value: str) -> bool:
    value = (value or "").strip().upper()
    if not re.fullmatch(r"\d{17}[\dX]", value):
        return False
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    return id_number_check_digit(value[:17]) == value[17]


def credit_code_check_char(first17: str) -> str:
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS, strict=True))
    return _CREDIT_CHARS[(31 - total % 31) % 31]


def is_valid_credit_code(value: str) -> bool:
    value = (value or "").strip().upper()
    if len(value) != 18 or any(c not in _CREDIT_CHARS for c in value):
        return False
    return credit_code_check_char(value[:17]) == value[17]


def clean_id_number(value: str, field: str = "id_number") -> str:
    value = (value or "").strip().upper()
    if not is_valid_id_number(value):
        raise RuleViolation(
            "invalid_id_number", "身份证号码格式或校验位不正确（GB 11643）", field=field
        )
    return value


def clean_credit_code(value: str, field: str = "credit_code") -> str:
    value = (value or "").strip().upper()
    if not is_valid_credit_code(value):
        raise RuleViolation(
            "invalid_credit_code", "统一社会信用代码格式或校验位不正确（GB 32100）", field=field
        )
    return value


def clean_phone(value: str, field: str = "phone") -> str:
    value = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"1\d{10}|0\d{9,11}", value):
        raise RuleViolation(
            "invalid_phone", "电话号码格式不正确（手机号11位或带区号的固定电话）", field=field
        )
    return value
