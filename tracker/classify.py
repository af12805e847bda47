"""Classify one document as ``abuse_specific``, ``general_violence`` or ``other`` with transparent rules.

Owns the phrase tables (Bokmål, Nynorsk, Danish) and the decision. The reading is done in three steps,
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

The reason line is Norwegian (Bokmål), one sentence a journalist can quote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from tracker.domain import Category, Classification, DocumentText, Evidence
from tracker.language import detect_language
from tracker.plan_years import find_plan_years

__all__ = ["CLASSIFIER_VERSION", "classify"]

CLASSIFIER_VERSION = "rules-1"

_CHILD = r"(?:små\s+)?(?:barn|barna|barnet|born|borna|børn|børnene|unge|ungdom\w*|mindreårige|elever)"
# Wider child context for "is this about children?" checks, not for theme phrases.
_CHILD_CONTEXT = (
    rf"(?:{_CHILD}|barns?|børns|barnehage\w*|barnehagar\w*|dagtilbud\w*|skole\w*|skule\w*|elev\w*|oppvekst\w*)"
)
_SEX = r"seksu\w*|sex\w*"

# (pattern, theme, weight). Longer phrases win over the shorter ones they contain (see _scan).
_THEME_RULES: tuple[tuple[str, str, float], ...] = (
    # child sexual abuse
    (
        rf"(?:{_SEX})\s+(?:overgrep|overgreb|vold|vald|krenkels\w*|krænkels\w*|misbruk\w*|misbrug\w*|"
        rf"utnytting\w*|utnyttelse\w*|udnyttelse\w*)\s+(?:mot|mod|på|av|af|overfor|imot)\s+{_CHILD}",
        "abuse",
        3.0,
    ),
    (rf"(?:overgrep|overgreb|misbrug|misbruk)\s+(?:mot|mod|på|af|av|imot)\s+{_CHILD}", "abuse", 2.0),
    (
        r"seksu\w*\s+(?:overgrep|overgreb|krenkels\w*|krænkels\w*|misbrug\w*|misbruk\w*|utnytting\w*|"
        r"utnyttelse\w*|udnyttelse\w*|vold|vald)",
        "abuse",
        2.0,
    ),
    (r"incest\w*|nettovergrep\w*|overgrepsmateriale|overgrebsmateriale|sexkrænkels\w*|sexchikane", "abuse", 2.0),
    (r"grooming|seksuelt\s+(?:krenkende|krænkende|misbrugt|misbrukt)|seksualisert\w*", "abuse", 1.5),
    (
        r"(?:skadelig|problematisk|bekymringsfull|grenseoverskridende)\s+seksu\w*\s+(?:atferd|åtferd|adfærd)",
        "abuse",
        1.5,
    ),
    (r"overgrep\w*|overgreb\w*", "abuse", 1.0),
    (r"barnehus\w*|børnehus\w*|overgrepsmottak\w*", "abuse", 0.5),
    # violence in general / in close relationships
    (r"v[oa]ld\s+(?:og\s+overgre[pb]\s+)?i\s+nære\s+rela(?:sjon|tion)\w*", "violence", 3.0),
    (r"partn[ae]rv[oa]ld\w*|kj(?:æ|a)r(?:e|a)stev[oa]ld\w*|kærestevold\w*|familiev[oa]ld\w*", "violence", 2.0),
    (r"v[oa]ld\s+i\s+(?:familien|familiar|familier|hjemmet|heimen|parforhold\w*)", "violence", 2.0),
    (
        r"æresrelater\w*|negativ\s+so[sc]ial\s+kontrol\w*|tvangsekteskap\w*|tvangsægteskab\w*|"
        r"kjønnslemlest\w*|kønslemlæst\w*",
        "violence",
        1.5,
    ),
    (r"v[oa]ld\s+(?:mot|mod)\s+kvinn?(?:er|der)|v[oa]ld\s+mod\s+kvinder", "violence", 1.5),
    (
        r"v[oa]ldsutøv\w*|v[oa]ldsutsatt\w*|v[oa]ldsutsett\w*|voldsudsat\w*|voldsramt\w*|kriseso?[ec]nt[ee]r\w*",
        "violence",
        1.0,
    ),
    (
        r"ungdomsv[oa]ld\w*|v[oa]ld\s+i\s+nattelivet|gatev[oa]ld\w*|v[oa]ld\s+i\s+det\s+offentlige\s+rom",
        "violence",
        1.0,
    ),
    (r"v[oa]ld\w*", "violence", 0.5),
    # other plan topics
    (
        r"trafikk\w*|trafik\w*|rusmiddel\w*|rusmidl\w*|alkohol\w*|rusforebygg\w*|folkehelse\w*|folkesundhed\w*|"
        r"sundhedspolitik\w*|kommuneplan\w*|samfunnsdel\w*|arealdel\w*|klima\w*|kulturplan\w*|kulturpolitik\w*|"
        r"idrett\w*|idræt\w*|fysisk\s+aktivitet|boligsosial\w*|bustadsosial\w*|skolemiljø\w*|skulemiljø\w*|"
        r"mobbing\w*|mobning\w*|antimobb\w*|trivsel\w*|psykisk\s+(?:helse|sundhed)|beredskapsplan\w*|"
        r"kriseberedskap\w*|krisestyring\w*|krisehåndtering\w*|flom\w*|oversvømmels\w*|ros-analyse\w*|"
        r"digitalisering\w*|næringsplan\w*|erhvervs\w*|vannforsyning\w*|spildevand\w*|børnepolitik\w*|"
        r"barnepolitikk\w*|oppvekstplan\w*|friluftsliv\w*|landbruk\w*|planstrategi\w*",
        "other_topic",
        1.0,
    ),
)

_PLAN_RE = re.compile(
    r"\b(?:handlingsplan\w*|handleplan\w*|handlingsveileder\w*|beredskab\w*|veileder\w*|veiledning\w*|"
    r"rettleiar\w*|rettleiing\w*|vejledning\w*|tiltaksplan\w*|strategi\w*|plan|planen|kommunedelplan\w*|"
    r"\w{3,}plan|rutine\w*|rutinar\w*|retningslinje\w*|retningslinier\w*|prosedyre\w*|handleguide\w*|"
    r"handleveje\w*|handlevejledning\w*|politik|indsatsplan\w*)\b",
    re.IGNORECASE,
)
_MENTION_TITLE_RE = re.compile(
    r"\b(?:møteprotokoll\w*|protokoll\w*|møtebok\w*|saksframlegg\w*|saksfremlegg\w*|saksutgreiing\w*|"
    r"saksutredning\w*|referat\w*|dagsorden\w*|innkalling\w*|sakliste\w*|saksliste\w*|protokol\w*|"
    r"budsjett\w*|budget\w*|økonomiplan\w*|årsbudsjett\w*|årsrapport\w*|årsmelding\w*|årsberetning\w*|"
    r"høring\w*|høyring\w*|offentlig\s+ettersyn|offentleg\s+ettersyn|nyhet\w*|nyheit\w*|nyhed\w*|"
    r"pressemelding\w*|pressemeddelelse\w*|kunngjøring\w*|interpellasjon\w*|orientering\w*|mødereferat\w*)",
    re.IGNORECASE,
)
_MENTION_PAGE_RE = re.compile(
    r"\b(?:møtedato|møtestad|møtested|møtetid|mødedato|mødested|mødetidspunkt|saksnr|sak\s+nr|"
    r"saksbehandlar|saksbehandler|sagsbehandler|sagsnr|arkivsak\w*|journalpost\w*|utval\s*:|utvalg\s*:|"
    r"innstilling|indstilling|forslag\s+til\s+vedtak|framlegg\s+til\s+vedtak|(?:kommunedirektøren|"
    r"rådmannen|kommunedirektør|rådmann)s\s+(?:forslag|innstilling|tilråding)|høringsfrist|høyringsfrist|"
    r"frist\s+for\s+(?:innspel|innspill|høringssvar|høringsinnspill|høringssvar)|publisert|udgivet|"
    r"til\s+stede|fraværende|forfall|møteleiar|møteleder|mødeleder|beslutning\s*:|vedtak\s*:|"
    r"enstemmig\w*\s+(?:vedtatt|vedteke|vedtaget)|høringssvar\w*|tilbakemelding\w*\s+innen|bemærkninger\s+til)",
    re.IGNORECASE,
)
_HEADLINE_RE = re.compile(
    r"\b(?:skal|skall|har|får|fekk|fikk|fik|vedtok|vedtog|vedtar|lanserer|lanserte|lancerer|vil|kommer|blir|"
    r"vert|ønsker|ynskjer|åpner|opnar|styrker|styrkjer|satser|satsar|sætter|gir|gjev|giver|bliver|sender|"
    r"inviterer|inviterar|vedtatt|vedteken|vedteke|vedtaget|godkjent|godkjend|godkendt|lansert|lanceret)\b",
    re.IGNORECASE,
)
_QUOTE_RE = re.compile(
    r"\b(?:sier|seier|siger|sa|sagde|uttaler|udtaler|fortalte|fortæller\s+\w+\s+\w+)\b", re.IGNORECASE
)
_WORD_RE = re.compile(r"\w+")

_TITLE_W, _HEADING_W, _FIRST_PAGE_W, _BODY_W = 5.0, 2.0, 1.5, 1.0
_MENTION_MIN = 3.0
_DENSITY_MIN = 4.0  # weighted theme hits per 1000 words before a silent title lets the body decide

_COMPILED = tuple((re.compile(rf"\b(?:{pattern})\b", re.IGNORECASE), theme, w) for pattern, theme, w in _THEME_RULES)
_CHILD_RE = re.compile(rf"\b{_CHILD_CONTEXT}\b", re.IGNORECASE)
_SEXUAL_RE = re.compile(r"\b(?:seksu\w*|sex\w*|incest\w*|grooming)\b", re.IGNORECASE)


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


def _normalise(text: str) -> str:
    text = text.replace("\u00ad", "").replace("\u2011", "-")
    text = re.sub(r"(\w)-\s*\n\s*(\w)", r"\1\2", text)  # words split over a line break
    return re.sub(r"\s+", " ", text)


def _scan(text: str, page: int, where: str) -> list[_Hit]:
    """All theme phrases in ``text``, longest first, so one phrase is counted once under one theme."""
    found: list[tuple[int, int, str, str, float]] = []
    for regex, theme, weight in _COMPILED:
        for m in regex.finditer(text):
            found.append((m.start(), m.end(), m.group(0), theme, weight))
    found.sort(key=lambda f: (-(f[1] - f[0]), f[0]))
    taken: list[tuple[int, int]] = []
    hits = []
    for start, end, phrase, theme, weight in found:
        if any(start < t_end and t_start < end for t_start, t_end in taken):
            continue
        taken.append((start, end))
        hits.append(_Hit(phrase, theme, weight, page, where))
    return hits


def _is_heading(line: str) -> bool:
    words = line.split()
    return (
        0 < len(words) <= 10
        and not line.rstrip().endswith((".", ",", ";", ":"))
        and line[:1].isupper() | line[:1].isdigit()
    )


def _read(doc: DocumentText) -> _Reading:
    reading = _Reading()
    title_text = _normalise(f"{doc.title} . {doc.anchor_text}")
    reading.hits.extend(_scan(title_text, 0, "title"))
    title_key = doc.title.strip().lower()
    for number, page in enumerate(doc.pages, start=1):
        reading.words += len(_WORD_RE.findall(page))
        body_lines = []
        for line in page.splitlines():
            stripped = line.strip()
            if not stripped or (number == 1 and stripped.lower() == title_key):
                continue
            if _is_heading(stripped):
                reading.hits.extend(_scan(_normalise(stripped), number, "heading"))
            else:
                body_lines.append(line)
        where = "first_page" if number == 1 else "body"
        reading.hits.extend(_scan(_normalise("\n".join(body_lines)), number, where))
    return reading


def _first_page_head(doc: DocumentText, words: int = 80) -> str:
    first = doc.pages[0] if doc.pages else ""
    headings = [ln.strip() for ln in first.splitlines() if _is_heading(ln.strip())]
    lead = " ".join(_WORD_RE.findall(first)[:words])
    return _normalise(" ".join(headings) + " " + lead)


def _mention(doc: DocumentText, title: str) -> tuple[float, list[Evidence]]:
    """How strongly the document looks like a case paper, budget, hearing notice or news item."""
    score = 0.0
    evidence = []
    for m in _MENTION_TITLE_RE.finditer(title):
        score += 3.0
        evidence.append(Evidence(m.group(0), 0, "title:mention"))
    headline = _HEADLINE_RE.search(doc.title)
    if headline:
        score += 2.0
        evidence.append(Evidence(headline.group(0), 0, "title:headline"))
    first = _normalise(doc.pages[0]) if doc.pages else ""
    labels = {m.group(0).lower(): m.group(0) for m in _MENTION_PAGE_RE.finditer(first)}
    for phrase in list(labels.values())[:4]:
        score += 1.5
        evidence.append(Evidence(phrase, 1, "mention"))
    quotes = _QUOTE_RE.findall(first)
    if quotes:
        score += min(len(quotes), 2) * 1.0
        evidence.append(Evidence(quotes[0], 1, "mention:quote"))
    return score, evidence


def _plan_word(doc: DocumentText, title: str) -> tuple[float, Evidence | None]:
    m = _PLAN_RE.search(title)
    if m:
        return 3.0, Evidence(m.group(0), 0, "plan_word")
    m = _PLAN_RE.search(_first_page_head(doc))
    if m:
        return 1.5, Evidence(m.group(0), 1, "plan_word")
    return 0.0, None


def _ev(hit: _Hit, prefix: str | None = None) -> Evidence:
    return Evidence(hit.phrase, hit.page, f"{prefix or hit.where}:{hit.theme}")


def _clamp(value: float) -> float:
    return round(max(0.05, min(0.97, value)), 2)


def _with_usable_title(doc: DocumentText) -> DocumentText:
    """Use the first heading of page 1 as the title when the given one says nothing.

    PDF metadata titles are often "Microsoft Word - dok1.docx" or empty; the real title is then the
    first line of the first page, and it deserves title weight.
    """
    given = _normalise(f"{doc.title} {doc.anchor_text}")
    if _PLAN_RE.search(given) or _MENTION_TITLE_RE.search(given) or _scan(given, 0, "title"):
        return doc
    first = next((ln.strip() for ln in (doc.pages[0] if doc.pages else "").splitlines() if ln.strip()), "")
    if not _is_heading(first) or first.lower() == doc.title.strip().lower():
        return doc
    return replace(doc, title=first)


def classify(doc: DocumentText, *, today: date | None = None) -> Classification:
    """Classify ``doc``; pure and deterministic.

    ``today`` bounds plausible plan years (a period starting more than five years ahead is a misreading
    and is dropped); it defaults to the current date.
    """
    today = today or date.today()
    doc = _with_usable_title(doc)
    title = _normalise(f"{doc.title} . {doc.anchor_text}")
    reading = _read(doc)
    category, confidence, evidence, reason = _decide(doc, title, reading)
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


_KINDS = (
    (re.compile(r"budsjett|budget|økonomiplan", re.IGNORECASE), "et budsjett"),
    (re.compile(r"høring|høyring|ettersyn|frist|bemærkning", re.IGNORECASE), "en høringsnotis"),
    (
        re.compile(r"nyhe|presse|publisert|udgivet|sier|seier|siger|sa\b|sagde|uttal|udtal", re.IGNORECASE),
        "en nyhetssak",
    ),
    (re.compile(r"årsm|årsr|årsb", re.IGNORECASE), "en årsmelding"),
)


def _kind_name(evidence: list[Evidence]) -> str:
    """Name the kind of non-plan document from its strongest mention marker, for the reason line."""
    for ev in evidence:
        if ev.signal == "title:headline":
            return "en nyhetssak"
        for regex, name in _KINDS:
            if regex.search(ev.phrase):
                return name
    return "et saksdokument (møtebok, protokoll eller saksframlegg)"


def _decide(doc: DocumentText, title: str, r: _Reading) -> tuple[Category, float, list[Evidence], str]:
    mention, mention_ev = _mention(doc, title)
    plan, plan_ev = _plan_word(doc, title)
    t_abuse = r.top("abuse", ("title",))
    t_viol = r.top("violence", ("title",))
    t_other = r.top("other_topic", ("title",))
    d_abuse, d_viol = r.density("abuse"), r.density("violence")
    s_abuse = r.score("abuse", ("heading", "first_page", "body"))
    s_viol = r.score("violence", ("heading", "first_page", "body"))
    s_other = r.score("other_topic", ("heading", "first_page", "body"))
    body_ev = [_ev(h) for h in r.top("abuse", ("heading", "first_page", "body"), 2)]
    body_ev += [_ev(h) for h in r.top("violence", ("heading", "first_page", "body"), 2)]

    if mention >= _MENTION_MIN and mention >= plan:
        kind = _kind_name(mention_ev)
        topical = bool(t_abuse or t_viol) or d_abuse + d_viol >= _DENSITY_MIN
        conf = 0.6 + 0.08 * min(mention - _MENTION_MIN, 4.0) - (0.1 if plan else 0.0)
        reason = f"Dokumentet er {kind} («{mention_ev[0].phrase}»)" + (
            ", ikke selve planen" if topical else " og ikke en plan om overgrep eller vold"
        )
        return Category.OTHER, _clamp(conf), mention_ev + body_ev[:2], reason
    if plan_ev is None:
        topical = d_abuse + d_viol >= _DENSITY_MIN or bool(t_abuse or t_viol)
        conf = 0.6 if topical else 0.85
        reason = "Dokumentet er ikke en plan: ingen planord i tittel, lenketekst eller første side"
        return Category.OTHER, _clamp(conf), body_ev[:2], reason
    plan_word = plan_ev.phrase.lower()

    title_sexual = any(_SEXUAL_RE.search(h.phrase) for h in t_abuse)
    title_child_abuse = any(_CHILD_RE.search(h.phrase) for h in t_abuse)
    body_sexual = bool(_SEXUAL_RE.search(" ".join(doc.pages)))
    body_child = d_abuse > 0 and bool(_CHILD_RE.search(" ".join(doc.pages)))
    title_is_abuse = (title_sexual and (title_child_abuse or bool(_CHILD_RE.search(title)) or body_child)) or (
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

    # The title is silent on the subject: the body's theme shares decide.
    best = max((s_abuse, "abuse"), (s_viol, "violence"), (s_other, "other_topic"))
    total = s_abuse + s_viol + s_other
    margin = (best[0] - sorted((s_abuse, s_viol, s_other))[1]) / total if total else 0.0
    if best[1] == "abuse" and d_abuse >= _DENSITY_MIN and body_sexual:
        lead = r.top("abuse", ("heading", "first_page", "body"), 1)[0]
        reason = (
            f"Dokumentet er en plan («{plan_word}») og teksten handler mest om «{lead.phrase}» "
            f"({d_abuse:.0f} treff per 1000 ord)"
        )
        return Category.ABUSE_SPECIFIC, _clamp(0.5 + 0.4 * margin), [plan_ev] + body_ev, reason
    if best[1] in ("abuse", "violence") and d_viol >= _DENSITY_MIN:
        lead = r.top("violence", ("heading", "first_page", "body"), 1)[0]
        reason = (
            f"Dokumentet er en plan («{plan_word}») og teksten handler mest om «{lead.phrase}» "
            f"({d_viol:.0f} treff per 1000 ord)"
        )
        return Category.GENERAL_VIOLENCE, _clamp(0.45 + 0.4 * margin), [plan_ev] + body_ev, reason
    conf = 0.85 - (0.3 if max(d_abuse, d_viol) >= _DENSITY_MIN / 2 else 0.0)
    reason = f"Dokumentet er en plan («{plan_word}»), men verken overgrep mot barn eller vold er hovedtema"
    return Category.OTHER, _clamp(conf), [plan_ev] + body_ev[:2], reason
