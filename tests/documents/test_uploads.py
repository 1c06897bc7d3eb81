"""zwfw.documents.uploads: type by content, size limit, private storage, download headers."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zwfw.core.errors import RuleViolation
from zwfw.documents import uploads

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def private_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def test_kind_comes_from_content_not_the_name():
    assert uploads.check(SimpleUploadedFile("scan.jpg", PDF)) == "pdf"
    assert uploads.check(SimpleUploadedFile("cert.pdf", PNG)) == "png"
    with pytest.raises(RuleViolation) as exc:
        uploads.check(SimpleUploadedFile("cert.pdf", b"<html><script>x</script>"), field="cert")
    assert exc.value.field == "cert" and "PDF" in exc.value.message


def test_empty_and_oversized_files_are_refused():
    with pytest.raises(RuleViolation):
        uploads.check(SimpleUploadedFile("a.pdf", b""))
    with pytest.raises(RuleViolation) as exc:
        uploads.check(SimpleUploadedFile("a.pdf", PDF + b"x" * 2048), max_bytes=1024)
    assert "MB" in exc.value.message


def test_stored_outside_the_web_root_under_a_random_name(settings, tmp_path):
    stored = uploads.store(SimpleUploadedFile("../../证书.pdf", PDF), "experts")
    assert stored.kind == "pdf" and stored.size == len(PDF) and len(stored.sha256) == 64
    assert stored.name.startswith("experts/") and "证书" not in stored.name
    path = tmp_path / "private" / stored.name
    assert path.read_bytes() == PDF
    assert not str(path).startswith(str(settings.STATIC_ROOT))


def test_download_is_an_attachment_with_the_sniffed_type():
    stored = uploads.store(SimpleUploadedFile("证书.pdf", PDF), "experts")
    reply = uploads.response(stored.name, stored.kind, "../证书.pdf")
    assert reply["Content-Type"] == "application/pdf"
    assert "attachment" in reply["Content-Disposition"]
    assert reply["X-Content-Type-Options"] == "nosniff"
    assert b"".join(reply.streaming_content) == PDF
