"""The documents one site crawl holds: built from responses, kept within the site's byte budget, downloaded.

A document is kept as it is met (a plan-like page, a file behind an extension-less link) or downloaded from the
candidates after discovery, best first, until `max_documents_per_site`. The site's bytes are bounded by
`max_document_bytes_per_site`: a document that does not fit may push out held documents of a lower score, never a
better one, and each one let go for the budget is a counted "document_budget" issue, never a silent loss. A
document's found_via and click path are left for `site_paths.attach_paths`, when the whole link graph is known.
"""

from __future__ import annotations

import hashlib

from crawlers.errors import CrawlError
from crawlers.fetch import Response
from crawlers.site_state import SiteCrawler, SiteState, record
from crawlers.types import CrawlIssue, DocumentFormat, FetchedDocument


def new_document(
    crawler: SiteCrawler, response: Response, fmt: DocumentFormat, anchor_text: str, score: float
) -> FetchedDocument:
    """The document `response` holds, stamped now, with no click path yet."""
    # found_via and the click path are filled in at the end, when the whole graph is known
    return FetchedDocument(
        url=response.url,
        final_url=response.final_url,
        status=response.status,
        content_type=response.content_type,
        format=fmt,
        body=response.body,
        sha256=hashlib.sha256(response.body).hexdigest(),
        anchor_text=anchor_text,
        found_via="sitemap",
        click_depth=None,
        click_path=(),
        redirects=response.redirects,
        fetched_at=crawler.now(),
        score=score,
    )


def keep(crawler: SiteCrawler, state: SiteState, node: str, document: FetchedDocument) -> None:
    """Hold `document` unless the site's byte budget is spent; then it, or the held documents with a lower
    score that make room for it, are let go with a "document_budget" issue each (never silently)."""
    cap = crawler.options.max_document_bytes_per_site
    size = len(document.body)
    if state.document_bytes + size > cap:
        room = cap - state.document_bytes
        drop: list[str] = []
        # the least likely first: a document found early in discovery does not crowd out a better one
        for key, held in sorted(state.documents.items(), key=lambda item: (item[1].score, item[0])):
            if room >= size or held.score >= document.score:
                break
            room += len(held.body)
            drop.append(key)
        if room < size:
            _over_budget(crawler, state, node, document, f"not kept: its {size:,} bytes would pass")
            return
        for key in drop:
            held = state.documents.pop(key)
            state.document_bytes -= len(held.body)
            _over_budget(
                crawler, state, key, held, f"dropped: its {len(held.body):,} bytes made way for {document.url} in"
            )
    state.documents[node] = document
    state.document_bytes += size


def _over_budget(crawler: SiteCrawler, state: SiteState, node: str, document: FetchedDocument, why: str) -> None:
    """Record a document let go for the byte budget, and never fetch it again."""
    state.over_budget.update((node, document.url))
    cap = crawler.options.max_document_bytes_per_site
    detail = f"{why} the site's document budget of {cap:,} bytes (max_document_bytes_per_site)"
    state.issues.append(CrawlIssue(document.url, "document_budget", detail))


async def download_documents(crawler: SiteCrawler, state: SiteState) -> None:
    """Download the candidates, best first, until the site's document count is reached; duplicates (by final URL
    or content) are skipped, and a candidate that is no document, or fails, is an issue."""
    seen_final = {doc.final_url for doc in state.documents.values()}
    seen_hash = {doc.sha256 for doc in state.documents.values()}
    ranked = sorted(state.candidates.values(), key=lambda c: (-c.score, c.url))
    for candidate in ranked:
        if len(state.documents) >= crawler.options.max_documents_per_site:
            break
        if candidate.url in state.documents or candidate.url in state.over_budget:
            continue
        try:
            response = await crawler.fetcher.fetch(candidate.url)
        except CrawlError as exc:
            record(state, candidate.url, exc)
            continue
        if not response.ok:
            state.issues.append(CrawlIssue(candidate.url, "http_status", f"HTTP {response.status}", response.status))
            continue
        fmt = response.document_format
        if fmt is None:
            state.issues.append(
                CrawlIssue(candidate.url, "not_a_document", f"answered {response.content_type or 'no type'}")
            )
            continue
        document = new_document(crawler, response, fmt, candidate.anchor_text, candidate.score)
        if document.final_url in seen_final or document.sha256 in seen_hash:
            continue
        seen_final.add(document.final_url)
        seen_hash.add(document.sha256)
        keep(crawler, state, candidate.url, document)
