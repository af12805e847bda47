from __future__ import annotations

from crawlers.links import extract_links, links_built_by_script, page_h1, page_title


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
