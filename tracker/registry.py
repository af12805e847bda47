"""The kommune registry: the built-in list of all Norwegian and Danish kommuner, or a user's CSV.

A user's CSV is read as people have it: saved by Excel with `;` (a Norwegian or Danish locale's list separator) or a
tab, in Windows-1252 or UTF-8 with or without a byte-order mark, and with kommunenummer whose leading zero a
spreadsheet dropped ("301" for Oslo's 0301, re-padded as `planvakt subscribe` pads). The delimiter is the one of
`,` `;` tab that the header line holds most of; the encoding is UTF-8 when the bytes are valid UTF-8, else cp1252
(never a guess that turns æøå into mojibake: a file that is neither is an error). `RegistryFile.assumed` says what
was assumed, in one line.

A malformed file is rejected whole with a `RegistryError` that names the line: nothing half-loaded reaches storage.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from tracker.domain import Country, Kommune
from tracker.errors import RegistryError

REQUIRED_COLUMNS = ("kommunenummer", "name", "country", "website")
DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {",": "','-separated", ";": "';'-separated", "\t": "tab-separated"}


@dataclass(frozen=True)
class RegistryFile:
    """A user's registry CSV as read: its kommuner and what reading it assumed."""

    kommuner: list[Kommune]
    encoding: str  # "UTF-8", "UTF-8 with BOM", "UTF-16" or "cp1252"
    delimiter: str
    repadded: int  # kommunenummer given with fewer than 4 digits, padded with leading zeros

    def assumed(self) -> str:
        """One line, e.g. "read as cp1252, ';'-separated; 12 kommunenummer re-padded to 4 digits"."""
        line = f"read as {self.encoding}, {_DELIMITER_NAMES[self.delimiter]}"
        if self.repadded:
            line += f"; {self.repadded} kommunenummer re-padded to 4 digits"
        return line


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
    return read_registry_file(path).kommuner


def read_registry_file(path: Path) -> RegistryFile:
    """Read a registry CSV, detecting its encoding and delimiter and re-padding short kommunenummer.

    Raises `RegistryError` naming the file (and the line, for a bad row) when it cannot be read or is malformed.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        if isinstance(exc, FileNotFoundError):
            raise RegistryError(str(path), None, key="registry_error.no_file") from exc
        raise RegistryError(str(path), None, key="registry_error.unreadable", detail=str(exc)) from exc
    text, encoding = decode_registry(raw, str(path))
    delimiter = detect_delimiter(text)
    kommuner, repadded = _parse(text, str(path), delimiter)
    return RegistryFile(kommuner, encoding, delimiter, repadded)


def decode_registry(raw: bytes, source: str) -> tuple[str, str]:
    """The file's text and the encoding's name: UTF-16 when it starts with its byte-order mark (Excel's "Unicode
    text"), else UTF-8 (with or without BOM) when valid, else cp1252 (Excel's "CSV" on a Nordic Windows)."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise RegistryError(source, None, key="registry_error.utf16", detail=str(exc)) from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        return text, "UTF-8 with BOM" if raw.startswith(b"\xef\xbb\xbf") else "UTF-8"
    try:
        return raw.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise RegistryError(source, line, key="registry_error.encoding", byte=f"0x{raw[exc.start]:02x}") from exc


def detect_delimiter(text: str) -> str:
    """The one of `,` `;` tab that the header line holds most of (`,` when it holds none): column names never
    contain a delimiter, so the header says it plainly where a sniffer guessing over data rows could be misled
    by a comma in a name."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def parse_registry(text: str, source: str, delimiter: str = ",") -> list[Kommune]:
    """The kommuner of a registry CSV's text; raises `RegistryError` naming the line of the first bad row."""
    return _parse(text, source, delimiter)[0]


def _parse(text: str, source: str, delimiter: str) -> tuple[list[Kommune], int]:
    rows = _read_rows(text, source, delimiter)
    kommuner: list[Kommune] = []
    seen: dict[tuple[str, str], int] = {}
    repadded = 0
    for line, row in rows:
        for column in REQUIRED_COLUMNS:
            if not (row.get(column) or "").strip():
                raise RegistryError(source, line, key="registry_error.empty", column=column)
        number = row["kommunenummer"].strip()
        if number.isdigit() and len(number) < 4:  # a spreadsheet read "0301" as the number 301
            number, repadded = number.zfill(4), repadded + 1
        if not (number.isdigit() and len(number) == 4):
            raise RegistryError(source, line, key="registry_error.number", number=repr(number))
        country_text = row["country"].strip().upper()
        if country_text not in Country.__members__:
            raise RegistryError(source, line, key="registry_error.country", country=repr(row["country"]))
        website = row["website"].strip()
        if not _is_http_url(website):
            raise RegistryError(source, line, key="registry_error.website", column="website", url=repr(website))
        key = (country_text, number)
        if key in seen:
            raise RegistryError(source, line, key="registry_error.duplicate_at", number=number, first=seen[key])
        seen[key] = line
        alt = (row.get("website_alt") or "").strip() or None
        if alt is not None and not _is_http_url(alt):
            raise RegistryError(source, line, key="registry_error.website", column="website_alt", url=repr(alt))
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
    return kommuner, repadded


def select(kommuner: Sequence[Kommune], numbers: Iterable[str]) -> list[Kommune]:
    """The kommuner whose number is in `numbers`; an unknown number is an error, not a silent skip."""
    wanted = [n.strip() for n in numbers]
    known = {k.kommunenummer for k in kommuner}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise RegistryError("--kommune", None, key="registry_error.unknown", numbers=", ".join(unknown))
    chosen = set(wanted)
    return [k for k in kommuner if k.kommunenummer in chosen]


def _read_rows(text: str, source: str, delimiter: str = ",") -> list[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header  # Excel pads a ';'-separated header with spaces now and then
    if "kommunekode" in header:  # the Danish registry's own column name
        needed: tuple[str, ...] = ("kommunekode", "name", "website")
    elif "fylkesnummer" in header:
        needed = ("kommunenummer", "name", "website")
    else:
        needed = REQUIRED_COLUMNS
    missing = [c for c in needed if c not in header]
    if missing:
        shown = {"missing": ", ".join(missing), "header": ",".join(header)}
        raise RegistryError(source, 1, key="registry_error.columns", **shown)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        for row in reader:
            if None in row:
                raise RegistryError(source, reader.line_num, key="registry_error.more_fields")
            if any(v is None for v in row.values()):
                raise RegistryError(source, reader.line_num, key="registry_error.fewer_fields")
            if not any((v or "").strip() for v in row.values()):
                continue
            rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise RegistryError(source, reader.line_num, key="registry_error.csv", detail=str(exc)) from exc
    return rows


def _validated(kommuner: list[Kommune], source: str) -> list[Kommune]:
    seen: set[tuple[Country, str]] = set()
    for k in kommuner:
        if (k.country, k.kommunenummer) in seen:
            raise RegistryError(source, None, key="registry_error.duplicate", number=k.kommunenummer)
        seen.add((k.country, k.kommunenummer))
    return kommuner


def _is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in value
