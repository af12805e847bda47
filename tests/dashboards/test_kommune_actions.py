"""A kommune page leads to what a reader can do about that kommune (issue 13): the letter to its politicians, the
tip form, and alerts for that one kommune, the subscribe form already set to it. Followed as a reader would, link
by link, through the real app (ASGI) over a real SQLite database, with a real aiosmtpd server receiving the
confirmation mail of the subscription made from the pre-filled form."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from sqlalchemy import Engine, select

from dashboards.app import create_app
from tests.dashboards.act_seed import FJELLVIK, KILDEBY, SeedDoc, seed_check
from tests.receivers import SmtpSink, running_smtp
from tracker.blobs import EvidenceStore
from tracker.catalogue import CATALOGUE, LOCALES
from tracker.config import Settings
from tracker.store import database
from tracker.store.models import Subscription

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
#: (link id, catalogue key of its words, the id on the Act page it lands on)
ACT_LINKS = (("letter-link", "kommune.write_letter", "letter"), ("tip-link", "kommune.send_tip", "tip"))


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = database.make_engine(f"sqlite:///{tmp_path / 'actions.sqlite3'}")
    database.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
async def http(engine: Engine, tmp_path: Path) -> AsyncIterator[tuple[httpx.AsyncClient, SmtpSink]]:
    factory = database.make_session_factory(engine)
    seed_check(factory, FJELLVIK, [SeedDoc("Handlingsplan mot seksuelle overgrep mot barn")])
    seed_check(factory, KILDEBY, [])
    with running_smtp() as smtp:
        settings = Settings(
            var_dir=tmp_path / "var",
            secret_key_file=tmp_path / "secret.key",
            smtp_host="127.0.0.1",
            smtp_port=smtp.port,
            public_url="http://testserver",
        )
        app = create_app(settings, session_factory=factory, evidence=EvidenceStore(tmp_path / "ev"), now=lambda: NOW)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client, smtp


def _link(html: str, link_id: str) -> tuple[str, str]:
    node = HTMLParser(html).css_first(f"#kommune-actions a#{link_id}")
    assert node is not None, link_id
    return node.attributes["href"] or "", node.text(strip=True)


@pytest.mark.parametrize("lang", LOCALES)
async def test_a_kommune_page_links_to_its_letter_tip_form_and_alerts(
    http: tuple[httpx.AsyncClient, SmtpSink], lang: str
) -> None:
    client, _ = http
    page = await client.get(f"/kommune/{FJELLVIK.kommunenummer}", params={"lang": lang})
    assert page.status_code == 200
    for link_id, key, anchor in ACT_LINKS:
        href, words = _link(page.text, link_id)
        assert words == CATALOGUE.text(lang, key)
        path, _, fragment = href.partition("#")
        assert path == f"/act/{FJELLVIK.kommunenummer}" and fragment == anchor
        act = await client.get(path)  # the language chosen above is remembered in a cookie
        assert act.status_code == 200 and f'<html lang="{lang}">' in act.text
        assert HTMLParser(act.text).css_first(f"#{anchor}") is not None, anchor  # the link lands on it
    href, words = _link(page.text, "subscribe-link")
    assert words == CATALOGUE.text(lang, "kommune.get_alerts")
    form = HTMLParser((await client.get(href)).text)
    kommuner = form.css_first("#pub-kommuner")
    assert kommuner is not None and kommuner.attributes["value"] == FJELLVIK.kommunenummer
    checked = form.css_first('input[name="scope"][checked]')
    assert checked is not None and checked.attributes["value"] == "kommuner"


async def test_the_prefilled_form_subscribes_to_that_kommune_only(
    http: tuple[httpx.AsyncClient, SmtpSink], engine: Engine
) -> None:
    client, smtp = http
    href, _ = _link((await client.get(f"/kommune/{KILDEBY.kommunenummer}")).text, "subscribe-link")
    form_page = await client.get(href)
    assert '<html lang="da">' in form_page.text
    tree = HTMLParser(form_page.text)
    data: dict[str, str | list[str]] = {"email": "ngo@example.org", "kinds": []}
    for node in tree.css("#subscribe-form input, #subscribe-form select"):
        name, kind = node.attributes.get("name"), node.attributes.get("type")
        if not name or name == "email" or (kind in ("radio", "checkbox") and "checked" not in node.attributes):
            continue
        if name == "kinds":
            data["kinds"].append(node.attributes["value"] or "")  # type: ignore[union-attr]
        elif node.tag == "select":
            data[name] = next((o.attributes["value"] or "" for o in node.css("option[selected]")), "")
        else:
            data[name] = node.attributes.get("value") or ""
    answer = await client.post("/subscribe", data=data)
    assert answer.status_code == 200 and 'data-step="check_mail"' in answer.text
    assert smtp.messages and list(smtp.messages[-1].rcpt_tos) == ["ngo@example.org"]
    assert "Bekræft" in str(smtp.messages[-1].parsed()["Subject"])  # a Danish kommune: the form and mail in Danish
    with database.make_session_factory(engine)() as session:
        row = session.scalars(select(Subscription)).one()
    assert row.kommuner == [KILDEBY.kommunenummer] and row.origin == "public" and not row.active


async def test_a_bogus_kommune_in_the_link_prefills_nothing(http: tuple[httpx.AsyncClient, SmtpSink]) -> None:
    client, _ = http
    page = (await client.get("/subscribe", params={"kommune": '"><script>x</script>'})).text
    assert "<script>x" not in page
    checked = HTMLParser(page).css_first('input[name="scope"][checked]')
    assert checked is not None and checked.attributes["value"] == "all"
    region = HTMLParser((await client.get("/subscribe", params={"region": "46"})).text)
    checked = region.css_first('input[name="scope"][checked]')
    assert checked is not None and checked.attributes["value"] == "region"
    assert re.search(r'name="csrf" value="[0-9a-f]{64}"', page)
