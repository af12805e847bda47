"""The command line, driven through Typer's CliRunner against a real SQLite database."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from planvakt.cli import app
from tracker.export import FINDINGS_COLUMNS
from tracker.store import database, runs

runner = CliRunner()


def _command_paths() -> list[list[str]]:
    root = get_command(app)
    paths: list[list[str]] = [[]]

    def walk(command: object, prefix: list[str]) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            paths.append([*prefix, name])
            walk(sub, [*prefix, name])

    walk(root, [])
    return paths


@pytest.mark.parametrize("path", _command_paths(), ids=lambda p: " ".join(p) or "planvakt")
def test_every_command_has_help(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_registry_load_into_a_migrated_database(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    assert runner.invoke(app, ["db", "upgrade", "--db", db]).exit_code == 0
    result = runner.invoke(app, ["registry", "load", "--db", db])
    assert result.exit_code == 0, result.output
    assert "loaded 455 kommuner" in result.output
    assert "357 NO" in result.output and "98 DK" in result.output


def test_malformed_registry_writes_nothing(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    runner.invoke(app, ["db", "upgrade", "--db", db])
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "kommunenummer,name,country,website\n9901,A,NO,https://a.no\n9902,B,NO,not-a-url\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["registry", "load", "--registry", str(bad), "--db", db])
    assert result.exit_code == 2
    assert "line 3" in result.output
    with database.make_session_factory(database.make_engine(db))() as session:
        assert runs.count_kommuner(session) == {}


def test_commands_refuse_an_unmigrated_database(tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "findings", "--db", f"sqlite:///{tmp_path / 'new.sqlite3'}"])
    assert result.exit_code == 2
    assert "planvakt db upgrade" in result.output


def test_export_of_an_empty_database_is_just_the_header(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'p.sqlite3'}"
    runner.invoke(app, ["db", "upgrade", "--db", db])
    out = tmp_path / "findings.csv"
    result = runner.invoke(app, ["export", "findings", "--format", "csv", "--out", str(out), "--db", db])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8") == ",".join(FINDINGS_COLUMNS) + "\n"
    as_json = runner.invoke(app, ["export", "findings", "--format", "json", "--db", db])
    assert as_json.output.strip() == "[]"


def test_evaluate_prints_per_category_figures() -> None:
    corpus = Path(__file__).resolve().parents[1] / "corpus"
    result = runner.invoke(app, ["evaluate", str(corpus)])
    assert result.exit_code == 0, result.output
    for word in ("abuse_specific", "general_violence", "other", "macro-F1", "confusion"):
        assert word in result.output


def test_evaluate_names_the_bad_line(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Handlingsplan\nTekst.\n", encoding="utf-8")
    (tmp_path / "labels.csv").write_text("file,label,language\na.txt,maybe,nb\n", encoding="utf-8")
    result = runner.invoke(app, ["evaluate", str(tmp_path)])
    assert result.exit_code == 2
    assert "line 2" in result.output


@pytest.mark.slow
@pytest.mark.ocr
def test_evaluate_reads_pdf_corpus_documents_including_scans(tmp_path: Path) -> None:
    """A corpus may hold PDFs: read by the crawler's extractor, a scan through OCR, and scored like .txt files."""
    from crawlers.testweb.documents import broken_pdf_bytes, pdf_bytes, scanned_pdf_bytes
    from crawlers.testweb.plantexts import abuse_plan, budget, general_violence_plan

    (tmp_path / "abuse.pdf").write_bytes(pdf_bytes(abuse_plan("nb", "Testvik", 2024, 2027)))
    (tmp_path / "general.pdf").write_bytes(pdf_bytes(general_violence_plan("da", "Testby", 2023, 2026)))
    (tmp_path / "scan.pdf").write_bytes(scanned_pdf_bytes(abuse_plan("da", "Skanderby", 2024, 2028)))
    (tmp_path / "budget.txt").write_text(
        "\f".join([budget("Testvik", 2025).title, *budget("Testvik", 2025).plain_text().split("\n\n")]),
        encoding="utf-8",
    )
    (tmp_path / "labels.csv").write_text(
        "file,label,language\n"
        "abuse.pdf,abuse_specific,nb\n"
        "general.pdf,general_violence,da\n"
        "scan.pdf,abuse_specific,da\n"
        "budget.txt,other,nn\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["evaluate", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "Documents: 4" in result.output
    assert "macro-F1: 1.000" in result.output, result.output

    (tmp_path / "broken.pdf").write_bytes(broken_pdf_bytes())
    with (tmp_path / "labels.csv").open("a", encoding="utf-8") as labels:
        labels.write("broken.pdf,other,nb\n")
    broken = runner.invoke(app, ["evaluate", str(tmp_path)])
    assert broken.exit_code == 2
    assert "line 6" in broken.output and "broken.pdf" in broken.output
