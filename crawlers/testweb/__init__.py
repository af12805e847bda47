"""A local test web: a multi-host HTTP server on loopback addresses and synthetic kommune sites.

server.py       MultiHostServer, Site, Reply, Request: generic, for any crawler test
scenarios.py    build_demo_web() / build_large_web(): kommune sites with their expected findings
scenario_kit.py the parts every scenario builds from;  demoweb.py  DemoWeb, DemoKommune, ExpectedFinding
sitebuilder.py  one kommune site from pages, documents, robots.txt, sitemaps and site search
pages.py        HTML layouts (ACOS-like NO, Danish kommune DK) and filler pages
documents.py    PDF / DOCX / broken-PDF bytes;  plantexts.py  the words of plans, budgets and minutes
abusetexts.py   the section templates of the abuse-specific plans (nb, nn, da)
"""

from __future__ import annotations

from crawlers.testweb.demoweb import DemoKommune, DemoWeb, ExpectedFinding
from crawlers.testweb.scenarios import SCENARIOS, build_demo_web, build_large_web
from crawlers.testweb.server import LoggedRequest, MultiHostServer, Reply, Request, Route, Site, redirect

__all__ = [
    "SCENARIOS",
    "DemoKommune",
    "DemoWeb",
    "ExpectedFinding",
    "LoggedRequest",
    "MultiHostServer",
    "Reply",
    "Request",
    "Route",
    "Site",
    "build_demo_web",
    "build_large_web",
    "redirect",
]
