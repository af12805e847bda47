"""Volunteers' tips: URL validation, the rate limit, and the one-URL pipeline against a real test site on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from crawlers.testweb.documents import pdf_bytes
from crawlers.testweb.pages import article_html
from crawlers.testweb.plantexts import abuse_plan
from crawlers.testweb.server import MultiHostServer, Reply, Site
from tests.dashboards.act_seed import NORDMYRA, SeedDoc, seed_check
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.domain import Category
from tracker.store import acts, database, reviews, volunteer_tips
from tracker.store.models import CrawlRun, Finding, Sighting, SiteCheck, Tip
from tracker.volunteers import tips

T = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
HOST = "127.81.0.1"
PLAN = pdf_bytes(abuse_plan("nb", "Nordmyra", 2025, 2028))
_NN_PLAN = abuse_plan("nn", "Nordmyra", 2025, 2028)
PLAN_PAGE = (
    f'<!DOCTYPE html><html lang="nn"><head><meta charset="utf-8"><title>{_NN_PLAN.title}</title></head>'
    f"<body><main><h1>{_NN_PLAN.title}</h1>{article_html(_NN_PLAN)}</main></body></html>"
)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/plan.pdf", "only http and https"),
        ("javascript:alert(1)", "only http and https"),
        ("file:///etc/passwd", "only http and https"),
        ("http://127.0.0.1/plan.pdf", "private network"),
        ("http://10.1.2.3/plan.pdf", "private network"),
        ("http://169.254.169.254/latest/meta-data", "private network"),
        ("http://[::1]:8000/", "private network"),
        ("http://192.168.0.1/", "private network"),
        ("https://user:pw@example.org/plan.pdf", "user name or password"),
        ("https://exa mple.org/", "spaces"),
        ("https:///plan.pdf", "no host"),
        ("", "empty"),
        ("http://example.org:99999/", "not a valid address"),
    ],
)
async def test_bad_urls_are_refused_before_anything_is_fetched(url: str, message: str) -> None:
    with pytest.raises(tips.TipRejected, match=message) as info:
        await tips.validate_tip_url(url, allow_private_networks=False)
    assert info.value.status == 400


async def test_public_and_allowed_private_urls_pass() -> None:
    assert await tips.validate_tip_url(" https://93.184.215.14/plan.pdf ", allow_private_networks=False) == (
        "https://93.184.215.14/plan.pdf"
    )
    assert await tips.validate_tip_url("http://127.0.0.1:8000/x", allow_private_networks=True) == (
        "http://127.0.0.1:8000/x"
    )


def test_client_key_hides_the_address_and_depends_on_the_secret() -> None:
    key = tips.client_key(b"s" * 32, "203.0.113.9")
    assert len(key) == 64 and "203.0.113.9" not in key
    assert key == tips.client_key(b"s" * 32, "203.0.113.9")
    assert key != tips.client_key(b"t" * 32, "203.0.113.9")
    assert key != tips.client_key(b"s" * 32, "203.0.113.10")


def test_rate_limit_counts_the_last_hour_in_the_database(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    seed_check(factory, NORDMYRA, [])
    with factory() as session:
        kommune = reviews.kommune_by_number(session, "1899")
        assert kommune is not None
    for minute in range(3):
        with factory.begin() as session:
            tips.submit_tip(
                session,
                kommune_id=kommune.id,
                url=f"https://x/{minute}",
                note="",
                key="k1",
                limit=3,
                now=T + timedelta(minutes=minute),
            )
    with factory.begin() as session, pytest.raises(tips.TipRejected) as info:
        tips.submit_tip(
            session, kommune_id=kommune.id, url="https://x/4", note="", key="k1", limit=3, now=T + timedelta(minutes=5)
        )
    assert info.value.status == 429
    with factory.begin() as session:  # another client is not limited, and the first one is again an hour later
        tips.submit_tip(session, kommune_id=kommune.id, url="https://x/5", note="", key="k2", limit=3, now=T)
        tips.submit_tip(
            session,
            kommune_id=kommune.id,
            url="https://x/6",
            note="",
            key="k1",
            limit=3,
            now=T + timedelta(hours=1, minutes=3),
        )
    with factory() as session:
        assert session.scalar(select(Tip.id).where(Tip.client_key == "k1").order_by(Tip.id.desc()).limit(1))


# -- the one-URL pipeline ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tip_site() -> Iterator[MultiHostServer]:
    site = Site(
        HOST,
        {
            "/robots.txt": Reply(body="User-agent: *\nDisallow: /privat/\n", content_type="text/plain"),
            "/dokumenter/plan-overgrep.pdf": Reply(body=PLAN, content_type="application/pdf"),
            "/privat/plan.pdf": Reply(body=PLAN, content_type="application/pdf"),
            "/bilde.png": Reply(body=b"\x89PNG\r\n\x1a\n", content_type="image/png"),
            "/tenester/plan-mot-overgrep": Reply(body=PLAN_PAGE),
        },
    )
    with MultiHostServer([site]) as server:
        yield server


def _deps(engine: Engine, tmp_path: Path) -> tips.TipDependencies:
    settings = Settings(var_dir=tmp_path / "var", per_host_delay=0.0)
    return tips.TipDependencies(
        session_factory=database.make_session_factory(engine),
        evidence=EvidenceStore(tmp_path / "evidence"),
        settings=settings,
        now=lambda: T,
        allow_private_networks=True,
    )


def _tip(deps: tips.TipDependencies, url: str) -> int:
    with deps.session_factory() as session:
        kommune = reviews.kommune_by_number(session, "1899")
        assert kommune is not None
    with deps.session_factory.begin() as session:
        return tips.submit_tip(
            session, kommune_id=kommune.id, url=url, note="Under Oppvekst", key="k", limit=9, now=T
        ).id


@pytest.mark.slow
async def test_a_tip_the_crawler_missed_is_stored_as_a_tip_sighting(
    engine: Engine, tmp_path: Path, tip_site: MultiHostServer
) -> None:
    deps = _deps(engine, tmp_path)
    seed_check(deps.session_factory, NORDMYRA, [SeedDoc("Nyheter", category=Category.OTHER)])
    tip_id = _tip(deps, tip_site.url(HOST, "/dokumenter/plan-overgrep.pdf"))

    assert await tips.process_tip(tip_id, deps) == "stored"

    with deps.session_factory() as session:
        tip = session.get(Tip, tip_id)
        assert tip is not None and tip.state == "stored" and tip.crawler_had_it is False
        sighting = session.get(Sighting, tip.sighting_id)
        assert sighting is not None and sighting.found_via == "tip"
        check = session.get(SiteCheck, sighting.check_id)
        assert check is not None
        run = session.get(CrawlRun, check.run_id)
        assert run is not None and run.options == {"source": "tip", "tip_id": tip_id} and run.state == "finished"
        assert volunteer_tips.is_tip_run(run)
        # a tip writes no finding: the crawl's status stands, the catch is shown beside it
        assert session.scalar(select(Finding.id).where(Finding.run_id == run.id)) is None
        view = volunteer_tips.get_tip(session, tip_id)
        assert view is not None
        assert (view.category, view.missed_by_crawler) == ("abuse_specific", True)
        assert volunteer_tips.missed_plan_tips(session) == {tip.kommune_id: 1}
        assert reviews.finding_reviews(session)[("NO", "1899")].missed_by_crawler is True
        facts = acts.letter_facts(session, tip.kommune_id, "nb")
        assert facts is not None and facts.found_by_volunteer and facts.status == "abuse_specific_plan"
    assert tip.sighting_id is not None and view.sha256 in deps.evidence


@pytest.mark.slow
async def test_a_tip_of_what_the_crawler_had_is_not_a_miss(
    engine: Engine, tmp_path: Path, tip_site: MultiHostServer
) -> None:
    deps = _deps(engine, tmp_path)
    seed_check(deps.session_factory, NORDMYRA, [SeedDoc("Handlingsplan", body=PLAN)])
    tip_id = _tip(deps, tip_site.url(HOST, "/dokumenter/plan-overgrep.pdf"))
    assert await tips.process_tip(tip_id, deps) == "stored"
    with deps.session_factory() as session:
        view = volunteer_tips.get_tip(session, tip_id)
        assert view is not None and view.crawler_had_it is True and view.missed_by_crawler is False
        assert volunteer_tips.missed_plan_tips(session) == {}


@pytest.mark.slow
async def test_a_plan_published_as_a_web_page_is_read_as_html(
    engine: Engine, tmp_path: Path, tip_site: MultiHostServer
) -> None:
    deps = _deps(engine, tmp_path)
    seed_check(deps.session_factory, NORDMYRA, [])
    tip_id = _tip(deps, tip_site.url(HOST, "/tenester/plan-mot-overgrep"))
    assert await tips.process_tip(tip_id, deps) == "stored"
    with deps.session_factory() as session:
        view = volunteer_tips.get_tip(session, tip_id)
        assert view is not None and view.category == "abuse_specific" and view.missed_by_crawler
        sighting = session.get(Sighting, session.get(Tip, tip_id).sighting_id)  # type: ignore[union-attr]
        assert sighting is not None and sighting.document.format == "html"


@pytest.mark.parametrize(
    ("path", "error"),
    [
        ("/privat/plan.pdf", "robots.txt does not allow"),
        ("/finnes-ikke.pdf", "HTTP 404"),
        ("/bilde.png", "not a PDF, Word document or web page"),
    ],
)
async def test_failed_tips_say_why(
    engine: Engine, tmp_path: Path, tip_site: MultiHostServer, path: str, error: str
) -> None:
    deps = _deps(engine, tmp_path)
    seed_check(deps.session_factory, NORDMYRA, [])
    tip_id = _tip(deps, tip_site.url(HOST, path))
    assert await tips.process_tip(tip_id, deps) == "failed"
    with deps.session_factory() as session:
        view = volunteer_tips.get_tip(session, tip_id)
        assert view is not None and view.state == "failed" and error in (view.error or "")
        assert session.scalar(select(CrawlRun.id)) is not None  # the seeded crawl only: a failed tip leaves no run
        assert session.scalar(select(CrawlRun.id).where(CrawlRun.id > 1)) is None
