from __future__ import annotations

from crawlers.links import extract_links, links_built_by_script, page_h1, page_title, section_headings


def test_links_resolve_against_base_with_text_and_heading_context() -> None:
    html = """<html><head><title> Planer </title><base href="https://x.no/planer/"></head><body>
    <h1>Planer og strategier</h1>
    <a href="handlingsplan.pdf">Handlingsplan  mot
      vold</a>
    <h2>Barn og unge</h2>
    <a href="/bilde"><img src="x.png" alt="Beredskab"></a>
    <a href="/x" aria-label="Les mer"></a>
    <a href="mailto:post@x.no">E-post</a><a href="tel:+4712345678">Ring</a>
    <a href="javascript:void(0)">JS</a><a href="#main">Hopp til innhold</a>
    <a href="handlingsplan.pdf#side=2">Igjen</a>
    </body></html>"""
    links = extract_links(html, "https://x.no/somewhere")
    assert [(link.url, link.text, link.context) for link in links] == [
        ("https://x.no/planer/handlingsplan.pdf", "Handlingsplan mot vold", "Planer og strategier"),
        ("https://x.no/bilde", "Beredskab", "Barn og unge"),
        ("https://x.no/x", "Les mer", "Barn og unge"),
    ]
    assert page_title(html) == "Planer"
    assert page_h1(html) == "Planer og strategier"


def test_script_built_menus_are_recognised() -> None:
    static_menu = "<nav>" + "".join(f'<a href="/side{i}">Side {i}</a>' for i in range(12)) + "</nav>"
    assert not links_built_by_script(f"<html><body>{static_menu}<script>x()</script></body></html>", "https://x.no/")
    empty_nav = '<nav id="meny"></nav>' + static_menu.replace("<nav>", "<div>").replace("</nav>", "</div>")
    assert links_built_by_script(f"<html><body>{empty_nav}<script>build()</script></body></html>", "https://x.no/")
    spa = '<html><body><div id="root"></div><script src="/app.js"></script></body></html>'
    assert links_built_by_script(spa, "https://x.no/")
    # few links but no scripts: nothing a browser would add
    assert not links_built_by_script('<html><body><a href="/a">A</a></body></html>', "https://x.no/")


def test_section_headings_are_the_pages_own_not_the_sites_menus_and_footer() -> None:
    html = """<html><body><header><h2>Vold og overgrep – få hjelp</h2></header>
    <nav><h3>Snarveier</h3></nav><main><h1>Veileder</h1><h2>1.  Innledning</h2><p>Tekst</p>
    <h3>4. Hva er seksuelle overgrep?</h3><h4>Detalj</h4><aside><h2>Les også</h2></aside></main>
    <footer><h2>Kontakt oss</h2></footer></body></html>"""
    assert section_headings(html) == ("1. Innledning", "4. Hva er seksuelle overgrep?")
    many = "<main>" + "".join(f"<h2>Kapittel {i}</h2>" for i in range(60)) + "</main>"
    assert len(section_headings(many)) == 40 and section_headings(many, limit=3)[-1] == "Kapittel 2"
