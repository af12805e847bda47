"""Archived copies from the evidence store, served with their SHA-256; never able to run on the dashboard's origin.

The bytes are the crawled site's, and so is the Content-Type it was stored with: neither is trusted. What the copy
is comes from the bytes (`tracker.blobs.archived_format`, magic numbers), never from the crawled header. Only a
verified PDF (the bytes start with `%PDF-`) is shown inline, as `application/pdf`; everything else, an HTML page
stored as a "PDF" included, is an `attachment` as `application/octet-stream` (a DOCX as its own type). Every
response carries `nosniff`; every one but an inline PDF, errors too, a `sandbox` CSP with `default-src 'none'`, so
even a copy a browser did render could neither run script with the dashboard's origin nor load anything (a crawled
script stored here is never `'self'` for another copy). An inline PDF gets the dashboard's own CSP without the
sandbox, because Chromium refuses to start its PDF viewer in a sandboxed document (volunteers would see "blocked"
instead of the plan); its bytes start with `%PDF-` and it is typed `application/pdf` under `nosniff`, so no browser
reads it as a page. The route verifies the bytes still hash to their name before serving them.

A copy never changes under its name, so its ETag is its SHA-256 (`ConditionalMiddleware` answers a matching
If-None-Match with 304) and Last-Modified is when it was first seen.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Final

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from dashboards.conditional import http_date
from tracker.blobs import archived_format
from tracker.store.kommune_detail import archived_document

router = APIRouter()

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: on every evidence response, errors included
EVIDENCE_HEADERS: Final = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
}
#: on an inline PDF: Chromium's PDF viewer does not run in a sandboxed document
_INLINE_PDF_HEADERS: Final = {"X-Content-Type-Options": "nosniff"}
_DOCX: Final = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_PDF_MAGIC: Final = b"%PDF-"


def served_as(body: bytes) -> tuple[str, str, bool]:
    """(media type, file extension, inline?) for archived bytes, decided from the bytes alone."""
    sniffed = archived_format(body)
    if sniffed == "pdf":
        # archived_format accepts the header anywhere in the first KiB; inline only when the bytes are nothing but a PDF
        return "application/pdf", "pdf", body.startswith(_PDF_MAGIC)
    if sniffed == "docx":
        return _DOCX, "docx", False
    return "application/octet-stream", sniffed or "bin", False


def _not_served(status: int, detail: str) -> HTTPException:
    return HTTPException(status_code=status, detail=detail, headers=dict(EVIDENCE_HEADERS))


@router.get("/evidence/{sha256}", include_in_schema=False)
def archived_copy(request: Request, sha256: str) -> Response:
    if not _SHA256.match(sha256):
        raise _not_served(404, "not a SHA-256")
    with request.app.state.session_factory() as session:
        document = archived_document(session, sha256)
    store = request.app.state.evidence
    if document is None or sha256 not in store:
        raise _not_served(404, "no archived copy")
    body = store.get(sha256)
    if hashlib.sha256(body).hexdigest() != sha256:
        raise _not_served(500, "archived copy is corrupt")
    media_type, extension, inline = served_as(body)
    filename = f"{sha256[:16]}.{extension}"
    headers = {
        **(_INLINE_PDF_HEADERS if inline else EVIDENCE_HEADERS),
        "Content-Disposition": f'{"inline" if inline else "attachment"}; filename="{filename}"',
        "X-Planvakt-SHA256": sha256,
        "Digest": "sha-256=" + base64.b64encode(bytes.fromhex(sha256)).decode(),
        "Cache-Control": "public, max-age=31536000, immutable",
        "ETag": f'"{sha256}"',
        "Last-Modified": http_date(document.first_seen_at),
    }
    return Response(body, media_type=media_type, headers=headers)
