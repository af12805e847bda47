"""The demo web as a whole: its kommuner, the finding expected of each, and the server that serves their sites.

`crawlers.testweb.scenarios` builds one (`build_demo_web`, `build_large_web`); tests and the demo read a kommune's
`ExpectedFinding` to check what the crawler and classifier made of its site, and `write_registry` hands the
kommuner to the tracker as a registry CSV.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from crawlers.testweb.server import LoggedRequest, MultiHostServer, Site


@dataclass(frozen=True)
class ExpectedFinding:
    """The export row the crawler + classifier should produce for one demo kommune."""

    status: str  # abuse_specific_plan | general_violence_plan_only | no_plan_found | site_unreachable
    plan_category: str = ""  # abuse_specific | general_violence | ""
    plan_format: str = ""  # pdf | html | docx | ""
    found_via: str = ""  # link | rendered | site_search | sitemap | ""
    click_depth: int | None = None
    plan_current: str = ""  # "true" | "false" | ""
    text_source: str = ""  # text_layer | html | ocr | ""
    plan_path: str = ""
    plan_title: str = ""
    alternate_paths: tuple[str, ...] = ()
    #: paths that must never be requested (robots.txt disallows them)
    never_fetch: tuple[str, ...] = ()
    #: documents that are broken on purpose: expected as recorded errors, never as a crash
    error_paths: tuple[str, ...] = ()


@dataclass
class DemoKommune:
    kommunenummer: str
    name: str
    country: str  # "NO" | "DK"
    scenario: str
    expected: ExpectedFinding
    host: str
    site: Site | None  # None: nothing listens at `host` (the `down` scenario)
    website: str = ""  # base URL, set when the web starts
    region_code: str = ""  # a real fylke/region, so the demo's map and region tables have places
    region: str = ""


class DemoWeb:
    """The demo sites plus their expected outcomes; a context manager that serves them."""

    def __init__(self, kommuner: list[DemoKommune], port: int = 0) -> None:
        self.kommuner = kommuner
        self.server = MultiHostServer([k.site for k in kommuner if k.site is not None], port=port)

    def start(self) -> None:
        self.server.start()
        for k in self.kommuner:
            k.website = f"http://{k.host}:{self.server.port}" if k.site is None else self.server.base_url(k.host)

    def stop(self) -> None:
        self.server.stop()

    def __enter__(self) -> DemoWeb:
        self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def request_log(self) -> list[LoggedRequest]:
        return self.server.request_log

    def kommune(self, key: str) -> DemoKommune:
        """Look a kommune up by scenario slug or kommunenummer."""
        for k in self.kommuner:
            if key in (k.scenario, k.kommunenummer):
                return k
        raise KeyError(key)

    def write_registry(self, path: str | Path) -> Path:
        """Write `kommunenummer,name,country,website,region_code,region` for every kommune (start the web first)."""
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["kommunenummer", "name", "country", "website", "region_code", "region"])
            for k in self.kommuner:
                writer.writerow([k.kommunenummer, k.name, k.country, k.website, k.region_code, k.region])
        return target
