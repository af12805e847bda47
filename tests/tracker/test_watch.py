"""Change events for real: a test web that changes between checks, crawled again and again through `run_crawl`.

Fourteen small kommune sites, each living through one story (a plan 404s, a 503 comes between two 404s, the plan
URL times out, the whole site goes down, a bot wall, a 301 move, new content, a re-exported PDF, soft 404s, a CMS
migration renaming every URL, a link removed while the URL still serves, a plan that appears late). They are all
crawled together in each run, on SQLite and PostgreSQL, and every kommune's events in every run must be exactly the
ones listed: kind, URL, previous URL, sha256 and previous sha256. Transient failures never give `plan_vanished`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner

from crawlers.extract import Extractor
from crawlers.testweb.changing import ChangingSite, challenge, gone, slow, soft_404, unavailable
from crawlers.testweb.documents import pdf_bytes
from crawlers.testweb.plantexts import abuse_plan, general_violence_plan, short_plan
from crawlers.testweb.server import MultiHostServer, Reply
from crawlers.types import CrawlOptions
from planvakt.cli import app
from tests.json_types import assert_typed
from tracker.blobs import EvidenceStore
from tracker.domain import Country, Kommune
from tracker.export import EVENTS_COLUMNS
from tracker.pipeline import run_crawl
from tracker.site_check import CrawlDependencies
from tracker.store import database, watch
from tracker.store.models import KommuneRow, SiteCheck, WatchedPlan

pytestmark = pytest.mark.slow

PLAN = pdf_bytes(abuse_plan("nb", "Testvik", 2025, 2028))
REVISED = pdf_bytes(abuse_plan("nb", "Testvik", 2026, 2029))
REEXPORTED = pdf_bytes(
    abuse_plan("nb", "Testvik", 2025, 2028),
    created=datetime(2026, 2, 17, 13, 45, tzinfo=UTC),
    producer="Microsoft: Print To PDF",
)
VIOLENCE = pdf_bytes(general_violence_plan("nb", "Testvik", 2024, 2027))
TRAFFIC = pdf_bytes(short_plan("nb", "Testvik", "Trafikksikkerhetsplan", 2024, 2028))

P1 = "/_f/p1/i3c1d9e0a7b/handlingsplan-mot-seksuelle-overgrep-mot-barn.pdf"
P2 = "/_f/p1/i77f0b2c41e/handlingsplan-mot-seksuelle-overgrep-mot-barn-2025-2028.pdf"
PV = "/_f/p1/i5e2a8c1d90/handlingsplan-mot-vold-i-naere-relasjoner.pdf"
PT = "/_f/p1/i0b6d4f2e13/trafikksikkerhetsplan.pdf"

TIMEOUT = 1.5  # the crawler's timeout in these tests; `slow` replies take longer


def sha(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


#: (kind, url path, previous url path, sha256, previous sha256)
Ev = tuple[str, str | None, str | None, str | None, str | None]


def ev(
    kind: str,
    url: str | None = None,
    prev: str | None = None,
    body: bytes | None = None,
    prev_body: bytes | None = None,
) -> Ev:
    return (kind, url, prev, sha(body) if body else None, sha(prev_body) if prev_body else None)


def appeared(path: str = P1, body: bytes = PLAN) -> Ev:
    return ev("plan_appeared", path, body=body)


def failed(path: str | None = None, body: bytes | None = None) -> Ev:
    return ev("check_failed", path, body=body)


def plan_failed(path: str = P1) -> Ev:
    return failed(path, PLAN)


def blocked(path: str | None = None) -> Ev:
    return ev("crawler_blocked", path)


def vanished(path: str = P1, body: bytes = PLAN) -> Ev:
    return ev("plan_vanished", path, body=body)


def reappeared(path: str = P1, body: bytes = PLAN) -> Ev:
    return ev("plan_reappeared", path, path, body, body)


Step = Callable[[ChangingSite], None]


def nothing(site: ChangingSite) -> None:
    return None


def serve_plan(site: ChangingSite) -> None:
    site.publish(P1, PLAN, "Handlingsplan mot seksuelle overgrep mot barn 2025-2028")


def plan_answers(reply: Reply) -> Step:
    return lambda site: site.answer(P1, reply)


def front_answers(reply: Reply | None) -> Step:
    return lambda site: site.front_answers(reply)


def serve_two_plans(site: ChangingSite) -> None:
    serve_plan(site)
    site.publish(PV, VIOLENCE, "Handlingsplan mot vold i nære relasjoner 2024-2027")


def move_301(site: ChangingSite) -> None:
    site.unlink(P1)
    site.publish(P2, PLAN, "Handlingsplan mot seksuelle overgrep mot barn 2025-2028")
    site.redirect(P1, P2)


def revise(site: ChangingSite) -> None:
    site.publish(P1, REVISED, "Handlingsplan mot seksuelle overgrep mot barn 2026-2029")


def reexport(site: ChangingSite) -> None:
    site.publish(P1, REEXPORTED, "Handlingsplan mot seksuelle overgrep mot barn 2025-2028")


def migrated(path: str) -> str:
    """Where a path lives after the CMS migration (Umbraco-style /media/<n>/<name>)."""
    return f"/media/{int(sha(path.encode())[:6], 16) % 9000 + 1000}/{path.rsplit('/', 1)[-1]}"


def cms_migration(site: ChangingSite) -> None:
    site.rename_all(migrated)


@dataclass
class Story:
    number: str
    name: str
    #: baseline events, then one (change, events) per later run
    baseline: list[Ev]
    steps: list[tuple[Step, list[Ev]]]
    setup: Step = serve_plan
    site: ChangingSite | None = field(default=None, repr=False)


def stories() -> list[Story]:
    return [
        Story("9901", "404 twice vanishes, then it is back", [appeared()], [
            (plan_answers(gone(404)), []),
            (nothing, [vanished()]),
            (serve_plan, [reappeared()]),
            (nothing, []),
        ]),
        Story("9902", "503, then 404, 404", [appeared()], [
            (plan_answers(unavailable(503)), [plan_failed()]),
            (plan_answers(gone(404)), []),
            (nothing, [vanished()]),
            (nothing, []),
        ]),
        Story("9903", "404, then 503 (neither counts nor resets), then 404", [appeared()], [
            (plan_answers(gone(404)), []),
            (plan_answers(unavailable(503)), [plan_failed()]),
            (plan_answers(gone(410)), [vanished()]),
            (serve_plan, [reappeared()]),
        ]),
        Story("9904", "the plan URL times out twice", [appeared()], [
            (plan_answers(slow(TIMEOUT * 2, body=PLAN)), [plan_failed()]),
            (nothing, [plan_failed()]),
            (serve_plan, []),
            (nothing, []),
        ]),
        Story("9905", "the whole site is down three times: operator alert, never a vanish", [appeared()], [
            (front_answers(unavailable(503)), [failed()]),
            (front_answers(slow(TIMEOUT * 2, content_type="text/html")), [failed()]),
            (front_answers(unavailable(500)), [failed(), blocked()]),
            (front_answers(None), []),
        ]),
        Story("9906", "429 and 403 walls, then a challenge page on the plan URL", [appeared()], [
            (front_answers(Reply(status=429, body="Too many requests")), [failed(), blocked()]),
            (front_answers(Reply(status=403, body="<h1>Forbidden</h1>")), [failed()]),
            (front_answers(None), []),
            (plan_answers(challenge(403)), [plan_failed(), blocked(P1)]),
        ]),
        Story("9907", "moved with a 301", [appeared()], [
            (move_301, [ev("plan_moved", P2, P1, PLAN, PLAN)]),
            (nothing, []),
            (lambda site: site.answer(P1, gone(404)), []),
            (nothing, []),
        ]),
        Story("9908", "new content at the same URL", [appeared()], [
            (revise, [ev("plan_changed", P1, P1, REVISED, PLAN)]),
            (nothing, []),
            (nothing, []),
            (nothing, []),
        ]),
        Story("9909", "re-exported with a new producer and date: the same plan", [appeared()], [
            (reexport, []),
            (nothing, []),
            (nothing, []),
            (nothing, []),
        ]),
        Story("9910", "soft 404s: a 'Siden finnes ikke' page, then a redirect to the front page", [appeared()], [
            (plan_answers(soft_404()), []),
            (lambda site: site.redirect(P1, "/"), [vanished()]),
            (serve_plan, [reappeared()]),
            (nothing, []),
        ]),
        Story(
            "9911",
            "a CMS migration renames every URL: a wave of moves",
            [appeared(PV, VIOLENCE), appeared()],
            [
                (cms_migration, [ev("plan_moved", migrated(PV), PV, VIOLENCE, VIOLENCE),
                                 ev("plan_moved", migrated(P1), P1, PLAN, PLAN)]),
                (nothing, []),
                (nothing, []),
                (nothing, []),
            ],
            setup=serve_two_plans,
        ),
        Story("9912", "the link is removed but the URL still serves; later it answers 410", [appeared()], [
            (lambda site: site.unlink(P1), []),
            (plan_answers(gone(410)), []),
            (nothing, [vanished()]),
            (nothing, []),
        ]),
        Story("9914", "404, the site down, a 429 wall, 404: only reachable checks confirm", [appeared()], [
            (plan_answers(gone(404)), []),
            (front_answers(unavailable(502)), [failed()]),
            (front_answers(Reply(status=429, body="Too many requests")), [failed(), blocked()]),
            (front_answers(None), [vanished()]),
        ]),
        Story("9913", "a plan appears after the first check; other documents never do", [], [
            (serve_plan, [appeared()]),
            (nothing, []),
            (nothing, []),
            (nothing, []),
        ], setup=nothing),
    ]  # fmt: skip


class Clock:
    """The pipeline's `now`: one day per run, so `--since` can pick runs."""

    def __init__(self) -> None:
        self.at = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.at


def _as_ev(row: watch.EventRow) -> Ev:
    def path(url: str | None) -> str | None:
        return urlsplit(url).path if url else None

    return (row.kind, path(row.url), path(row.previous_url), row.sha256, row.previous_sha256)


@pytest.fixture
def options() -> CrawlOptions:
    return CrawlOptions(
        per_host_delay=0.0,
        max_pages_per_site=12,
        concurrency=16,
        render="never",
        allow_private_networks=True,
        timeout=TIMEOUT,
        max_retries=0,
        retry_backoff=0.01,
        search_queries=("handlingsplan seksuelle overgrep",),
    )


async def test_a_changing_web_gives_exactly_the_expected_events(
    engine: Engine, database_url: str, options: CrawlOptions, tmp_path: Path
) -> None:
    plot = stories()
    for index, story in enumerate(plot):
        story.site = ChangingSite(f"127.79.4.{index + 1}", f"Testvik {story.number}")
        story.site.publish(PT, TRAFFIC, "Trafikksikkerhetsplan 2024-2028")
        story.setup(story.site)
    factory = database.make_session_factory(engine)
    clock = Clock()
    runs: list[int] = []
    with MultiHostServer([s.site.site for s in plot if s.site]) as server:
        kommuner = [
            Kommune(s.number, f"Testvik {s.number}", Country.NO, server.base_url(s.site.host)) for s in plot if s.site
        ]
        async with Extractor(workers=1) as extractor:
            deps = CrawlDependencies(factory, EvidenceStore(tmp_path / "evidence"), extractor, now=clock)
            runs.append(await run_crawl(kommuner, options, deps))
            with factory() as session:
                assert watch.suspected_missing_kommuner(session) == []
            for step in range(len(plot[0].steps)):
                for story in plot:
                    assert story.site is not None
                    story.steps[step][0](story.site)
                clock.at += timedelta(days=1)
                runs.append(await run_crawl(kommuner, options, deps))
                if step == 0:
                    with factory() as session:
                        suspected = watch.suspected_missing_kommuner(session)
                    assert suspected == [("NO", "9901"), ("NO", "9903"), ("NO", "9910"), ("NO", "9914")]

    with factory() as session:
        rows = list(watch.iter_events(session))
    got: dict[str, list[list[Ev]]] = {s.number: [[] for _ in runs] for s in plot}
    for row in rows:
        got[row.kommunenummer][runs.index(int(str(row.evidence["run_id"])))].append(_as_ev(row))
    for story in plot:
        expected = [story.baseline, *(events for _, events in story.steps)]
        actual = [sorted(events) for events in got[story.number]]
        assert actual == [sorted(events) for events in expected], f"{story.number}: {story.name}"
        assert all(e[0] != "plan_vanished" for e in got[story.number][0])

    # evidence: the statuses, URLs and checks behind the events
    by_kind = {(r.kommunenummer, r.kind): r for r in rows}
    vanish = by_kind[("9902", "plan_vanished")].evidence
    answers = vanish["url_answers"]
    assert isinstance(answers, dict)
    assert [a["status"] for a in answers.values()] == [404]
    assert isinstance(vanish["confirmed_by_checks"], list) and len(vanish["confirmed_by_checks"]) == 2
    soft = by_kind[("9910", "plan_vanished")].evidence["url_answers"]
    assert isinstance(soft, dict) and [a["outcome"] for a in soft.values()] == ["soft_404"]
    moved = by_kind[("9907", "plan_moved")]
    assert moved.evidence["same_bytes"] is True and moved.check_id is not None
    changed = by_kind[("9908", "plan_changed")].evidence
    assert changed["years"] == ["2025-2028", "2026-2029"]
    first = by_kind[("9913", "plan_appeared")].evidence
    assert first["first_check"] is False and by_kind[("9901", "plan_appeared")].evidence["first_check"] is True
    unreachable = [r for r in rows if r.kommunenummer == "9905" and r.kind == "crawler_blocked"]
    assert unreachable[0].evidence["reason"] == "unreachable" and unreachable[0].evidence["consecutive"] == 3

    with factory() as session:
        plans = {
            number: session.scalars(
                select(WatchedPlan)
                .join(KommuneRow, KommuneRow.id == WatchedPlan.kommune_id)
                .where(KommuneRow.kommunenummer == number)
            ).all()
            for number in ("9909", "9904", "9911", "9902")
        }
    assert [(p.state, p.sha256s) for p in plans["9909"]] == [("active", [sha(REEXPORTED)])]
    assert [p.state for p in plans["9904"]] == ["active"], "timeouts never make a plan suspected"
    assert sorted(urlsplit(u).path for p in plans["9911"] for u in p.urls) == sorted([migrated(P1), migrated(PV)])
    assert [p.state for p in plans["9902"]] == ["vanished"]

    # the dashboard's read: newest first, filtered
    with factory() as session:
        latest = watch.latest_events(session, kinds=["plan_vanished"], limit=3)
        assert [r.kind for r in latest] == ["plan_vanished"] * 3
        assert latest[0].detected_at >= latest[-1].detected_at
        only = watch.latest_events(session, kommuner=["9907"], since=clock.at - timedelta(days=3))
        assert [r.kind for r in only] == ["plan_moved"]

    _check_export(database_url, rows)


def _check_export(database_url: str, rows: list[watch.EventRow]) -> None:
    """`planvakt export events`: exact columns, filters by kommune and date, details are the evidence."""
    runner = CliRunner()
    result = runner.invoke(app, ["export", "events", "--format", "csv", "--kommune", "9907", "--db", database_url])
    assert result.exit_code == 0, result.output
    reader = csv.DictReader(io.StringIO(result.stdout))
    assert tuple(reader.fieldnames or ()) == EVENTS_COLUMNS
    records = list(reader)
    assert [r["kind"] for r in records] == ["plan_appeared", "plan_moved"]
    moved = records[1]
    assert urlsplit(moved["url"]).path == P2 and urlsplit(moved["previous_url"]).path == P1
    assert moved["sha256"] == moved["previous_sha256"] == sha(PLAN)
    assert moved["detected_at"] == "2026-03-03T03:00:00Z"
    expected_id = next(r.event_id for r in rows if r.kommunenummer == "9907" and r.kind == "plan_moved")
    assert moved["event_id"] == expected_id
    details = json.loads(moved["details"])
    assert details["previous_urls"] == [moved["previous_url"]] and "check_id" in details

    since = runner.invoke(app, ["export", "events", "--format", "json", "--since", "2026-03-05", "--db", database_url])
    assert since.exit_code == 0, since.output
    later = json.loads(since.stdout)
    assert later and all(r["detected_at"] >= "2026-03-05" for r in later)
    cutoff = datetime(2026, 3, 5, tzinfo=UTC)
    assert sorted(r["event_id"] for r in later) == sorted(r.event_id for r in rows if r.detected_at >= cutoff)
    assert ("9903", "plan_reappeared") in {(r["kommunenummer"], r["kind"]) for r in later}
    assert list(later[0]) == list(EVENTS_COLUMNS)
    assert_typed(later, EVENTS_COLUMNS)
    reappeared = next(r for r in later if r["kind"] == "plan_reappeared")
    assert isinstance(reappeared["details"], dict) and "check_id" in reappeared["details"], "an object, not a string"
    bad = runner.invoke(app, ["export", "events", "--format", "xml", "--db", database_url])
    assert bad.exit_code == 2
    # an unknown kommunenummer is an error naming the valid ones, not an empty file with exit 0 (issue 13)
    out = Path(tempfile.mkdtemp()) / "events.csv"
    unknown = runner.invoke(
        app, ["export", "events", "--kommune", "9907", "--kommune", "1234", "--out", str(out), "--db", database_url]
    )
    assert unknown.exit_code == 2, unknown.output
    assert unknown.stderr.strip().count("\n") == 0, "one line"
    assert "unknown kommunenummer '1234'; valid: " in unknown.stderr and "9907" in unknown.stderr
    assert not out.exists(), "nothing written"


def _checks_and_events(db: str) -> tuple[dict[str, int], dict[str, list[Ev]]]:
    engine = database.make_engine(db)
    try:
        with database.make_session_factory(engine)() as session:
            checks = dict(
                session.execute(
                    select(KommuneRow.kommunenummer, func.count(SiteCheck.id))
                    .join(SiteCheck, SiteCheck.kommune_id == KommuneRow.id)
                    .group_by(KommuneRow.kommunenummer)
                ).all()
            )
            events: dict[str, list[Ev]] = {}
            for row in watch.iter_events(session):
                events.setdefault(row.kommunenummer, []).append(_as_ev(row))
    finally:
        engine.dispose()
    return {str(k): int(v) for k, v in checks.items()}, events


def test_a_killed_crawl_loses_no_event_and_the_resumed_one_writes_none_twice(tmp_path: Path) -> None:
    """SIGKILL a crawl halfway: each stored check has its events, and `--resume` adds the rest exactly once."""
    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    env = {**os.environ, "PLANVAKT_VAR_DIR": str(tmp_path / "var")}
    runner = CliRunner(env={"PLANVAKT_VAR_DIR": str(tmp_path / "var")})
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    plot = stories()
    sites = []
    for index, story in enumerate(plot):
        site = ChangingSite(f"127.79.5.{index + 1}", f"Testvik {story.number}")
        site.publish(PT, TRAFFIC, "Trafikksikkerhetsplan 2024-2028")
        story.setup(site)
        sites.append(site)
    with MultiHostServer([s.site for s in sites]) as server:
        registry = tmp_path / "registry.csv"
        registry.write_text(
            "kommunenummer,name,country,website\n"
            + "".join(
                f"{s.number},Testvik {s.number},NO,{server.base_url(site.host)}\n"
                for s, site in zip(plot, sites, strict=True)
            )
        )
        crawl = ["crawl", "--registry", str(registry), "--allow-private-networks", "--render", "never", "--db", db]
        process = subprocess.Popen(
            [sys.executable, "-m", "planvakt", *crawl, "--per-host-delay", "0.2", "--concurrency", "2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + 60
            while len(_checks_and_events(db)[0]) < 3:
                assert process.poll() is None, "the crawl ended before it could be killed"
                assert time.monotonic() < deadline, "no checks were stored within a minute"
                time.sleep(0.05)
            process.send_signal(signal.SIGKILL)
        finally:
            process.wait(timeout=10)
        checks, events = _checks_and_events(db)
        assert 3 <= len(checks) < len(plot)
        for story in plot:
            if story.number in checks:
                assert sorted(events.get(story.number, [])) == sorted(story.baseline), story.name
            else:
                assert story.number not in events, "no event without its check"

        result = runner.invoke(app, [*crawl, "--per-host-delay", "0", "--concurrency", "16", "--resume"])
        assert result.exit_code == 0, result.output

    checks, events = _checks_and_events(db)
    assert checks == {story.number: 1 for story in plot}
    for story in plot:
        assert sorted(events.get(story.number, [])) == sorted(story.baseline), story.name
