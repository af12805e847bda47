"""The kommune registry: the built-in list of all Norwegian and Danish kommuner, or a user's CSV.

A malformed file is rejected whole with a `RegistryError` that names the line: nothing half-loaded reaches storage.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from tracker.domain import Country, Kommune
from tracker.errors import RegistryError

REQUIRED_COLUMNS = ("kommunenummer", "name", "country", "website")


def builtin_registry() -> list[Kommune]:
    """All 357 Norwegian and 98 Danish kommuner shipped with the package (see tracker/data/)."""
    data = resources.files("tracker") / "data"
    norway = _read_rows(data.joinpath("kommuner_no.csv").read_text(encoding="utf-8"), "kommuner_no.csv")
    denmark = _read_rows(data.joinpath("kommuner_dk.csv").read_text(encoding="utf-8"), "kommuner_dk.csv")
    kommuner = [
        Kommune(
            kommunenummer=row["kommunenummer"],
            name=row["name"],
            country=Country.NO,
            website=row["website"],
            website_alt=row.get("website_alt") or None,
            region_code=row.get("fylkesnummer") or None,
            region=row.get("fylke") or None,
            written_standard=row.get("malform") or None,
        )
        for _, row in norway
    ]
    kommuner += [
        Kommune(
            kommunenummer=row["kommunekode"],
            name=row["name"],
            country=Country.DK,
            website=row["website"],
            website_alt=row.get("website_alt") or None,
            region_code=row.get("regionskode") or None,
            region=row.get("region") or None,
        )
        for _, row in denmark
    ]
    return _validated(kommuner, "built-in registry")


def load_registry_csv(path: Path) -> list[Kommune]:
    """Read a registry CSV with columns kommunenummer,name,country,website (extra columns are ignored)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(str(path), None, f"cannot read file: {exc}") from exc
    return parse_registry(text, str(path))


def parse_registry(text: str, source: str) -> list[Kommune]:
    rows = _read_rows(text, source)
    kommuner: list[Kommune] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in rows:
        for column in REQUIRED_COLUMNS:
            if not (row.get(column) or "").strip():
                raise RegistryError(source, line, f"empty {column}")
        number = row["kommunenummer"].strip()
        if not (number.isdigit() and len(number) == 4):
            raise RegistryError(source, line, f"kommunenummer {number!r} is not four digits")
        country_text = row["country"].strip().upper()
        if country_text not in Country.__members__:
            raise RegistryError(source, line, f"country {row['country']!r} is not NO or DK")
        website = row["website"].strip()
        if not _is_http_url(website):
            raise RegistryError(source, line, f"website {website!r} is not an http(s) URL")
        key = (country_text, number)
        if key in seen:
            raise RegistryError(source, line, f"duplicate kommunenummer {number} (first on line {seen[key]})")
        seen[key] = line
        alt = (row.get("website_alt") or "").strip() or None
        if alt is not None and not _is_http_url(alt):
            raise RegistryError(source, line, f"website_alt {alt!r} is not an http(s) URL")
        kommuner.append(
            Kommune(
                kommunenummer=number,
                name=row["name"].strip(),
                country=Country(country_text),
                website=website,
                website_alt=alt,
                region_code=(row.get("region_code") or "").strip() or None,
                region=(row.get("region") or "").strip() or None,
            )
        )
    return kommuner


def select(kommuner: Sequence[Kommune], numbers: Iterable[str]) -> list[Kommune]:
    """The kommuner whose number is in `numbers`; an unknown number is an error, not a silent skip."""
    wanted = [n.strip() for n in numbers]
    known = {k.kommunenummer for k in kommuner}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise RegistryError("--kommune", None, f"unknown kommunenummer: {', '.join(unknown)}")
    chosen = set(wanted)
    return [k for k in kommuner if k.kommunenummer in chosen]


def _read_rows(text: str, source: str) -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    if "kommunekode" in header:  # the Danish registry's own column name
        needed: tuple[str, ...] = ("kommunekode", "name", "website")
    elif "fylkesnummer" in header:
        needed = ("kommunenummer", "name", "website")
    else:
        needed = REQUIRED_COLUMNS
    missing = [c for c in needed if c not in header]
    if missing:
        raise RegistryError(source, 1, f"missing column(s): {', '.join(missing)} (header: {','.join(header)})")
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if None in row:
                raise RegistryError(source, reader.line_num, "more fields than the header has")
            if any(v is None for v in row.values()):
                raise RegistryError(source, reader.line_num, "fewer fields than the header has")
            if not any((v or "").strip() for v in row.values()):
                continue
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise RegistryError(source, reader.line_num, f"not valid CSV: {exc}") from exc
    return rows


def _validated(kommuner: list[Kommune], source: str) -> list[Kommune]:
    seen: set[tuple[Country, str]] = set()
    for k in kommuner:
        if (k.country, k.kommunenummer) in seen:
            raise RegistryError(source, None, f"duplicate kommunenummer {k.kommunenummer}")
        seen.add((k.country, k.kommunenummer))
    return kommuner


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value
