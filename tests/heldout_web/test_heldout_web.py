"""Checks of the held-out web itself (not of the crawler): determinism, truth served, BFS, robots, shutdown."""

from __future__ import annotations

import csv
import json
import socket
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from tests.heldout_web import build_web, canonical_target, serve
from tests.heldout_web.graph import CRAWLER_UA
from tests.heldout_web.model import HeldoutWeb, Site
from tests.heldout_web.robots import RobotsRules

SEED = 1003


@pytest.fixture(scope="module")
def web() -> HeldoutWeb:
    return build_web(SEED)


def test_same_seed_same_web_and_other_seeds_differ(web: HeldoutWeb) -> None:
    again = build_web(SEED)
    assert again.truth_paths == web.truth_paths
    assert [s.scenarios for s in again.sites] == [s.scenarios for s in web.sites]
    assert [sorted(s.pages) for s in again.sites] == [sorted(s.pages) for s in web.sites]
    plan_site = next(s for s in web.sites if s.plan_doc and not s.plan_is_page)
    twin = next(s for s in again.sites if s.kommunenummer == plan_site.kommunenummer)
    doc_id = plan_site.doc_paths[plan_site.plan_doc]
    assert web.document_bytes(plan_site, doc_id) == again.document_bytes(twin, doc_id)
    other = build_web(SEED + 1)
    assert [s.kommunenummer for s in other.sites] != [s.kommunenummer for s in web.sites]
    assert [s.scenarios for s in other.sites] != [s.scenarios for s in web.sites]


def test_mixture_of_a_seed(web: HeldoutWeb) -> None:
    sites = web.sites
    assert len(sites) == 40
    dk = sum(s.country == "DK" for s in sites)
    assert 12 <= dk <= 20
    statuses = [t.status for t in web.truth_paths.values()]
    assert 1 <= statuses.count("site_unreachable") <= 2
    assert statuses.count("no_plan_found") >= 3
    assert statuses.count("abuse_specific_plan") >= 10
    assert len({s.cms for s in sites}) >= 4
    assert {s.language for s in sites} <= {"nb", "nn", "da"}
    for s in sites:
        if s.unreachable == "none":
            assert 40 <= len(s.pages) <= 320, (s.kommunenummer, len(s.pages))


def test_robots_rules_parse_and_never_hide_the_plan(web: HeldoutWeb) -> None:
    rules = RobotsRules.parse(
        "User-agent: GPTBot\nDisallow: /\n\nUser-agent: *\nDisallow: /intern/\nDisallow: /*?print=1\n"
        "Allow: /intern/open\nCrawl-delay: 2\nSitemap: http://x/sitemap.xml\n"
    )
    assert not rules.allows("/", "Mozilla/5.0 GPTBot/1.0")
    assert rules.allows("/", CRAWLER_UA)
    assert not rules.allows("/intern/x.pdf", CRAWLER_UA)
    assert rules.allows("/intern/open.pdf", CRAWLER_UA)
    assert not rules.allows("/a/b?print=1", CRAWLER_UA)
    assert rules.crawl_delay(CRAWLER_UA) == 2.0
    assert rules.sitemaps == ["http://x/sitemap.xml"]
    for s in web.sites:
        for p in web.truth_paths[s.kommunenummer].accepted_paths:
            assert web.robots_allows(s.host, p, CRAWLER_UA), (s.kommunenummer, p)


def _links(base: str, html: str) -> list[str]:
    out = []
    for a in HTMLParser(html).css("a[href]"):
        href = a.attributes.get("href") or ""
        full = urljoin(base, href)
        if urlsplit(full).netloc == urlsplit(base).netloc:
            parts = urlsplit(full)
            out.append(canonical_target(parts.path + ("?" + parts.query if parts.query else "")))
    return out


def _crawl_depth(
    client: httpx.Client, web: HeldoutWeb, site: Site, base: str, accepted: set[str], *, rendered: bool
) -> int | None:
    """An independent BFS over the served HTML (and, when rendered, over the JSON the page script reads)."""
    depth = {"/": 0}
    queue = deque(["/"])
    while queue:
        node = queue.popleft()
        if node in accepted:
            return depth[node]
        if site.plan_is_page is False and node in site.doc_paths:
            continue
        resp = client.get(base + node)
        if resp.status_code != 200 or not resp.headers["content-type"].startswith("text/html"):
            continue
        targets = _links(base + node, resp.text)
        nav = HTMLParser(resp.text).css_first("[data-menu-src]")
        if rendered and nav is not None:
            menu = client.get(base + "/api/menu.json").json()
            targets += [i["url"] for i in menu["items"]]
            sub = json.loads(client.get(f"{base}/api/menu/{nav.attributes['data-node']}.json").content)
            targets += [c["url"] for c in sub["children"]]
            if sub.get("documents"):
                targets += [d["url"] for d in client.get(base + sub["documents"]).json()]
        for t in targets:
            t = canonical_target(t)
            if t in depth or not web.robots_allows(site.host, t, CRAWLER_UA):
                continue
            if t.startswith(site.search_path + "?") or t.startswith("/kalender") or "tema=" in t:
                continue
            if t in site.redirects:
                t = site.redirects[t]
            if t in depth:
                continue
            depth[t] = depth[node] + 1
            queue.append(t)
    return None


def test_served_web_matches_truth(web: HeldoutWeb, tmp_path: Path) -> None:
    with serve(web, slow_scale=0.0) as running, httpx.Client(timeout=20) as client:
        reg = running.registry_csv(tmp_path / "registry.csv")
        rows = list(csv.DictReader(reg.open(encoding="utf-8")))
        assert [r["kommunenummer"] for r in rows] == [s.kommunenummer for s in web.sites]
        assert {r["country"] for r in rows} == {"NO", "DK"}
        checked_by_bfs = {"link": 0, "rendered": 0}
        for s in web.sites:
            truth = running.truth[s.kommunenummer]
            base = running.base_url(s).rstrip("/")
            assert rows[s.index]["website"] == base + "/"
            if s.unreachable == "refused":
                with pytest.raises(httpx.ConnectError):
                    client.get(base + "/")
                continue
            if s.unreachable == "503":
                assert client.get(base + "/").status_code == 503
                continue
            assert client.get(base + "/").status_code == 200
            if truth.plan_url is None:
                continue
            assert truth.plan_url in truth.plan_urls_accepted
            for url in truth.plan_urls_accepted:
                resp = client.get(url, follow_redirects=True)
                assert resp.status_code == 200, url
                if not s.plan_is_page:
                    assert resp.content == web.document_bytes(s, s.doc_paths[s.plan_doc or ""])
                assert web.accepts(s.kommunenummer, url + ("&" if "?" in url else "?") + "utm_source=x")
            if truth.found_via in ("link", "rendered") and checked_by_bfs[truth.found_via] < 4:
                accepted = {
                    urlsplit(u).path + ("?" + urlsplit(u).query if urlsplit(u).query else "")
                    for u in truth.plan_urls_accepted
                }
                static = _crawl_depth(client, web, s, base, accepted, rendered=False)
                if truth.found_via == "link":
                    assert static == truth.click_depth, s.kommunenummer
                else:
                    assert static is None, s.kommunenummer
                    assert _crawl_depth(client, web, s, base, accepted, rendered=True) == truth.click_depth
                checked_by_bfs[truth.found_via] += 1
            if truth.found_via == "site_search":
                q = {"da": "beredskab overgreb"}.get(s.language, "handlingsplan overgrep")
                page = client.get(f"{base}{s.search_path}", params={s.search_param: q}).text
                assert (
                    any(
                        t
                        in {
                            canonical_target(urlsplit(u).path + ("?" + urlsplit(u).query if urlsplit(u).query else ""))
                            for u in truth.plan_urls_accepted
                        }
                        for t in _links(base + "/", page)
                    )
                    or s.language == "nn"
                )
        log = running.request_log()
        assert log and all(r.finished >= r.started for r in log)
        hosts = {(r.host, r.port) for r in log}
        live = next(s for s in web.sites if s.unreachable == "none")
    assert (live.host, running.port) in hosts
    with socket.socket() as sock:
        sock.settimeout(1)
        assert sock.connect_ex((live.host, running.port)) != 0
