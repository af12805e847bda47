"""What an alert says: the `AlertEvent` handed to channels and its rendering as webhook JSON, text and e-mail.

Pure: no I/O, no clock. An event speaks its kommune's written language by default, Bokmål (``nb``), Nynorsk
(``nn``) or Danish (``da``), so an NGO in Volda reads Nynorsk and one in Aarhus reads Danish; a subscription may ask
for any language of the catalogue, English (``en``) too. The words are in `tracker/catalogue/alerts.toml`.
One event renders as one message; several render as one digest ("Planvakt: 3 endringer"), because an NGO
watching 455 kommuner wants one e-mail after a sweep, not forty.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, tzinfo
from email.message import EmailMessage
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracker.catalogue import LOCALES, Locale, text
from tracker.catalogue.formats import day
from tracker.domain import EVENT_KINDS, LANGUAGES, Country, Kommune, Language

__all__ = [
    "AlertEvent",
    "RenderedText",
    "digest_language",
    "headline",
    "kommune_language",
    "message_id",
    "render_email",
    "render_text",
    "webhook_payload",
]


@dataclass(frozen=True)
class AlertEvent:
    """One change event as the channels see it; `id` is the idempotency key receivers deduplicate on.

    `detected_at` is stored in UTC: a naive value (SQLite hands those back) is taken to be UTC already.
    `language` is the kommune's written language, not the subscriber's (see `kommune_language`).
    """

    id: str
    kind: str
    kommunenummer: str
    name: str
    country: str
    url: str | None
    previous_url: str | None
    sha256: str | None
    previous_sha256: str | None
    detected_at: datetime
    evidence: Mapping[str, Any] = field(default_factory=dict)
    language: Language = "nb"

    def __post_init__(self) -> None:
        if self.language not in LANGUAGES:
            raise ValueError(f"language must be one of {LANGUAGES}, not {self.language!r}")
        if not self.id:
            raise ValueError("an alert event needs an id: it is the idempotency key")
        moment = self.detected_at
        moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        object.__setattr__(self, "detected_at", moment)


@dataclass(frozen=True)
class RenderedText:
    """A subject line and a plain-text body, shared by e-mail and Apprise."""

    subject: str
    body: str


def kommune_language(kommune: Kommune) -> Language:
    """Danish kommuner get Danish; Norwegian ones their målform, Nynorsk or else Bokmål (Nøytral reads Bokmål)."""
    if kommune.country == Country.DK:
        return "da"
    return "nn" if (kommune.written_standard or "").strip().lower() == "nynorsk" else "nb"


def digest_language(events: Sequence[AlertEvent]) -> Language:
    """The language most of the events are in (the first event's on a tie), for a digest across kommuner."""
    if not events:
        raise ValueError("no events")
    counts = Counter(event.language for event in events)
    best = max(counts.values())
    return next(event.language for event in events if counts[event.language] == best)


# ---------------------------------------------------------------------------------------------------------------
# Webhook JSON


def webhook_payload(event: AlertEvent, unsubscribe_url: str | None = None) -> bytes:
    """The exact bytes POSTed to a webhook and signed: compact JSON, sorted keys, UTF-8 (æøå unescaped).

    `unsubscribe_url`, when given, is carried as `unsubscribe_url`: a POST to it stops the subscription.
    Raises TypeError when the evidence holds something JSON cannot carry (datetimes and dates are allowed).
    """
    document = {
        "id": event.id,
        "kind": event.kind,
        "kommunenummer": event.kommunenummer,
        "name": event.name,
        "url": event.url,
        "previous_url": event.previous_url,
        "sha256": event.sha256,
        "detected_at": _iso_utc(event.detected_at),
        "evidence": dict(event.evidence),
    }
    if unsubscribe_url:
        document["unsubscribe_url"] = unsubscribe_url
    text = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default)
    return text.encode("utf-8")


def _iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _json_default(value: object) -> str:
    if isinstance(value, datetime):
        return _iso_utc(value if value.tzinfo else value.replace(tzinfo=UTC))
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"evidence value of type {type(value).__name__} is not JSON serialisable")


# ---------------------------------------------------------------------------------------------------------------
# Human-readable text

_TIME_ZONES: Final[dict[str, str]] = {"NO": "Europe/Oslo", "DK": "Europe/Copenhagen"}
_KINDS_WITH_TEXT: Final = frozenset(f"alert.headline.{kind}" for kind in EVENT_KINDS)


def headline(event: AlertEvent, language: Locale | None = None) -> str:
    """One line saying what happened, in `language` (default: the event's own)."""
    lang = language or event.language
    key = f"alert.headline.{event.kind}"
    if key not in _KINDS_WITH_TEXT:  # a kind added later still reaches the reader, untranslated
        return f"{event.kind}: {event.name}"
    return text(lang, key, name=event.name)


def render_text(
    events: Sequence[AlertEvent], language: Locale | None = None, unsubscribe_url: str | None = None
) -> RenderedText:
    """Subject and body for one event, or one digest for several (in the order given).

    `language` defaults to the event's language (one event) or `digest_language` (a digest); the footer carries
    `unsubscribe_url` when given.
    Raises ValueError on an empty sequence.
    """
    if not events:
        raise ValueError("nothing to render: no events")
    lang = language or digest_language(events)
    if lang not in LOCALES:
        raise ValueError(f"language must be one of {LOCALES}, not {lang!r}")
    if len(events) == 1:
        event = events[0]
        subject = f"Planvakt: {headline(event, lang)}"
        body = "\n".join([*_event_block(event, lang, heading=False), "", *_footer(lang, unsubscribe_url), ""])
        return RenderedText(subject=subject, body=body)
    subject = text(lang, "alert.digest_subject", count=len(events))
    lines = [text(lang, "alert.digest_intro", count=len(events)), ""]
    for number, event in enumerate(events, start=1):
        lines.append(f"{number}. {headline(event, lang)}")
        lines.extend("   " + line if line else "" for line in _event_block(event, lang, heading=True))
        lines.append("")
    lines.extend([*_footer(lang, unsubscribe_url), ""])
    return RenderedText(subject=subject, body="\n".join(lines))


def _footer(lang: Locale, unsubscribe_url: str | None) -> list[str]:
    lines = ["-- ", text(lang, "alert.footer")]
    return [*lines, text(lang, "alert.unsubscribe", url=unsubscribe_url)] if unsubscribe_url else lines


def _event_block(event: AlertEvent, lang: Locale, *, heading: bool) -> list[str]:
    """The lines describing one event; `heading` is False when the subject already says what happened."""
    known = f"alert.headline.{event.kind}" in _KINDS_WITH_TEXT
    explanation = text(lang, f"alert.explanation.{event.kind}") if known else ""
    lines: list[str] = [] if heading else [headline(event, lang), ""]
    if explanation:
        lines.append(explanation)
    lines.append("")
    rows: list[tuple[str, str | None]] = [
        ("kommunenummer", f"{event.kommunenummer} {event.name}"),
        ("url", event.url),
        ("previous_url", event.previous_url),
        ("sha256", event.sha256),
        ("previous_sha256", event.previous_sha256),
        ("detected_at", _local_time(event, lang)),
        ("event_id", event.id),
    ]
    lines.extend(f"{text(lang, 'alert.label.' + key)}: {value}" for key, value in rows if value)
    evidence = sorted(_flatten(event.evidence))
    if evidence:
        lines.extend(["", f"{text(lang, 'alert.label.evidence')}:"])
        lines.extend(f"  - {key}: {value}" for key, value in evidence)
    links = _links(event)
    if links:
        lines.extend(["", f"{text(lang, 'alert.label.links')}:"])
        lines.extend(f"  {link}" for link in links)
    return lines


def _local_time(event: AlertEvent, lang: Locale) -> str:
    """Kommune-local wall time with its zone name in the reader's words, e.g. `12. mars 2025 15:05 CET`."""
    zone: tzinfo
    try:
        zone = ZoneInfo(_TIME_ZONES.get(str(event.country), "UTC"))
    except ZoneInfoNotFoundError:  # no tz database on the host: UTC is still correct, just less friendly
        zone = UTC
    local = event.detected_at.astimezone(zone)
    return f"{day(local.date(), lang)} {local:%H:%M} {local.tzname()}"


def _flatten(value: object, prefix: str = "") -> Iterator[tuple[str, str]]:
    """Nested evidence as `a.b[0]: value` rows, so a digest stays readable without a JSON viewer."""
    if isinstance(value, Mapping):
        for key, inner in value.items():
            yield from _flatten(inner, f"{prefix}.{key}" if prefix else str(key))
    elif isinstance(value, list | tuple) and any(isinstance(item, Mapping | list | tuple) for item in value):
        for index, inner in enumerate(value):
            yield from _flatten(inner, f"{prefix}[{index}]")
    elif isinstance(value, list | tuple):
        yield prefix, ", ".join(_scalar(item) for item in value)
    else:
        yield prefix, _scalar(value)


def _scalar(value: object) -> str:
    if isinstance(value, datetime):
        return _iso_utc(value if value.tzinfo else value.replace(tzinfo=UTC))
    return "" if value is None else str(value)


def _links(event: AlertEvent) -> list[str]:
    """Every http(s) link of the event and its evidence, once each, in reading order."""
    found: list[str] = []
    for candidate in [event.url, event.previous_url, *(value for _, value in _flatten(event.evidence))]:
        for piece in (candidate or "").split(", "):
            if piece.startswith(("http://", "https://")) and piece not in found:
                found.append(piece)
    return found


# ---------------------------------------------------------------------------------------------------------------
# E-mail


def message_id(events: Sequence[AlertEvent], domain: str = "planvakt") -> str:
    """A Message-ID fixed by the event ids, so a retried send is recognisably the same message."""
    digest = hashlib.sha256("\n".join(sorted(event.id for event in events)).encode("utf-8")).hexdigest()
    return f"<{digest[:32]}@{domain}>"


def render_email(
    events: Sequence[AlertEvent], language: Locale | None = None, unsubscribe_url: str | None = None
) -> EmailMessage:
    """One e-mail (single event or digest) with Subject, Content-Language, Message-ID and a UTF-8 text body.

    With `unsubscribe_url`: `List-Unsubscribe` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058,
    so a mail client can stop the alerts with one POST) and the link in the body's footer.
    From, To and Date are the sender's business (`tracker.alerts.notify.EmailChannel`). Raises ValueError when empty.
    """
    text = render_text(events, language, unsubscribe_url)
    lang = language or digest_language(events)
    message = EmailMessage()
    message["Subject"] = text.subject
    message["Message-ID"] = message_id(events)
    message["X-Planvakt-Events"] = ", ".join(event.id for event in events)
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(text.body, charset="utf-8")
    message["Content-Language"] = lang  # after set_content, which clears every Content-* header
    return message
