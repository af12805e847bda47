"""Conditional GET, HEAD, the favicon and the response cache, through a real uvicorn on SQLite and PostgreSQL.

Every route of the app is enumerated (a new route cannot escape the HEAD test), the shared pages answer 304 to
their own validators, a check stored through `tracker.store` shows on the very next request, and forms with a
CSRF token are never shared between two visitors.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import BaseRoute, Mount, Route

from dashboards.app import create_app, shared_routes
from tests.dashboards.act_seed import FJELLVIK, KILDEBY, T0, SeedDoc, seed_check, sync
from tests.dashboards.serving import serve_in_thread
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.store import database, reviews

TOKEN = "correct horse battery staple"
PLAN = SeedDoc("Handlingsplan mot seksuelle overgrep mot barn 2025–2028", body=b"%PDF-1.4\n% a plan\n%%EOF\n")


@dataclass
class Served:
    app: FastAPI
    base: str
    factory: sessionmaker[Session]
    sha256: str

    def samples(self) -> dict[str, str]:
        """A value for each path parameter of the app's routes (a new parameter name fails the HEAD test)."""
        return {
            "kommunenummer": FJELLVIK.kommunenummer,
            "filename": "findings.csv",
            "sha256": self.sha256,
            "tip_id": "1",
            "subscription_id": "1",
            "finding_id": "1",
            "classification_id": "1",
            "override_id": "1",
            "path": "planvakt.css",
        }


@pytest.fixture
def served(database_url: str, tmp_path: Path) -> Iterator[Served]:
    engine = database.make_engine(database_url)
    database.upgrade(engine)
    factory = database.make_session_factory(engine)
    sync(factory, FJELLVIK, KILDEBY)
    seed_check(factory, KILDEBY, [PLAN], at=T0)  # a document with an archived copy
    evidence = EvidenceStore(tmp_path / "evidence")
    sha256 = evidence.put(PLAN.body)
    settings = Settings(database_url=database_url, var_dir=tmp_path / "var", admin_token=TOKEN)
    app = create_app(settings, session_factory=factory, evidence=evidence)
    with serve_in_thread(app) as base:
        yield Served(app, base, factory, sha256)
    engine.dispose()


def _concrete(path: str, samples: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        if name not in samples:
            pytest.fail(f"no sample value for path parameter {name!r} of {path}: add one to Served.samples")
        return samples[name]

    return re.sub(r"{([^}]+)}", fill, path)


def _all_routes(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route, the ones of included routers too (FastAPI keeps those behind a wrapper per router)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _all_routes(included.routes)
        else:
            yield route


def _get_paths(app: FastAPI, samples: dict[str, str]) -> list[str]:
    """One concrete URL for every GET route and mount of the app."""
    paths = []
    for route in _all_routes(app.routes):
        if isinstance(route, APIRoute | Route) and "GET" in (route.methods or ()):
            paths.append(_concrete(route.path, samples))
        elif isinstance(route, Mount):
            paths.append(f"{route.path}/{samples['path']}")
    return paths


def _shared_paths(served: Served) -> list[str]:
    return [_concrete(route.path, served.samples()) for route in shared_routes(served.app)]  # type: ignore[attr-defined]


def test_head_answers_every_get_route_with_the_get_headers(served: Served) -> None:
    paths = _get_paths(served.app, served.samples())
    assert {"/", "/kommune/3901", "/favicon.ico", "/act", "/review", "/static/planvakt.css"} <= set(paths)
    with httpx.Client(base_url=served.base, timeout=30) as http:
        for path in paths:
            http.get(path)  # a download streams the first time (chunked), then comes whole from the cache
            got = http.get(path)
            head = http.head(path)
            assert head.status_code == got.status_code != 405, path
            assert head.content == b"", path
            for name in ("content-type", "content-length", "etag", "last-modified", "cache-control"):
                assert head.headers.get(name) == got.headers.get(name), (path, name)


def test_shared_pages_answer_their_validators_with_304(served: Served) -> None:
    paths = _shared_paths(served)
    assert {"/", "/kommune/3901", "/changes", "/health", "/data", "/data/findings.csv", "/api/kommuner"} <= set(paths)
    with httpx.Client(base_url=served.base, timeout=30) as http:
        etag_of_overview = http.get("/").headers["etag"]
        for path in paths:
            first = http.get(path)
            assert first.status_code == 200, path
            etag, modified = first.headers["etag"], first.headers["last-modified"]
            assert re.fullmatch(r'"\d+-[0-9a-f]{24}"', etag), (path, etag)  # strong: no W/
            assert first.headers["cache-control"] == "no-cache"
            again = http.get(path, headers={"if-none-match": etag})
            assert again.status_code == 304 and again.content == b"", path
            assert again.headers["etag"] == etag and again.headers["last-modified"] == modified
            assert http.get(path, headers={"if-none-match": '"0-other", ' + etag}).status_code == 304
            assert http.head(path, headers={"if-none-match": etag}).status_code == 304
            assert http.get(path, headers={"if-modified-since": modified}).status_code == 304, path
            assert http.get(path, headers={"if-none-match": '"0-other"'}).status_code == 200
            assert http.get(path, headers={"if-modified-since": "Mon, 01 Jan 2001 00:00:00 GMT"}).status_code == 200
        # a 304 stands only for a 200: an unknown kommune stays 404 whatever the validators say
        missing = http.get("/kommune/9999", headers={"if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT"})
        assert missing.status_code == 404
        # after the cache lost the page (evicted, or a newer version seen by another request), validators still hold
        served.app.state.response_cache.observe_version(10**12)
        assert http.get("/", headers={"if-none-match": etag_of_overview}).status_code == 304
    # the language is part of the ETag: the English overview is another representation
    with httpx.Client(base_url=served.base, timeout=30) as http:
        bokmal = http.get("/")
        english = http.get("/", params={"lang": "en"})
        assert english.headers["etag"] != bokmal.headers["etag"]
    with httpx.Client(base_url=served.base, timeout=30, cookies={"planvakt_lang": "en"}) as http:
        with_cookie = http.get("/")
        assert 'lang="en"' in with_cookie.text and with_cookie.headers["etag"] != bokmal.headers["etag"]
        assert http.get("/", headers={"if-none-match": bokmal.headers["etag"]}).status_code == 200


def test_evidence_and_favicon_answer_their_own_validators(served: Served) -> None:
    with httpx.Client(base_url=served.base, timeout=30) as http:
        copy = http.get(f"/evidence/{served.sha256}")
        assert copy.status_code == 200 and copy.content == PLAN.body
        assert copy.headers["etag"] == f'"{served.sha256}"' and "last-modified" in copy.headers
        again = http.get(f"/evidence/{served.sha256}", headers={"if-none-match": copy.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
        icon = http.get("/favicon.ico")
        assert icon.status_code == 200 and icon.headers["content-type"] == "image/x-icon"
        assert icon.content.startswith(b"\x00\x00\x01\x00") and len(icon.content) < 4096  # an ICO of our own
        assert http.get("/favicon.ico", headers={"if-none-match": icon.headers["etag"]}).status_code == 304
        modified = icon.headers["last-modified"]
        assert http.get("/favicon.ico", headers={"if-modified-since": modified}).status_code == 304


def test_a_stored_check_shows_on_the_next_request(served: Served) -> None:
    cache = served.app.state.response_cache
    with httpx.Client(base_url=served.base, timeout=30) as http:
        before = http.get("/")
        page_before = http.get("/kommune/3901")
        api_before = http.get("/api/kommuner/3901").json()
        assert api_before["status"] == "not_checked"
        hits = cache.hits
        assert http.get("/").text == before.text and cache.hits == hits + 1  # served from the cache
        # a crawl run stores a check of Fjellvik, through the storage functions the pipeline uses
        seed_check(served.factory, FJELLVIK, [PLAN], at=T0 + timedelta(days=7))
        after = http.get("/")
        assert after.headers["etag"] != before.headers["etag"]
        assert http.get("/", headers={"if-none-match": before.headers["etag"]}).status_code == 200
        assert after.text != before.text and PLAN.title in http.get("/kommune/3901").text
        assert PLAN.title not in page_before.text
        assert http.get("/api/kommuner/3901").json()["status"] == "abuse_specific_plan"
        # a reviewer's override is a write like any other: the kommune page shows it at once
        with served.factory.begin() as session:
            finding = reviews.latest_finding(session, reviews.kommune_by_number(session, "3901").id)  # type: ignore[union-attr]
            assert finding is not None
            reviews.add_override(
                session,
                target="finding",
                target_id=finding.id,
                value="no_plan_found",
                reason="Planen gjelder en nabokommune",
                reviewer="Kari",
                now=T0 + timedelta(days=8),
            )
        assert "Planen gjelder en nabokommune" in http.get("/kommune/3901").text


def test_cache_is_bounded_and_drops_old_versions(served: Served) -> None:
    cache = served.app.state.response_cache
    cache.max_entries = 3
    with httpx.Client(base_url=served.base, timeout=30) as http:
        for path in ("/", "/changes", "/health", "/data", "/api/kommuner"):
            assert http.get(path).status_code == 200
        assert len(cache) == 3
        seed_check(served.factory, FJELLVIK, [], at=T0 + timedelta(days=7))
        http.get("/")
        assert len(cache) == 1  # entries of the old version are gone, not just unreachable


def test_forms_with_a_csrf_token_are_never_shared(served: Served) -> None:
    personal = ["/act/3901", "/review", "/act"]
    pages: dict[str, list[str]] = {path: [] for path in personal}
    for _ in range(2):  # two visitors, each with a cookie jar of their own
        with httpx.Client(base_url=served.base, timeout=30) as visitor:
            for path in personal:
                page = visitor.get(path)
                assert page.status_code == 200, path
                assert "etag" not in page.headers, path  # no shared validator on a personal page
                field = re.search(r'name="csrf" value="([^"]+)"', page.text)
                if field is not None:
                    assert visitor.cookies.get("planvakt_csrf"), path
                    pages[path].append(field.group(1))
                # the visitor's own token is on the next page too (same cookie, same field)
                if field is not None:
                    assert field.group(1) in visitor.get(path).text
            assert 'name="csrf"' not in visitor.get("/kommune/3901").text
    assert pages["/act/3901"] and pages["/review"]
    for path, fields in pages.items():
        assert len(set(fields)) == len(fields), f"{path}: two visitors got the same CSRF field"
    cached_paths = {key[3] for key in served.app.state.response_cache.keys()}
    assert not cached_paths & set(personal)
