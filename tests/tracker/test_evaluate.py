"""Corpus loading, scoring and the printed report; malformed labels fail with a line number."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.domain import Category
from tracker.reading.evaluate import evaluate_corpus, format_report, load_corpus, read_document

PLAN = "Handlingsplan mot seksuelle overgrep mot barn\nBarnehager og skoler skal kjenne rutinene.\n"
VIOLENCE = "Handlingsplan mot vold i nære relasjoner\nKrisesenteret og legevakten spør om vold.\n"
MINUTES = "Møteprotokoll kommunestyret\nMøtedato: 1.2.2023\nSak 4/23 Handlingsplan mot vold.\nVedtak: vedtatt.\n"


def _corpus(tmp_path: Path, labels: str, files: dict[str, str] | None = None) -> Path:
    files = {"a.txt": PLAN, "b.txt": VIOLENCE, "c.txt": MINUTES} if files is None else files
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "labels.csv").write_text(labels, encoding="utf-8")
    return tmp_path


def test_read_document_title_and_pages(tmp_path: Path) -> None:
    path = tmp_path / "d.txt"
    path.write_text("\n\n  Tittel her  \nside en\fside to\fside tre", encoding="utf-8")
    doc = read_document(path)
    assert doc.title == "Tittel her"
    assert len(doc.pages) == 3
    assert doc.pages[1] == "side to"


def test_scores_and_report(tmp_path: Path) -> None:
    labels = "file,label,language\na.txt,abuse_specific,nb\nb.txt,general_violence,nb\nc.txt,general_violence,nn\n"
    report = evaluate_corpus(_corpus(tmp_path, labels))
    assert report.total == 3
    assert report.accuracy == pytest.approx(2 / 3)
    assert report.confusion[Category.GENERAL_VIOLENCE][Category.OTHER] == 1
    gv = report.per_category[Category.GENERAL_VIOLENCE]
    assert (gv.precision, gv.recall, gv.support) == (1.0, 0.5, 2)
    assert report.per_category[Category.OTHER].f1 == 0.0
    assert report.macro_f1 == pytest.approx((1.0 + 2 / 3 + 0.0) / 3)
    assert [m.file for m in report.misclassified] == ["c.txt"]
    assert report.language_accuracy == pytest.approx(2 / 3)
    text = format_report(report)
    assert "macro-F1: 0.556" in text
    assert "c.txt: expected general_violence, got other" in text
    assert "c.txt: expected nn, got nb" in text


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        ("file,label\na.txt,other\n", "line 1: missing column(s) language"),
        ("file,label,language\na.txt,abuse_specific,nb\nb.txt,abuse,nb\n", "line 3: unknown label 'abuse'"),
        (
            "file,label,language\na.txt,abuse_specific,nb\nmissing.txt,other,nb\n",
            "line 3: file 'missing.txt' not found",
        ),
        ("file,label,language\na.txt,other,sv\n", "line 2: unknown language 'sv'"),
        ("file,label,language\na.txt,other,nb\na.txt,other,nb\n", "line 3: file 'a.txt' is labelled twice"),
        ("file,label,language\na.txt,other\n", "line 2: expected 3 fields, got 2"),
        ("", "line 1: empty file"),
    ],
)
def test_malformed_labels_name_the_line(tmp_path: Path, labels: str, message: str) -> None:
    with pytest.raises(ValueError, match="labels.csv") as info:
        load_corpus(_corpus(tmp_path, labels))
    assert message in str(info.value)


def test_missing_labels_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no labels.csv"):
        load_corpus(tmp_path)


def test_blank_lines_are_skipped_and_line_numbers_stay_true(tmp_path: Path) -> None:
    labels = "file,label,language\na.txt,other,nb\n\nb.txt,bogus,nb\n"
    with pytest.raises(ValueError, match="line 4: unknown label"):
        load_corpus(_corpus(tmp_path, labels))


def test_optional_kind_column_is_scored_where_given(tmp_path: Path) -> None:
    labels = (
        "file,label,language,kind\n"
        "a.txt,abuse_specific,nb,adopted_plan\n"
        "b.txt,general_violence,nb,draft\n"
        "c.txt,other,nb,\n"
    )
    report = evaluate_corpus(_corpus(tmp_path, labels))
    assert report.kind_total == 2
    assert report.kind_accuracy == pytest.approx(0.5)
    assert report.kind_errors == (("b.txt", "draft", "adopted_plan"),)
    text = format_report(report)
    assert "document kind accuracy: 0.500 on 2 documents" in text
    assert "b.txt: expected draft, got adopted_plan" in text


def test_three_column_rows_still_load_under_a_kind_header(tmp_path: Path) -> None:
    docs = load_corpus(_corpus(tmp_path, "file,label,language,kind\na.txt,abuse_specific,nb\nc.txt,other,nb,\n"))
    assert [d.kind for d in docs] == [None, None]


def test_unknown_kind_names_the_line(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="line 3: unknown kind 'final'"):
        load_corpus(_corpus(tmp_path, "file,label,language,kind\na.txt,other,nb,\nb.txt,other,nb,final\n"))
