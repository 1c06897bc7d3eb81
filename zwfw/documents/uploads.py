"""Uploaded files (certificates, scans of letters): type checked by their content, size
limited, stored outside the web root under a random name, and handed out only by a view
whose service has already decided that the reader may see them.

Use: `kind = check(upload)` in the service's validation, `stored = store(upload, "experts")`
inside its transaction, keep `stored.name`, `stored.kind`, `stored.size`, `stored.sha256` and
the original file name on the owning record; serve with `response(name, kind, filename)`.
"""

import hashlib
import os
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse

from zwfw.core.errors import RuleViolation

# The first bytes of each accepted kind; the file name and the browser's content type are
# not trusted.
SIGNATURES = {
    "pdf": (b"%PDF-", "application/pdf", "PDF"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg", "JPEG"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png", "PNG"),
}
DEFAULT_KINDS = ("pdf", "jpeg", "png")
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def storage() -> FileSystemStorage:
    # Not MEDIA_ROOT and never under STATIC_ROOT: nothing serves this directory directly.
    return FileSystemStorage(location=str(settings.VAR_DIR / "private"))


@dataclass(frozen=True)
class StoredFile:
    name: str
    kind: str
    size: int
    sha256: str


def sniff(head: bytes) -> str | None:
    for kind, (magic, _mime, _label) in SIGNATURES.items():
        if head.startswith(magic):
            return kind
    return None


def check(
    upload, *, kinds=DEFAULT_KINDS, max_bytes: int = DEFAULT_MAX_BYTES, field: str = "file"
) -> str:
    """The kind of `upload` by its content, or a 422 naming the field."""
    if upload is None or not getattr(upload, "size", 0):
        raise RuleViolation("invalid", "请选择要上传的文件（文件不能为空）", field=field)
    if upload.size > max_bytes:
        raise RuleViolation("invalid", f"文件不能超过{max_bytes // (1024 * 1024)}MB", field=field)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    kind = sniff(head)
    if kind not in kinds:
        labels = "、".join(SIGNATURES[k][2] for k in kinds)
        raise RuleViolation("invalid", f"文件格式不受支持，仅可上传{labels}文件", field=field)
    return kind


def store(upload, prefix: str, **check_options) -> StoredFile:
    kind = check(upload, **check_options)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    name = storage().save(f"{prefix}/{uuid.uuid4().hex}.{kind}", upload)
    return StoredFile(name=name, kind=kind, size=upload.size, sha256=digest.hexdigest())


def response(name: str, kind: str, filename: str = "") -> FileResponse:
    """The stored file as a download; call only after the service's permission check."""
    mime = SIGNATURES[kind][1]
    filename = os.path.basename(filename) or os.path.basename(name)
    reply = FileResponse(
        storage().open(name, "rb"), content_type=mime, as_attachment=True, filename=filename
    )
    reply["X-Content-Type-Options"] = "nosniff"
    reply["Cache-Control"] = "private, no-store"
    return reply
