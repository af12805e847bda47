"""Every dashboard page in Bokmål, Nynorsk, Danish and English shows no catalogue key and no raw enum value.

The pages are driven through the real app over a seeded SQLite database holding each kind of thing a page can show:
an abuse plan with its checklist and accessibility lines, a general violence plan found only through the site's
search, a Danish kommune with only a draft, an unreachable site, events of every kind, a reviewer's override, a
failed tip, a refused tip and an alert subscription. The visible text of each page (tags, scripts, `<code>` and the
data dictionary's raw column values removed) must hold no catalogue key and none of the snake_case enum values,
and a confidence reads "0,9" in the Nordic languages and "0.9" in English.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from dashboards.app import create_app
from tests.dashboards.act_seed import FJELLVIK, KILDEBY, NORDMYRA, VIKOY, SeedDoc, seed_check
from tracker.blobs import EvidenceStore
from tracker.catalogue import CATALOGUE, LOCALES
from tracker.catalogue.vocabulary import RAW_WORDS, VOCABULARY
from tracker.config import Settings
from tracker.domain import EVENT_KINDS, Category
from tracker.reading.accessibility import assess_accessibility
from tracker.store import database, volunteer_tips
from tracker.store.models import Event, KommuneRow, Sighting, Subscription

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
TOKEN = "correct horse battery staple"
KEYS = sorted((key for key in CATALOGUE.keys() if "." in key), key=len, reverse=True)
RAW = re.compile(r"(?<![\w/.-])(" + "|".join(sorted(RAW_WORDS, key=len, reverse=True)) + r")(?![\w/-])")


def _plain_words(lang: str) -> re.Pattern[str]:
    """One-word enum values ("finished", "daily", "pending") that no text of `lang` uses: raw if they show up."""
    used = {word.casefold() for entry in CATALOGUE.entries.values() for word in re.findall(r"\w+", entry[lang])}
    values = {v for group, vs in VOCABULARY.items() if group != "lang.name" for v in vs}
    words = sorted(v for v in values if v.isalpha() and len(v) > 3 and v.casefold() not in used)
    return re.compile(r"(?<![\w/.-])(" + "|".join(words) + r")(?![\w/-])")


PLAIN = {lang: _plain_words(lang) for lang in LOCALES}


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = database.make_engine(f"sqlite:///{tmp_path / 'languages.sqlite3'}")
    database.upgrade(engine)
    yield engine
    engine.dispose()


def _seed(engine: Engine) -> dict[str, int]:
    factory = database.make_session_factory(engine)
    criteria = {"children_knowledge": True, "staff_signs_knowledge": False, "routine_drills": True}
    ids = {
        "fjellvik": seed_check(factory, FJELLVIK, [SeedDoc("Handlingsplan mot overgrep", criteria=criteria)]),
        "vikoy": seed_check(
            factory,
            VIKOY,
            [SeedDoc("Plan mot vald", Category.GENERAL_VIOLENCE, 0.9, found_via="site_search", click_depth=None)],
        ),
        "kildeby": seed_check(
            factory, KILDEBY, [SeedDoc("Beredskab (udkast)", kind="hearing_draft", language="da", found_via="sitemap")]
        ),
        "nordmyra": seed_check(factory, NORDMYRA, [], reachable=False),
    }
    with factory.begin() as session:
        _accessibility(session)
        kommuner = {row.kommunenummer: row.id for row in session.scalars(select(KommuneRow))}
        for minute, kind in enumerate(EVENT_KINDS):
            session.add(
                Event(
                    uuid=str(uuid.uuid4()),
                    kind=kind,
                    kommune_id=kommuner[FJELLVIK.kommunenummer],
                    url="https://www.fjellvik.kommune.no/dok/0.pdf",
                    previous_url="https://www.fjellvik.kommune.no/old.pdf" if kind == "plan_moved" else None,
                    detected_at=NOW.replace(minute=minute),
                    evidence={"first_check": kind == "plan_appeared"},
                )
            )
        tip = volunteer_tips.add_tip(
            session, kommune_id=kommuner[VIKOY.kommunenummer], url="https://www.vikoy.kommune.no/plan.pdf", note="",
            client_key="k", now=NOW,
        )  # fmt: skip
        session.flush()
        volunteer_tips.mark_tip_failed(session, tip.id, "the site answered HTTP 404", NOW)
        ids["tip"] = tip.id
        for confirmed in (None, NOW):  # public ones, pending and unsubscribed (inactive: no key needed to list them)
            session.add(
                Subscription(
                    channel="email", sealed_target="sealed", target_shown="ngo@example.org", kommuner=[], kinds=[],
                    digest="none", active=False, created_at=NOW, origin="public", confirmed_at=confirmed,
                    regions=["46"],
                )
            )  # fmt: skip
    return ids


def _accessibility(session: Session) -> None:
    """Accessibility lines as the pipeline stores them, with a few problems to report."""
    for sighting in session.scalars(select(Sighting)):
        found = assess_accessibility(
            format="pdf", facts={"has_text_layer": "false", "ocr_pages": "3", "tagged": "false"},
            size_bytes=12_300_000, anchor_texts=("Last ned",), found_via=sighting.found_via, in_sitemap=False,
            search_rank=14,
        )  # fmt: skip
        sighting.accessibility = [{"check": a.check, "ok": a.ok, "detail": a.detail} for a in found]


@pytest.fixture
async def client(engine: Engine, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, int]]]:
    ids = _seed(engine)
    settings = Settings(var_dir=tmp_path / "var", admin_token=TOKEN)
    app = create_app(
        settings,
        session_factory=database.make_session_factory(engine),
        evidence=EvidenceStore(tmp_path / "evidence"),
        now=lambda: NOW,
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as http:
        yield http, ids


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]{64})"', html)
    assert match
    return match.group(1)


def visible_text(html: str, lang: str | None = None) -> str:
    """The page's own prose; parts marked as another language (a Danish kommune's letter) are left out."""
    tree = HTMLParser(html)
    if tree.body is not None and lang is not None:
        for node in tree.body.css("[lang]"):
            if node.attributes.get("lang") != lang:
                node.decompose()
    # <code> holds identifiers on purpose (SHA-256, column names); the data dictionary documents the raw values a
    # download holds; a <blockquote> quotes the document itself: none of them is our prose
    for selector in ("script", "style", "code", "table.dictionary", "blockquote", "head"):
        for node in tree.css(selector):
            node.decompose()
    return " ".join((tree.body.text(separator=" ") if tree.body else "").split())


def _leaks(text: str, lang: str) -> list[str]:
    found = [key for key in KEYS if re.search(rf"(?<![\w/.]){re.escape(key)}(?![\w/])", text)]
    return found + RAW.findall(text) + PLAIN[lang].findall(text)


async def _prepare(http: httpx.AsyncClient, ids: dict[str, int]) -> None:
    """Sign in, override a status, subscribe an NGO: the review pages then have something of each kind."""
    token = _csrf((await http.get("/review")).text)
    signed = await http.post("/review/login", data={"name": "Kari Nordmann", "token": TOKEN, "csrf": token})
    assert signed.status_code == 303
    token = _csrf((await http.get(f"/review/{FJELLVIK.kommunenummer}")).text)
    overridden = await http.post(
        f"/review/{FJELLVIK.kommunenummer}/findings/{ids['fjellvik']}",
        data={"value": "general_violence_plan_only", "reason": "Bare en voldsplan", "csrf": token},
    )
    assert overridden.status_code == 303, overridden.text
    subscribed = await http.post(
        "/review/subscriptions",
        data={"channel": "email", "target": "ngo@example.org", "kommuner": "", "digest": "daily", "language": "nn",
              "csrf": token},
    )  # fmt: skip
    assert subscribed.status_code in (200, 303), subscribed.text


def _pages(ids: dict[str, int]) -> list[str]:
    kommuner = [k.kommunenummer for k in (FJELLVIK, VIKOY, KILDEBY, NORDMYRA)]
    return [
        "/",
        "/trends",
        f"/trends?region={VIKOY.region}",
        "/changes",
        "/data",
        "/health",
        "/act",
        *(f"/kommune/{nr}" for nr in kommuner),
        *(f"/act/{nr}" for nr in kommuner),
        f"/act/tips/{ids['tip']}",
        "/review",
        *(f"/review/{nr}" for nr in kommuner),
        "/review/subscriptions",
        "/subscribe",
        f"/subscribe?kommune={KILDEBY.kommunenummer}",
        "/kommune/0000",
    ]


@pytest.mark.parametrize("lang", LOCALES)
async def test_every_page_speaks_the_language_with_no_key_and_no_raw_value(
    client: tuple[httpx.AsyncClient, dict[str, int]], lang: str
) -> None:
    http, ids = client
    await _prepare(http, ids)
    seen = 0
    for path in _pages(ids):
        page = await http.get(path, params={"lang": lang})
        assert page.status_code in (200, 404), (path, page.status_code)
        assert f'<html lang="{lang}">' in page.text, path
        text = visible_text(page.text, lang)
        assert not _leaks(text, lang), (lang, path, _leaks(text, lang))
        seen += len(text)
    assert seen > 20_000  # the pages said something

    # the tip form's refusal, from the app's own guard, in the reader's language
    token = _csrf((await http.get(f"/act/{FJELLVIK.kommunenummer}")).text)
    refused = await http.post(
        f"/act/{FJELLVIK.kommunenummer}/tips", data={"url": "http://127.0.0.1/plan.pdf", "note": "", "csrf": token}
    )
    assert refused.status_code == 400
    assert CATALOGUE.text(lang, "act.tip_rejected") in refused.text
    assert "private network" not in visible_text(refused.text) or lang == "en"
    # a form posted without its token: the CSRF refusal in the reader's language
    forged = await http.post(f"/act/{FJELLVIK.kommunenummer}/tips", data={"url": "https://x.no/p.pdf", "csrf": "0"})
    assert forged.status_code == 403
    assert CATALOGUE.text(lang, "http_error.csrf") in forged.text


@pytest.mark.parametrize(("lang", "confidence", "size"), [("nb", "0,9", "12,3"), ("nn", "0,9", "12,3"),
                                                         ("da", "0,9", "12,3"), ("en", "0.9", "12.3")])  # fmt: skip
async def test_numbers_and_dates_in_the_readers_locale(
    client: tuple[httpx.AsyncClient, dict[str, int]], lang: str, confidence: str, size: str
) -> None:
    http, _ = client
    text = visible_text((await http.get(f"/kommune/{FJELLVIK.kommunenummer}", params={"lang": lang})).text)
    assert f"{CATALOGUE.text(lang, 'kommune.confidence').lower()} {confidence})" in text
    assert f"{size} MB" in text.replace("\xa0", " ")  # the accessibility table's file size
    month = {"nb": "mars", "nn": "mars", "da": "marts", "en": "March"}[lang]
    assert f"2 {month} 2026" in text.replace(".", "")  # the check's date in words, "2. mars 2026" / "2 March 2026"
    assert "2026-03-02" not in text
    reason = CATALOGUE.text(lang, "reason.plan", category="", title="Handlingsplan mot overgrep", via="").strip()
    assert reason.split("«")[-1].split("“")[-1][:10] in text  # the reason keeps the document's own title


async def test_danish_kommune_pages_default_to_danish_and_a_choice_wins(
    client: tuple[httpx.AsyncClient, dict[str, int]],
) -> None:
    http, _ = client
    danish = await http.get(f"/kommune/{KILDEBY.kommunenummer}")
    assert '<html lang="da">' in danish.text
    assert "Fandt kun høringsudkast af en plan, ingen vedtaget plan" in visible_text(danish.text)
    chosen = await http.get(f"/kommune/{KILDEBY.kommunenummer}", params={"lang": "nn"})
    assert '<html lang="nn">' in chosen.text
    after = await http.get(f"/kommune/{KILDEBY.kommunenummer}")  # the choice is remembered in a cookie
    assert '<html lang="nn">' in after.text
    switch = HTMLParser(after.text).css("header nav.lang li")
    assert [li.text(strip=True) for li in switch] == ["Bokmål", "Nynorsk", "Dansk", "English"]
