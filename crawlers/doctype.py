"""What a response *is* (PDF, DOCX, a page), decided from its bytes first and its labels second.

Kommune CMSs serve plans from script URLs (`/dokument/hent?id=7`, `/media/812/download`, `getfile.aspx?fileid=`)
as `application/octet-stream` with `Content-Disposition: attachment; filename=...`, and some label HTML error pages
`application/pdf`. So the magic numbers decide (`%PDF-`, an OOXML zip with `word/document.xml`); the Content-Type
and the Content-Disposition file name only decide when the bytes say nothing either way. Pure functions.
"""

from __future__ import annotations

import io
import re
import zipfile
from email.message import Message
from urllib.parse import unquote

from crawlers.types import DocumentFormat
from crawlers.urls import document_format_of, document_format_of_content_type

#: PDF readers accept the header anywhere in the first KiB (some servers prepend a BOM or whitespace)
_PDF_WINDOW = 1024
_HTML_START = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL)


def disposition_filename(value: str) -> str:
    """The file name a Content-Disposition header gives (RFC 6266 `filename*` wins over `filename`), or ""."""
    if not value:
        return ""
    message = Message()
    message["content-disposition"] = value
    name = message.get_filename() or ""
    return unquote(name).strip().strip('"')


def sniff_bytes(body: bytes) -> DocumentFormat | None:
    """The format the bytes themselves prove: "pdf", "docx", "html", or None when they prove nothing."""
    head = body[:_PDF_WINDOW]
    if b"%PDF-" in head:
        return "pdf"
    if body.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(body)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return None
        return "docx" if "word/document.xml" in names else None
    if _HTML_START.match(head.lstrip(b"\xef\xbb\xbf")):
        return "html"
    return None


def served_format(body: bytes, content_type: str, content_disposition: str, url: str) -> DocumentFormat | None:
    """The document format of a response ("pdf" or "docx"), or None for pages and everything else.

    Bytes first: a PDF served as octet-stream is a PDF, an HTML error page labelled application/pdf is not one.
    Only bytes that prove nothing (a truncated or unknown body) fall back on the labels: the Content-Type, then the
    Content-Disposition file name, then the URL's extension.
    """
    sniffed = sniff_bytes(body)
    if sniffed == "html":
        return None
    if sniffed is not None:
        return sniffed
    if body.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return None  # some other zip (xlsx, odt) or an old binary .doc: nothing our extractors read
    labelled = document_format_of_content_type(content_type)
    if labelled is None:
        name = disposition_filename(content_disposition)
        labelled = document_format_of(f"file:///{name}") if name else None
    if labelled is None and content_type.split(";", 1)[0].strip().lower() in ("", "application/octet-stream"):
        labelled = document_format_of(url)
    return labelled
