"""The overview map as a tile grid: one square per kommune, grouped by fylke/region, coloured by status.

No kommune boundaries ship with Planvakt (none are packaged on PyPI or npm, and the machine reaches nothing else),
so the issue's fallback is drawn: each fylke/region is a labelled band of tiles in kommunenummer order (which runs
roughly south to north within a Norwegian fylke, and by region in Denmark). Pure: rows in, geometry out; the
template draws the SVG (autoescaped, classes only, no inline styles).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from dashboards.read_model import KommuneStatus

TILE = 16
GAP = 2
PER_ROW = 28
LABEL_WIDTH = 190
BAND_GAP = 8


@dataclass(frozen=True)
class Tile:
    x: int
    y: int
    kommunenummer: str
    name: str
    status: str


@dataclass(frozen=True)
class Band:
    label: str
    x: int
    y: int
    tiles: tuple[Tile, ...]


@dataclass(frozen=True)
class TileMap:
    width: int
    height: int
    tile: int
    bands: tuple[Band, ...]


def layout(rows: Sequence[KommuneStatus], unknown_label: str = "") -> TileMap:
    """Lay `rows` out as bands (Norway's fylker by fylkesnummer, then Denmark's regions), tiles by kommunenummer."""
    groups: dict[tuple[str, str], list[KommuneStatus]] = {}
    codes: dict[tuple[str, str], str] = {}
    for row in rows:
        key = (row.country, row.region or unknown_label or row.country)
        groups.setdefault(key, []).append(row)
        codes.setdefault(key, row.region_code or "")
    y = 0
    bands: list[Band] = []
    step = TILE + GAP
    for key in sorted(groups, key=lambda k: (k[0] != "NO", codes[k] or "~", k[1])):
        members = sorted(groups[key], key=lambda r: r.kommunenummer)
        tiles = tuple(
            Tile(LABEL_WIDTH + (i % PER_ROW) * step, y + (i // PER_ROW) * step, r.kommunenummer, r.name, r.status)
            for i, r in enumerate(members)
        )
        bands.append(Band(f"{key[1]} ({key[0]})", 0, y, tiles))
        rows_used = (len(members) + PER_ROW - 1) // PER_ROW
        y += rows_used * step + BAND_GAP
    return TileMap(LABEL_WIDTH + PER_ROW * step, max(y - BAND_GAP, TILE), TILE, tuple(bands))
