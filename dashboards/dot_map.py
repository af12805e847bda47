"""The overview map: Norway and Denmark drawn from their outlines, one dot per kommune, coloured by standing.

No kommune boundaries are packaged on PyPI or npm, so each kommune is a dot at a point inside it (Kartverket's
"punkt i område" in Norway, the seat town in Denmark) on Natural Earth's country outlines. The geometry is
projected and simplified ahead of time by scripts/build_geodata.py into dashboards/geodata/nordic.json (22 kB,
sources and licences in its "about"); nothing is fetched at run time.

A kommune the file has no point for (the demo's invented kommuner, a kommune created after the file was made) is
placed around the middle of its fylke/region and marked approximate; one with no known region either is listed
under the map. Pure apart from `load_geodata`: rows and geodata in, geometry out; the template draws the SVG
(classes only, no inline styles: the CSP forbids them).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from dashboards.overview_query import standing
from tracker.store.statuses import KommuneStatus

GEODATA = "nordic.json"
#: dot radius in viewBox units (each panel is 400 wide: about 3 px on a phone, 4 on a desktop)
RADIUS = 3.4
#: spacing of dots placed around a region's middle (golden-angle spiral, so they never sit on each other)
SPREAD = 2.4 * RADIUS
#: marker shape per standing, so colour is never the only difference (red/green colour blindness)
SHAPES = {"no_plan_found": "square", "general_violence_plan_only": "diamond"}


@dataclass(frozen=True)
class GeoPanel:
    country: str
    width: float
    height: float
    outline: str  # SVG path data, already in the panel's viewBox
    insets: tuple[tuple[float, float, float, float], ...]  # boxes around moved islands (Bornholm): x, y, w, h
    points: dict[str, tuple[float, float]]  # kommunenummer -> x, y
    regions: dict[str, tuple[float, float]]  # fylke/region name -> middle of its kommuner


@dataclass(frozen=True)
class Geodata:
    about: str
    panels: tuple[GeoPanel, ...]


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    kommunenummer: str
    name: str
    region: str
    standing: str
    shape: str  # circle | square | diamond
    approximate: bool  # placed around its region's middle, not at its own point


@dataclass(frozen=True)
class MapPanel:
    country: str
    width: float
    height: float
    outline: str
    insets: tuple[tuple[float, float, float, float], ...]
    dots: tuple[Dot, ...]


@dataclass(frozen=True)
class DotMap:
    radius: float
    panels: tuple[MapPanel, ...]
    unplaced: tuple[KommuneStatus, ...]  # no point and no known region: listed beside the map

    @property
    def approximate(self) -> int:
        return sum(1 for panel in self.panels for dot in panel.dots if dot.approximate)


def _panel(raw: dict[str, Any]) -> GeoPanel:
    return GeoPanel(
        country=raw["country"],
        width=float(raw["width"]),
        height=float(raw["height"]),
        outline=raw["outline"],
        insets=tuple((b[0], b[1], b[2], b[3]) for b in raw.get("insets", [])),
        points={n: (p[0], p[1]) for n, p in raw["points"].items()},
        regions={n: (p[0], p[1]) for n, p in raw["regions"].items()},
    )


def load_geodata(text: str | None = None) -> Geodata:
    """The vendored outlines and points (or `text` in the same format, for tests). About 1 ms to read."""
    if text is None:
        text = (resources.files("dashboards") / "geodata" / GEODATA).read_text(encoding="utf-8")
    raw = json.loads(text)
    return Geodata(about=raw["about"], panels=tuple(_panel(p) for p in raw["panels"]))


def _spiral(centre: tuple[float, float], index: int) -> tuple[float, float]:
    """The index-th place on a golden-angle spiral around `centre` (index 0 is the centre itself)."""
    angle = index * math.pi * (3 - math.sqrt(5))
    distance = SPREAD * math.sqrt(index)
    return (round(centre[0] + distance * math.cos(angle), 1), round(centre[1] + distance * math.sin(angle), 1))


def _dot(row: KommuneStatus, x: float, y: float, approximate: bool) -> Dot:
    kind = standing(row.status, row.plan_current)
    return Dot(x, y, row.kommunenummer, row.name, row.region or "", kind, SHAPES.get(kind, "circle"), approximate)


def layout(rows: Sequence[KommuneStatus], geodata: Geodata) -> DotMap:
    """Place every row on its country's panel; rows of a country with no panel, or with no point and no known
    region, come back in `unplaced`."""
    panels = {p.country: p for p in geodata.panels}
    dots: dict[str, list[Dot]] = {country: [] for country in panels}
    crowd: dict[tuple[str, str], int] = {}
    unplaced: list[KommuneStatus] = []
    for row in sorted(rows, key=lambda r: (r.country, r.kommunenummer)):
        panel = panels.get(row.country)
        point = panel.points.get(row.kommunenummer) if panel else None
        if panel is not None and point is not None:
            dots[row.country].append(_dot(row, point[0], point[1], False))
            continue
        centre = panel.regions.get(row.region or "") if panel else None
        if panel is None or centre is None:
            unplaced.append(row)
            continue
        key = (row.country, row.region or "")
        index = crowd.get(key, 0)
        crowd[key] = index + 1
        x, y = _spiral(centre, index)
        dots[row.country].append(_dot(row, x, y, True))
    return DotMap(
        radius=RADIUS,
        panels=tuple(
            MapPanel(p.country, p.width, p.height, p.outline, p.insets, tuple(dots[p.country])) for p in geodata.panels
        ),
        unplaced=tuple(unplaced),
    )
