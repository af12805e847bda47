"""Each genre's score read from its cues, and the phrases that earned it: one function per genre, each giving the
:class:`Marks` of that genre for a page (a phrase counts once; the weights say how much a cue tells)."""

from __future__ import annotations

import itertools

from tracker.domain import DocumentText, Evidence, Genre
from tracker.reading.genre.cues import (
    ADOPTION_RE,
    BUDGET_RE,
    BUDGET_TITLE_RE,
    BYLINE_RE,
    DATE_RE,
    FUTURE_RE,
    HEADLINE_VERB_RE,
    HEARING_RE,
    HEARING_TITLE_RE,
    HELP_RE,
    LINK_RE,
    LONG_TEXT,
    MEASURE_RE,
    MEASURE_TABLE_RE,
    MINUTES_RULES,
    MINUTES_TITLE_RE,
    NEWS_URL_RE,
    NOT_NEWS_DATE_RE,
    NUMBERED_HEAD_RE,
    PERIOD_RE,
    PHONE_RE,
    PLAN_RE,
    QUOTE_RE,
    REPORT_TITLE_RE,
    ROUTINE_RE,
    SECTION_RE,
    SHORT_HTML,
    STAMP_RE,
    TINY_HTML,
    TOC_LEADER_RE,
    TOC_LINE_RE,
    TOC_RE,
)
from tracker.reading.layout import is_heading, normalise


class Marks:
    """Score and evidence for one genre; each distinct phrase counts once."""

    def __init__(self, genre: Genre) -> None:
        self.genre = genre
        self.score = 0.0
        self.items: list[tuple[float, Evidence]] = []
        self.against: list[Evidence] = []  # marks that count against this genre ("kort nettside (80 ord)")
        self._seen: set[str] = set()

    def add(self, phrase: str, page: int, weight: float) -> bool:
        key = phrase.lower().strip()
        if not key or key in self._seen or weight == 0:
            return False
        self._seen.add(key)
        self.score += weight
        if weight > 0:
            self.items.append((weight, Evidence(phrase.strip()[:120], page, f"genre:{self.genre.value}")))
        else:
            self.against.append(Evidence(phrase.strip()[:120], page, f"genre:not_{self.genre.value}"))
        return True

    def evidence(self, n: int = 4) -> tuple[Evidence, ...]:
        ranked = sorted(self.items, key=lambda item: (-item[0], item[1].page))
        return tuple(ev for _, ev in ranked[:n])


def nonblank_lines(page: str) -> list[str]:
    return [ln.strip() for ln in page.splitlines() if ln.strip()]


def news_marks(doc: DocumentText, title: str, head: list[str], first: str, words: int) -> Marks:
    marks = Marks(Genre.NEWS)
    date_line = next(
        (ln for ln in head if DATE_RE.search(ln) and len(ln.split()) <= 14 and not NOT_NEWS_DATE_RE.search(ln)),
        None,
    )
    if date_line:
        marks.add(date_line, 1, 3.0 if STAMP_RE.search(date_line) else 2.0)
    else:  # a stamp further down the page ("Publisert 12.03.2024, sist endret ..." under the article)
        stamp = STAMP_RE.search(first)
        date = DATE_RE.search(first, stamp.end(), stamp.end() + 40) if stamp else None
        if stamp and date:
            marks.add(first[stamp.start() : date.end()], 1, 2.0)
    headline = HEADLINE_VERB_RE.search(title)
    if headline:
        marks.add(headline.group(0), 0, 2.0)
    future = FUTURE_RE.search(title)
    if future:
        marks.add(future.group(0), 0, 2.5)
    body_future = FUTURE_RE.search(first)
    if body_future:
        marks.add(body_future.group(0), 1, 1.5)
    for quote in QUOTE_RE.findall(first)[:2]:
        marks.add(quote, 1, 1.0)
    byline = BYLINE_RE.search(first)
    if byline:
        marks.add(byline.group(0), 1, 1.5)
    news_url = NEWS_URL_RE.search(doc.url)
    if news_url:
        marks.add(news_url.group(0), 0, 2.0)
    return marks


def minutes_marks(title: str, text: str) -> Marks:
    marks = Marks(Genre.MINUTES)
    for m in MINUTES_TITLE_RE.finditer(title):
        marks.add(m.group(0), 0, 3.0)
    for regex, weight in MINUTES_RULES:
        for page, where in ((0, title), (1, text)):
            for m in list(regex.finditer(where))[:3]:
                marks.add(m.group(0), page, weight)
    return marks


def hearing_marks(title: str, text: str, staged: bool) -> Marks:
    marks = Marks(Genre.HEARING_NOTICE)
    m = HEARING_TITLE_RE.search(title)
    if m and not staged:
        marks.add(m.group(0), 0, 3.0)
    for m in list(HEARING_RE.finditer(text))[:4]:
        marks.add(m.group(0), 1, 0.5 if staged else 1.5)
    return marks


def service_marks(text: str, words: int, plan_shaped: bool) -> Marks:
    marks = Marks(Genre.SERVICE_PAGE)
    for m in list(PHONE_RE.finditer(text))[:3]:
        marks.add(m.group(0), 1, 0.75)
    for m in list(HELP_RE.finditer(text))[:5]:
        marks.add(m.group(0), 1, 1.25)
    if words > LONG_TEXT or plan_shaped:
        # help lines in a long text, or under a plan's title and chapters, are the plan's contact chapter
        marks.score *= 0.5
    return marks


def landing_marks(lines: list[str], text: str, words: int, html: bool, sections: int) -> Marks:
    marks = Marks(Genre.LANDING_PAGE)
    short = words <= 400
    for m in list(LINK_RE.finditer(text))[:3]:
        marks.add(m.group(0), 1, 2.0 if short else 0.5)
    # the link itself: a short line naming a plan with a download mark, "Handlingsplan mot vold 2023–2026 (PDF, 1 MB)"
    link_line = next((ln for ln in lines if len(ln.split()) <= 16 and LINK_RE.search(ln) and PLAN_RE.search(ln)), None)
    if link_line and short:
        marks.add(link_line, 1, 2.0)
    if marks.items and short:
        marks.add(f"kort side ({words} ord)", 1, 1.5)
        if sections < 3:
            marks.add(f"{sections} plankapitler", 1, 1.0)
        if html:
            marks.add("nettside (html)", 0, 1.0)
    return marks


def budget_marks(title: str, text: str) -> Marks:
    marks = Marks(Genre.BUDGET)
    m = BUDGET_TITLE_RE.search(title)
    if m:  # 4, not 3: "økonomiplan" is also a plan word, and the budget reading of it wins
        marks.add(m.group(0), 0, 4.0)
    # possessive, bounded runs: a table of years ("2021 2022 ...") made the old pattern super-linear (issue 12)
    for m in itertools.islice(BUDGET_RE.finditer(text), 4):
        marks.add(m.group(0).strip(), 1, 1.0)
    return marks


def report_marks(title: str) -> Marks:
    marks = Marks(Genre.OTHER)
    m = REPORT_TITLE_RE.search(title)
    if m:
        marks.add(m.group(0), 0, 4.0)
    return marks


def plan_marks(doc: DocumentText, title: str, lines: list[str], text: str, words: int, headline: bool) -> Marks:
    marks = Marks(Genre.PLAN)
    in_title = PLAN_RE.search(title)
    if in_title:
        # "Kommunen starter arbeidet med handlingsplan ...": a headline names the plan, it is not its title
        marks.add(in_title.group(0), 0, 1.0 if headline else 3.0)
    else:
        first = " ".join(nonblank_lines(doc.pages[0])[:6]) if doc.pages else ""
        on_cover = PLAN_RE.search(normalise(first))
        if on_cover:
            marks.add(on_cover.group(0), 1, 1.5)
        else:
            anywhere = PLAN_RE.search(text)
            if anywhere:
                marks.add(anywhere.group(0), 1, 0.5)
    title_key = doc.title.strip().lower()
    headings = [ln for ln in lines if is_heading(ln) and ln.lower() != title_key]
    sections = [ln for ln in headings if SECTION_RE.match(ln)]
    for line in sections[:6]:
        marks.add(line, 1, 0.75)
    numbered = [ln for ln in headings if NUMBERED_HEAD_RE.match(ln)]
    if len(numbered) >= 3:
        # quoted by a heading no other mark quotes (the first is often also a section: "1. Indledning"), else by
        # the first and last numbered headings
        heads = [TOC_LEADER_RE.sub("", ln) for ln in numbered if ln not in sections[:6]]
        quote = heads[0] if heads else f"{TOC_LEADER_RE.sub('', numbered[0])} … {TOC_LEADER_RE.sub('', numbered[-1])}"
        marks.add(quote, 1, 1.5 if len(numbered) < 6 else 2.5)
    toc = TOC_RE.search(text)
    if toc or len(TOC_LINE_RE.findall(text)) >= 3:
        marks.add(toc.group(0).strip() if toc else "innholdsfortegnelse", 1, 2.0)
    for m in list(MEASURE_RE.finditer(text))[:3]:
        marks.add(m.group(0), 1, 1.0)
    table = MEASURE_TABLE_RE.search(text)
    if table:
        marks.add(table.group(0).strip(), 1, 1.5)
    for m in list(ROUTINE_RE.finditer(text))[:3]:
        marks.add(m.group(0), 1, 0.75)
    period = PERIOD_RE.search(title)
    if period and not headline:
        marks.add(period.group(0), 0, 1.0)
    adoption = ADOPTION_RE.search(text)
    if adoption:
        marks.add(adoption.group(0), 1, 1.5)
    if words >= 2 * LONG_TEXT:
        marks.add(f"{words} ord", 1, 2.5)
    elif words >= LONG_TEXT:
        marks.add(f"{words} ord", 1, 1.5)
    if doc.format == "html":
        if words < SHORT_HTML:
            # a landing page whose link to the plan is built by script keeps the plan's words and loses its link
            # ... unless it is headed in chapters as a plan is ("1. Indledning", "2. Mål")
            tiny = words < TINY_HTML and len(sections) < 2
            marks.add(f"kort nettside ({words} ord)", 1, -4.0 if tiny else -2.5)
        elif words >= LONG_TEXT and len(sections) >= 4:
            marks.add(f"lang nettside med {len(sections)} plankapitler", 1, 1.0)
    return marks
