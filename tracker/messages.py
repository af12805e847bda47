"""What an alert says: the `AlertEvent` handed to channels and its rendering as webhook JSON, text and e-mail.

Pure: no I/O, no clock. Every human-readable text exists in the three written languages Planvakt meets, Bokmål
(``nb``), Nynorsk (``nn``) and Danish (``da``), so an NGO in Volda reads Nynorsk and one in Aarhus reads Danish.
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

from tracker.domain import LANGUAGES, Country, Kommune, Language

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

# Headlines per kind; `{name}` is the kommune's name.
_HEADLINES: Final[dict[str, dict[Language, str]]] = {
    "plan_appeared": {
        "nb": "Ny plan funnet for {name}",
        "nn": "Ny plan funnen for {name}",
        "da": "Ny plan fundet for {name}",
    },
    "plan_changed": {
        "nb": "Planen til {name} er endret",
        "nn": "Planen til {name} er endra",
        "da": "Planen for {name} er ændret",
    },
    "plan_moved": {
        "nb": "Planen til {name} er flyttet til en ny adresse",
        "nn": "Planen til {name} er flytta til ei ny adresse",
        "da": "Planen for {name} er flyttet til en ny adresse",
    },
    "plan_vanished": {
        "nb": "Planen til {name} er ikke lenger å finne",
        "nn": "Planen til {name} er ikkje lenger å finne",
        "da": "Planen for {name} kan ikke længere findes",
    },
    "plan_reappeared": {
        "nb": "Planen til {name} er tilbake",
        "nn": "Planen til {name} er tilbake",
        "da": "Planen for {name} er tilbage",
    },
    "crawler_blocked": {
        "nb": "Planvakt får ikke sjekket nettstedet til {name}",
        "nn": "Planvakt får ikkje sjekka nettstaden til {name}",
        "da": "Planvakt kan ikke tjekke hjemmesiden for {name}",
    },
    "check_failed": {
        "nb": "Sjekken av {name} mislyktes",
        "nn": "Sjekken av {name} mislukkast",
        "da": "Tjekket af {name} mislykkedes",
    },
}

# Why a reader should care, one sentence per kind; crawler_blocked says plainly it is about our sight, not the plan.
_EXPLANATIONS: Final[dict[str, dict[Language, str]]] = {
    "plan_appeared": {
        "nb": "Planvakt har funnet en plan på kommunens nettsted for første gang.",
        "nn": "Planvakt har funne ein plan på nettstaden til kommunen for første gong.",
        "da": "Planvakt har fundet en plan på kommunens hjemmeside for første gang.",
    },
    "plan_changed": {
        "nb": "Den samme adressen viser nå et dokument med annet innhold.",
        "nn": "Den same adressa viser no eit dokument med anna innhald.",
        "da": "Den samme adresse viser nu et dokument med andet indhold.",
    },
    "plan_moved": {
        "nb": "Det samme dokumentet ligger nå på en annen adresse. Planen er ikke borte.",
        "nn": "Det same dokumentet ligg no på ei anna adresse. Planen er ikkje borte.",
        "da": "Det samme dokument ligger nu på en anden adresse. Planen er ikke væk.",
    },
    "plan_vanished": {
        "nb": "Planen er borte i flere sjekker på rad mens nettstedet ellers svarte.",
        "nn": "Planen er borte i fleire sjekkar på rad medan nettstaden elles svarte.",
        "da": "Planen er væk i flere tjek i træk, mens hjemmesiden ellers svarede.",
    },
    "plan_reappeared": {
        "nb": "En plan som var borte, er å finne igjen.",
        "nn": "Ein plan som var borte, er å finne att.",
        "da": "En plan, der var forsvundet, kan findes igen.",
    },
    "crawler_blocked": {
        "nb": "Dette gjelder Planvakts innsyn, ikke planen: nettstedet stenger ute eller svarer ikke.",
        "nn": "Dette gjeld innsynet til Planvakt, ikkje planen: nettstaden stengjer ute eller svarar ikkje.",
        "da": "Det gælder Planvakts adgang, ikke planen: hjemmesiden spærrer eller svarer ikke.",
    },
    "check_failed": {
        "nb": "Nettstedet kunne ikke sjekkes denne gangen. Planen beholder sin siste kjente status.",
        "nn": "Nettstaden kunne ikkje sjekkast denne gongen. Planen held på den siste kjende statusen.",
        "da": "Hjemmesiden kunne ikke tjekkes denne gang. Planen beholder sin seneste kendte status.",
    },
}

_LABELS: Final[dict[str, dict[Language, str]]] = {
    "kommunenummer": {"nb": "Kommunenummer", "nn": "Kommunenummer", "da": "Kommunekode"},
    "url": {"nb": "Adresse", "nn": "Adresse", "da": "Adresse"},
    "previous_url": {"nb": "Tidligere adresse", "nn": "Tidlegare adresse", "da": "Tidligere adresse"},
    "sha256": {"nb": "SHA-256", "nn": "SHA-256", "da": "SHA-256"},
    "previous_sha256": {"nb": "Tidligere SHA-256", "nn": "Tidlegare SHA-256", "da": "Tidligere SHA-256"},
    "detected_at": {"nb": "Oppdaget", "nn": "Oppdaga", "da": "Opdaget"},
    "evidence": {"nb": "Dokumentasjon", "nn": "Dokumentasjon", "da": "Dokumentation"},
    "links": {"nb": "Lenker", "nn": "Lenkjer", "da": "Links"},
    "event_id": {"nb": "Hendelse", "nn": "Hending", "da": "Hændelse"},
}

_DIGEST_SUBJECT: Final[dict[Language, str]] = {
    "nb": "Planvakt: {count} endringer",
    "nn": "Planvakt: {count} endringar",
    "da": "Planvakt: {count} ændringer",
}
_DIGEST_INTRO: Final[dict[Language, str]] = {
    "nb": "Planvakt har registrert {count} endringer i kommunene du følger:",
    "nn": "Planvakt har registrert {count} endringar i kommunane du følgjer:",
    "da": "Planvakt har registreret {count} ændringer i de kommuner, du følger:",
}
_FOOTER: Final[dict[Language, str]] = {
    "nb": "Du får denne meldingen fordi du abonnerer på varsler fra Planvakt.",
    "nn": "Du får denne meldinga fordi du abonnerer på varsel frå Planvakt.",
    "da": "Du får denne besked, fordi du abonnerer på advarsler fra Planvakt.",
}
_UNSUBSCRIBE: Final[dict[Language, str]] = {
    "nb": "Stopp disse varslene (ett klikk): {url}",
    "nn": "Stopp desse varsla (eitt klikk): {url}",
    "da": "Stop disse advarsler (ét klik): {url}",
}
_TIME_ZONES: Final[dict[str, str]] = {"NO": "Europe/Oslo", "DK": "Europe/Copenhagen"}


def headline(event: AlertEvent, language: Language | None = None) -> str:
    """One line saying what happened, in `language` (default: the event's own)."""
    lang = language or event.language
    templates = _HEADLINES.get(event.kind)
    if templates is None:  # a kind added later still reaches the reader, untranslated
        return f"{event.kind}: {event.name}"
    return templates[lang].format(name=event.name)


def render_text(
    events: Sequence[AlertEvent], language: Language | None = None, unsubscribe_url: str | None = None
) -> RenderedText:
    """Subject and body for one event, or one digest for several (in the order given).

    `language` defaults to the event's language (one event) or `digest_language` (a digest); the footer carries
    `unsubscribe_url` when given.
    Raises ValueError on an empty sequence.
    """
    if not events:
        raise ValueError("nothing to render: no events")
    lang = language or digest_language(events)
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    if len(events) == 1:
        event = events[0]
        subject = f"Planvakt: {headline(event, lang)}"
        body = "\n".join([*_event_block(event, lang, heading=False), "", *_footer(lang, unsubscribe_url), ""])
        return RenderedText(subject=subject, body=body)
    subject = _DIGEST_SUBJECT[lang].format(count=len(events))
    lines = [_DIGEST_INTRO[lang].format(count=len(events)), ""]
    for number, event in enumerate(events, start=1):
        lines.append(f"{number}. {headline(event, lang)}")
        lines.extend("   " + line if line else "" for line in _event_block(event, lang, heading=True))
        lines.append("")
    lines.extend([*_footer(lang, unsubscribe_url), ""])
    return RenderedText(subject=subject, body="\n".join(lines))


def _footer(lang: Language, unsubscribe_url: str | None) -> list[str]:
    lines = ["-- ", _FOOTER[lang]]
    return [*lines, _UNSUBSCRIBE[lang].format(url=unsubscribe_url)] if unsubscribe_url else lines


def _event_block(event: AlertEvent, lang: Language, *, heading: bool) -> list[str]:
    """The lines describing one event; `heading` is False when the subject already says what happened."""
    explanation = _EXPLANATIONS.get(event.kind, {}).get(lang)
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
        ("detected_at", _local_time(event)),
        ("event_id", event.id),
    ]
    lines.extend(f"{_LABELS[key][lang]}: {value}" for key, value in rows if value)
    evidence = sorted(_flatten(event.evidence))
    if evidence:
        lines.extend(["", f"{_LABELS['evidence'][lang]}:"])
        lines.extend(f"  - {key}: {value}" for key, value in evidence)
    links = _links(event)
    if links:
        lines.extend(["", f"{_LABELS['links'][lang]}:"])
        lines.extend(f"  {link}" for link in links)
    return lines


def _local_time(event: AlertEvent) -> str:
    """Kommune-local wall time with its zone name, which is what a Norwegian or Danish reader expects."""
    zone: tzinfo
    try:
        zone = ZoneInfo(_TIME_ZONES.get(str(event.country), "UTC"))
    except ZoneInfoNotFoundError:  # no tz database on the host: UTC is still correct, just less friendly
        zone = UTC
    local = event.detected_at.astimezone(zone)
    return f"{local:%d.%m.%Y %H:%M} {local.tzname()}"


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
    events: Sequence[AlertEvent], language: Language | None = None, unsubscribe_url: str | None = None
) -> EmailMessage:
    """One e-mail (single event or digest) with Subject, Content-Language, Message-ID and a UTF-8 text body.

    With `unsubscribe_url`: `List-Unsubscribe` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058,
    so a mail client can stop the alerts with one POST) and the link in the body's footer.
    From, To and Date are the sender's business (`tracker.notify.EmailChannel`). Raises ValueError when empty.
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
