"""Issue 16 point 8: the audit page in Chinese with filters and export; list exports with
Chinese file names; exports past the limit run in the background for their owner only."""

import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.factories import DepartmentFactory, staff
from zwfw.core.audit_labels import action_label, role_labels
from zwfw.core.models import ExportJob
from zwfw.org import services as org_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def global_auditor(center):
    from tests.factories import global_staff

    return global_staff("auditor", department=DepartmentFactory(center=center)).user


@pytest.fixture
def events(center_admin, center):
    for i in range(3):
        org_services.create_department(
            by=center_admin, code=f"EXP{i}", name=f"导出测试局{i}", center=center
        )


def _sheet(reply) -> list[tuple]:
    return list(load_workbook(io.BytesIO(reply.content)).active.iter_rows(values_only=True))


def _filename(reply) -> str:
    return unquote(reply["Content-Disposition"].split("filename*=utf-8''")[-1])


def test_labels_are_chinese():
    assert action_label("accept_case") == "受理办件"
    assert action_label("create_department") == "部门新建"
    assert action_label("no_such_thing") == "no_such_thing"  # shown as recorded
    assert role_labels("superuser,center_admin") == "超级管理员、中心管理员"


def test_audit_page_in_chinese_filtered_by_person_action_and_days(
    client, global_auditor, center_admin, events
):
    client.force_login(global_auditor)
    html = client.get("/audit/").content.decode()
    assert "部门新建" in html and "中心管理员" in html and ">create_department<" not in html
    name = center_admin.person.name
    html = client.get("/audit/", {"person": name, "action": "create_department"}).content.decode()
    assert html.count("导出测试局") == 3
    html = client.get("/audit/", {"person": "无此人"}).content.decode()
    assert "暂无记录" in html
    html = client.get("/audit/", {"start": "2000-01-01", "end": "2000-01-02"}).content.decode()
    assert "暂无记录" in html


def test_audit_export_small_is_immediate_with_a_chinese_name(client, global_auditor, events):
    client.force_login(global_auditor)
    reply = client.get("/audit/", {"format": "xlsx", "action": "create_department"})
    assert _filename(reply).startswith("审计日志_") and _filename(reply).endswith(".xlsx")
    rows = _sheet(reply)
    assert rows[0][0] == "审计日志" and rows[1][5] == "操作"
    assert [r[5] for r in rows[2:]] == ["部门新建"] * 3


def test_scoped_auditor_cannot_export_the_trail(client, center, events):
    scoped = staff("auditor", department=DepartmentFactory(center=center), center=center).user
    client.force_login(scoped)
    assert client.get("/audit/", {"format": "xlsx"}).status_code == 403


def test_large_export_runs_in_the_background_for_its_owner_only(
    client, global_auditor, events, settings, center, django_capture_on_commit_callbacks
):
    settings.ZWFW_EXPORT_SYNC_ROWS = 2
    client.force_login(global_auditor)
    offer = client.get("/audit/", {"format": "xlsx", "action": "create_department"})
    html = offer.content.decode()
    assert offer.status_code == 200 and "后台" in html and 'name="action"' in html
    assert not ExportJob.objects.exists()  # the GET only offers: GET never writes
    with django_capture_on_commit_callbacks(execute=True):
        reply = client.post("/exports/", {"name": "audit", "action": "create_department"})
    job = ExportJob.objects.get()
    assert reply.status_code == 302 and reply["Location"] == f"/exports/{job.pk}/"
    assert job.status == "done" and job.total == 3  # Huey runs tasks at once in tests
    page = client.get(f"/exports/{job.pk}/").content.decode()
    assert "已完成" in page and f"/exports/{job.pk}/download/" in page
    download = client.get(f"/exports/{job.pk}/download/")
    assert [r[5] for r in _sheet(download)[2:]] == ["部门新建"] * 3
    other = global_auditor.__class__.objects.create_user("someone-else", password="x")
    client.force_login(other)
    assert client.get(f"/exports/{job.pk}/download/").status_code == 404


def test_case_list_and_summary_export_with_chinese_names(client, clerk):
    client.force_login(clerk)
    reply = client.get("/cases/", {"format": "xlsx"})
    assert _filename(reply).startswith("办件清单_") and _sheet(reply)[1][0] == "办件编号"
    reply = client.get("/cases/summary/", {"format": "xlsx"})
    assert _filename(reply).startswith("办件情况汇总_")
