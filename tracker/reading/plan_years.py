"""The period a plan covers (``2021–2024``), read from its title first and then its first pages.

Owns two decisions: which year expressions count as a plan period, and when a period is current.
Recognised, in order of trust:

1. an explicit range in the title: "2021–2024", "2021-2024", "2021 - 2024", "2021/2024", "2021–24";
2. the same in the first pages, or "for perioden 2021 til 2024" / "i perioden 2021–2024";
3. open ends: "fra 2022", "gjelder fra 2022" (start), "gjelder til 2025", "frem til 2025" (end);
4. an adoption or revision date, "vedtatt i kommunestyret 12.03.2019", "vedtaget i byrådet den 5. maj 2020"
   (start only);
5. a lone year in the title, "Beredskab 2023" (start only).

Years that are not the plan's own are removed before matching: URLs, law references ("lov av 1981",
"LOV-2005-06-17-62", "barnevernloven av 1992"), parliamentary papers ("Meld. St. 15 (2020–2021)",
"NOU 2017:12"), national plans named in the text ("Opptrappingsplan ... (2017–2021)"), ISO and
dotted dates, phone numbers and school years ("2021/2022").
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["find_plan_years", "is_current", "OPEN_START_YEARS"]

# A plan with a start and no end is treated as current for this many years after its start: Norwegian and
# Danish municipal plans are typically revised every four years (one council term), and the Danish
# beredskab guidance asks for revision at least once per term.
OPEN_START_YEARS = 4

_FIRST_PAGES = 2
_MAX_SPAN = 12
_YEAR = r"(?:19[89]\d|20\d\d)"
_DASH = r"(?:\s*[-–—]\s*|\s+til\s+)"

_MONTHS = (
    r"(?:januar|februar|mars|marts|april|mai|maj|juni|juli|august|september|oktober|november|desember|"
    r"december|jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|des|dec)\.?"
)
_DATE = (
    rf"(?:\d{{1,2}}\s*[./]\s*\d{{1,2}}\s*[./]\s*(?P<dy>{_YEAR})"
    rf"|\d{{1,2}}\.?\s+{_MONTHS}\s+(?P<my>{_YEAR})|{_MONTHS}\s+(?P<my2>{_YEAR})|(?P<by>{_YEAR}))"
)

# URLs and file names go word by word (see _drop_addresses), not as `\S+\.(?:no|dk|pdf|html?)\b\S*`: that
# pattern retried `\S+` from every character of a long unbroken run, so a 40k-character PDF /Title took 21 s
_WORD = re.compile(r"\S+")
_ADDRESS_START = re.compile(r"https?://\S|www\.\S", re.IGNORECASE)
_ADDRESS_SUFFIX = re.compile(r"\.(?:no|dk|pdf|html?)\b", re.IGNORECASE)

_NOISE_PATTERNS = (
    re.compile(r"\b(?:LOV|FOR|LBK|BEK)-?\s*\d{4}-\d{2}-\d{2}(?:-\d+)?", re.IGNORECASE),
    re.compile(
        r"\b\w*(?:lov|loven|lova|lovens|konvensjon\w*|konvention\w*|forskrift\w*|bekendtgørelse\w*|"
        r"lovbekendtgørelse\w*)\b[^.\n;]{0,45}?\b" + _YEAR + r"\b",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?:Meld\.?\s*St\.?|St\.?\s*meld\.?|Prop\.?)[^()\n]{0,30}\(" + _YEAR + r"[^)]*\)", re.IGNORECASE),
    re.compile(r"\bNOU\s*" + _YEAR + r"\s*:\s*\d+", re.IGNORECASE),
    re.compile(
        r"\b(?:opptrappingsplan\w*|regjeringens?\s+\w+|nasjonal\w*\s+\w+|national\w*\s+\w+|"
        r"regeringens?\s+\w+)[^.\n]{0,80}?" + _YEAR + r"(?:\s*[-–—/]\s*\d{2,4})?",
        re.IGNORECASE,
    ),
    re.compile(r"\b" + _YEAR + r"-\d{2}-\d{2}\b"),
    re.compile(r"\b(?:tlf|telefon|tel|mobil|telefonnummer)\.?:?\s*\+?[\d ]{8,}", re.IGNORECASE),
    re.compile(r"\b\d{2} \d{2} \d{2} \d{2}\b|\b\d{3} \d{2} \d{3}\b"),
    re.compile(
        r"\b(?:skoleåret|skoleår|skuleåret|barnehageåret|skoleåret|budsjettåret|finansåret)\s+"
        + _YEAR
        + r"\s*/\s*\d{2,4}",
        re.IGNORECASE,
    ),
)

_RANGE_RE = re.compile(rf"(?<![\d./-])(?P<start>{_YEAR})(?:{_DASH}|\s*/\s*)(?P<end>{_YEAR}|\d{{2}})(?![\d./-]\d)(?!\d)")
_PERIOD_RE = re.compile(
    rf"\b(?:for|i)\s+(?:perioden|periode)\s+(?:fra\s+)?(?P<start>{_YEAR})\s*(?:[-–—]|til|to)\s*(?P<end>{_YEAR}|\d{{2}})\b",
    re.IGNORECASE,
)
_FROM_PREFIX = r"(?:gjelder|gjeld|gælder|gældende|gyldig|virker|iverksatt|iverksettes|iverksett|træder i kraft)"
_FROM_RE = re.compile(
    rf"\b(?:{_FROM_PREFIX}\s+)?"
    rf"(?:fra|frå)\s+(?:og\s+med\s+)?(?:år\s+|året\s+|\d{{1,2}}\.\s*{_MONTHS}\s+|{_MONTHS}\s+)?(?P<year>{_YEAR})\b",
    re.IGNORECASE,
)
_UNTIL_RE = re.compile(
    rf"\b(?:gjelder|gjeld|gælder|gældende|gyldig|løper|varer|frem|fram)\s+(?:til\s+og\s+med|til|ut|frem\s+til|"
    rf"fram\s+til|indtil)\s+(?:utgangen\s+av\s+|udgangen\s+af\s+)?(?:år\s+|året\s+)?(?P<year>{_YEAR})\b",
    re.IGNORECASE,
)
_ADOPTED_RE = re.compile(
    r"\b(?:vedtatt|vedteken|vedteke|vedtaken|vedtekne|vedtaget|godkjent|godkjend|godkendt|revidert|revideret|"
    r"rullert|oppdatert|opdateret|behandlet|handsama)\b[^.\n]{0,60}?" + _DATE,
    re.IGNORECASE,
)
_LONE_YEAR_RE = re.compile(rf"(?<![\d./-]){_YEAR}(?![\d./-]?\d)")


def _drop_address(word: re.Match[str]) -> str:
    """A word that is a domain or file name ("x.no/plan", "plan.pdf") goes whole; a URL goes from its start.

    Same result as the single regex it replaces, in time linear in the word: a file-name suffix anywhere
    after the first character takes the whole word, else "http(s)://" or "www." takes the rest of it.
    """
    text = word.group(0)
    if _ADDRESS_SUFFIX.search(text, 1):
        return " "
    address = _ADDRESS_START.search(text)
    if address is None:
        return text
    return text[: address.start()] + " "


def _clean(text: str) -> str:
    text = _WORD.sub(_drop_address, text)
    for pattern in _NOISE_PATTERNS:
        text = pattern.sub(" ", text)
    return text


def _plausible(start: int, end: int) -> bool:
    return start <= end <= start + _MAX_SPAN


def _end_year(start: int, raw: str) -> int | None:
    if len(raw) == 2:
        end = (start // 100) * 100 + int(raw)
        if end < start:
            return None
        return end
    return int(raw)


def _find_range(text: str) -> tuple[int, int] | None:
    for regex in (_PERIOD_RE, _RANGE_RE):
        for match in regex.finditer(text):
            start = int(match.group("start"))
            end = _end_year(start, match.group("end"))
            if end is None or not _plausible(start, end):
                continue
            if "/" in match.group(0) and end - start < 2:
                continue  # 2021/2022 is a school or budget year, not a plan period
            return start, end
    return None


def _adoption_year(text: str) -> int | None:
    years = []
    for match in _ADOPTED_RE.finditer(text):
        raw = match.group("dy") or match.group("my") or match.group("my2") or match.group("by")
        if raw:
            years.append(int(raw))
    return max(years) if years else None


def find_plan_years(title: str, pages: tuple[str, ...] | list[str]) -> tuple[int | None, int | None]:
    """Return ``(year_start, year_end)`` of the plan period; either or both may be ``None``.

    The title is trusted first, then the first two pages. An adoption or revision date gives a start
    only; "gjelder til 2025" gives an end, combined with a start when one is found.
    """
    clean_title = _clean(title)
    head = _clean("\n".join(pages[:_FIRST_PAGES]))
    for text in (clean_title, head):
        found = _find_range(text)
        if found:
            return found
    start: int | None = None
    end: int | None = None
    for text in (clean_title, head):
        if start is None:
            for match in _FROM_RE.finditer(text):
                # "tall fra 2021" in body text is a statistic: only the title or "gjelder fra" sets a start.
                if text is clean_title or re.match(_FROM_PREFIX, match.group(0).strip(), re.IGNORECASE):
                    start = int(match.group("year"))
                    break
        if end is None:
            until = _UNTIL_RE.search(text)
            if until:
                end = int(until.group("year"))
    if start is None:
        start = _adoption_year(clean_title) or _adoption_year(head)
    if start is None:
        lone = _LONE_YEAR_RE.findall(clean_title)
        if len(lone) == 1:
            start = int(lone[0])
    if start is not None and end is not None and not _plausible(start, end):
        # An adoption year after the stated end, or a decade apart, is not one period: keep the end.
        start = None
    return start, end


def is_current(year_start: int | None, year_end: int | None, on: date) -> bool | None:
    """Whether a plan with this period is in force in ``on.year``; ``None`` when no years are known.

    A start with no end counts as current for ``OPEN_START_YEARS`` (4) calendar years counting the start
    year (a plan from 2022 is current 2022-2025), one council term. An end with no start counts as
    current up to and including the end year.
    """
    if year_start is None and year_end is None:
        return None
    if year_end is None:
        assert year_start is not None
        return year_start <= on.year < year_start + OPEN_START_YEARS
    if year_start is None:
        return on.year <= year_end
    return year_start <= on.year <= year_end
