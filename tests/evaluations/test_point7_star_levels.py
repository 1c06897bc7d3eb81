"""Issue 11 point 7 (L-EVAL, API.md): `level` counts the national 好差评 stars, 5 非常满意 …
1 非常不满意; 1 and 2 are bad reviews. Names and Chinese labels are still accepted; stored
ratings are migrated (new = 6 − old); API docs, the rating form, statistics and the .xlsx
export agree."""

import datetime
import io
import re

import pytest
from openpyxl import load_workbook

from zwfw.evaluations import links, presenters, services, statistics
from zwfw.evaluations.models import (
    BAD_LEVELS,
    Evaluation,
    Level,
    Rectification,
    is_bad_level,
)

D = datetime.date


@pytest.mark.django_db
def test_point7_l_eval_five_stars_is_very_satisfied_one_star_is_a_bad_review(case, complete):
    """L-EVAL / API.md: 5 = 非常满意 (good, no ticket); 1 = 非常不满意 (bad, a ticket)."""
    best = services.rate_case(case=case, level=5, channel="sms", on=D(2026, 9, 29))
    assert (best.get_level_display(), best.level_name, best.good) == (
        "非常满意",
        "very_satisfied",
        True,
    )
    assert not Rectification.objects.exists()
    worst = services.rate_case(
        case=complete(received_on=D(2026, 9, 29)), level=1, channel="sms", on=D(2026, 9, 30)
    )
    assert (worst.get_level_display(), worst.level_name, worst.good) == (
        "非常不满意",
        "very_dissatisfied",
        False,
    )
    assert Rectification.objects.get().evaluation == worst


def test_point7_the_bad_rule_lives_in_one_place():
    """L-EVAL: 不满意 (2) and 非常不满意 (1) are bad; 基本满意 (3) and above are good."""
    assert BAD_LEVELS == {Level.VERY_DISSATISFIED, Level.DISSATISFIED} == {1, 2}
    assert [is_bad_level(v) for v in (1, 2, 3, 4, 5)] == [True, True, False, False, False]
    assert dict(Level.choices) == {
        1: "非常不满意",
        2: "不满意",
        3: "基本满意",
        4: "满意",
        5: "非常满意",
    }


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("very_satisfied", 5),
        ("非常满意", 5),
        ("satisfied", 4),
        ("满意", 4),
        ("basically_satisfied", 3),
        ("dissatisfied", 2),
        ("不满意", 2),
        ("非常不满意", 1),
        ("5", 5),
        (1, 1),
    ],
)
def test_point7_names_and_labels_still_accepted(case, given, stored):
    e = services.rate_case(case=case, level=given, channel="sms")
    assert e.level == stored and e.good == (stored >= 3)


@pytest.mark.django_db
def test_point7_api_documents_and_answers_stars(api, case, integrator):
    """API.md: the OpenAPI schema says 5 = 非常满意; a 5 posted comes back as 非常满意 and a
    "非常不满意" as level 1."""
    doc = api.get("/openapi.json").json()
    schema = doc["components"]["schemas"]["EvaluationIn"]["properties"]["level"]
    assert "5=非常满意" in schema["description"] and "1=非常不满意" in schema["description"]
    api.login(integrator)
    r = api.post(f"/cases/{case.number}/evaluation", {"level": 5, "channel": "mobile"})
    assert r.status_code == 201 and r.json()["level_label"] == "非常满意" and r.json()["good"]
    r = api.post(f"/cases/{case.number}/evaluation", {"level": 6, "channel": "self_service"})
    assert r.status_code == 422 and "5=非常满意" in r.json()["message"]


@pytest.mark.django_db
def test_point7_rating_form_lists_best_first_with_nothing_selected(client, case):
    """NATIONAL.md (voluntary, not steered): the form lists 非常满意 … 非常不满意 (5 to 1
    stars), as people read it, and nothing is pre-selected."""
    body = client.get(links.case_path(case.number, "sms")).content.decode()
    radios = re.findall(r'<input type="radio" name="level" value="(\d)"[^>]*>', body)
    assert radios == ["5", "4", "3", "2", "1"]
    labels = re.findall(r'class="level-choice">[^<]*<input[^>]*>([^<]+)</label>', body)
    assert labels == ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]
    assert "checked" not in "".join(re.findall(r'<input type="radio"[^>]*>', body))


@pytest.mark.django_db
def test_point7_staff_filter_lists_best_first_and_colours_bad_stars(client, dept_admin, case):
    services.rate_case(case=case, level=1, channel="sms")
    client.force_login(dept_admin)
    body = client.get("/evaluations/").content.decode()
    options = re.findall(
        r'<option value="(\d)"[^>]*>(非常满意|满意|基本满意|不满意|非常不满意)', body
    )
    assert [v for v, _label in options] == ["5", "4", "3", "2", "1"]
    assert 'class="lv-1"' in body and ".lv-1, .lv-2 { color: var(--red)" in body


@pytest.mark.django_db
def test_point7_statistics_and_xlsx_count_one_and_two_stars_as_bad(complete, center_admin):
    """好评率 = 3 good of 5 (5, 4, 3 stars); 2 bad (2, 1 stars) with their tags; the .xlsx
    export says the same."""
    for i, level in enumerate((5, 4, 3, 2, 1)):
        services.rate_case(
            case=complete(received_on=D(2026, 10, 12 + i)),
            level=level,
            channel="sms",
            tags=["over_limit"] if level <= 2 else ["efficient"],
            on=D(2026, 10, 20),
        )
    rep = statistics.report(center_admin, dimension="department", start=D(2026, 10, 1))
    assert (rep.total.total, rep.total.good, rep.total.bad) == (5, 3, 2)
    assert rep.total.good_rate == 60.0 and rep.total.active_good_rate == 60.0
    assert rep.total.tags == {"over_limit": 2} and rep.total.tickets == 2
    rows = list(
        load_workbook(io.BytesIO(presenters.xlsx_response(rep).content)).active.iter_rows(
            values_only=True
        )
    )
    header = next(r for r in rows if r and r[1] == "评价数")
    total = next(r for r in rows if r and r[0] == "合计")
    by = dict(zip(header, total, strict=False))
    assert (by["好评数"], by["差评数"], by["好评率"]) == (3, 2, "60.00%")
    assert by["超过法定办理时间"] == 2


@pytest.mark.django_db
def test_point7_default_is_basic_three_either_way(complete):
    from zwfw.evaluations.services import default_unrated

    complete(received_on=D(2026, 9, 1))
    assert default_unrated(on=D(2026, 9, 20)) == 1
    e = Evaluation.objects.get()
    assert (e.level, e.get_level_display(), e.good, e.is_default) == (3, "基本满意", True, True)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_point7_migration_turns_stored_ratings_and_back(center):
    """Migration 0002 maps old → new as 6 − old (1↔5, 2↔4, 3 stays), keeps `good`, and runs
    backwards the same way."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.utils import timezone

    old_state, new = ("evaluations", "0001_initial"), ("evaluations", "0002_national_star_levels")
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("evaluations")
    executor.migrate([old_state])
    try:
        apps = MigrationExecutor(connection).loader.project_state(old_state).apps
        Old = apps.get_model("evaluations", "Evaluation")
        now = timezone.now()
        for old_level in (1, 2, 3, 4, 5):
            Old.objects.create(
                level=old_level,
                good=old_level <= 3,  # the old scale: 1 非常满意 … 5 非常不满意
                channel="sms",
                center_id=center.pk,
                rated_at=now,
                rated_on=now.date(),
                month=now.date().replace(day=1),
            )
        executor = MigrationExecutor(connection)
        executor.migrate([new])
        apps = executor.loader.project_state(new).apps
        rows = apps.get_model("evaluations", "Evaluation").objects.order_by("id")
        assert list(rows.values_list("level", "good")) == [
            (5, True),
            (4, True),
            (3, True),
            (2, False),
            (1, False),
        ]
        executor = MigrationExecutor(connection)
        executor.migrate([old_state])
        rows = Old.objects.order_by("id")
        assert list(rows.values_list("level", flat=True)) == [1, 2, 3, 4, 5]
        Old.objects.all().delete()
    finally:
        MigrationExecutor(connection).migrate(latest)
