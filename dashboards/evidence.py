"""Archived copies from the evidence store, served with their SHA-256 and the stored Content-Type.

The bytes are the crawled site's, so they are never trusted: `nosniff`, and everything but a PDF is served as an
attachment under a sandboxing CSP, so an archived HTML page can never run script on the dashboard's origin.
The route verifies the bytes still hash to their name before serving them.
"""

from __future__ import annotations

import base64
import hashlib
import re

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

from dashboards.read_model import archived_document

router = APIRouter()

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_EXTENSIONS = {"pdf": "pdf", "html": "html", "docx": "docx"}
_FALLBACK_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@router.get("/evidence/{sha256}", include_in_schema=False)
def archived_copy(request: Request, sha256: str) -> Response:
    if not _SHA256.match(sha256):
        raise HTTPException(status_code=404, detail="not a SHA-256")
    with request.app.state.session_factory() as session:
        document = archived_document(session, sha256)
    store = request.app.state.evidence
    if document is None or sha256 not in store:
        raise HTTPException(status_code=404, detail="no archived copy")
    body = store.get(sha256)
    if hashlib.sha256(body).hexdigest() != sha256:
        raise HTTPException(status_code=500, detail="archived copy is corrupt")
    is_pdf = document.format == "pdf"
    content_type = document.content_type or _FALLBACK_TYPES.get(document.format, "application/octet-stream")
    if is_pdf and not content_type.startswith("application/pdf"):
        content_type = "application/pdf"  # shown inline: never let a stored type make it HTML on our origin
    filename = f"{sha256[:16]}.{_EXTENSIONS.get(document.format, 'bin')}"
    headers = {
        "Content-Disposition": f'{"inline" if is_pdf else "attachment"}; filename="{filename}"',
        "X-Content-Type-Options": "nosniff",
        "X-Planvakt-SHA256": sha256,
        "Digest": "sha-256=" + base64.b64encode(bytes.fromhex(sha256)).decode(),
        "Cache-Control": "public, max-age=31536000, immutable",
    }
    if not is_pdf:
        headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return Response(body, media_type=content_type, headers=headers)
