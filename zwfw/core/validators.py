"""Field checks shared by every app: national checksums (GB 11643 citizen ID number with a
possible birth date, GB 32100 unified social credit code), phones, names and date ranges."""

import datetime
import re

from zwfw.core.errors import RuleViolation
from zwfw.core.textclean import clean_text

# ID numbers of people born before this are not issued (the 18-digit number dates from 1999,
# every living holder was born after 1900).
ID_BIRTH_EARLIEST = datetime.date(1900, 1, 1)
# Default lower bound of a date a user enters: the founding of the PRC. Nothing the platform
# records (cases, tickets, grants, careers) happened before.
EARLIEST_DATE = datetime.date(1949, 10, 1)

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def id_number_check_digit(first17: str) -> str:
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_number_birth_date(value: str) -> datetime.date | None:
    """The birth date an 18-digit ID number encodes, or None when it is no calendar date."""
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def _today() -> datetime.date:
    from django.utils import timezone

    return timezone.localdate()


def is_valid_id_number(value: str) -> bool:
    """GB 11643: 17 ASCII digits and a check character, with a birth date that exists, is not
    in the future and not before 1900 (a right check digit does not make 19901330 a date)."""
    value = (value or "").strip().upper()
    if not re.fullmatch(r"[0-9]{17}[0-9X]", value):  # [0-9]: \d would take "３" or "٣"
        return False
    birth = id_number_birth_date(value)
    if birth is None or not ID_BIRTH_EARLIEST <= birth <= _today():
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
        message = "身份证号码格式或校验位不正确（GB 11643）"
        if re.fullmatch(r"[0-9]{17}[0-9X]", value):
            birth = id_number_birth_date(value)
            if birth is None or not ID_BIRTH_EARLIEST <= birth <= _today():
                message = (
                    f"身份证号码中的出生日期{value[6:14]}不是有效日期"
                    f"（须在{ID_BIRTH_EARLIEST:%Y-%m-%d}至今天之间，GB 11643）"
                )
        raise RuleViolation("invalid_id_number", message, field=field)
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
    if not re.fullmatch(r"1[0-9]{10}|0[0-9]{9,11}", value):
        raise RuleViolation(
            "invalid_phone", "电话号码格式不正确（手机号11位或带区号的固定电话）", field=field
        )
    return value


def clean_name(value: str, field: str = "name", *, max_length: int | None = None) -> str:
    """A person's or organisation's name as stored: without control characters and without
    invisible or direction-control characters (zero-width spaces and joiners, U+FEFF, bidi
    embeddings, overrides and isolates), which would make one name look like another on a
    page, a letter or a ledger; runs of white space become one space. Empty stays empty:
    callers decide whether a name is required."""
    value = " ".join(clean_text(value or "").split())
    if max_length is not None and len(value) > max_length:
        raise RuleViolation("invalid", f"名称最多{max_length}个字", field=field)
    return value


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def clean_date_range(
    value: datetime.date,
    field: str,
    *,
    label: str = "日期",
    earliest: datetime.date = EARLIEST_DATE,
    future_years: int = 0,
    today: datetime.date | None = None,
) -> datetime.date:
    """Refuse a date outside [earliest, today + future_years years], naming the range.

    One check for every date a user enters: 0001-01-01 or 9999-12-31 is a typing slip or a
    probe, never a record. `future_years=0` means "not after today"."""
    latest = _add_years(today or _today(), future_years)
    if not earliest <= value <= latest:
        raise RuleViolation(
            "invalid",
            f"{label}须在{earliest:%Y-%m-%d}至{latest:%Y-%m-%d}之间",
            field=field,
        )
    return value
