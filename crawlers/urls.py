"""URL facts the crawler needs: normalisation, same-site test, path patterns, document type by extension.

Pure functions over strings; no I/O.
"""

from __future__ import annotations

import functools
import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, quote, unquote, urlencode, urljoin, urlsplit, urlunsplit

from crawlers.types import DocumentFormat

#: query parameters that carry session state or tracking, never content
_SESSION_PARAMS = frozenset({"sid", "sessionid", "session_id", "phpsessid", "jsessionid", "aspsessionid", "fbclid"})
_MATRIX_SESSION = re.compile(r";(jsessionid|phpsessid|sid|sessionid)=[^/?#]*", re.IGNORECASE)
_DEFAULT_PORTS = {"http": 80, "https": 443}

#: second-level suffixes under which each name is its own site (a small slice of the public suffix list that
#: matters for Norwegian and Danish kommuner: "oslo.kommune.no" and "bergen.kommune.no" are different sites)
_SHARED_SUFFIXES = frozenset({"kommune.no", "fylkeskommune.no", "co.uk", "org.uk", "gov.uk", "com.au"})

_DOC_EXTENSIONS: dict[str, DocumentFormat] = {".pdf": "pdf", ".docx": "docx", ".doc": "docx"}
#: extensions that are never worth fetching as pages
_SKIP_EXTENSIONS = frozenset(
    {
        ".jpg", ".jpeg", ".png", ".gif", ".svg", ".webp", ".ico", ".bmp", ".tif", ".tiff",
        ".mp3", ".mp4", ".m4a", ".mov", ".avi", ".wmv", ".webm", ".ogg", ".wav",
        ".zip", ".gz", ".rar", ".7z", ".exe", ".msi", ".dmg", ".iso",
        ".css", ".js", ".json", ".woff", ".woff2", ".ttf", ".eot",
        ".xls", ".xlsx", ".ppt", ".pptx", ".odt", ".ods", ".ics", ".vcf", ".rss", ".atom",
    }
)  # fmt: skip

_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{2,4}")
_DIGITS = re.compile(r"\d+")


def normalize_url(url: str, base: str | None = None) -> str | None:
    """The canonical form used for dedupe, or None when the URL is not http(s).

    Lower-cases scheme and host, drops the default port, the fragment, session ids (`;jsessionid=`, `sid=`...)
    and utm_* parameters, sorts the query and gives an empty path as "/".
    """
    url = url.strip()
    if base is not None:
        try:
            url = _joined(base, url)
        except ValueError:
            return None
    return _canonical(url)


#: URLs whose joins and canonical forms are remembered. A site repeats its menu's links on every page, and the
#: frontier and the link graph normalise the same URLs again and again: this memo took URL work from 8 % of a
#: sweep's CPU to about 1 %. Bounded: at most this many entries of each (a few MB).
_MEMO = 1 << 16


def _joined(base: str, url: str) -> str:
    """`urljoin(base, url)`; an absolute or root-relative `url` depends only on the base's origin, so that join is
    remembered per origin (a page's own relative links are joined afresh)."""
    if url.startswith("/") or url[:8].lower().startswith(("http://", "https://")):
        root = _root_of(base)
        if root is not None:
            return _join_at_root(root, url)
    return urljoin(base, url)


@functools.lru_cache(maxsize=_MEMO)
def _root_of(base: str) -> str | None:
    """The `scheme://netloc/` of `base` (None without a netloc: join against the base itself)."""
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}/" if parts.scheme and parts.netloc else None


@functools.lru_cache(maxsize=_MEMO)
def _join_at_root(root: str, url: str) -> str:
    return urljoin(root, url)


@functools.lru_cache(maxsize=_MEMO)
def _canonical(url: str) -> str | None:
    """`normalize_url` of an absolute URL (pure, so remembered)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        return None
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = _MATRIX_SESSION.sub("", parts.path) or "/"
    path = quote(unquote(path), safe="/:@!$&'()*+,;=-._~%")
    query_pairs = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in _SESSION_PARAMS and not k.lower().startswith("utm_")
    ]
    query = urlencode(sorted(query_pairs))
    return urlunsplit((scheme, netloc, path, query, ""))


_OPAQUE = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9_-]{8,}$|^[0-9a-f]{16,}$", re.IGNORECASE)


def session_like_params(urls: Iterable[str], *, min_paths: int = 3) -> frozenset[str]:
    """Query parameters that carry a visitor's session rather than content, learned from one page's links.

    A CMS that puts the session in every link (`?sid=8f3a9c0d...`, `?s=Ab12Cd34Ef`) gives the same opaque value
    (8+ letters and digits, or 16+ hex digits) to links to many different paths; a content parameter (`?id=7`,
    `?page=2`, `?lang=nb`) differs per link or is short and plain. Such a parameter is dropped from the site's URLs,
    or every page would be crawled once per session.
    """
    paths: dict[tuple[str, str], set[str]] = {}
    for url in urls:
        try:
            parts = urlsplit(url)
        except ValueError:
            continue
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            if _OPAQUE.match(value):
                paths.setdefault((key.lower(), value), set()).add(parts.path)
    return frozenset(key for (key, _), seen in paths.items() if len(seen) >= min_paths)


def without_params(url: str, names: frozenset[str]) -> str:
    """The URL without the query parameters in `names` (lower-case); unchanged when it has none of them."""
    if not names:
        return url
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    kept = [(k, v) for k, v in pairs if k.lower() not in names]
    if len(kept) == len(pairs):
        return url
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(kept), parts.fragment))


def host_of(url: str) -> str:
    """The lower-cased host name of a URL ("" when it has none)."""
    try:
        return (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""


def origin_of(url: str) -> str:
    """scheme://host[:port], the unit robots.txt applies to."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


def site_key(host: str) -> str:
    """The registrable part of a host: "www.oslo.kommune.no" -> "oslo.kommune.no", "www.aarhus.dk" -> "aarhus.dk".

    IP addresses are their own key. Without the full public suffix list this keeps the last two labels, or three
    under a known shared suffix such as kommune.no.
    """
    host = host.lower().rstrip(".").strip("[]")
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _SHARED_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def same_site(url: str, site_keys: set[str] | frozenset[str]) -> bool:
    """True when the URL's host belongs to one of the given site keys (www and other subdomains included)."""
    host = host_of(url)
    return bool(host) and site_key(host) in site_keys


def section_of(url: str, depth: int = 2) -> str:
    """The site section a URL lives in: its first `depth` path segments ("/tjenester/helse/barn" -> "/tjenester/helse").

    Kommune CMSs file a plan's landing page, its siblings and often the PDF under one section, so a section that
    held one candidate is worth exploring before the rest of the site.
    """
    segments = [seg for seg in urlsplit(url).path.split("/") if seg][:depth]
    return "/" + "/".join(segments)


#: path segments kommune CMSs file news under (nb, nn, da)
_NEWS_SECTIONS = frozenset(
    {"nyheter", "nyhet", "nyheiter", "nyheit", "nyheder", "nyhed", "aktuelt", "aktuelle-nyheter", "news", "presse"}
)


def is_news_item(url: str) -> bool:
    """True for an article or a filtered listing under a news section (/aktuelt/ny-plan, /nyheder?aar=2024), not the
    news section's own front (/aktuelt): its page is a dated article or a facet of the archive."""
    parts = urlsplit(url)
    segments = [seg.lower() for seg in unquote(parts.path).split("/") if seg]
    for i, seg in enumerate(segments):
        if seg in _NEWS_SECTIONS:
            return i + 1 < len(segments) or bool(parts.query)
    return False


#: a query value that names a day or a month ("2026-01-02", "2026-01", "02.01.2026", "20260102"): a calendar's
_DATE_VALUE = re.compile(r"^(\d{4}-\d{1,2}(-\d{1,2})?|\d{1,2}\.\d{1,2}\.\d{2,4}|(19|20)\d{2}(0[1-9]|1[0-2])\d{2})$")


def is_calendar_url(url: str) -> bool:
    """True when a query parameter's value is a day or a month: a calendar, whose next and previous links generate
    URLs without end, each page listing events (never a plan)."""
    return any(_DATE_VALUE.match(value) for _, value in parse_qsl(urlsplit(url).query))


def path_pattern(url: str) -> str:
    """A URL's shape for trap caps: host + path with dates and digits replaced, plus the sorted query keys.

    "/kalender?dato=2026-01-02" and "/kalender?dato=2026-01-03" share one pattern, so an endless calendar uses
    one small visit budget instead of the site's page budget.
    """
    parts = urlsplit(url)
    path = _DIGITS.sub("N", _DATE.sub("D", unquote(parts.path)))
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)})
    return f"{parts.netloc.lower()}{path}?{'&'.join(keys)}"


#: query keys by which a CMS addresses one page or post of its own (WordPress "?page_id=5994", "?p=6088", ACOS and
#: older portals "?id=123", "?artikkelid=..."): a finite set of real pages, not a generated URL space
_CONTENT_ID_KEYS = frozenset(
    {"p", "id", "page_id", "pageid", "post_id", "postid", "nid", "docid", "dokumentid", "artikkelid", "articleid"}
)


def is_content_id_url(url: str) -> bool:
    """True when the URL's only query parameter is a CMS's id of a page with a whole-number value ("/?page_id=5994").

    Such URLs share one `path_pattern` however many pages the site has (a WordPress site with plain permalinks puts
    every page under "/?page_id"), unlike a calendar ("?dato=..."), a facet or paging ("?side=2"), which generate
    URLs without end."""
    query = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    return len(query) == 1 and query[0][0].lower() in _CONTENT_ID_KEYS and query[0][1].isdigit()


def _extension(url: str) -> str:
    path = unquote(urlsplit(url).path).lower()
    last = path.rsplit("/", 1)[-1]
    dot = last.rfind(".")
    return last[dot:] if dot > 0 else ""


def document_format_of(url: str) -> DocumentFormat | None:
    """The document format an URL's extension promises ("pdf", "docx"), None for pages and unknowns."""
    return _DOC_EXTENSIONS.get(_extension(url))


def document_format_of_content_type(content_type: str) -> DocumentFormat | None:
    """The document format a Content-Type announces (pdf/docx), None for HTML and everything else."""
    ct = content_type.split(";", 1)[0].strip().lower()
    if ct in ("application/pdf", "application/x-pdf"):
        return "pdf"
    if ct in (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/msword",
    ):
        return "docx"
    return None


#: path segments of scripts that hand out files: /media/44311/download, /dokument/hent?id=7, /getfile.aspx?id=3
_DOWNLOAD_VERBS = frozenset(
    {"download", "downloads", "hent", "hentfil", "getfile", "getfile.aspx", "getdocument", "filedownload", "attachment"}
)
#: folders a CMS files its uploads under, which serve a file when an id follows (/media/44311, /filer/9/plan)
_UPLOAD_FOLDERS = frozenset(
    {"media", "files", "filer", "fil", "file", "dokument", "dokumenter", "documents", "vedlegg"}
)
_ID_KEYS = frozenset({"id", "docid", "fileid", "documentid", "dokumentid", "mediaid", "file", "fil"})
#: a path segment that is a record's key: a number, a GUID (EPiServer/Optimizely `/api/file/<guid>`), a long hex hash
_ID_SEGMENT_RE = re.compile(r"\d+|[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}|[0-9a-f]{24,}")


def may_be_download(url: str) -> bool:
    """True for an URL without a document extension that looks like a script serving a file.

    Sitemaps list such URLs with no link text to score (OS2web/Umbraco `/media/<id>/download`, ACOS
    `/dokument/hent?id=N`, Optimizely `/api/file/<guid>`); whether one is a PDF is decided from its bytes once
    fetched.
    """
    extension = _extension(url)
    if extension and extension not in (".aspx", ".ashx", ".php"):
        return False
    parts = urlsplit(url)
    segments = [seg.lower() for seg in unquote(parts.path).split("/") if seg]
    if any(seg in _DOWNLOAD_VERBS for seg in segments):
        return True
    has_id = any(_ID_SEGMENT_RE.fullmatch(seg) for seg in segments) or any(
        key.lower() in _ID_KEYS for key, _ in parse_qsl(parts.query, keep_blank_values=True)
    )
    return has_id and any(seg in _UPLOAD_FOLDERS for seg in segments)


def is_skippable(url: str) -> bool:
    """True for images, media, archives, stylesheets and the like: never fetched as pages or documents."""
    return _extension(url) in _SKIP_EXTENSIONS
