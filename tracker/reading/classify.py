"""Classify one document as ``abuse_specific``, ``general_violence`` or ``other`` with transparent rules.

Owns the decision; the theme phrase tables are in :mod:`tracker.reading.themes`. The reading is done in three steps,
each recorded as :class:`~tracker.domain.Evidence`:

1. **What kind of document is it?** Plan words (handlingsplan, beredskab, veileder, rettleiar, vejledning,
   tiltaksplan, strategi, rutiner ...) in the title or on the first page make it a plan. Case papers
   (møteprotokoll, saksframlegg, referat, dagsorden), budgets, hearing notices and news items are *mentions*:
   they are ``other`` however much they talk about a plan.
2. **What is its subject?** Every theme phrase is weighted by where it stands: title and link text (x5),
   headings and the first page (x2 / x1.5), body (x1), and how much of the text the theme takes (weighted
   hits per 1000 words). Themes: child sexual abuse, violence in general / in close relationships, and
   other plan topics (traffic, alcohol, public health, ...).
3. **Decide.** The title beats the body: a plan titled "vold i nære relasjoner" stays ``general_violence``
   even with a chapter on sexual abuse of children; a plan titled "vold og seksuelle overgrep mot barn" is
   ``abuse_specific``. A title silent on the subject leaves the decision to the body's theme shares.

The reason line is Norwegian (Bokmål), one sentence a journalist can quote. Its wordings are machine forms listed
in `tracker.catalogue.reasons.STORED` (`cls.*`), so the dashboard shows it in the reader's language: a new wording
needs an entry there and in tracker/catalogue/reasons.toml (tests/tracker/test_catalogue.py runs the corpora).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from tracker.domain import Category, Classification, DocumentText, Evidence, Genre
from tracker.reading.document_kind import MENTION_MIN, MENTION_TITLE_RE, Form, kind_name, read_form, stage_label_only
from tracker.reading.genre import PLAN_RE, GenreReading, genre_name, read_genre
from tracker.reading.language import detect_language
from tracker.reading.layout import is_heading, normalise
from tracker.reading.plan_years import find_plan_years
from tracker.reading.themes import CHILD_RE, SEXUAL_RE, THEME_PATTERNS

__all__ = ["CLASSIFIER_VERSION", "classify"]

CLASSIFIER_VERSION = "rules-3"

_WORD_RE = re.compile(r"\w+")

_TITLE_W, _HEADING_W, _FIRST_PAGE_W, _BODY_W = 5.0, 2.0, 1.5, 1.0
_DENSITY_MIN = 4.0  # weighted theme hits per 1000 words before a silent title lets the body decide

#: where a theme is read in the text itself, the title aside
_BODY = ("heading", "first_page", "body")
#: a decision: category, confidence, evidence and the reason line
_Decision = tuple[Category, float, list[Evidence], str]


@dataclass(frozen=True)
class _Hit:
    phrase: str
    theme: str
    weight: float
    page: int  # 0 = title / link text
    where: str  # title | heading | first_page | body


@dataclass
class _Reading:
    hits: list[_Hit] = field(default_factory=list)
    words: int = 0

    def score(self, theme: str, where: tuple[str, ...] = ("title", "heading", "first_page", "body")) -> float:
        pos = {"title": _TITLE_W, "heading": _HEADING_W, "first_page": _FIRST_PAGE_W, "body": _BODY_W}
        return sum(h.weight * pos[h.where] for h in self.hits if h.theme == theme and h.where in where)

    def density(self, theme: str) -> float:
        """Weighted hits per 1000 words in the text itself (title excluded), the theme's share of the text."""
        raw = sum(h.weight for h in self.hits if h.theme == theme and h.where != "title")
        return 1000.0 * raw / max(self.words, 150)

    def top(self, theme: str, where: tuple[str, ...], n: int = 3) -> list[_Hit]:
        chosen = [h for h in self.hits if h.theme == theme and h.where in where]
        chosen.sort(key=lambda h: (-h.weight, h.page))
        seen: set[str] = set()
        out = []
        for hit in chosen:
            if hit.phrase.lower() not in seen:
                seen.add(hit.phrase.lower())
                out.append(hit)
        return out[:n]


def _scan(text: str, page: int, where: str) -> list[_Hit]:
    """All theme phrases in ``text``, longest first, so one phrase is counted once under one theme."""
    found: list[tuple[int, int, str, str, float]] = []
    for regex, theme, weight in THEME_PATTERNS:
        for m in regex.finditer(text):
            found.append((m.start(), m.end(), m.group(0), theme, weight))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    # one flag per character taken by a longer phrase: the overlap test costs the phrase's length, where
    # comparing with every phrase taken so far was quadratic (a 400k-character page took 20 s)
    taken = bytearray(len(text))
    hits = []
    for start, end, phrase, theme, weight in found:
        if taken.find(1, start, end) != -1:
            continue
        taken[start:end] = b"\x01" * (end - start)
        hits.append(_Hit(phrase, theme, weight, page, where))
    return hits


def _read(doc: DocumentText) -> _Reading:
    reading = _Reading()
    title_text = normalise(f"{doc.title} . {doc.anchor_text}")
    reading.hits.extend(_scan(title_text, 0, "title"))
    title_key = doc.title.strip().lower()
    for number, page in enumerate(doc.pages, start=1):
        reading.words += len(_WORD_RE.findall(page))
        body_lines = []
        for line in page.splitlines():
            stripped = line.strip()
            if not stripped or (number == 1 and stripped.lower() == title_key):
                continue
            if is_heading(stripped):
                reading.hits.extend(_scan(normalise(stripped), number, "heading"))
            else:
                body_lines.append(line)
        where = "first_page" if number == 1 else "body"
        reading.hits.extend(_scan(normalise("\n".join(body_lines)), number, where))
    return reading


def _ev(hit: _Hit, prefix: str | None = None) -> Evidence:
    return Evidence(hit.phrase, hit.page, f"{prefix or hit.where}:{hit.theme}")


def _clamp(value: float) -> float:
    return round(max(0.05, min(0.97, value)), 2)


def _with_usable_title(doc: DocumentText) -> DocumentText:
    """Use the first heading of page 1 as the title when the given one says nothing.

    PDF metadata titles are often "Microsoft Word - dok1.docx" or empty; the real title is then the
    first line of the first page, and it deserves title weight. A title that is only a stage label
    ("Høringsutkast", "UTKAST") is joined with the heading that follows it on the cover.
    """
    given = normalise(f"{doc.title} {doc.anchor_text}")
    lines = [ln.strip() for ln in (doc.pages[0] if doc.pages else "").splitlines() if ln.strip()]
    if stage_label_only(doc.title):
        after = [ln for ln in lines[:4] if ln.lower() != doc.title.strip().lower() and not stage_label_only(ln)]
        if after and is_heading(after[0]):
            return replace(doc, title=f"{doc.title.strip()} – {after[0]}")
        return doc
    if PLAN_RE.search(given) or MENTION_TITLE_RE.search(given) or _scan(given, 0, "title"):
        return doc
    first = lines[0] if lines else ""
    if not is_heading(first) or first.lower() == doc.title.strip().lower():
        return doc
    return replace(doc, title=first)


def classify(doc: DocumentText, *, today: date | None = None) -> Classification:
    """Classify ``doc``; pure and deterministic.

    ``today`` bounds plausible plan years (a period starting more than five years ahead is a misreading
    and is dropped); it defaults to the current date.
    """
    today = today or date.today()
    doc = _with_usable_title(doc)
    title = normalise(f"{doc.title} . {doc.anchor_text}")
    reading = _read(doc)
    genre = read_genre(doc)
    if genre.is_plan or not genre.evidence:
        category, confidence, evidence, reason = _decide(doc, title, reading, genre)
        if not genre.is_plan and category is not Category.OTHER:
            # Only a plan can be a plan about abuse or violence: a plan word on a short page is not enough.
            marks = list(genre.against_plan + genre.plan_evidence)
            reason = f"Dokumentet har ikke en plans form ({_quoted(tuple(marks), 3) or 'ingen plankapitler'})"
            category, confidence, evidence = Category.OTHER, 0.6, marks + evidence
        if category is not Category.OTHER:
            said = {e.phrase.lower() for e in evidence}
            form = [e for e in genre.plan_evidence if e.phrase.lower() not in said][:3]
            evidence += form
            if form:
                reason += f"; planens form: {_quoted(tuple(form), 3)}"
    else:
        category, confidence, evidence, reason = _not_a_plan(genre, reading)
    start, end = find_plan_years(doc.title, doc.pages)
    if start is not None and start > today.year + 5:
        start, end = None, None
    text = doc.title + "\n" + "\n".join(doc.pages[:3])
    return Classification(
        category=category,
        confidence=confidence,
        evidence=tuple(evidence),
        reason=reason,
        year_start=start,
        year_end=end,
        language=detect_language(text),
        classifier_version=CLASSIFIER_VERSION,
    )


def _quoted(evidence: tuple[Evidence, ...], n: int = 2) -> str:
    return ", ".join(f"«{e.phrase}»" for e in evidence[:n])


def _not_a_plan(genre: GenreReading, r: _Reading) -> tuple[Category, float, list[Evidence], str]:
    """A document whose genre is not a plan (news, minutes, hearing notice, ...): ``other``, with the genre's marks."""
    rival = genre.score(genre.genre)
    plan = genre.score(Genre.PLAN)
    topical = bool(r.top("abuse", ("title",)) or r.top("violence", ("title",)))
    topical = topical or r.density("abuse") + r.density("violence") >= _DENSITY_MIN
    body_ev = [_ev(h) for h in r.top("abuse", ("title", "heading", "first_page", "body"), 1)]
    body_ev += [_ev(h) for h in r.top("violence", ("title", "heading", "first_page", "body"), 1)]
    conf = 0.6 + 0.06 * min(rival - plan, 5.0)
    if genre.genre is Genre.LANDING_PAGE:
        reason = (
            f"Dokumentet er {genre_name(genre.genre)} ({_quoted(genre.evidence)}); selve planen er dokumentet "
            "siden lenker til"
        )
    elif genre.genre is Genre.OTHER:
        reason = f"Dokumentet er ikke en plan, men en rapport eller et katalog ({_quoted(genre.evidence)})"
    else:
        reason = f"Dokumentet er {genre_name(genre.genre)} ({_quoted(genre.evidence)})" + (
            ", ikke selve planen" if topical else " og ikke en plan om overgrep eller vold"
        )
    return Category.OTHER, _clamp(conf), list(genre.evidence) + body_ev, reason


def _decide(doc: DocumentText, title: str, r: _Reading, genre: GenreReading) -> _Decision:
    """The category of a document that may be a plan: a mention of a plan is none; a plan is of the subject its
    title names, or, when the title is silent, of the subject its text is mostly about."""
    form = read_form(doc, title)
    plan, plan_ev = form.plan, form.plan_evidence
    if plan_ev is None and genre.is_plan:
        # No plan word where a plan names itself, but a plan's structure (handleveje, Formål, Tiltak, Ansvar:):
        # "Vejledning ved mistanke om overgreb", "Beredskab" as a running head, a handleguide.
        plan_ev = genre.plan_evidence[0]
        plan = genre.score(Genre.PLAN)
    body_ev = [_ev(h) for h in r.top("abuse", _BODY, 2)]
    body_ev += [_ev(h) for h in r.top("violence", _BODY, 2)]
    if form.is_mention:
        return _mention(form, plan, r, body_ev)
    if plan_ev is None:
        return _no_plan_word(r, body_ev)
    return _by_title(doc, title, r, plan, plan_ev, body_ev) or _by_body(doc, r, plan_ev, body_ev)


def _topical(r: _Reading) -> bool:
    """Whether the title or the text is about abuse or violence at all."""
    return bool(r.top("abuse", ("title",)) or r.top("violence", ("title",))) or (
        r.density("abuse") + r.density("violence") >= _DENSITY_MIN
    )


def _mention(form: Form, plan: float, r: _Reading, body_ev: list[Evidence]) -> _Decision:
    """A document that talks about a plan (a case paper, a news item): ``other``, named by what it is."""
    mention_ev = list(form.mention_evidence)
    conf = 0.6 + 0.08 * min(form.mention - MENTION_MIN, 4.0) - (0.1 if plan else 0.0)
    reason = f"Dokumentet er {kind_name(form.mention_evidence)} («{mention_ev[0].phrase}»)" + (
        ", ikke selve planen" if _topical(r) else " og ikke en plan om overgrep eller vold"
    )
    return Category.OTHER, _clamp(conf), mention_ev + body_ev[:2], reason


def _no_plan_word(r: _Reading, body_ev: list[Evidence]) -> _Decision:
    """No plan word and no plan structure: ``other``, less sure when the text is about abuse or violence."""
    conf = 0.6 if _topical(r) else 0.85
    reason = "Dokumentet er ikke en plan: ingen planord i tittel, lenketekst eller første side"
    return Category.OTHER, _clamp(conf), body_ev[:2], reason


def _by_title(
    doc: DocumentText, title: str, r: _Reading, plan: float, plan_ev: Evidence, body_ev: list[Evidence]
) -> _Decision | None:
    """A plan whose title names its subject: sexual abuse of children, violence, or another theme; else None."""
    t_abuse = r.top("abuse", ("title",))
    t_viol = r.top("violence", ("title",))
    t_other = r.top("other_topic", ("title",))
    d_abuse, d_viol = r.density("abuse"), r.density("violence")
    plan_word = plan_ev.phrase.lower()
    title_sexual = any(SEXUAL_RE.search(h.phrase) for h in t_abuse)
    title_child_abuse = any(CHILD_RE.search(h.phrase) for h in t_abuse)
    body_sexual = bool(SEXUAL_RE.search(" ".join(doc.pages)))
    body_child = d_abuse > 0 and bool(CHILD_RE.search(" ".join(doc.pages)))
    title_is_abuse = (title_sexual and (title_child_abuse or bool(CHILD_RE.search(title)) or body_child)) or (
        title_child_abuse and body_sexual
    )
    if title_is_abuse and not (t_viol and d_viol > 2 * d_abuse and not title_child_abuse):
        lead = max(t_abuse, key=lambda h: h.weight)
        conf = 0.82 + (0.1 if d_abuse >= d_viol else -0.15) + (0.05 if plan >= 3 else -0.05)
        reason = f"Tittelen nevner «{lead.phrase}» og dokumentet er en plan («{plan_word}»)"
        return Category.ABUSE_SPECIFIC, _clamp(conf), [_ev(lead, "title"), plan_ev] + body_ev, reason
    if t_viol and not t_other:
        lead = max(t_viol, key=lambda h: h.weight)
        near_miss = d_abuse >= d_viol or bool(t_abuse)
        conf = 0.85 + (0.05 if plan >= 3 else -0.05) - (0.25 if near_miss else 0.0)
        part = "; seksuelle overgrep mot barn er bare én del" if d_abuse > 0 else ""
        reason = f"Tittelen nevner «{lead.phrase}» og dokumentet er en plan («{plan_word}»){part}"
        return Category.GENERAL_VIOLENCE, _clamp(conf), [_ev(lead, "title"), plan_ev] + body_ev, reason
    if t_other:
        lead = t_other[0]
        theme_body = max(d_abuse, d_viol)
        conf = 0.9 - (0.3 if theme_body >= 3 * _DENSITY_MIN else 0.0)
        reason = f"Tittelen nevner «{lead.phrase}»: en plan om et annet tema enn vold og overgrep"
        return Category.OTHER, _clamp(conf), [_ev(lead, "title"), plan_ev] + body_ev[:2], reason
    return None


def _by_body(doc: DocumentText, r: _Reading, plan_ev: Evidence, body_ev: list[Evidence]) -> _Decision:
    """A plan whose title is silent on its subject: the body's theme shares decide."""
    d_abuse, d_viol = r.density("abuse"), r.density("violence")
    s_abuse, s_viol, s_other = (r.score(theme, _BODY) for theme in ("abuse", "violence", "other_topic"))
    plan_word = plan_ev.phrase.lower()
    best = max((s_abuse, "abuse"), (s_viol, "violence"), (s_other, "other_topic"))
    total = s_abuse + s_viol + s_other
    margin = (best[0] - sorted((s_abuse, s_viol, s_other))[1]) / total if total else 0.0
    # Abuse of *children*: a sexuality policy for adult residents that names "overgreb" is not one.
    body_sexual = bool(SEXUAL_RE.search(" ".join(doc.pages)))
    body_child_context = bool(CHILD_RE.search(" ".join(doc.pages)))
    if best[1] == "abuse" and d_abuse >= _DENSITY_MIN and body_sexual and body_child_context:
        lead = r.top("abuse", _BODY, 1)[0]
        reason = (
            f"Dokumentet er en plan («{plan_word}») og teksten handler mest om «{lead.phrase}» "
            f"({d_abuse:.0f} treff per 1000 ord)"
        )
        return Category.ABUSE_SPECIFIC, _clamp(0.5 + 0.4 * margin), [plan_ev] + body_ev, reason
    if best[1] in ("abuse", "violence") and d_viol >= _DENSITY_MIN:
        lead = r.top("violence", _BODY, 1)[0]
        reason = (
            f"Dokumentet er en plan («{plan_word}») og teksten handler mest om «{lead.phrase}» "
            f"({d_viol:.0f} treff per 1000 ord)"
        )
        return Category.GENERAL_VIOLENCE, _clamp(0.45 + 0.4 * margin), [plan_ev] + body_ev, reason
    conf = 0.85 - (0.3 if max(d_abuse, d_viol) >= _DENSITY_MIN / 2 else 0.0)
    reason = f"Dokumentet er en plan («{plan_word}»), men verken overgrep mot barn eller vold er hovedtema"
    return Category.OTHER, _clamp(conf), [plan_ev] + body_ev[:2], reason
