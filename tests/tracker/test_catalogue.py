"""The message catalogue: complete in nb, nn, da and en, consistent, and the reasons it renders round-trip."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from tracker.catalogue import CATALOGUE, LOCALES, CatalogueError, label, load, placeholders, text
from tracker.catalogue import formats as fmt
from tracker.catalogue.reasons import STORED, localise, match, stored
from tracker.catalogue.vocabulary import VOCABULARY
from tracker.domain import Category, Status
from tracker.findings import ClassifiedSighting, decide
from tracker.reading.accessibility import assess_accessibility
from tracker.reading.classify import classify
from tracker.reading.evaluate import load_corpus
from tracker.volunteers.review import CaseDocument, KommuneCase, detective_tasks

ROOT = Path(__file__).resolve().parents[2]
#: texts that are empty on purpose: a Norwegian letter cites no Danish law, and the other way round
DELIBERATELY_EMPTY = {("letter.law_dk", "nb"), ("letter.law_dk", "nn"), ("letter.law_no", "da")}


def test_every_entry_has_all_four_languages_and_the_same_placeholders() -> None:
    assert LOCALES == ("nb", "nn", "da", "en")
    assert len(CATALOGUE.keys()) > 500
    for key, entry in CATALOGUE.entries.items():
        assert set(entry) == set(LOCALES), key
        for lang in LOCALES:
            assert entry[lang].strip() or (key, lang) in DELIBERATELY_EMPTY, (key, lang)
        assert len({placeholders(value) for value in entry.values()}) == 1, key


def test_nynorsk_is_not_bokmal_copied() -> None:
    """A handful of words that differ between the two written standards: a copied Bokmål catalogue would fail."""
    assert text("nn", "status.no_plan_found") == "Ingen plan funnen"
    assert text("nn", "nav.changes") == "Endringar"
    assert text("nn", "alert.headline.plan_vanished", name="Volda") == "Planen til Volda er ikkje lenger å finne"
    differing = sum(entry["nn"] != entry["nb"] for entry in CATALOGUE.entries.values())
    assert differing > len(CATALOGUE.entries) / 2


def test_loading_refuses_a_missing_language_and_disagreeing_placeholders() -> None:
    with pytest.raises(CatalogueError, match="lacks \\['nn'\\]"):
        load([("x.toml", '["a.b"]\nnb = "x"\nda = "x"\nen = "x"\n')])
    with pytest.raises(CatalogueError, match="placeholders"):
        load([("x.toml", '["a.b"]\nnb = "{name}"\nnn = "{name}"\nda = "{navn}"\nen = "{name}"\n')])
    with pytest.raises(CatalogueError, match="defined twice"):
        entry = '["a.b"]\nnb = "x"\nnn = "x"\nda = "x"\nen = "x"\n'
        load([("x.toml", entry), ("y.toml", entry)])


@pytest.mark.parametrize("group", sorted(VOCABULARY))
def test_every_enum_value_has_a_label(group: str) -> None:
    missing = [value for value in VOCABULARY[group] if not CATALOGUE.has(f"{group}.{value}")]
    assert not missing, f"{group}: no label for {missing}"
    for value in VOCABULARY[group]:
        if group not in ("lang.name", "channel"):  # a language's own name, and "webhook", read the same everywhere
            assert label("nb", group, value) != value or value in ("ok", "problem"), (group, value)


def _literal_keys() -> set[str]:
    """Keys written literally in templates (`t('x.y')`) and code (`text(lang, "x.y")`, `translate(lang, 'x.y')`)."""
    found: set[str] = set()
    for path in (ROOT / "dashboards" / "templates").glob("*.html"):
        found |= set(re.findall(r"\bt\('([a-z_]+(?:\.[a-z_]+)+)'[,)]", path.read_text(encoding="utf-8")))
    for package in ("dashboards", "tracker", "planvakt"):
        for path in (ROOT / package).rglob("*.py"):
            if path.parent.name == "catalogue":
                continue  # its docstrings show how to add a key
            source = path.read_text(encoding="utf-8")
            found |= set(re.findall(r"\b(?:text|translate)\(\w+, [\"']([a-z_]+(?:\.[a-z_]+)+)[\"']", source))
    return found


def test_every_key_the_code_and_templates_name_exists() -> None:
    keys = _literal_keys()
    assert len(keys) > 200  # the scan itself works
    assert not sorted(key for key in keys if not CATALOGUE.has(key))


def test_an_unknown_key_reads_as_itself_and_is_logged(caplog: pytest.LogCaptureFixture) -> None:
    assert text("nn", "no.such.key") == "no.such.key"
    assert "no.such.key" in caplog.text


@pytest.mark.parametrize(
    ("lang", "share", "confidence", "size", "day"),
    [
        ("nb", "42\xa0%", "0,97", "5,8\xa0kB", "6. desember 2026"),
        ("nn", "42\xa0%", "0,97", "5,8\xa0kB", "6. desember 2026"),
        ("da", "42\xa0%", "0,97", "5,8\xa0kB", "6. december 2026"),
        ("en", "42%", "0.97", "5.8\xa0kB", "6 December 2026"),
    ],
)
def test_numbers_sizes_and_dates_in_the_readers_locale(
    lang: str, share: str, confidence: str, size: str, day: str
) -> None:
    assert fmt.percent(0.42, lang) == share
    assert fmt.decimal(0.97, lang) == confidence
    assert fmt.size(5_800, lang).replace(" ", "\xa0") == size
    assert fmt.day(date(2026, 12, 6), lang) == day
    assert fmt.when(datetime(2026, 12, 6, 14, 5, tzinfo=UTC), lang) == f"{day} 14:05 UTC"
    assert fmt.size(12_300_000, lang).startswith("12,3" if lang != "en" else "12.3")
    assert fmt.integer(None, lang) == "" and fmt.size(None, lang) == ""


_SAMPLES = {
    "category": "abuse_specific",
    "via": "site_search",
    "title": "'Handlingsplan mot vald'",
    "kinds": "draft / hearing draft",
    "count": "3",
    "pages": "4",
    "megabytes": "3.2",
    "error": "front page answered HTTP 503",
    "format": "'docx'",
    "route": "'tip'",
    "reason": "3 candidate document(s) read; none is a plan against violence",
    "confidence": "0.55",
}


@pytest.mark.parametrize("key", sorted(STORED))
def test_every_stored_form_round_trips_and_renders_in_every_language(key: str) -> None:
    params = {name: _SAMPLES.get(name, "x7") for name in placeholders(STORED[key])}
    line = stored(key, **params)
    assert match(line) == (key, params)
    for lang in LOCALES:
        shown = localise(line, lang)
        assert shown and not re.search(r"\b[a-z]+_[a-z_]+\b", shown.replace("x7", "")), (lang, shown)


def test_a_finding_reason_reads_in_the_readers_language_and_keeps_the_quote() -> None:
    plan = ClassifiedSighting(
        0, "https://k.no/p.pdf", "a" * 64, "pdf", "Plan mot overgrep", "text_layer", "link", 1,
        Category.ABUSE_SPECIFIC, 0.9, 2024, 2027, "adopted_plan",
    )  # fmt: skip
    decision = decide(True, [plan], date(2025, 1, 1))
    assert decision.status == Status.ABUSE_SPECIFIC_PLAN
    assert decision.reason == "abuse_specific plan 'Plan mot overgrep' found via link"  # stored and exported as before
    assert (
        localise(decision.reason, "nn") == "Plan mot seksuelle overgrep «Plan mot overgrep», funnen via lenkjer på sida"
    )
    assert localise(decision.reason, "en").startswith("Sexual abuse plan “Plan mot overgrep”")
    unreachable = decide(False, [], date(2025, 1, 1), error="connect: connection refused")
    assert localise(unreachable.reason, "da") == "Hjemmesiden kunne ikke undersøges: forbindelsen blev afvist"
    assert localise(decide(True, [], date(2025, 1, 1)).reason, "nb").startswith("0 kandidatdokument(er) lest")


def test_an_old_wording_is_shown_as_it_is() -> None:
    assert localise("found by hand in 2024", "nn") == "found by hand in 2024"
    assert localise("", "nb") == "" and localise(None, "en") == ""


@pytest.mark.parametrize("fmt_", ["pdf", "html", "docx", "odt"])
def test_every_accessibility_line_is_a_known_form(fmt_: str) -> None:
    cases = [
        ({"page_title": ""}, (), "link", None, None, 100),
        ({"has_text_layer": "true", "tagged": "true", "declared_language": "nb", "declared_title": "Plan"},
         ("Handlingsplan",), "rendered", True, 3, 2_000_000),
        ({"has_text_layer": "false", "ocr_pages": "4", "tagged": "false", "declared_language": "",
          "declared_title": "Microsoft Word - Dokument1"}, ("Last ned", ""), "site_search", False, 14, 12_000_000),
        ({"has_text_layer": "false", "declared_title": ""}, ("Les mer",), "sitemap", None, None, 0),
        ({"page_title": "Plan"}, (), "tip", None, None, 10),
    ]  # fmt: skip
    for facts, anchors, via, in_sitemap, rank, size in cases:
        found = assess_accessibility(
            format=fmt_, facts=facts, size_bytes=size, anchor_texts=anchors, found_via=via, in_sitemap=in_sitemap,
            search_rank=rank,
        )  # fmt: skip
        for finding in found:
            assert match(finding.detail), finding.detail


def _doc(title: str, category: str, current: str, kind: str = "adopted_plan", confidence: float = 0.9,
         via: str = "link") -> CaseDocument:  # fmt: skip
    return CaseDocument(title, f"https://k.no/{title}.pdf", category, confidence, kind, current, via, 2)


def _case(status: str, *docs: CaseDocument, plan: CaseDocument | None = None, reachable: bool = True,
          blocked: bool = False, missed: int = 0) -> KommuneCase:  # fmt: skip
    at = datetime(2026, 3, 2, tzinfo=UTC)
    return KommuneCase("0001", "A", "NO", None, status, reachable, blocked, at, plan, docs, missed_tips=missed)


def test_every_review_task_detail_is_a_known_form() -> None:
    low = _doc("p", "general_violence", "false", confidence=0.4, via="sitemap")
    cases = [
        _case("site_unreachable", blocked=True),
        _case("site_unreachable", reachable=False),
        _case("no_plan_found", _doc("u", "abuse_specific", "true", "draft"), missed=2),
        _case("abuse_specific_plan", _doc("a", "abuse_specific", "false"), _doc("g", "general_violence", "true")),
        _case("abuse_specific_plan", _doc("a", "abuse_specific", "false"), _doc("b", "abuse_specific", "true")),
        _case("general_violence_plan_only", low, plan=low),
        _case("abuse_specific_plan", _doc("x", "abuse_specific", "false"), plan=_doc("x", "abuse_specific", "false")),
    ]
    details = [task.detail for task in detective_tasks(cases)]
    assert len(set(details)) >= 8, details
    for detail in details:
        assert match(detail), detail
        assert localise(detail, "nn") != detail


@pytest.mark.parametrize("corpus", ["corpus", "corpus_dev"])
def test_every_classifier_reason_on_the_corpora_reads_in_every_language(corpus: str) -> None:
    """The classifier's Bokmål reason of each labelled document is a known form, so English readers can read it."""
    docs = load_corpus(ROOT / "tests" / corpus)
    assert len(docs) > 20
    forms: set[str] = set()
    for labelled in docs:
        reason = classify(labelled.document, today=date(2026, 3, 2)).reason
        found = match(reason)
        assert found, reason
        forms.add(found[0])
        english = localise(reason, "en")
        assert not re.search(r"\b(Dokumentet|Tittelen|planens)\b", english.split("«")[0]), english
    assert len(forms) >= 4
