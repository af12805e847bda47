"""The decision between the genres: the strongest non-plan genre wins when it reaches :data:`GENRE_MIN` and beats
the plan's score; else a document whose plan score reaches :data:`PLAN_MIN` is a plan; else ``other``. The
verdict keeps every genre's score and the evidence to quote."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain import DocumentText, Evidence, Genre
from tracker.reading.genre.cues import FUTURE_RE, HEADLINE_VERB_RE, HEARING_DRAFT_RE, PLAN_RE, SECTION_RE, WORD_RE
from tracker.reading.genre.marks import (
    budget_marks,
    hearing_marks,
    landing_marks,
    minutes_marks,
    news_marks,
    nonblank_lines,
    plan_marks,
    report_marks,
    service_marks,
)
from tracker.reading.layout import cover_lines, is_heading, normalise

GENRE_MIN = 3.0  # a non-plan genre needs this much before it can outweigh a plan
PLAN_MIN = 2.5  # a plan word in the title (3.0) is enough; structure alone needs a few marks

_NAMES = {
    Genre.PLAN: "en plan",
    Genre.NEWS: "en nyhetssak",
    Genre.MINUTES: "et saksdokument (møtebok, protokoll eller saksframlegg)",
    Genre.HEARING_NOTICE: "en høringsnotis",
    Genre.SERVICE_PAGE: "en informasjonsside om hjelp og kontakt",
    Genre.LANDING_PAGE: "en nettside som presenterer planen og lenker til den",
    Genre.BUDGET: "et budsjett",
    Genre.OTHER: "ikke en plan",
}


@dataclass(frozen=True)
class GenreReading:
    """The genre, every genre's score (for tests and debugging) and the evidence of the winner and of a plan."""

    genre: Genre
    scores: tuple[tuple[Genre, float], ...]
    evidence: tuple[Evidence, ...]  # the marks of the chosen genre, strongest first
    plan_evidence: tuple[Evidence, ...]  # the marks of a plan, whatever the genre
    against_plan: tuple[Evidence, ...] = ()  # what counted against a plan (a short HTML page)

    def score(self, genre: Genre) -> float:
        return dict(self.scores).get(genre, 0.0)

    @property
    def is_plan(self) -> bool:
        return self.genre is Genre.PLAN


def genre_name(genre: Genre) -> str:
    """The genre in a Bokmål phrase for the reason line ("en nyhetssak")."""
    return _NAMES[genre]


def read_genre(doc: DocumentText) -> GenreReading:
    """Read the genre of ``doc`` from its title, link text, layout and length; pure.

    See :mod:`tracker.reading.genre` for the marks and the decision.
    """
    title = normalise(f"{doc.title} . {doc.anchor_text}")
    lines = [ln for page in doc.pages for ln in nonblank_lines(page)]
    first_lines = nonblank_lines(doc.pages[0]) if doc.pages else []
    title_key = doc.title.strip().lower()
    head = [ln for ln in first_lines[:6] if ln.lower() != title_key]
    first = normalise(doc.pages[0]) if doc.pages else ""
    text = "\n".join(doc.pages)
    words = len(WORD_RE.findall(text))
    headline = bool(HEADLINE_VERB_RE.search(doc.title) or FUTURE_RE.search(doc.title))
    # a hearing *draft* ("Høringsutkast" on the cover) carries hearing deadlines without being a hearing notice
    staged = any(HEARING_DRAFT_RE.search(line) for line in [doc.title, *cover_lines(doc)])

    plan = plan_marks(doc, title, lines, text, words, headline)
    sections = sum(1 for ln in lines if is_heading(ln) and SECTION_RE.match(ln))
    rivals = (
        news_marks(doc, doc.title, head, first, words),
        minutes_marks(title, text),
        hearing_marks(title, text, staged),
        service_marks(text, words, plan_shaped=bool(PLAN_RE.search(doc.title)) and not headline and sections >= 2),
        landing_marks(lines, text, words, doc.format == "html", sections),
        budget_marks(title, text),
        report_marks(title),
    )
    scores = ((Genre.PLAN, round(plan.score, 2)),) + tuple((m.genre, round(m.score, 2)) for m in rivals)
    best = max(rivals, key=lambda m: m.score)
    if best.score >= GENRE_MIN and best.score > plan.score:
        return GenreReading(best.genre, scores, best.evidence(), plan.evidence(), tuple(plan.against))
    if plan.score >= PLAN_MIN:
        return GenreReading(Genre.PLAN, scores, plan.evidence(), plan.evidence(), tuple(plan.against))
    # Neither: no genre's marks decided, so there is no genre evidence to quote (the caller says "no plan word").
    return GenreReading(Genre.OTHER, scores, (), plan.evidence(), tuple(plan.against))
