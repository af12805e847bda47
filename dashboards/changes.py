"""The changes page and its Atom feed: the latest events across all kommuner, filterable by kind and fylke/region
(in the URL; the feed takes the same filters).

A plan is shown by its title, linked to its URL, never as a raw 100-character URL. An event of a kommune's first
check is marked "første kontroll": the plan was there before Planvakt looked, so a first sweep does not read as
fifteen plans appearing today.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlencode, urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from dashboards.atom import MEDIA_TYPE, Feed, FeedEntry, atom_feed
from dashboards.i18n import translate
from dashboards.rendering import chosen_language, page_language, render
from tracker.domain import EVENT_KINDS
from tracker.store.statuses import region_names
from tracker.store.watch import EventRow, latest_events

router = APIRouter()

PAGE_SIZE = 200
#: a link text made from a URL (no title known) is cut to this many characters
SHORT_URL = 60


@dataclass(frozen=True)
class Filters:
    kind: str
    region: str

    def query(self, lang: str | None = None) -> str:
        """The filters (and a language, when given) as a query string ('' when none), for the feed's links."""
        params = {k: v for k, v in (("kind", self.kind), ("region", self.region), ("lang", lang)) if v}
        return f"?{urlencode(params)}" if params else ""


def _filters(request: Request) -> Filters:
    kind = request.query_params.get("kind") or ""
    return Filters(kind if kind in EVENT_KINDS else "", (request.query_params.get("region") or "").strip())


def _events(request: Request, filters: Filters) -> list[EventRow]:
    with request.app.state.session_factory() as session:
        return latest_events(
            session, kinds=[filters.kind] if filters.kind else (), region=filters.region or None, limit=PAGE_SIZE
        )


def short_url(url: str) -> str:
    """A URL as a person reads it: host and the last path segment, decoded ("www.x.no/…/plan-2024.pdf")."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if not segments:
        text = parts.netloc or url
    elif len(segments) == 1:
        text = f"{parts.netloc}/{unquote(segments[0])}"
    else:
        text = f"{parts.netloc}/…/{unquote(segments[-1])}"
    return text if len(text) <= SHORT_URL else text[: SHORT_URL - 1] + "…"


def plan_label(event: EventRow) -> str:
    """The plan's title, else its URL shortened; '' for an event without a plan (a failed check)."""
    return event.plan_title or (short_url(event.url) if event.url else "")


@router.get("/changes", response_class=HTMLResponse, include_in_schema=False)
def changes(request: Request) -> HTMLResponse:
    filters = _filters(request)
    events = _events(request, filters)
    with request.app.state.session_factory() as session:
        regions = region_names(session)
    return render(
        request,
        "changes.html",
        {
            "events": events,
            "kinds": EVENT_KINDS,
            "kind": filters.kind,
            "region": filters.region,
            "regions": regions,
            "plan_label": plan_label,
            "short_url": short_url,
            # a feed reader carries no language cookie: the English page links the English feed
            "feed_url": "/changes.atom" + filters.query("en" if chosen_language(request) == "en" else None),
            "any_first_check": any(e.first_check for e in events),
        },
    )


def _entry(event: EventRow, base: str, lang: str) -> FeedEntry:
    title = f"{translate(lang, 'event.' + event.kind)}: {event.kommunenummer} {event.name}"
    if label := plan_label(event):
        title += f" – {label}"
    if event.first_check:
        title += f" ({translate(lang, 'changes.first_check')})"
    summary = " ".join(part for part in (event.url or "", event.previous_url and f"← {event.previous_url}") if part)
    return FeedEntry(
        id=f"urn:uuid:{event.event_id}",
        title=title,
        link=f"{base}/kommune/{event.kommunenummer}",
        updated=event.detected_at,
        summary=summary,
    )


def _feed_title(filters: Filters, lang: str) -> str:
    title = translate(lang, "changes.feed_title")
    if filters.kind:
        title += f" · {translate(lang, 'event.' + filters.kind)}"
    if filters.region:
        title += f" · {filters.region}"
    return title


@router.get("/changes.atom", include_in_schema=False)
def changes_feed(request: Request) -> Response:
    """The changes page's events as an Atom feed: each entry's id is the event's UUID, so a reader never shows the
    same event twice; its link is the kommune's page."""
    filters = _filters(request)
    events = _events(request, filters)
    lang = page_language(request)
    base = str(request.base_url).rstrip("/")
    feed = Feed(
        id=f"{base}/changes.atom{filters.query()}",
        title=_feed_title(filters, lang),
        self_url=str(request.url),
        page_url=f"{base}/changes{filters.query()}",
        updated=events[0].detected_at if events else request.app.state.now(),
        author="Planvakt",
        language=lang,
    )
    body = atom_feed(feed, [_entry(event, base, lang) for event in events])
    return Response(body, media_type=f"{MEDIA_TYPE}; charset=utf-8")
