"""What a fetch returns: `Response`, one URL after redirects, and how its bytes are read (format, charset).

Plain data with no I/O: `crawlers.fetch.Fetcher` builds it; the crawl reads it. `text()` never raises on a
hostile or broken charset label.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from crawlers.doctype import disposition_filename, served_format, sniff_bytes
from crawlers.types import DocumentFormat

_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_HEADER_CHARSET = re.compile(r"""charset=["']?([\w.:-]+)""", re.IGNORECASE)
#: codecs Python has that no web page is labelled with on purpose: they raise or turn bytes into nonsense
_NOT_WEB_CHARSETS = frozenset({"undefined", "punycode", "idna", "unicode-escape", "raw-unicode-escape"})


@dataclass(frozen=True)
class Response:
    """One fetched URL after redirects: the status, headers (lower-case names) and the whole body."""

    url: str
    final_url: str
    status: int
    headers: Mapping[str, str]
    content_type: str
    body: bytes = field(repr=False)
    redirects: tuple[str, ...]
    elapsed: float
    #: the body is only the first bytes the server sent (a robots.txt read up to ROBOTS_MAX_BYTES)
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def is_html(self) -> bool:
        """An HTML page: labelled so (and not PDF/DOCX bytes under the label) or, unlabelled, HTML bytes."""
        sniffed = sniff_bytes(self.body)
        if sniffed in ("pdf", "docx"):
            return False
        ct = self.content_type.split(";", 1)[0].strip().lower()
        return ct in ("text/html", "application/xhtml+xml") or (
            ct in ("", "application/octet-stream", "text/plain") and sniffed == "html"
        )

    @property
    def document_format(self) -> DocumentFormat | None:
        """ "pdf" or "docx" when the response is such a document (decided from its bytes first), else None."""
        return served_format(self.body, self.content_type, self.headers.get("content-disposition", ""), self.final_url)

    @property
    def filename(self) -> str:
        """The file name of a download (Content-Disposition), or ""."""
        return disposition_filename(self.headers.get("content-disposition", ""))

    def text(self) -> str:
        """The body decoded: a byte order mark, else charset from Content-Type, else <meta charset>, else UTF-8,
        else cp1252.

        The BOM wins over the labels (as in browsers): a UTF-16 robots.txt served as text/plain must still be read.

        A label naming no usable codec (`charset=undefined`, `punycode`, an unknown name) or a codec that fails
        on these bytes is skipped, never raised: a hostile or broken label must not stop a crawl (issue 12).
        """
        for bom, bom_encoding in _BOMS:
            if self.body.startswith(bom):
                return self.body[len(bom) :].decode(bom_encoding, errors="replace")
        match = _HEADER_CHARSET.search(self.content_type)
        candidates: list[str] = []
        if match:
            candidates.append(match.group(1))
        meta = _META_CHARSET.search(self.body[:4096])
        if meta:
            candidates.append(meta.group(1).decode("ascii", "ignore"))
        for encoding in (*candidates, "utf-8"):
            if not _is_web_charset(encoding):
                continue
            try:
                return self.body.decode(encoding)
            except (LookupError, ValueError):  # ValueError covers UnicodeError and UnicodeDecodeError
                continue
        return self.body.decode("cp1252", errors="replace")


def _is_web_charset(label: str) -> bool:
    """Whether `label` names a text codec a web page can be in (not Python's own codecs such as punycode)."""
    try:
        info = codecs.lookup(label)
    except LookupError:
        return False
    return info.name not in _NOT_WEB_CHARSETS and getattr(info, "_is_text_encoding", True)
