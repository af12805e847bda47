"""Settling under load: a menu built from JSON fetched one request after another must be rendered whole even when
the page's script acts on each answer long after it was handed to the browser (a renderer starved of CPU).

The page below builds its menu from 4 chained JSON requests; after each answer it adds that level's links and then
works for a while (as a loaded machine makes every script slow) before it asks for the next one. The gap between
one answer being fulfilled and the next request is longer than the quiet window, so a settle rule that only looks
at the network and the DOM declares the page done after the first level. A busy process competes for the CPU
throughout, as other sites' work does in a sweep.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from crawlers.fetch import Fetcher
from crawlers.render import Renderer
from crawlers.testweb.server import Site
from crawlers.types import CrawlOptions
from tests.crawlers.conftest import serving
from tests.crawlers.test_render import CHAIN, chain_site

#: how long the page's script works on each answer before it asks for the next (longer than the quiet window)
WORK_MS = 900
SLOW_CHAIN_SCRIPT = """(async () => {
  const nav = document.getElementById("menu");
  let next = "/api/menu.json";
  while (next) {
    const data = await (await fetch(next)).json();
    for (const [text, href] of data.links) {
      const a = document.createElement("a"); a.href = href; a.textContent = text; nav.appendChild(a);
    }
    await new Promise((resolve) => setTimeout(resolve, 0));  // the level is drawn; the script goes on next turn
    const until = performance.now() + WORK_MS;
    while (performance.now() < until) {}  // the rest of the menu's work, slow on a loaded machine
    next = data.next;
  }
})();""".replace("WORK_MS", str(WORK_MS))
PLAN_LINK = ("Handlingsplan mot seksuelle overgrep mot barn 2025-2028", "/planer/handlingsplan-overgrep.pdf")


def slow_chain_site(host: str, *, delay: float) -> Site:
    return chain_site(
        host, delay=delay, robots="User-agent: *\nAllow: /\n", script=SLOW_CHAIN_SCRIPT, plan_link=PLAN_LINK
    )


@contextmanager
def cpu_pressure() -> Iterator[None]:
    """One process that keeps a core busy while the block runs (ended by its own pid)."""
    busy = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        busy.kill()
        busy.wait()


@pytest.mark.browser
@pytest.mark.slow
async def test_a_chained_json_menu_is_rendered_whole_when_the_script_acts_late(options: CrawlOptions) -> None:
    site = slow_chain_site("127.66.9.1", delay=0.3)
    with serving(site) as server, cpu_pressure():
        base = server.base_url(site.host)
        async with Fetcher(options) as fetcher, Renderer(options, fetcher) as renderer:
            page = await renderer.render_page(base + "/")
        asked = [e.path_with_query for e in server.request_log if e.path_with_query.startswith("/api/")]
    assert page.complete
    assert asked == list(CHAIN), "the render ended before the page asked for its whole menu"
    assert "Meny 0" in page.html and "Meny 2" in page.html
    assert f'<a href="{PLAN_LINK[1]}">{PLAN_LINK[0]}</a>' in page.html
    # 4 answers of 0.3 s and 4 rounds of work of 0.9 s one after another, then a quiet window
    assert page.elapsed >= 4 * (0.3 + WORK_MS / 1000)
