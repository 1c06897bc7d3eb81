"""Pure rules of one item (no database): R-14, R-15, R-18, C-4.1, N-4, L-LIMIT; diffs."""

from zwfw.catalog import rules
from zwfw.catalog import snapshot as snap
from zwfw.catalog.vague import DEFAULT_PHRASES, find_vague


def _data(**overrides):
    base = {
        "code": "X-1",
        "name": "食品经营许可",
        "item_type": "license",
        "legal_limit_days": 20,
        "promised_limit_days": 5,
        "materials": [{"name": "申请书"}],
        "steps": [{"name": "受理", "post": "窗口受理岗", "days": 1}],
    }
    base.update(overrides)
    return rules.normalize(snap.with_defaults(base))


def _codes(data, phrases=DEFAULT_PHRASES):
    return [e.code for e in rules.check_item(data, list(phrases))]


def test_valid_item_has_no_violation():
    assert _codes(_data()) == []


def test_r14_each_default_phrase_is_found_in_material_names():
    """R-14: the four phrases named by the rule are refused in a material list."""
    for phrase in ("其他材料", "有关部门", "等材料", "相关材料"):
        errors = rules.check_item(
            _data(materials=[{"name": f"营业执照{phrase}"}]), list(DEFAULT_PHRASES)
        )
        assert [e.code for e in errors] == ["R-14"], phrase
        assert phrase in errors[0].message


def test_r14_phrases_hidden_by_spaces_or_in_notes_or_conditions():
    """R-14: spacing does not hide a phrase; notes and conditions are checked too."""
    assert find_vague("其他 材料", DEFAULT_PHRASES) == ["其他材料"]
    assert "R-14" in _codes(_data(materials=[{"name": "申请书", "note": "及相关材料"}]))
    assert "R-14" in _codes(_data(conditions="符合有关部门规定的其他条件"))


def test_r14_phrase_list_is_a_setting():
    """R-14: a phrase outside the list passes; once added to the list it is refused."""
    data = _data(materials=[{"name": "各类证明"}])
    assert _codes(data) == []
    assert _codes(data, [*DEFAULT_PHRASES, "各类证明"]) == ["R-14"]


def test_r18_same_material_twice_is_refused():
    """R-18: no applicant is asked twice for the same material."""
    assert _codes(_data(materials=[{"name": "申请书"}, {"name": "申请书"}])) == ["R-18"]


def test_c41_exclusion_needs_one_of_three_reasons_note_optional():
    """C-4.1: an excluded item names 涉密/重大公共安全/公民生命财产安全; the note is optional."""
    assert _codes(_data(chief_list_included=False)) == ["C-4.1"]
    assert _codes(_data(chief_list_included=False, exclusion_reason="classified")) == []
    assert _codes(
        _data(chief_list_included=False, exclusion_reason="too_hard", exclusion_note="说明")
    ) == ["invalid", "C-4.1"]
    assert (
        _codes(
            _data(
                chief_list_included=False,
                exclusion_reason="classified",
                exclusion_note="涉及国家秘密",
            )
        )
        == []
    )


def test_c41_included_item_drops_a_stale_reason():
    data = _data(chief_list_included=True, exclusion_reason="classified", exclusion_note="x")
    assert data["exclusion_reason"] == "" and data["exclusion_note"] == ""


def test_n4_high_frequency_item_cannot_be_excluded():
    """N-4: high-frequency items with clear standards are in the list."""
    data = _data(
        high_frequency=True,
        chief_list_included=False,
        exclusion_reason="public_safety",
        exclusion_note="x",
    )
    assert _codes(data) == ["N-4"]


def test_r15_each_step_names_its_post_and_fits_the_promise():
    """R-15: a step without a responsible post, or steps longer than the promise, are refused."""
    assert _codes(_data(steps=[{"name": "审查", "post": ""}])) == ["R-15"]
    assert _codes(_data(steps=[{"name": "审查", "post": "审查岗", "days": 6}])) == ["R-15"]


def test_r15_reductions_are_measured_against_the_baseline():
    """R-15: steps, days, materials and visits are reduced against the legal baseline."""
    data = _data(
        baseline_steps=4,
        baseline_materials=3,
        baseline_visits=3,
        visits_required=1,
        steps=[
            {"name": "受理", "post": "窗口", "days": 0},
            {"name": "决定", "post": "首席服务员", "days": 1},
        ],
    )
    figures = {r["name"]: r for r in snap.reductions(data)}
    assert figures["环节"]["saved"] == 2 and figures["环节"]["rate"] == 50.0
    assert figures["时间"]["baseline"] == 20 and figures["时间"]["saved"] == 15
    assert figures["材料"]["saved"] == 2
    assert figures["跑动次数"]["saved"] == 2
    # A baseline below the current figure would be a negative reduction: refused.
    assert _codes(_data(baseline_materials=1, materials=[{"name": "a"}, {"name": "b"}])) == ["R-15"]


def test_limits_promise_within_legal_limit():
    assert _codes(_data(promised_limit_days=25)) == ["L-LIMIT"]
    assert _codes(_data(promised_limit_days=0, steps=[])) == ["L-LIMIT"]
    assert _codes(_data(immediate=True, promised_limit_days=9, steps=[])) == []
    assert _codes(_data(legal_limit_days=-1)) == ["invalid"]


def test_fee_must_be_stated():
    assert _codes(_data(fee="")) == ["invalid"]


def test_hierarchy_rules():
    assert _codes(_data(node_kind="sub")) == ["invalid"]
    assert _codes(_data(node_kind="main", parent_code="P")) == ["invalid"]
    assert _data(node_kind="main", handling_kind="new")["handling_kind"] == ""


def test_diff_lists_field_and_row_changes_c42():
    """C-4.2: the difference between two versions is field by field, lists row by row."""
    old = snap.canonical(_data())
    new = snap.canonical(
        _data(
            promised_limit_days=3,
            chief_list_included=True,
            materials=[{"name": "申请书", "copies": 2}, {"name": "营业执照"}],
        )
    )
    changes = {c["label"]: (c["old"], c["new"]) for c in snap.diff(old, new)}
    assert changes["承诺时限（工作日）"] == ("5", "3")
    assert changes["纳入首席服务员清单"] == ("未决定", "纳入")
    assert changes["申请材料第1项·份数"] == ("1", "2")
    assert changes["申请材料第2项"] == ("（无）", "营业执照")
