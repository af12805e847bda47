from __future__ import annotations

import pytest

from crawlers.urls import (
    document_format_of,
    document_format_of_content_type,
    is_calendar_url,
    is_skippable,
    may_be_download,
    normalize_url,
    path_pattern,
    same_site,
    site_key,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://WWW.Oslo.Kommune.NO:80/a#frag", "http://www.oslo.kommune.no/a"),
        ("https://aarhus.dk:443", "https://aarhus.dk/"),
        ("https://aarhus.dk:8443/x", "https://aarhus.dk:8443/x"),
        ("https://x.no/side;jsessionid=ABC123?b=2&a=1", "https://x.no/side?a=1&b=2"),
        ("https://x.no/s?sid=9&utm_source=fb&PHPSESSID=1&q=vold", "https://x.no/s?q=vold"),
        ("https://x.no/planer/handlingsplan%20mot%20vold.pdf", "https://x.no/planer/handlingsplan%20mot%20vold.pdf"),
        ("https://x.no/sk%C3%B8le", "https://x.no/sk%C3%B8le"),
        ("https://x.no/skøle", "https://x.no/sk%C3%B8le"),
    ],
)
def test_normalize_url(raw: str, expected: str) -> None:
    assert normalize_url(raw) == expected


def test_normalize_resolves_against_base_and_refuses_other_schemes() -> None:
    assert normalize_url("../b?x=1", "https://x.no/a/c/") == "https://x.no/a/b?x=1"
    assert normalize_url("mailto:post@x.no") is None
    assert normalize_url("javascript:void(0)", "https://x.no/") is None
    assert normalize_url("http://[::1]:8080/a") == "http://[::1]:8080/a"


def test_site_key_and_same_site() -> None:
    assert site_key("www.oslo.kommune.no") == "oslo.kommune.no"
    assert site_key("oslo.kommune.no") == "oslo.kommune.no"
    assert site_key("www.aarhus.dk") == "aarhus.dk"
    assert site_key("127.66.0.1") == "127.66.0.1"
    keys = frozenset({"oslo.kommune.no"})
    assert same_site("https://www.oslo.kommune.no/x", keys)
    assert same_site("https://innsyn.oslo.kommune.no/x", keys)
    assert not same_site("https://bergen.kommune.no/x", keys)
    assert not same_site("https://127.66.0.2/x", frozenset({"127.66.0.1"}))


def test_path_pattern_groups_calendar_days_and_ids() -> None:
    a = path_pattern("https://x.no/kalender?dato=2026-01-02")
    b = path_pattern("https://x.no/kalender?dato=2026-05-30&vis=dag")
    c = path_pattern("https://x.no/kalender?dato=2027-12-31")
    assert a == c
    assert a != b  # different query keys: a different shape
    assert path_pattern("https://x.no/nyheter/2024/05/artikkel-123") == path_pattern(
        "https://x.no/nyheter/2025/11/artikkel-9"
    )
    assert path_pattern("https://x.no/planer") != path_pattern("https://x.no/tjenester")


def test_document_format_guesses() -> None:
    assert document_format_of("https://x.no/dok/Handlingsplan.PDF") == "pdf"
    assert document_format_of("https://x.no/dok/plan.docx?v=2") == "docx"
    assert document_format_of("https://x.no/planer/") is None
    assert document_format_of_content_type("application/pdf; qs=0.9") == "pdf"
    assert document_format_of_content_type("text/html") is None
    assert is_skippable("https://x.no/bilde.JPG")
    assert not is_skippable("https://x.no/plan.pdf")


def test_session_like_params_are_learned_from_a_pages_links() -> None:
    from crawlers.urls import session_like_params, without_params

    token = "a8F3k9Q2z7"
    links = [f"https://k.no/{path}?vid={token}" for path in ("tjenester", "planer", "nyheter/1")]
    links += ["https://k.no/nyheter?page=2", "https://k.no/nyheter?page=3", "https://k.no/sok?lang=nb"]
    links += [
        "https://k.no/dokument/hent?id=7&vid=" + token,
        "https://k.no/a?id=20231115",
        "https://k.no/b?id=20231115",
    ]
    assert session_like_params(links) == {"vid"}
    assert session_like_params(links[:2]) == frozenset()  # two paths prove nothing
    assert without_params(f"https://k.no/dokument/hent?id=7&vid={token}", frozenset({"vid"})) == (
        "https://k.no/dokument/hent?id=7"
    )
    assert without_params("https://k.no/x?id=7", frozenset({"vid"})) == "https://k.no/x?id=7"


def test_section_of() -> None:
    from crawlers.urls import section_of

    assert section_of("https://k.no/tjenester/helse/barn?x=1") == "/tjenester/helse"
    assert section_of("https://k.no/tjenester") == "/tjenester"
    assert section_of("https://k.no/") == "/"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://k.dk/media/44311/download", True),
        ("https://k.no/dokument/hent?id=7", True),
        ("https://k.no/getfile.aspx?id=3", True),
        ("https://k.dk/media/44311", True),
        ("https://k.no/filer/dokument?fileid=12", True),
        ("https://k.dk/api/file/dcd52d53-0a6b-573d-722b-60551fbff495", True),  # a file keyed by a GUID
        ("https://k.dk/files/9f86d081884c7d659a2feaa0c55ad015", True),  # ... or by a hash
        ("https://k.dk/api/file/beredskab", False),  # a word is a page's name, not a file's key
        ("https://k.no/nyheter/2024/plan-mot-vold", False),
        ("https://k.no/media", False),
        ("https://k.no/bilde.jpg", False),
        ("https://k.no/plan.pdf", False),  # a document by its extension already
        ("https://k.no/tjenester/barn-og-familie", False),
    ],
)
def test_a_url_that_may_be_a_file_script(url: str, expected: bool) -> None:
    assert may_be_download(url) is expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://k.no/aktuelt/ny-handlingsplan-mot-vold", True),
        ("https://k.dk/nyheder/2024/beredskab", True),
        ("https://k.no/aktuelt?aar=2023&tema=politikk", True),  # a facet of the archive
        ("https://k.no/aktuelt", False),  # the news section's own front
        ("https://k.no/tjenester/vold-og-overgrep", False),
        ("https://k.no/tjenester/aktuelle-tilbud", False),
    ],
)
def test_a_news_item(url: str, expected: bool) -> None:
    from crawlers.urls import is_news_item

    assert is_news_item(url) is expected


def test_a_day_or_a_month_in_the_query_is_a_calendar() -> None:
    for url in ("/kalender?month=2025-10", "/k?dato=2026-01-02", "/k?d=02.01.2026", "/k?fra=20260102&til=20260109"):
        assert is_calendar_url("https://x.no" + url), url
    for url in ("/nyheter?aar=2023", "/nyheter?side=2", "/?page_id=5994", "/sak?id=20261399", "/kalender"):
        assert not is_calendar_url("https://x.no" + url), url
