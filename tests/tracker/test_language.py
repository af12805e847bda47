"""Language detection on short and long Bokmål, Nynorsk and Danish texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracker.reading.evaluate import load_corpus
from tracker.reading.language import detect_language

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # short texts: a title or a link
        ("Handlingsplan mot seksuelle overgrep mot barn", "nb"),
        ("Hva gjør jeg hvis jeg er bekymret for et barn?", "nb"),
        ("Handlingsplan mot vald i nære relasjonar", "nn"),
        ("Korleis kan eg hjelpe born som ikkje vil fortelje?", "nn"),
        ("Beredskab om vold og seksuelle overgreb mod børn", "da"),
        ("Hvad gør jeg, hvis jeg får mistanke om overgreb?", "da"),
        ("Vejledning til medarbejdere i dagtilbud", "da"),
        # longer running text
        (
            "Kommunen har ansvar for å gi hjelp til de som utsettes for vold. Ansatte i tjenestene skal spørre "
            "om vold, og de skal vite hvordan de melder bekymring til barnevernet. Derfor får alle ansatte kurs.",
            "nb",
        ),
        (
            "Kommunen har ansvar for å gje hjelp til dei som vert utsette for vald. Tilsette i tenestene skal "
            "spørje om vald, og dei skal vite korleis dei melder uro til barnevernet. Difor får alle tilsette kurs.",
            "nn",
        ),
        (
            "Kommunen har ansvar for at hjælpe dem, der udsættes for vold. Medarbejdere skal spørge til vold, og "
            "de skal vide, hvordan de sender en underretning til kommunen. Derfor kommer alle medarbejdere på kursus.",
            "da",
        ),
    ],
)
def test_detect_language(text: str, expected: str) -> None:
    assert detect_language(text) == expected


@pytest.mark.parametrize("text", ["", "2021–2024", "PDF 1.4 • 12 • 40", "OK"])
def test_too_little_text_gives_none(text: str) -> None:
    assert detect_language(text) is None


def test_corpus_languages() -> None:
    docs = load_corpus(CORPUS)
    wrong = [
        d.file for d in docs if detect_language(d.document.title + "\n" + "\n".join(d.document.pages)) != d.language
    ]
    assert len(wrong) <= len(docs) // 20, wrong
