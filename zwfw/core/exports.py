"""Excel exports of lists (issue 16 point 8): one way for every list page.

A list registers an `Export`: its Chinese title (the file's name), headers, the rows a user
may export for some filters, and how one row reads. A GET of a small export answers with the
file at once; past `threshold()` rows (10,000 by default) the GET only offers a background
job (GET never writes), which a POST starts: a Huey task writes the file into private
storage, the job's page shows its progress and, when done, the download — for its owner only.

With a read replica (DATABASE_REPLICA_URL) the rows are read from it, in the GET and in the
background job (zwfw.core.routers); the job's own row is always read and written on the
primary, where the POST that queued it wrote it.
"""

import datetime
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from zwfw.core import audit, routers
from zwfw.core.errors import NotFound, RuleViolation
from zwfw.core.models import ExportJob
from zwfw.documents import uploads
from zwfw.documents.xlsx import XLSX_MIME, write_xlsx

PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class Export:
    name: str
    title: str  # file and sheet name, in Chinese
    headers: list[str]
    rows: Callable  # (user, params: dict) -> queryset of the rows the user may export
    row: Callable  # (obj) -> list of cell values
    params: tuple[str, ...] = ()  # the GET filters kept for a background job
    widths: list[int] | None = None
    title_for: Callable | None = None  # (user, params) -> a title naming the rows' subject


_registry: dict[str, Export] = {}


def register(export: Export) -> Export:
    _registry[export.name] = export
    return export


def get(name: str) -> Export:
    if name not in _registry:
        raise NotFound("未知的导出类型")
    return _registry[name]


def threshold() -> int:
    return int(getattr(settings, "ZWFW_EXPORT_SYNC_ROWS", 10_000))


def title_of(export: Export, user=None, params=None) -> str:
    return export.title_for(user, params or {}) if export.title_for else export.title


def filename(export: Export, user=None, params=None, on: datetime.date | None = None) -> str:
    return f"{title_of(export, user, params)}_{(on or timezone.localdate()):%Y%m%d}.xlsx"


def _count(rows) -> int:
    return len(rows) if isinstance(rows, list) else rows.count()


def _iterate(rows, chunk: int):
    return iter(rows) if isinstance(rows, list) else rows.iterator(chunk_size=chunk)


def xlsx_response(name: str, content: bytes) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_MIME)
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _params(export: Export, data) -> dict:
    return {k: str(data.get(k, ""))[:100] for k in export.params if data.get(k, "")}


def _write(export: Export, objects: Iterable, caption: str, on_progress=None) -> bytes:
    def rows():
        for n, obj in enumerate(objects, start=1):
            if on_progress and n % PROGRESS_EVERY == 0:
                on_progress(n)
            yield export.row(obj)

    return write_xlsx(
        export.headers, rows(), title=export.title, caption=caption, widths=export.widths
    )


def respond(request, name: str) -> HttpResponse:
    """The GET of `?format=xlsx` on a list page: the file, or the offer of a background job."""
    export = get(name)
    params = _params(export, request.GET)
    with routers.replica_reads():  # unless this client just wrote (then the primary)
        rows = export.rows(request.user, params)
        total = _count(rows)
        if total <= threshold():
            name = filename(export, request.user, params)
            caption = title_of(export, request.user, params)
            return xlsx_response(name, _write(export, _iterate(rows, 1000), caption))
    return render(
        request,
        "core/export_offer.html",
        {"export": export, "total": total, "params": params, "limit": threshold()},
    )


@transaction.atomic
def start(*, by, name: str, data) -> ExportJob:
    """Queue a background export for `by` (a POST from the offer page)."""
    export = get(name)
    params = _params(export, data)
    total = _count(export.rows(by, params))
    if total <= 0:
        raise RuleViolation("invalid", "没有可导出的数据", field="name")
    job = ExportJob.objects.create(
        user=by, name=name, title=filename(export, by, params), params=params, total=total
    )
    audit.record(actor=by, action="start_export", obj=job, after={"name": name, **params})
    from zwfw.core.tasks import run_export_task

    transaction.on_commit(lambda: run_export_task(job.pk))
    return job


def run(job_id: int) -> ExportJob:
    """Write the job's file (the Huey task), reading rows with the owner's permissions."""
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    if job.status != ExportJob.Status.PENDING:
        return job
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING)
    export = get(job.name)
    try:
        # The rows from the replica: the job was queued after the POST's commit, and an
        # export is a snapshot a few seconds old at most (the replica's lag).
        with routers.replica_reads():
            content = _write(
                export,
                _iterate(export.rows(job.user, job.params), 2000),
                title_of(export, job.user, job.params),
                on_progress=lambda n: ExportJob.objects.filter(pk=job.pk).update(done=n),
            )
        stored = uploads.storage().save(f"exports/{uuid.uuid4().hex}.xlsx", ContentFile(content))
    except Exception as exc:  # the job shows it failed; the error is kept short for the page
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=str(exc)[:300], finished_at=timezone.now()
        )
        raise
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.DONE, done=job.total, file=stored, finished_at=timezone.now()
    )
    job.refresh_from_db()
    return job


def job_for(user, job_id: int) -> ExportJob:
    """A job its owner may see (nobody else's, whatever their role)."""
    job = ExportJob.objects.filter(pk=job_id, user_id=getattr(user, "pk", None)).first()
    if job is None:
        raise NotFound("未找到该导出任务")
    return job


def download(user, job_id: int) -> HttpResponse:
    job = job_for(user, job_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise NotFound("导出文件尚未生成")
    reply = xlsx_response(job.title, uploads.storage().open(job.file, "rb").read())
    reply["Cache-Control"] = "private, no-store"
    return reply
