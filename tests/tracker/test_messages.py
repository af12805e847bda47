"""Rendering of alert events: webhook JSON bytes, text in nb/nn/da, single e-mails and digests."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from tracker.alerts.messages import (
    AlertEvent,
    digest_language,
    headline,
    kommune_language,
    message_id,
    render_email,
    render_text,
    webhook_payload,
)
from tracker.domain import Country, Kommune

WHEN = datetime(2025, 3, 12, 14, 5, tzinfo=UTC)


def event(**overrides: object) -> AlertEvent:
    values: dict[str, object] = {
        "id": "evt-1",
        "kind": "plan_changed",
        "kommunenummer": "1577",
        "name": "Volda",
        "country": "NO",
        "url": "https://www.volda.kommune.no/plan-mot-overgrep.pdf",
        "previous_url": None,
        "sha256": "b" * 64,
        "previous_sha256": "a" * 64,
        "detected_at": WHEN,
        "evidence": {"statuses": [200, 200], "check_ids": [11, 12]},
        "language": "nb",
    }
    values.update(overrides)
    return AlertEvent(**values)  # type: ignore[arg-type]


def test_webhook_payload_is_compact_sorted_utf8_json_with_exactly_the_documented_fields() -> None:
    body = webhook_payload(event(name="Bærum", evidence={"z": 1, "a": "Søndre Land"}))
    document = json.loads(body.decode("utf-8"))
    assert sorted(document) == [
        "detected_at",
        "evidence",
        "id",
        "kind",
        "kommunenummer",
        "name",
        "previous_url",
        "sha256",
        "url",
    ]
    assert document["detected_at"] == "2025-03-12T14:05:00Z"
    assert "Bærum".encode() in body and b"\\u00e6" not in body
    assert b": " not in body and b", " not in body
    assert body == json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert body.index(b'"detected_at"') < body.index(b'"evidence"') < body.index(b'"id"')


def test_webhook_payload_carries_datetimes_in_evidence_and_rejects_other_objects() -> None:
    body = webhook_payload(event(evidence={"checked_at": datetime(2025, 3, 1, 8, 0)}))
    assert json.loads(body)["evidence"]["checked_at"] == "2025-03-01T08:00:00Z"
    with pytest.raises(TypeError, match="set"):
        webhook_payload(event(evidence={"bad": {1, 2}}))


def test_detected_at_is_normalised_to_utc() -> None:
    oslo_summer = timezone(timedelta(hours=2))
    assert event(detected_at=datetime(2025, 6, 1, 12, 0, tzinfo=oslo_summer)).detected_at == datetime(
        2025, 6, 1, 10, 0, tzinfo=UTC
    )
    assert event(detected_at=datetime(2025, 6, 1, 12, 0)).detected_at == datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def test_event_rejects_unknown_language_and_missing_id() -> None:
    with pytest.raises(ValueError, match="language"):
        event(language="en")
    with pytest.raises(ValueError, match="idempotency"):
        event(id="")


def test_kommune_language_follows_country_and_maalform() -> None:
    def kommune(country: Country, form: str | None) -> Kommune:
        return Kommune("0000", "X", country, "https://x", written_standard=form)

    assert kommune_language(kommune(Country.DK, None)) == "da"
    assert kommune_language(kommune(Country.NO, "Nynorsk")) == "nn"
    assert kommune_language(kommune(Country.NO, "Bokmål")) == "nb"
    assert kommune_language(kommune(Country.NO, "Nøytral")) == "nb"
    assert kommune_language(kommune(Country.NO, None)) == "nb"


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("nb", "Planen til Volda er ikke lenger å finne"),
        ("nn", "Planen til Volda er ikkje lenger å finne"),
        ("da", "Planen for Volda kan ikke længere findes"),
    ],
)
def test_headline_in_each_language(language: str, expected: str) -> None:
    assert headline(event(kind="plan_vanished", language=language)) == expected


def test_every_known_kind_reads_differently_in_each_language() -> None:
    for kind in ("plan_appeared", "plan_changed", "plan_moved", "plan_reappeared", "crawler_blocked"):
        lines = {headline(event(kind=kind), lang) for lang in ("nb", "nn", "da")}
        assert len(lines) >= 2, kind
        assert all("Volda" in line for line in lines)
    assert headline(event(kind="plan_renamed")) == "plan_renamed: Volda"


def test_single_event_text_has_subject_links_evidence_and_local_time() -> None:
    text = render_text(
        [
            event(
                kind="plan_moved",
                url="https://ny.volda.no/plan.pdf",
                previous_url="https://www.volda.kommune.no/plan.pdf",
                evidence={"old_status": 301, "seen_on": ["https://ny.volda.no/helse", "https://ny.volda.no/"]},
                language="nn",
            )
        ]
    )
    assert text.subject == "Planvakt: Planen til Volda er flytta til ei ny adresse"
    assert "Planen er ikkje borte." in text.body
    assert "Tidlegare adresse: https://www.volda.kommune.no/plan.pdf" in text.body
    assert "  - old_status: 301" in text.body
    for link in ("https://ny.volda.no/plan.pdf", "https://ny.volda.no/helse", "https://ny.volda.no/"):
        assert f"\n  {link}\n" in text.body
    assert "Oppdaga: 12. mars 2025 15:05 CET" in text.body  # 14:05 UTC is 15:05 in Norway in March
    assert "Hending: evt-1" in text.body


def test_danish_event_uses_danish_labels_and_copenhagen_time() -> None:
    text = render_text([event(country="DK", kommunenummer="0101", name="København", language="da")])
    assert text.subject == "Planvakt: Planen for København er ændret"
    assert "Kommunekode: 0101 København" in text.body
    assert "Opdaget: 12. marts 2025 15:05 CET" in text.body
    assert "Kommunenummer" not in text.body


def test_digest_lists_every_event_under_one_subject() -> None:
    events = [
        event(id="e1", kind="plan_appeared", name="Ærø", kommunenummer="0492", country="DK", language="da"),
        event(id="e2", kind="plan_vanished", name="Tønder", kommunenummer="0550", country="DK", language="da"),
        event(id="e3", kind="plan_changed", name="Bergen", kommunenummer="4601", language="nb"),
    ]
    text = render_text(events)
    assert text.subject == "Planvakt: 3 ændringer"
    assert "1. Ny plan fundet for Ærø" in text.body
    assert "2. Planen for Tønder kan ikke længere findes" in text.body
    assert "3. Planen for Bergen er ændret" in text.body
    assert render_text(events, "nb").subject == "Planvakt: 3 endringer"
    assert render_text(events, "nn").subject == "Planvakt: 3 endringar"


def test_digest_language_is_the_majority_then_the_first() -> None:
    assert digest_language([event(language="nb"), event(language="da"), event(language="da")]) == "da"
    assert digest_language([event(language="nn"), event(language="nb")]) == "nn"
    with pytest.raises(ValueError):
        digest_language([])
    with pytest.raises(ValueError):
        render_text([])


def test_render_email_is_utf8_text_with_stable_message_id() -> None:
    events = [event(id="e2", name="Sør-Varanger"), event(id="e1", name="Åfjord")]
    message = render_email(events, "nb")
    assert message["Subject"] == "Planvakt: 2 endringer"
    assert message["Content-Language"] == "nb"
    assert message.get_content_type() == "text/plain"
    assert message.get_content_charset() == "utf-8"
    assert "Planen til Sør-Varanger er endret" in message.get_content()
    assert message["Message-ID"] == message_id(list(reversed(events))) != message_id(events[:1])
    single = render_email([event(language="nn")])
    assert single["Content-Language"] == "nn"
    assert single["Subject"] == "Planvakt: Planen til Volda er endra"


def test_an_email_in_english_and_in_nynorsk() -> None:
    """A subscription may ask for English: the same e-mail, every label and sentence English, the time in words."""
    english = render_email([event(kind="plan_vanished", language="nn")], "en")
    body = english.get_content()
    assert english["Subject"] == "Planvakt: The plan of Volda can no longer be found"
    assert english["Content-Language"] == "en"
    assert "The plan has been gone for several checks in a row while the website otherwise answered." in body
    assert "Municipality number: 1577 Volda" in body and "Detected: 12 March 2025 15:05 CET" in body
    assert "You receive this message because you subscribe to alerts from Planvakt." in body
    nynorsk = render_email([event(kind="plan_vanished", language="nn")])
    assert nynorsk["Subject"] == "Planvakt: Planen til Volda er ikkje lenger å finne"
    assert "Oppdaga: 12. mars 2025 15:05 CET" in nynorsk.get_content()
    digest = render_text([event(id="a", kind="plan_appeared"), event(id="b", kind="check_failed")], "en")
    assert digest.subject == "Planvakt: 2 changes"
    assert "1. New plan found for Volda" in digest.body and "2. The check of Volda failed" in digest.body
