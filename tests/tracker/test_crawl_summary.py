"""Every `planvakt crawl` ends with a paragraph: sites checked, by status, failed on our side, unreachable by cause;
a crawl that reached no site exits 3; its log lines name kommuner by kommunenummer and name, never by database id.
Driven through the entry point against loopback sites and a real SQLite file.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
from pathlib import Path

from sqlalchemy import select

from crawlers.testweb.documents import pdf_bytes
from crawlers.testweb.plantexts import abuse_plan
from crawlers.testweb.server import MultiHostServer, Reply, Site
from tests.crawlers.conftest import html_page
from tracker.run_summary import summarize, unreachable_cause
from tracker.store import database
from tracker.store.models import Finding, SiteCheck


def _planvakt(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "planvakt", *args], env=env, capture_output=True, text=True, timeout=180
    )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _crawl(tmp_path: Path, sites: list[tuple[str, str]], *extra: str) -> tuple[subprocess.CompletedProcess[str], str]:
    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    env = {**os.environ, "PLANVAKT_VAR_DIR": str(tmp_path / "var")}
    assert _planvakt("db", "upgrade", "--db", db, env=env).returncode == 0
    registry = tmp_path / "registry.csv"
    registry.write_text(
        "kommunenummer,name,country,website\n" + "".join(f"{nr},{name},NO,{url}\n" for nr, name, url in sites),
        encoding="utf-8",
    )
    args = ["crawl", "--registry", str(registry), "--render", "never", "--per-host-delay", "0", "--db", db]
    return _planvakt(*args, *extra, env=env), db


def _reasons(db: str) -> dict[str, tuple[str, str]]:
    engine = database.make_engine(db)
    try:
        with database.make_session_factory(engine)() as session:
            rows = session.execute(
                select(SiteCheck.start_url, Finding.reason, SiteCheck.error).join(
                    Finding, Finding.check_id == SiteCheck.id
                )
            )
            return {url: (reason, error or "") for url, reason, error in rows}
    finally:
        engine.dispose()


def test_a_crawl_that_reaches_nothing_says_why_and_exits_3(tmp_path: Path) -> None:
    down = Site("127.79.14.1", {"/": Reply(status=503, body="Vedlikehold")})
    with MultiHostServer([down]) as server:
        closed = f"http://127.79.14.2:{_closed_port()}/"
        result, _ = _crawl(
            tmp_path,
            [("9901", "Nedvik", server.base_url(down.host) + "/"), ("9902", "Stengtby", closed)],
            "--allow-private-networks",
        )
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert "2 of 2 sites checked (2 site_unreachable)" in summary
    assert "0 failed on our side" in summary
    assert "2 unreachable: 1 HTTP 503, 1 connection refused" in summary
    assert summary.endswith("No site could be reached.")


def test_a_site_refused_by_the_private_address_guard_says_so(tmp_path: Path) -> None:
    site = Site("127.79.14.3", {"/": Reply(body=html_page("Forside", "<p>Velkommen</p>"))})
    with MultiHostServer([site]) as server:
        url = server.base_url(site.host) + "/"
        result, db = _crawl(tmp_path, [("9903", "Vaktvik", url)])  # private networks are not allowed
    assert result.returncode == 3, result.stdout + result.stderr
    assert "1 unreachable: 1 refused by the private-address guard" in result.stdout
    reason, error = _reasons(db)[url]
    assert "refused by the private-address guard" in reason
    assert "refused by the private-address guard" in error
    assert server.requests_to(site.host) == [], "a refused site is never asked anything"


def test_a_crawl_that_reached_a_site_exits_0_with_the_summary(tmp_path: Path) -> None:
    up = Site("127.79.14.4", {"/": Reply(body=html_page("Forside", "<p>Velkommen til kommunen</p>"))})
    down = Site("127.79.14.5", {"/": Reply(status=503, body="Vedlikehold")})
    with MultiHostServer([up, down]) as server:
        result, _ = _crawl(
            tmp_path,
            [("9904", "Oppvik", server.base_url(up.host) + "/"), ("9905", "Nedby", server.base_url(down.host) + "/")],
            "--allow-private-networks",
        )
    assert result.returncode == 0, result.stdout + result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert "2 of 2 sites checked (1 no_plan_found, 1 site_unreachable)" in summary
    assert "1 unreachable: 1 HTTP 503" in summary
    assert "No site could be reached" not in summary


def test_causes_are_named_from_the_crawlers_words() -> None:
    assert unreachable_cause("http://a/: refused by the private-address guard: a resolves to ...") == (
        "refused by the private-address guard"
    )
    assert unreachable_cause("front page answered HTTP 503") == "HTTP 503"
    assert unreachable_cause("robots.txt answered 429") == "HTTP 429"
    assert unreachable_cause("http://a/: robots.txt unreachable: connection refused: ConnectError: ...") == (
        "connection refused"
    )
    assert unreachable_cause("http://a/: timed out: ReadTimeout") == "timed out"
    assert unreachable_cause("http://a/: host name not found: ConnectError: ...") == "host name not found"
    assert unreachable_cause("http://a/: ProtocolError: boom") == "other network error"
    summary = summarize(7, "finished", 4, [("no_plan_found", False, None), ("site_unreachable", True, "HTTP 403")], 2)
    assert (summary.checked, summary.reached, summary.nothing_reached) == (2, 2, False)
    assert "2 failed on our side" in summary.paragraph() and "none unreachable" in summary.paragraph()


def test_log_lines_name_kommuner_by_kommunenummer_and_name(tmp_path: Path) -> None:
    plan = pdf_bytes(abuse_plan("nb", "Loggvik", 2025, 2028))
    up = Site(
        "127.79.14.6",
        {
            "/": Reply(body=html_page("Forside", '<a href="/plan.pdf">Handlingsplan mot seksuelle overgrep</a>')),
            "/plan.pdf": Reply(body=plan, content_type="application/pdf"),
        },
    )
    down = Site("127.79.14.7", {"/": Reply(status=503, body="Vedlikehold")})
    with MultiHostServer([up, down]) as server:
        result, _ = _crawl(
            tmp_path,
            [
                ("9906", "Loggvik", server.base_url(up.host) + "/"),
                ("9907", "Nedstad", server.base_url(down.host) + "/"),
            ],
            "--allow-private-networks",
        )
    assert result.returncode == 0, result.stdout + result.stderr
    log = result.stderr
    appeared = r"tracker\.watch\.watching: 9906 Loggvik: plan_appeared http://127\.79\.14\.6:\d+/plan\.pdf\n"
    assert re.search(appeared, log), log
    assert "tracker.watch.watching: 9907 Nedstad: check_failed\n" in log, log
    assert not re.search(r"\bkommune \d+:", log), "no database ids in the log"
