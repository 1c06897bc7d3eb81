"""Pure eligibility rules: approval experience (N-9) and powers (R-12, C-A2)."""

import datetime

import pytest

from zwfw.core.errors import RuleViolation
from zwfw.grants.eligibility import check_service_years, clean_powers, service_years_ok

D = datetime.date
ALL = ["decide", "review_and_report", "use_seal", "coordinate"]


def test_one_year_of_approval_work_is_enough():
    """N-9: exactly one year of approval work on the decision date qualifies."""
    assert service_years_ok(D(2025, 3, 1), D(2026, 3, 1))
    check_service_years(D(2025, 3, 1), D(2026, 3, 1))


def test_less_than_one_year_is_refused():
    """N-9: a day short of one year of approval work is refused, naming the rule."""
    with pytest.raises(RuleViolation) as exc:
        check_service_years(D(2025, 3, 2), D(2026, 3, 1))
    assert exc.value.code == "N-9"
    assert exc.value.field == "grantee"


def test_missing_service_start_date_is_refused():
    """N-9: without a recorded start of approval work the person cannot be verified."""
    with pytest.raises(RuleViolation) as exc:
        check_service_years(None, D(2026, 3, 1))
    assert exc.value.code == "N-9"


def test_chief_representative_needs_all_four_powers():
    """R-12: a chief representative holds decide, review_and_report, use_seal, coordinate."""
    assert clean_powers("chief_representative", ALL, True, True) == frozenset(ALL)
    with pytest.raises(RuleViolation) as exc:
        clean_powers("chief_representative", ["decide", "review_and_report"], True, False)
    assert exc.value.code == "R-12"
    assert "印章使用权" in exc.value.message


def test_final_items_need_the_decide_power():
    """C-A2: items decided finally need 审批决定权; preliminary ones 审核上报权."""
    with pytest.raises(RuleViolation) as exc:
        clean_powers("chief_service_officer", ["review_and_report"], True, False)
    assert exc.value.code == "C-A2"
    with pytest.raises(RuleViolation):
        clean_powers("chief_service_officer", ["decide"], False, True)
    assert clean_powers("chief_service_officer", ["decide"], True, False) == {"decide"}


def test_unknown_power_is_invalid():
    with pytest.raises(RuleViolation) as exc:
        clean_powers("chief_service_officer", ["decide", "sign_anything"], True, False)
    assert exc.value.code == "invalid"
