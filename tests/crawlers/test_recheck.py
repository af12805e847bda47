from __future__ import annotations

import hashlib

from crawlers.fetch import Fetcher
from crawlers.recheck import recheck_urls
from crawlers.testweb.server import NOT_FOUND_HTML, Reply, Route, Site, redirect
from crawlers.types import CrawlOptions
from tests.crawlers.conftest import html_page, pdf_bytes, serving, with_options
from tracker.domain import Category, EventKind
from tracker.watch.change_detector import detect_changes
from tracker.watch.changes import Check, SeenDocument, UrlOutcome, UrlRecheck, WatchState
from tracker.watch.text_identity import text_fingerprint as fingerprint

PDF = "application/pdf"
PLAN = pdf_bytes("Handlingsplan mot seksuelle overgrep mot barn 2024-2027")
CLOUDFLARE = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head>"
    "<body><div id='cf-challenge'>Checking your browser</div></body></html>"
)
ATTENTION = (
    "<!DOCTYPE html><html><head><title>Attention Required! | Cloudflare</title></head>"
    "<body><div class='g-recaptcha'></div></body></html>"
)
DANISH_404 = html_page("Fejl", "<h1>Siden blev ikke fundet</h1><p>Prøv at søge.</p>")


def plan_site(host: str) -> Site:
    return Site(
        host,
        {
            "/": Reply(body=html_page("Forside", "<a href='/planer'>Planer</a>")),
            "/robots.txt": Reply(body="User-agent: *\nDisallow: /intern/\n", content_type="text/plain"),
            "/dok/plan.pdf": Reply(body=PLAN, content_type=PDF),
            "/dok/gammel.pdf": redirect("/dok/ny-plan.pdf"),
            "/dok/ny-plan.pdf": Reply(body=PLAN, content_type=PDF),
            "/dok/fjernet.pdf": Reply(status=410, body="Gone"),
            "/dok/forside.pdf": redirect("/"),
            "/dok/sok.pdf": redirect("/sok?q=handlingsplan"),
            "/sok": Reply(body=html_page("Søk", "<h1>Søkeresultater</h1>")),
            "/dok/soft.pdf": Reply(body=NOT_FOUND_HTML),
            "/dok/dansk": Reply(body=DANISH_404),
            "/dok/html-i-stedet.pdf": Reply(body=html_page("Planer", "<h1>Planer og strategier</h1>" + "x " * 900)),
            "/dok/feil.pdf": Reply(status=503, body="<h1>Service Unavailable</h1>"),
            "/dok/vent.pdf": Reply(status=429, body="slow down", content_type="text/plain"),
            "/dok/forbudt.pdf": Reply(status=403, body="<h1>Forbidden</h1>"),
            "/dok/cf.pdf": Reply(status=503, body=CLOUDFLARE),
            "/dok/attention.pdf": Reply(status=200, body=ATTENTION),
            "/intern/plan.pdf": Reply(body=PLAN, content_type=PDF),
            "/plan-side": Reply(
                body=html_page(
                    "Handlingsplan mot vold",
                    "<h1>Handlingsplan mot vold</h1><form><div class='g-recaptcha'></div></form>",
                )
            ),
            "/planer": Reply(body=html_page("Planer")),
        },
    )


async def test_every_outcome_against_a_real_site(options: CrawlOptions) -> None:
    site = plan_site("127.67.1.1")
    paths = [
        "/dok/plan.pdf",
        "/dok/gammel.pdf",
        "/dok/mangler.pdf",
        "/dok/fjernet.pdf",
        "/dok/forside.pdf",
        "/dok/sok.pdf",
        "/dok/soft.pdf",
        "/dok/dansk",
        "/dok/html-i-stedet.pdf",
        "/dok/feil.pdf",
        "/dok/vent.pdf",
        "/dok/forbudt.pdf",
        "/dok/cf.pdf",
        "/dok/attention.pdf",
        "/intern/plan.pdf",
        "/plan-side",
    ]
    with serving(site) as server:
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher:
            checks = await recheck_urls([base + p for p in paths], fetcher=fetcher, front_page_url=base + "/")
        requested = [r.path_with_query for r in server.request_log]
    by_path = {c.url.removeprefix(base): c for c in checks}
    assert [c.url for c in checks] == [base + p for p in paths]
    assert {p: c.outcome for p, c in by_path.items()} == {
        "/dok/plan.pdf": "served",
        "/dok/gammel.pdf": "moved",
        "/dok/mangler.pdf": "gone",
        "/dok/fjernet.pdf": "gone",
        "/dok/forside.pdf": "soft_404",
        "/dok/sok.pdf": "soft_404",
        "/dok/soft.pdf": "soft_404",
        "/dok/dansk": "soft_404",
        "/dok/html-i-stedet.pdf": "soft_404",
        "/dok/feil.pdf": "failed",
        "/dok/vent.pdf": "failed",
        "/dok/forbudt.pdf": "blocked",
        "/dok/cf.pdf": "blocked",
        "/dok/attention.pdf": "blocked",
        "/intern/plan.pdf": "blocked",
        "/plan-side": "served",
    }
    served = by_path["/dok/plan.pdf"]
    assert served.status == 200 and served.sha256 == hashlib.sha256(PLAN).hexdigest() and served.body == PLAN
    assert served.final_url == base + "/dok/plan.pdf" and served.redirects == ()
    moved = by_path["/dok/gammel.pdf"]
    assert moved.final_url == base + "/dok/ny-plan.pdf" and moved.redirects == (base + "/dok/gammel.pdf",)
    assert moved.sha256 == served.sha256 and moved.content_type == PDF
    assert by_path["/dok/mangler.pdf"].status == 404 and by_path["/dok/fjernet.pdf"].status == 410
    assert by_path["/dok/forside.pdf"].detail == "redirected to the front page"
    assert by_path["/dok/sok.pdf"].detail == "redirected to a search page"
    assert by_path["/dok/feil.pdf"].status == 503 and by_path["/dok/feil.pdf"].sha256 is None
    assert by_path["/dok/cf.pdf"].detail.startswith("challenge page")
    # the known HTML plan page with a recaptcha feedback form is still served, not "blocked"
    assert by_path["/plan-side"].sha256 is not None
    # robots.txt is obeyed: the disallowed URL is never requested; 503 and 429 were retried
    assert "/intern/plan.pdf" not in requested
    assert requested.count("/dok/feil.pdf") == options.max_retries + 1
    assert all(c.is_absence == (c.outcome in ("gone", "soft_404")) for c in checks)


async def test_timeouts_and_refused_connections_fail_and_are_never_absence(options: CrawlOptions) -> None:
    site = Site("127.67.1.2", {"/": Reply(body=html_page("Forside")), "/treg.pdf": Reply(body=PLAN, delay=1.0)})
    quick = with_options(options, timeout=0.2, max_retries=1)
    with serving(site) as server:
        base = server.base_url(site.host)
        dead = f"http://127.67.1.3:{server.port}"  # nothing listens there
        async with Fetcher(quick) as fetcher:
            slow, refused = await recheck_urls(
                [base + "/treg.pdf", dead + "/plan.pdf"], fetcher=fetcher, front_page_url=base + "/"
            )
    assert (slow.outcome, slow.status, slow.sha256) == ("failed", None, None)
    assert "Timeout" in slow.detail
    assert refused.outcome == "failed" and not refused.is_absence
    assert not slow.is_absence


async def test_duplicates_are_fetched_once_and_order_is_kept(options: CrawlOptions) -> None:
    site = plan_site("127.67.1.4")
    with serving(site) as server:
        base = server.base_url(site.host)
        urls = [base + "/dok/plan.pdf", base + "/dok/mangler.pdf", base + "/dok/plan.pdf"]
        async with Fetcher(options) as fetcher:
            checks = await recheck_urls(urls, fetcher=fetcher, front_page_url=base + "/")
        requested = [r.path_with_query for r in server.request_log]
    assert [c.outcome for c in checks] == ["served", "gone", "served"]
    assert requested.count("/dok/plan.pdf") == 1
    assert all(r.user_agent == options.user_agent for r in server.request_log)


SINGLE_ANSWERS: list[tuple[Reply, str]] = [
    (Reply(status=200, body=html_page("Fant ikke siden", "<p>Feil</p>")), "soft_404"),
    (Reply(status=200, body=html_page("Kommune", "<h1>Siden kunne ikke findes</h1>")), "soft_404"),
    (Reply(status=200, body=html_page("Kommune", "<h1>Page not found</h1>")), "soft_404"),
    (Reply(status=200, body=PLAN, content_type=PDF), "served"),
    (Reply(status=200, body=b"", content_type=PDF), "failed"),
    (Reply(status=401, body="login"), "blocked"),
    (Reply(status=200, body=CLOUDFLARE, headers={"cf-mitigated": "challenge"}), "blocked"),
    (Reply(status=500, body="<h1>Intern feil</h1>"), "failed"),
    (Reply(status=400, body="bad"), "failed"),
    (redirect("/", 302), "soft_404"),
    (redirect("/search?query=plan"), "soft_404"),
    (redirect("/andre/plan.pdf", 308), "moved"),
    (redirect("/andre/borte.pdf"), "gone"),
    (redirect("/case/0"), "soft_404"),  # a redirect that lands on a "not found" page
]


async def test_single_answers(options: CrawlOptions) -> None:
    routes: dict[str, Route] = {f"/case/{i}": reply for i, (reply, _) in enumerate(SINGLE_ANSWERS)}
    routes |= {
        "/": Reply(body=html_page("Forside")),
        "/andre/plan.pdf": Reply(body=PLAN, content_type=PDF),
        "/search": Reply(body=html_page("Search")),
    }
    site = Site("127.67.1.5", routes)
    with serving(site) as server:
        base = server.base_url(site.host)
        urls = [f"{base}/case/{i}" for i in range(len(SINGLE_ANSWERS))]
        async with Fetcher(with_options(options, max_retries=0)) as fetcher:
            checks = await recheck_urls(urls, fetcher=fetcher, front_page_url=base + "/")
    got = [(c.outcome, c.detail) for c in checks]
    assert [outcome for outcome, _ in got] == [outcome for _, outcome in SINGLE_ANSWERS], got


async def test_rechecks_over_a_changing_site_feed_the_change_detector(options: CrawlOptions) -> None:
    """The loopback site changes between checks; re-check answers drive tracker.watch.changes to exactly these
    events."""
    plan = Reply(body=PLAN, content_type=PDF)
    reexport = Reply(body=PLAN.replace(b"%PDF-1.4", b"%PDF-1.7"), content_type=PDF)
    steps: list[tuple[Reply | None, list[EventKind]]] = [
        (Reply(status=503, body="<h1>Vedlikehold</h1>"), [EventKind.CHECK_FAILED]),
        (None, []),  # 404: first confirmation only
        (plan, []),  # back
        (Reply(body=NOT_FOUND_HTML), []),  # soft 404 once
        (reexport, []),  # new bytes, same text
        (redirect("/ny/plan.pdf"), [EventKind.PLAN_MOVED]),
        (None, []),
        (None, [EventKind.PLAN_VANISHED]),
    ]
    site = Site("127.67.1.6", {"/": Reply(body=html_page("Forside")), "/dok/plan.pdf": plan})
    url = "/dok/plan.pdf"

    def text_of(body: bytes) -> str:  # stands in for the extractor: the version line is export noise
        return "\n".join(line for line in body.decode().splitlines() if not line.startswith("%PDF"))

    with serving(site) as server:
        base = server.base_url(site.host)
        state, log = WatchState(), []
        quick = with_options(options, max_retries=1)
        for n, (route, expected) in enumerate([(plan, [EventKind.PLAN_APPEARED]), *steps]):
            if route is None:
                site.remove(url)
                site.remove("/ny/plan.pdf")
            else:
                site.set(url, route)
                if n == 6:
                    site.set("/ny/plan.pdf", plan)
            known = [u for p in state.plans for u in p.urls] or [base + url]
            async with Fetcher(quick) as fetcher:
                answers = await recheck_urls(known, fetcher=fetcher, front_page_url=base + "/")
            docs = tuple(
                SeenDocument(
                    a.url, a.sha256 or "", fingerprint([text_of(a.body)]), Category.ABUSE_SPECIFIC, a.final_url or ""
                )
                for a in answers
                if a.outcome in ("served", "moved")
            )
            rechecks = tuple(UrlRecheck(a.url, UrlOutcome(a.outcome), a.status, a.final_url, a.sha256) for a in answers)
            result = detect_changes(state, Check(f"c{n}", reachable=True, documents=docs, rechecks=rechecks))
            state = result.state
            log.append(([e.kind for e in result.events], expected))
    assert [got for got, _ in log] == [expected for _, expected in log]
    [known_plan] = state.plans
    assert known_plan.urls == (base + "/ny/plan.pdf",)
