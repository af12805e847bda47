"""Registry CSVs as people have them (issue 13): Excel's ';' and tab, cp1252, UTF-8 with or without BOM, and
kommunenummer whose leading zero a spreadsheet dropped. Driven through `planvakt registry load` and `planvakt crawl`
against a real SQLite file; the assumption is said in one line, a malformed file names its line and writes nothing.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from crawlers.testweb.server import MultiHostServer, Reply, Site
from planvakt.cli import app
from tests.crawlers.conftest import html_page
from tracker.store import database
from tracker.store.models import Finding, KommuneRow

runner = CliRunner()

ROWS = [
    ("301", "Oslo", "NO", "https://www.oslo.kommune.no"),
    ("3220", "Ås", "NO", "https://www.as.kommune.no"),
    ("101", "København", "DK", "https://www.kk.dk"),
    ("4601", "Bærum og Sør-Fron", "NO", "https://x.no"),
]


def _csv(delimiter: str, rows: list[tuple[str, str, str, str]] = ROWS) -> str:
    header = delimiter.join(("kommunenummer", "name", "country", "website"))
    return "\r\n".join([header, *(delimiter.join(row) for row in rows)]) + "\r\n"


def _db(tmp_path: Path) -> str:
    db = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    return db


def _kommuner(db: str) -> dict[str, str]:
    engine = database.make_engine(db)
    try:
        with database.make_session_factory(engine)() as session:
            return {row.kommunenummer: row.name for row in session.scalars(select(KommuneRow))}
    finally:
        engine.dispose()


@pytest.mark.parametrize(
    ("encoding", "delimiter", "said"),
    [
        ("cp1252", ";", "read as cp1252, ';'-separated; 2 kommunenummer re-padded to 4 digits"),
        ("utf-8-sig", ";", "read as UTF-8 with BOM, ';'-separated; 2 kommunenummer re-padded to 4 digits"),
        ("utf-8", ",", "read as UTF-8, ','-separated; 2 kommunenummer re-padded to 4 digits"),
        ("utf-16", "\t", "read as UTF-16, tab-separated; 2 kommunenummer re-padded to 4 digits"),
    ],
)
def test_registry_load_reads_the_file_as_saved(tmp_path: Path, encoding: str, delimiter: str, said: str) -> None:
    db = _db(tmp_path)
    registry = tmp_path / "kommuner.csv"
    registry.write_bytes(_csv(delimiter).encode(encoding))
    result = runner.invoke(app, ["registry", "load", "--registry", str(registry), "--db", db])
    assert result.exit_code == 0, result.output
    assert f"registry kommuner.csv: {said}\n" in result.output
    assert "loaded 4 kommuner" in result.output
    assert _kommuner(db) == {"0301": "Oslo", "3220": "Ås", "0101": "København", "4601": "Bærum og Sør-Fron"}


def test_a_plain_file_says_nothing_was_re_padded(tmp_path: Path) -> None:
    db = _db(tmp_path)
    registry = tmp_path / "r.csv"
    registry.write_text(_csv(",", [("0301", "Oslo", "NO", "https://www.oslo.kommune.no")]), encoding="utf-8")
    result = runner.invoke(app, ["registry", "load", "--registry", str(registry), "--db", db])
    assert result.exit_code == 0, result.output
    assert "registry r.csv: read as UTF-8, ','-separated\n" in result.output


def test_a_malformed_excel_file_names_its_line_and_writes_nothing(tmp_path: Path) -> None:
    db = _db(tmp_path)
    registry = tmp_path / "r.csv"
    rows = [*ROWS[:2], ("4602", "Brønnøy", "NO", "www.bronnoy.kommune.no")]
    registry.write_bytes(_csv(";", rows).encode("cp1252"))
    result = runner.invoke(app, ["registry", "load", "--registry", str(registry), "--db", db])
    assert result.exit_code == 2
    assert "r.csv, line 4" in result.output and "'www.bronnoy.kommune.no' is not an http(s) URL" in result.output
    assert _kommuner(db) == {}


def test_a_lost_zero_that_collides_is_a_duplicate_on_its_line(tmp_path: Path) -> None:
    db = _db(tmp_path)
    registry = tmp_path / "r.csv"
    registry.write_bytes(_csv(";", [ROWS[0], ("0301", "Oslo igjen", "NO", "https://a.no")]).encode("cp1252"))
    result = runner.invoke(app, ["registry", "load", "--registry", str(registry), "--db", db])
    assert result.exit_code == 2
    assert "line 3" in result.output and "duplicate kommunenummer 0301 (first on line 2)" in result.output
    assert _kommuner(db) == {}


def test_bytes_neither_utf8_nor_cp1252_are_refused_not_mangled(tmp_path: Path) -> None:
    db = _db(tmp_path)
    registry = tmp_path / "r.csv"
    registry.write_bytes(_csv(";").encode("cp1252") + b"9999;Ukjent\x81;NO;https://u.no\r\n")
    result = runner.invoke(app, ["registry", "load", "--registry", str(registry), "--db", db])
    assert result.exit_code == 2
    assert "line 6" in result.output and "neither UTF-8 nor cp1252 (byte 0x81)" in result.output
    assert _kommuner(db) == {}


def test_crawl_reads_an_excel_registry_and_stores_the_padded_number(tmp_path: Path) -> None:
    site = Site("127.79.15.1", {"/": Reply(body=html_page("Velkommen til Ås", "<p>Ingen planer her.</p>"))})
    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    env = {**os.environ, "PLANVAKT_VAR_DIR": str(tmp_path / "var")}
    with MultiHostServer([site]) as server:
        registry = tmp_path / "excel.csv"
        registry.write_bytes(_csv(";", [("301", "Ås", "NO", server.base_url(site.host) + "/")]).encode("cp1252"))
        for args in (
            ["db", "upgrade", "--db", db],
            [
                "crawl",
                "--registry",
                str(registry),
                "--render",
                "never",
                "--per-host-delay",
                "0",
                "--allow-private-networks",
                "--db",
                db,
            ],
        ):
            result = subprocess.run(
                [sys.executable, "-m", "planvakt", *args], env=env, capture_output=True, text=True, timeout=180
            )
            assert result.returncode == 0, result.stdout + result.stderr
    assert "registry excel.csv: read as cp1252, ';'-separated; 1 kommunenummer re-padded to 4 digits" in result.stderr
    engine = database.make_engine(db)
    try:
        with database.make_session_factory(engine)() as session:
            stored = session.execute(
                select(KommuneRow.kommunenummer, KommuneRow.name, Finding.status).join(
                    Finding, Finding.kommune_id == KommuneRow.id
                )
            ).all()
    finally:
        engine.dispose()
    assert [tuple(row) for row in stored] == [("0301", "Ås", "no_plan_found")]
