"""What kind of document this is: an adopted plan, a draft, a hearing draft, a case document, or not a plan.

Owns the *form* phrase tables (nb, nn, da): mention markers of case papers, news, budgets and hearing notices,
and the stage labels of a plan's life (utkast/udkast, høringsutkast/høyringsutkast/høringsudkast,
vedtatt/vedteken/godkendt). The plan words and the page genre live in :mod:`tracker.reading.genre`.

``classify`` asks this module whether a document is a plan or a mention (:func:`read_form`); the subject
(abuse, violence, other) is ``classify``'s business. :func:`document_kind` gives the separate verdict on the
stage: a hearing draft of an abuse plan is ``abuse_specific`` by subject and ``hearing_draft`` by kind, and a
kommune with only a draft does not "have a plan".

Order of the stage rules (first match wins), each leaving :class:`~tracker.domain.Evidence`:

1. a mention (case paper, news, budget, hearing notice) is ``case_document`` when it carries council-case
   markers (saksframlegg, møtebok, vedtak, sagsfremstilling, beslutningsprotokol ...), else ``not_a_plan``;
2. a page genre that is not a plan (:mod:`tracker.reading.genre`): minutes are ``case_document``; news, service and
   landing pages, budgets and reports are ``not_a_plan``; no plan word and no plan structure: ``not_a_plan``;
3. a hearing label on the cover (title or the first short lines): ``hearing_draft``; a draft label: ``draft``;
4. an adoption statement on page 1 ("Vedtatt i kommunestyret ...", "Godkendt af Byrådet ..."): ``adopted_plan``;
5. hearing or draft statements on page 1 ("Høringsfrist: ...", "planen er ikkje vedteken"): those kinds;
6. otherwise ``adopted_plan``: a published plan that does not call itself a draft.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.domain import DocumentKind, DocumentText, Evidence, Genre
from tracker.reading.genre import PLAN_RE, read_genre
from tracker.reading.layout import cover_lines, first_page_head, normalise

__all__ = ["DocumentKind", "Form", "document_kind", "kind_name", "read_form", "stage_label", "stage_label_only"]


MENTION_MIN = 3.0

# Hearing *drafts* carry the plan text; hearing *notices* only announce it. The lookahead keeps
# "Høringsutkast" from counting as a notice.
_STAGE_SUFFIX = r"(?!s?(?:utkast|udkast|versjon|version|forslag|dokument))"
MENTION_TITLE_RE = re.compile(
    r"\b(?:møteprotokoll\w*|protokoll\w*|møtebok\w*|saksframlegg\w*|saksfremlegg\w*|saksutgreiing\w*|"
    r"saksutredning\w*|referat\w*|dagsorden\w*|innkalling\w*|sakliste\w*|saksliste\w*|protokol\w*|"
    r"budsjett\w*|budget\w*|økonomiplan\w*|årsbudsjett\w*|årsrapport\w*|årsmelding\w*|årsberetning\w*|"
    rf"høring{_STAGE_SUFFIX}\w*|høyring{_STAGE_SUFFIX}\w*|offentlig\s+ettersyn|offentleg\s+ettersyn|nyhet\w*|"
    r"nyheit\w*|nyhed\w*|pressemelding\w*|pressemeddelelse\w*|kunngjøring\w*|interpellasjon\w*|"
    r"orientering\w*|mødereferat\w*|særutskrift\w*|saksutskrift\w*|melding\s+om\s+vedtak|vedtak|"
    r"vedtaksbrev\w*|sagsfremstilling\w*|beslutningsprotokol\w*|tilsynsrapport\w*|\w*katalog\w*)",
    re.IGNORECASE,
)
_HEARING_PAGE = (
    r"høringsfrist|høyringsfrist|frist\s+for\s+(?:innspel|innspill|høringssvar|høringsinnspill)|"
    r"høringssvar\w*|tilbakemelding\w*\s+innen|bemærkninger\s+til"
)
_HEARING_PAGE_RE = re.compile(rf"\b(?:{_HEARING_PAGE})", re.IGNORECASE)
MENTION_PAGE_RE = re.compile(
    r"\b(?:møtedato|møtestad|møtested|møtetid|mødedato|mødested|mødetidspunkt|saksnr|sak\s+nr|"
    r"saksbehandlar|saksbehandler|sagsbehandler|sagsnr|arkivsak\w*|journalpost\w*|utval\s*:|utvalg\s*:|"
    r"innstilling|indstilling|forslag\s+til\s+vedtak|framlegg\s+til\s+vedtak|(?:kommunedirektøren|"
    r"rådmannen|kommunedirektør|rådmann)s\s+(?:forslag|innstilling|tilråding)|publisert|udgivet|"
    r"til\s+stede|fraværende|forfall|møteleiar|møteleder|mødeleder|beslutning\s*:|vedtak\s*:|"
    rf"enstemmig\w*\s+(?:vedtatt|vedteke|vedtaget)|{_HEARING_PAGE})",
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
_CASE_RE = re.compile(
    r"møteprotokoll|protokol|møtebok|saksframlegg|saksfremlegg|saksutgreiing|saksutredning|referat|dagsorden|"
    r"innkalling|sakliste|saksliste|særutskrift|saksutskrift|vedtak|sagsfremstilling|interpellasjon|"
    r"møtedato|møtestad|møtested|mødedato|mødested|saksnr|sak\s+nr|sagsnr|saksbehandl|sagsbehandl|arkivsak|"
    r"journalpost|utval|utvalg|innstilling|indstilling|til\s+stede|fraværende|forfall|beslutning|enstemmig",
    re.IGNORECASE,
)

_NEWS_RE = re.compile(r"nyhe|presse|publisert|udgivet|kunngjøring", re.IGNORECASE)
_HEARING_LABEL_RE = re.compile(
    r"\b(?:høringsutkast|høyringsutkast|høringsudkast|høringsversjon|høyringsversjon|høringsversion|"
    r"høringsforslag|høyringsframlegg|høringsdokument|høringsperiode|høyringsperiode|"
    r"(?:til|på|i|ut\s+på)\s+(?:offentlig\s+|offentleg\s+)?(?:høring|høyring))\b",
    re.IGNORECASE,
)
_DRAFT_LABEL_RE = re.compile(
    r"\b(?:utkast|udkast|arbeidsutkast|arbejdsudkast|kladd|kladde|draft|foreløpig\s+versjon|"
    r"foreløbig\s+version|forslag\s+til\s+(?:ny\s+|revidert\s+|revideret\s+)?(?:\w+plan|\w*beredskab|"
    r"handlingsplan|plan|rettleiar|veileder|retningslinjer)|framlegg\s+til\s+(?:ny\s+)?\w*plan|"
    r"versjon\s+0[.,]\d+|ikke\s+vedtatt|ikkje\s+vedteke[nt]?|ikke\s+godkendt|ikke\s+politisk\s+behandlet|"
    r"til\s+politisk\s+(?:behandling|handsaming))\b",
    re.IGNORECASE,
)
_DRAFT_STATEMENT_RE = re.compile(
    r"\b(?:planen\s+er\s+under\s+arbeid|planen\s+er\s+ikke\s+vedtatt|planen\s+er\s+ikkje\s+vedteken|"
    r"er\s+ikke\s+vedtatt|er\s+ikkje\s+vedteken|er\s+ikke\s+godkendt|(?:dette|det)\s+er\s+et?\s+(?:utkast|udkast)|"
    r"(?:dette|det)\s+er\s+eit\s+utkast|sendes\s+(?:nå\s+)?på\s+høring|sendt\s+på\s+høyring|"
    r"sendes\s+i\s+(?:offentlig\s+)?høring)\b",
    re.IGNORECASE,
)
_ADOPTED_RE = re.compile(
    r"\b(?:vedtatt|vedteken|vedteke|vedtaget|godkjent|godkjend|godkendt|endelig\s+godkendt)\s+"
    r"(?:i|av|af|på|den|dato|:)?\s*(?:\w+\s+)?(?:kommunestyre\w*|bystyre\w*|fylkesting\w*|heradsstyre\w*|"
    r"kommunalbestyrelse\w*|byråd\w*|borgerrepræsentation\w*|\d|kommunaldirektør\w*|kommunalsjef\w*|"
    r"kommunedirektør\w*|rådmann\w*|hovudutval\w*|hovedutvalg\w*|udvalg\w*)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Form:
    """How a document presents itself: a plan, a mention of one, or neither."""

    mention: float
    mention_evidence: tuple[Evidence, ...]
    plan: float
    plan_evidence: Evidence | None

    @property
    def is_mention(self) -> bool:
        return self.mention >= MENTION_MIN and self.mention >= self.plan


def _cover(doc: DocumentText) -> list[tuple[str, int]]:
    """Title, link text and cover labels, each with its page (0 = title / link text)."""
    items = [(doc.title, 0), (doc.anchor_text, 0)]
    items += [(line, 1) for line in cover_lines(doc)]
    # A watermark line ("UTKAST") on any page labels the whole document.
    for number, page in enumerate(doc.pages, start=1):
        for line in page.splitlines():
            if 0 < len(line.split()) <= 4 and _DRAFT_LABEL_RE.fullmatch(line.strip().strip("–-: ")):
                items.append((line.strip(), number))
    return [(normalise(text), page) for text, page in items if text.strip()]


def stage_label(doc: DocumentText) -> tuple[str, Evidence] | None:
    """The hearing or draft label on the cover (title, first short lines, a watermark line), if any."""
    for text, page in _cover(doc):
        m = _HEARING_LABEL_RE.search(text)
        if m:
            return DocumentKind.HEARING_DRAFT, Evidence(m.group(0), page, "kind:hearing_label")
    for text, page in _cover(doc):
        m = _DRAFT_LABEL_RE.search(text)
        if m:
            return DocumentKind.DRAFT, Evidence(m.group(0), page, "kind:draft_label")
    return None


def stage_label_only(title: str) -> bool:
    """True when a title is nothing but a stage label ("Høringsutkast", "UTKAST – ikke vedtatt")."""
    rest = _HEARING_LABEL_RE.sub(" ", title)
    rest = _DRAFT_LABEL_RE.sub(" ", rest)
    return rest != title and not re.search(r"\w{3,}", rest)


def read_form(doc: DocumentText, title: str) -> Form:
    """Score ``doc`` as a mention (case paper, budget, hearing notice, news) and as a plan.

    ``title`` is the normalised title plus link text. A document labelled as a draft or hearing draft on
    its cover carries hearing deadlines without being a hearing notice, so those markers do not count.
    """
    staged = stage_label(doc) is not None
    score = 0.0
    evidence = []
    for m in MENTION_TITLE_RE.finditer(title):
        score += 3.0
        evidence.append(Evidence(m.group(0), 0, "title:mention"))
    headline = _HEADLINE_RE.search(doc.title)
    if headline:
        score += 2.0
        evidence.append(Evidence(headline.group(0), 0, "title:headline"))
    first = normalise(doc.pages[0]) if doc.pages else ""
    labels = {m.group(0).lower(): m.group(0) for m in MENTION_PAGE_RE.finditer(first)}
    page_labels = [p for p in labels.values() if not (staged and _HEARING_PAGE_RE.fullmatch(p))]
    for phrase in page_labels[:4]:
        score += 1.5
        evidence.append(Evidence(phrase, 1, "mention"))
    quotes = _QUOTE_RE.findall(first)
    if quotes:
        score += min(len(quotes), 2) * 1.0
        evidence.append(Evidence(quotes[0], 1, "mention:quote"))
    plan, plan_ev = 0.0, None
    in_title = PLAN_RE.search(title)
    on_page = None if in_title else PLAN_RE.search(first_page_head(doc))
    if in_title:
        plan, plan_ev = 3.0, Evidence(in_title.group(0), 0, "plan_word")
    elif on_page:
        plan, plan_ev = 1.5, Evidence(on_page.group(0), 1, "plan_word")
    return Form(score, tuple(evidence), plan, plan_ev)


_KINDS = (
    (re.compile(r"budsjett|budget|økonomiplan", re.IGNORECASE), "et budsjett"),
    (re.compile(r"høring|høyring|ettersyn|frist|bemærkning", re.IGNORECASE), "en høringsnotis"),
    (
        re.compile(r"nyhe|presse|publisert|udgivet|sier|seier|siger|sa\b|sagde|uttal|udtal", re.IGNORECASE),
        "en nyhetssak",
    ),
    (re.compile(r"årsm|årsr|årsb", re.IGNORECASE), "en årsmelding"),
    (re.compile(r"tilsyn|katalog", re.IGNORECASE), "en rapport eller et katalog"),
)


def kind_name(evidence: tuple[Evidence, ...]) -> str:
    """Name the kind of non-plan document from its strongest mention marker, for the reason line."""
    for ev in evidence:
        if ev.signal == "title:headline":
            return "en nyhetssak"
        for regex, name in _KINDS:
            if regex.search(ev.phrase):
                return name
    return "et saksdokument (møtebok, protokoll eller saksframlegg)"


def _first_match(regex: re.Pattern[str], doc: DocumentText, signal: str) -> Evidence | None:
    for text, page in [(doc.title, 0), (doc.pages[0] if doc.pages else "", 1)]:
        m = regex.search(normalise(text))
        if m:
            return Evidence(m.group(0), page, signal)
    return None


def document_kind(doc: DocumentText) -> tuple[str, tuple[Evidence, ...]]:
    """The stage of ``doc`` (a :class:`DocumentKind` value) and the evidence for it; pure.

    See the module docstring for the order of the rules.
    """
    title = normalise(f"{doc.title} . {doc.anchor_text}")
    form = read_form(doc, title)
    if form.is_mention:
        case = tuple(e for e in form.mention_evidence if _CASE_RE.search(e.phrase))
        news = any(e.signal in ("title:headline", "mention:quote") or _NEWS_RE.search(e.phrase) for e in case)
        news = news or any(
            e.signal in ("title:headline", "mention:quote") or _NEWS_RE.search(e.phrase) for e in form.mention_evidence
        )
        # A news item reports that a plan was "enstemmig vedtatt": only a case title outweighs news markers.
        if case and (not news or any(e.page == 0 for e in case)):
            return DocumentKind.CASE_DOCUMENT, case
        return DocumentKind.NOT_A_PLAN, form.mention_evidence
    genre = read_genre(doc)
    if genre.genre is Genre.MINUTES:
        return DocumentKind.CASE_DOCUMENT, genre.evidence
    if not genre.is_plan and genre.evidence:  # news, a service or landing page, a budget, a report
        return DocumentKind.NOT_A_PLAN, genre.evidence
    plan_ev = form.plan_evidence or (genre.plan_evidence[0] if genre.is_plan and genre.plan_evidence else None)
    if plan_ev is None:
        return DocumentKind.NOT_A_PLAN, ()
    label = stage_label(doc)
    if label is not None:
        return label[0], (label[1], plan_ev)
    adopted = _first_match(_ADOPTED_RE, doc, "kind:adopted")
    if adopted is not None:
        return DocumentKind.ADOPTED_PLAN, (adopted, plan_ev)
    hearing = _first_match(_HEARING_PAGE_RE, doc, "kind:hearing")
    if hearing is not None:
        return DocumentKind.HEARING_DRAFT, (hearing, plan_ev)
    draft = _first_match(_DRAFT_STATEMENT_RE, doc, "kind:draft")
    if draft is not None:
        return DocumentKind.DRAFT, (draft, plan_ev)
    return DocumentKind.ADOPTED_PLAN, (plan_ev,)
