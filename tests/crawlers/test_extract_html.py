"""crawlers/extract/html.py: real kommune-like pages with menus, footers and cookie banners around the article."""

from __future__ import annotations

import pytest

from crawlers.extract.html import clean_title, extract_html, split_pages

ARTICLE = (
    "Bergen kommune har vedtatt en handlingsplan mot seksuelle overgrep mot barn. Planen skal sikre at barn og "
    "unge får kunnskap om kropp og grenser, og at ansatte i barnehager og skoler vet hva de skal gjøre ved mistanke."
)

PAGE = f"""<!doctype html>
<html lang="nb">
<head>
  <meta charset="utf-8">
  <title>Handlingsplan mot seksuelle overgrep - Bergen kommune</title>
  <meta name="description" content="Planen for 2024–2027">
  <meta property="article:modified_time" content="2024-03-01T10:00:00Z">
  <link rel="canonical" href="https://www.bergen.kommune.no/plan">
  <style>body {{ color: red }}</style>
  <script>var tracking = "Spor meg";</script>
</head>
<body class="cookie-consent-given">
  <div id="CookieBanner">Vi bruker informasjonskapsler. Godta alle</div>
  <header><a href="/">Bergen kommune</a><nav><ul><li>Helse og omsorg</li><li>Barnehage</li></ul></nav></header>
  <div class="breadcrumb">Hjem / Planer</div>
  <main>
    <h1>Handlingsplan mot <em>seksuelle</em> overgrep</h1>
    <p>{ARTICLE}</p>
    <h2>Kunnskap i barnehagen</h2>
    <p>Barn skal lære om <strong>kropp</strong> og grenser.<br>Foreldre får informasjon.</p>
    <h3>Rutiner ved mistanke</h3>
    <ul><li>Snakk med barnet</li><li>Kontakt barnevernet</li></ul>
    <table><tr><td>Tiltak</td><td>Ansvar</td></tr></table>
  </main>
  <aside>Se også: Krisesenteret</aside>
  <footer>Bergen kommune, Rådhusgaten 10. Åpningstider 08–15.</footer>
</body>
</html>"""


def test_main_content_without_noise() -> None:
    result = extract_html(PAGE.encode(), "https://www.bergen.kommune.no/plan")

    text = "\n\n".join(result.pages)
    assert result.text_source == "html"
    assert result.extractor == "selectolax"
    assert ARTICLE in text
    assert "Barn skal lære om kropp og grenser.\nForeldre får informasjon." in text
    assert "Snakk med barnet" in text and "Tiltak Ansvar" in text
    for noise in ("Spor meg", "color: red", "informasjonskapsler", "Helse og omsorg", "Hjem / Planer", "Krisesenteret"):
        assert noise not in text
    assert "Åpningstider" not in text
    assert dict(result.facts)["content_selector"] == "main"


def test_title_headings_language_and_metadata() -> None:
    result = extract_html(PAGE.encode(), "https://www.bergen.kommune.no/plan")

    assert result.title == "Handlingsplan mot seksuelle overgrep"
    assert result.headings == (
        "Handlingsplan mot seksuelle overgrep",
        "Kunnskap i barnehagen",
        "Rutiner ved mistanke",
    )
    assert result.language == "nb"
    metadata = dict(result.metadata)
    assert metadata["description"] == "Planen for 2024–2027"
    assert metadata["ModDate"] == "2024-03-01T10:00:00Z"
    assert metadata["canonical"] == "https://www.bergen.kommune.no/plan"
    assert dict(result.facts)["page_title"] == "Handlingsplan mot seksuelle overgrep - Bergen kommune"


def test_without_h1_the_title_comes_from_title_without_the_site_name() -> None:
    body = f"<html><head><title>Aarhus Kommune | Beredskab mod overgreb</title></head><body><p>{ARTICLE}</p></body>"

    result = extract_html(body.encode(), "https://aarhus.dk/beredskab")

    assert result.title == "Beredskab mod overgreb"
    assert result.language is None


@pytest.mark.parametrize(
    ("title", "url", "expected"),
    [
        ("Handlingsplan mot vold - Bergen kommune", "", "Handlingsplan mot vold"),
        ("Oslo kommune | Plan for trygghet", "", "Plan for trygghet"),
        ("Beredskab – Vejle Kommune", "", "Beredskab"),
        ("Beredskab - Gentofte", "https://gentofte.dk/beredskab", "Beredskab"),
        ("Handlingsplan 2024 – 2027", "", "Handlingsplan 2024 – 2027"),
        ("Plan mot vold 2021 – 2024 - Bergen kommune", "", "Plan mot vold 2021 – 2024"),
        ("Bergen kommune", "", "Bergen kommune"),
    ],
)
def test_clean_title(title: str, url: str, expected: str) -> None:
    assert clean_title(title, url) == expected


def test_largest_text_block_when_there_is_no_main() -> None:
    body = f"""<html><body>
      <div class="menu"><p>Forside</p><p>Kontakt</p></div>
      <div class="c"><div class="inner"><p>{ARTICLE}</p><p>{ARTICLE}</p></div></div>
      <div class="links"><p>Personvern</p></div>
    </body></html>"""

    result = extract_html(body.encode(), "https://example.kommune.no/")

    text = "\n".join(result.pages)
    assert ARTICLE in text
    assert "Forside" not in text and "Personvern" not in text
    assert dict(result.facts)["content_selector"] == "largest_block"


def test_long_content_is_split_into_pages_of_about_3000_characters() -> None:
    paragraphs = "".join(f"<p>Avsnitt {i}. {ARTICLE}</p>" for i in range(60))
    result = extract_html(f"<html><body><main>{paragraphs}</main></body></html>".encode(), "https://x.no/")

    assert result.page_count == len(result.pages) >= 4
    assert all(len(page) <= 3000 for page in result.pages)
    assert result.pages[0].startswith("Avsnitt 0.")
    assert "Avsnitt 59." in result.pages[-1]
    assert sum(page.count("Avsnitt ") for page in result.pages) == 60


def test_split_pages_breaks_a_huge_block_at_sentences() -> None:
    sentence = "Dette er en setning om beredskap. "
    pages = split_pages([sentence * 300], size=1000)

    assert len(pages) >= 10
    assert all(len(page) <= 1000 for page in pages)
    assert all(page.endswith(".") for page in pages)


def test_windows_1252_page_is_decoded() -> None:
    body = "<html><body><main><h1>Børn og unge</h1><p>Vold i nære relationer</p></main></body></html>"

    result = extract_html(body.encode("windows-1252"), "https://x.dk/")

    assert result.title == "Børn og unge"


def test_declared_charset_wins() -> None:
    body = '<html><head><meta charset="iso-8859-1"></head><body><h1>Særlig plan</h1></body></html>'

    assert extract_html(body.encode("iso-8859-1"), "https://x.no/").title == "Særlig plan"


def test_page_with_no_text_has_no_pages() -> None:
    result = extract_html(b"<html><body><div id='root'></div><script>app()</script></body></html>", "https://x.no/")

    assert result.pages == () and result.page_count == 0
    assert result.title == ""


def test_empty_document_has_no_pages() -> None:
    result = extract_html(b"", "https://x.no/")

    assert (result.pages, result.title, result.language) == ((), "", None)
