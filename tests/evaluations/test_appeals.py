"""申诉复核: the department appeals, the center decides; an upheld appeal excludes the rating
from statistics and keeps it on record; nobody deletes or hides a rating (L-EVAL)."""

import datetime

import pytest

from tests.factories import staff
from zwfw.core.errors import Conflict, Forbidden, RuleViolation
from zwfw.core.models import AuditEvent
from zwfw.evaluations import services, statistics
from zwfw.evaluations.models import Appeal, Evaluation, Rectification

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def bad(case):
    return services.rate_case(case=case, level=1, channel="sms", on=D(2026, 9, 30))


def test_l_eval_upheld_appeal_excludes_the_rating_and_keeps_it(bad, dept_admin, center_admin):
    """L-EVAL (申诉复核): upheld → excluded from statistics, kept on record, ticket stopped."""
    appeal = services.file_appeal(evaluation=bad, by=dept_admin, reason="系误评，录像为证")
    assert appeal.status == "pending" and appeal.department_id == bad.department_id
    appeal = services.decide_appeal(
        appeal=appeal, by=center_admin, upheld=True, opinion="经复核申诉成立", on=D(2026, 10, 9)
    )
    bad.refresh_from_db()
    assert appeal.status == "upheld" and bad.excluded and bad.excluded_on == D(2026, 10, 9)
    assert Evaluation.objects.filter(pk=bad.pk).exists()  # kept on record
    rect = Rectification.objects.get()
    assert rect.status == "excluded" and rect.next_due_date is None
    rep = statistics.report(center_admin, dimension="department", start=D(2026, 9, 1))
    assert rep.total.total == 0 and rep.total.excluded == 1 and rep.total.tickets == 0
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"file_appeal", "decide_appeal", "exclude_evaluation", "stop_rectification"} <= actions


def test_l_eval_rejected_appeal_keeps_the_rating_counted(bad, dept_admin, center_admin):
    appeal = services.file_appeal(evaluation=bad, by=dept_admin, reason="恶意差评")
    services.decide_appeal(appeal=appeal, by=center_admin, upheld=False, opinion="证据不足")
    bad.refresh_from_db()
    assert not bad.excluded and Rectification.objects.get().status == "open"
    rep = statistics.report(center_admin, dimension="department", start=D(2026, 9, 1))
    assert rep.total.total == 1 and rep.total.bad == 1


def test_l_eval_only_the_rated_department_appeals_bad_reviews_once(
    bad, case, clerk, center_admin, dept_admin
):
    """L-EVAL: only the department's administrator appeals, only bad reviews, only once."""
    for user in (clerk, center_admin, staff("department_admin").user):
        with pytest.raises(Forbidden):
            services.file_appeal(evaluation=bad, by=user, reason="误评")
    good = services.rate_case(case=case, level=5, channel="device", by=center_admin)
    with pytest.raises(RuleViolation) as exc:
        services.file_appeal(evaluation=good, by=dept_admin, reason="误评")
    assert exc.value.code == "L-EVAL"
    with pytest.raises(RuleViolation):
        services.file_appeal(evaluation=bad, by=dept_admin, reason=" ")
    services.file_appeal(evaluation=bad, by=dept_admin, reason="误评")
    with pytest.raises(Conflict):
        services.file_appeal(evaluation=bad, by=dept_admin, reason="再次申诉")
    assert Appeal.objects.count() == 1


def test_l_eval_only_the_center_decides_and_not_the_filer(bad, dept_admin, center_admin):
    """L-EVAL: the center decides; a person holding both roles cannot decide their own."""
    from zwfw.org.models import RoleAssignment

    appeal = services.file_appeal(evaluation=bad, by=dept_admin, reason="误评")
    with pytest.raises(Forbidden):
        services.decide_appeal(appeal=appeal, by=dept_admin, upheld=True, opinion="自己批")
    RoleAssignment.objects.create(user=dept_admin, role="center_admin", center=bad.center)
    dept_admin._role_assignments_cache = None
    with pytest.raises(Forbidden) as exc:
        services.decide_appeal(appeal=appeal, by=dept_admin, upheld=True, opinion="自己批")
    assert "本人" in exc.value.message
    with pytest.raises(RuleViolation):
        services.decide_appeal(appeal=appeal, by=center_admin, upheld=True, opinion="")
    services.decide_appeal(appeal=appeal, by=center_admin, upheld=False, opinion="不成立")
    with pytest.raises(Conflict):
        services.decide_appeal(appeal=appeal, by=center_admin, upheld=True, opinion="改判")


def test_l_eval_no_one_deletes_or_edits_a_rating(bad, superuser, api):
    """L-EVAL: a department cannot delete or hide a rating: the admin is read-only and the
    API has no delete or update."""
    from django.contrib import admin
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = superuser
    model_admin = admin.site._registry[Evaluation]
    assert not model_admin.has_delete_permission(request, bad)
    assert not model_admin.has_change_permission(request, bad)
    assert not model_admin.has_add_permission(request)
    assert "rater_phone" in model_admin.exclude
    client = api.login(superuser, password="Root#2026pass")
    from django.test import Client

    token = client.headers["Authorization"]
    for method in ("delete", "patch", "put"):
        r = getattr(Client(), method)(
            f"/api/v1/evaluations/{bad.pk}", headers={"Authorization": token}
        )
        assert r.status_code == 405
    assert Evaluation.objects.filter(pk=bad.pk, excluded=False).exists()
