"""What a document *is* on the page: a plan, or news, minutes, a hearing notice, service page, landing page, budget.

A news item that says "Kommunen starter arbeidet med handlingsplan mot vold i nære relasjoner" talks about a plan
with all the plan's words; what gives it away is its shape: a date line under the headline, a short lead, quotes,
a future tense. A plan has chapters, measures with ansvar and frist, routines and handleveje, a period, length.
This module reads both the words and that structure, per genre, and keeps the lines that decided as
:class:`~tracker.domain.Evidence` (signal ``genre:<genre>``), so the verdict can be quoted.

Genres and their marks (nb, nn, da):

- ``plan``: plan word in the title (handlingsplan, beredskab, rettleiar ...), plan section headings (Formål, Tiltak,
  Ansvar, Forebygging / Opsporing / Håndtering, Handleveje, Rutiner), numbered headings, a table of contents,
  measures with "Ansvar:" / "Frist:", routines (meldeplikt, underretning, "ved mistanke om"), a period in the
  title, an adoption statement, length;
- ``news``: a date line near the top ("Publisert 03.02.2023", "Udgivet 24.01.2022", "Oprettet ..."), a headline with
  a finite verb ("skal", "får", "reviderer"), work that is still to come ("starter arbeidet med", "skal utarbeide"),
  quotes ("sier ordfører"), a news URL (/nyheter/, /aktuelt/, /nyheder/);
- ``minutes``: case numbers ("Sak 45/23", "PS 12/24"), "Vedtak:", "Innstilling:", "Beslutning:", "Fremmøde",
  "Dagsorden", "Møtedato", case-paper titles (møteprotokoll, saksframlegg, referat, beslutningsprotokol);
- ``hearing_notice``: "Høring:" titles, "høringsfrist", "høringssvar", "sendes på høring", "frist for innspill";
- ``service_page``: help lines and phone numbers ("Ring 112", "116 111"), "Hvor får du hjelp", "Kontakt oss",
  "Akutt hjelp", "Er du utsatt for ...";
- ``landing_page``: a short page that introduces a plan and links to it ("Last ned", "Les planen", "(PDF, 1 MB)");
- ``budget``: budget titles (budsjett, budget, økonomiplan, statsbudsjett, Prop. 1 S), amounts ("mill. kr"),
  bevilgninger, kapittel and post;
- ``other``: none of these, and no plan word or plan structure.

Decision: the strongest non-plan genre wins when it reaches :data:`GENRE_MIN` and beats the plan score; else a
document with a plan score of at least :data:`PLAN_MIN` is a ``plan``; else ``other``. An HTML page (``format`` is
"html") that is short is rarely a plan: it loses plan points and gains landing-page points; a long HTML page with
chapters and measures is a plan. The excerpts of the corpus are plain text (``format`` "txt") and are not
judged by their length.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from tracker.domain import DocumentText, Evidence, Genre
from tracker.layout import cover_lines, is_heading, normalise

__all__ = ["GENRE_MIN", "PLAN_MIN", "PLAN_RE", "GenreReading", "genre_name", "read_genre"]


GENRE_MIN = 3.0  # a non-plan genre needs this much before it can outweigh a plan
PLAN_MIN = 2.5  # a plan word in the title (3.0) is enough; structure alone needs a few marks

#: words a plan calls itself by (nb, nn, da); a headline that names one is not yet a plan
PLAN_RE = re.compile(
    r"\b(?:handlingsplan\w*|handleplan\w*|handlingsveileder\w*|beredskab\w*|veileder\w*|veiledning\w*|"
    r"rettleiar\w*|rettleiing\w*|vejledning\w*|tiltaksplan\w*|strategi\w*|plan|planen|kommunedelplan\w*|"
    r"\w{3,}plan|rutine\w*|rutinar\w*|retningslinje\w*|retningslinier\w*|prosedyre\w*|handleguide\w*|"
    r"handleveje\w*|handlevejledning\w*|politik|\w{3,}politik|indsatsplan\w*)\b",
    re.IGNORECASE,
)

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

_WORD_RE = re.compile(r"\w+")
_I = re.IGNORECASE
_M = re.IGNORECASE | re.MULTILINE

# --- news ----------------------------------------------------------------------------------------------------------
_MONTH = r"(?:jan\w*|feb\w*|mar\w*|apr\w*|mai|maj|jun\w*|jul\w*|aug\w*|sep\w*|okt\w*|nov\w*|des\w*|dec\w*)"
_DATE = (
    r"(?:\b\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b|"
    rf"\b\d{{1,2}}\.?\s+{_MONTH}\.?\s+\d{{4}})"
)
_DATE_RE = re.compile(_DATE, _I)
_STAMP_RE = re.compile(
    r"\b(?:publisert|publiseret|publiceret|publicert|offentliggjort|udgivet|oprettet|opprettet|oppdatert|opdateret|sist\s+endret|"
    r"sidst\s+(?:opdateret|ændret)|sist\s+oppdatert|skrevet|publ\.)",
    _I,
)
# A date on a plan's cover is an adoption, revision or version date; on minutes it is the meeting date.
_NOT_NEWS_DATE_RE = re.compile(
    r"vedt|godkj|godkend|revid|utkast|udkast|versjon|version|gjeld|gæld|gyldig|frist|møte|møde|periode|"
    r"sak\b|sag\b|arkiv|behandl",
    _I,
)
_HEADLINE_VERB_RE = re.compile(
    r"\b(?:skal|får|fikk|fekk|fik|har\s+fått|har\s+fået|vedtok|vedtog|vedtar|lanserer|lanserte|lancerer|"
    r"starter|startar|begynner|reviderer|rullerer|reviderar|går|gjer|gør|åpner|opnar|styrker|styrkjer|"
    r"satser|satsar|sætter|inviterer|inviterar|sender|ønsker|ynskjer|vil|kommer|kjem|blir|vert|bliver|"
    r"er\s+vedtatt|er\s+vedteken|er\s+vedtaget|er\s+godkendt|vedtatt|vedteken|vedtaget|godkendt|"
    r"lagt\s+fram|lagt\s+frem)\b",
    _I,
)
_FUTURE_RE = re.compile(
    r"\b(?:start(?:er|ar)\s+(?:opp\s+)?arbeid(?:et)?\s+med|begynner\s+arbeidet|går\s+i\s+gang\s+med|"
    r"er\s+i\s+gang\s+med|har\s+startet\s+arbeidet|skal\s+(?:nå\s+|nu\s+|no\s+)?(?:lage|laga|utarbeide|"
    r"utarbeida|revidere|revidera|rullere|udarbejde|lave|skrive)|reviderer|rullerer|arbejder\s+på\s+(?:at|en|et)|"
    r"er\s+gået\s+i\s+gang|går\s+nu\s+i\s+gang|vil\s+(?:lage|utarbeide|udarbejde)|planen\s+skal\s+(?:etter\s+planen\s+)?"
    r"(?:vedtas|behandles|leggjast|leggast|vedtages)|forventes\s+(?:vedtatt|vedtaget|klar|ferdig|færdig)|"
    r"ventes\s+(?:ferdig|klar|vedtatt)|skal\s+opp\s+til\s+politisk\s+behandling|innspill\s+til\s+arbeidet|"
    r"ny\s+plan\s+(?:er\s+)?på\s+vei|kommer\s+en\s+ny)\b",
    _I,
)
_QUOTE_RE = re.compile(r"\b(?:sier|seier|siger|sa|sagde|uttaler|udtaler|fortæller|fortel|fortalte)\b", _I)
_BYLINE_RE = re.compile(r"^\s*(?:av|af|tekst|foto|skrevet\s+av|skrevet\s+af)\s*:?\s+[A-ZÆØÅ]\w+\s+[A-ZÆØÅ]\w+", re.M)
_NEWS_URL_RE = re.compile(
    r"/(?:nyhet\w*|nyheit\w*|nyhed\w*|aktuelt|aktuelle?-?\w*|news|presse\w*|artikkel|artikel)\b", _I
)

# --- minutes -------------------------------------------------------------------------------------------------------
_MINUTES_TITLE_RE = re.compile(
    r"\b(?:møteprotokoll\w*|møtebok\w*|saksframlegg\w*|saksfremlegg\w*|saksutgreiing\w*|saksutredning\w*|"
    r"referat\w*|dagsorden\w*|innkalling\w*|sakliste\w*|saksliste\w*|særutskrift\w*|saksutskrift\w*|"
    r"mødereferat\w*|protokoll?\b|melding\s+om\s+vedtak|vedtaksbrev\w*|sagsfremstilling\w*|beslutningsprotokol\w*)",
    _I,
)
_MINUTES_RULES: tuple[tuple[re.Pattern[str], float], ...] = (
    (
        re.compile(
            r"\b(?:sak|ps|fs|sag|saksnr\.?|sagsnr\.?|arkivsak|arkivsaksnr\.?|j\.?\s?nr\.?)\s*(?:nr\.?\s*)?:?\s*"
            r"\d{1,5}\s*/\s*\d{2,5}\b",
            _I,
        ),
        2.0,
    ),
    (
        re.compile(
            r"\b(?:vedtak|innstilling|indstilling|beslutning|tilråding|framlegg\s+til\s+vedtak|forslag\s+til\s+vedtak|"
            r"(?:kommunedirektørens|rådmannens|kommunedirektøren\s+si|rådmannen\s+si)\s+(?:innstilling|forslag|"
            r"tilråding)|votering|afstemning|behandling)\s*:",
            _I,
        ),
        1.5,
    ),
    (
        re.compile(
            r"\b(?:fremmøde|fremmødte|til\s+stede|møtende\s+medlemmer|forfall|afbud|fraværende|møteleder|møteleiar|"
            r"mødeleder|dagsorden|sakliste|saksliste|møtedato|mødedato|møtestad|møtested|mødested|møtetid|referent|"
            r"protokollfører|godkjenning\s+av\s+innkalling|godkendelse\s+af\s+dagsorden|saksbehandler|saksbehandlar|"
            r"sagsbehandler|utvalgssak|utvalssak|journalpost|saksgang|sagsforløb)\b",
            _I,
        ),
        1.5,
    ),
    (
        re.compile(
            r"^(?:innstilling|indstilling|vedtak|forslag\s+til\s+vedtak|framlegg\s+til\s+vedtak|vurdering|"
            r"saksopplysninger|saksopplysningar|kommunedirektørens\s+innstilling|rådmannens\s+innstilling|"
            r"beslutning|sagsfremstilling|indstilling\s+og\s+beslutning|økonomiske\s+konsekvenser)\s*$",
            _M,
        ),
        1.5,
    ),
    (re.compile(r"\benstemmig\w*\s+(?:vedtatt|vedteke|vedtaget|tiltrådt)|\bvedtaket\s+ble\b", _I), 1.0),
)

# --- hearing notice ------------------------------------------------------------------------------------------------
_HEARING_TITLE_RE = re.compile(
    r"^\s*(?:offentlig\s+|offentleg\s+)?(?:høring|høyring)\b(?!s?(?:utkast|udkast|versjon|version|forslag|dokument))|"
    r"\b(?:på|til|i|ut\s+på)\s+(?:offentlig\s+|offentleg\s+)?(?:høring|høyring)\b|\bhøringsnotat\w*|"
    r"\boffentle?i?g\s+ettersyn",
    _I,
)
_HEARING_DRAFT_RE = re.compile(r"hø[ry]\w*(?:utkast|udkast|versjon|version|forslag|framlegg|dokument|periode)", _I)
_HEARING_RE = re.compile(
    r"\b(?:høringsfrist\w*|høyringsfrist\w*|høringssvar\w*|høyringssvar\w*|høringsinnspill\w*|høyringsinnspel\w*|"
    r"sendes\s+(?:nå\s+)?(?:på|i|ut\s+på)\s+(?:offentlig\s+)?(?:høring|høyring)|sendt\s+(?:ut\s+)?(?:på|i)\s+(?:høring|høyring)|"
    r"legges\s+ut\s+(?:på|til)\s+(?:offentlig\s+)?(?:høring|ettersyn)|frist\s+for\s+(?:å\s+)?(?:innspill|innspel|"
    r"høringssvar|å\s+gi\s+innspill)|send\s+(?:inn\s+)?(?:ditt\s+|dine\s+)?innspill|høringsperiode\w*|"
    r"bemærkninger\s+(?:til\s+\w+\s+)?sendes|høringssvar\s+sendes|i\s+(?:offentlig\s+)?høring\s+(?:fra|til|frem))\b",
    _I,
)

# --- service page --------------------------------------------------------------------------------------------------
_PHONE_RE = re.compile(
    r"(?<![\d/.,-])(?:112|113|110|116\s?111|116\s?123|116\s?006|02800|1813|\d{2}\s\d{2}\s\d{2}\s\d{2}|"
    r"\d{3}\s\d{2}\s\d{3}|\d{8})(?![\d/.,-])"
)
_HELP_RE = re.compile(
    r"\b(?:hvor\s+(?:får|kan)\s+(?:du|jeg|man)\s+(?:få\s+)?(?:hjelp|hjælp)|kvar\s+(?:får|kan)\s+(?:du|eg)\s+(?:få\s+)?hjelp|"
    r"her\s+(?:får|kan)\s+du\s+(?:få\s+)?(?:hjelp|hjælp)|(?:få|søg|søk)\s+hjælp|trenger\s+du\s+hjelp|treng\s+du\s+hjelp|"
    r"har\s+du\s+brug\s+for\s+hjælp|kontakt\s+(?:oss|os|politiet|barnevernvakten|legevakten)|"
    r"akutt\s+hjelp|akut\s+hjælp|er\s+du\s+(?:utsatt|utsett|udsat|bekymret|bekymra|redd)|har\s+du\s+(?:vært|været)\s+utsatt|"
    r"åpningstid\w*|opningstid\w*|åbningstid\w*|døgnåpen|hele\s+døgnet|heile\s+døgnet|døgnet\s+rundt|alarmtelefon\w*|"
    r"slik\s+anmelder\s+du|(?:du\s+kan|kan\s+du)\s+(?:også\s+|òg\s+|også\s+)?(?:ringe|ring|kontakte|snakke|chatte|skrive)|"
    r"ring\s+(?:politiet|112|113|116|02800)|anonymt?\s+(?:chat|ringe|kontakt)|chat\s+med|telefontid|"
    r"du\s+(?:er\s+ikke|er\s+ikkje)\s+aleine?)\b",
    _I,
)

# --- landing page --------------------------------------------------------------------------------------------------
_LINK_RE = re.compile(
    r"(?:\blast\s+ned\b|\blastes\s+ned\b|\bles\s+(?:hele\s+|heile\s+)?(?:planen|handlingsplanen|veilederen|rettleiaren|"
    r"dokumentet|strategien)\b|\bles\s+(?:mer|meir)\b|\blæs\s+(?:hele\s+)?(?:planen|beredskabet|beredskabsplanen|"
    r"vejledningen|handleplanen|mere)\b|\bhent\s+(?:publikationen|planen|beredskabet)\b|\bdownload\w*|"
    r"\bse\s+(?:hele\s+)?(?:planen|beredskabet|handlingsplanen)\b|\((?:pdf|word|docx?|odt)\b|\b(?:pdf|word|docx?|odt),\s*\d|"
    r"\b(?:pdf|docx?)\)|\w\.(?:pdf|docx?)\b|"
    r"\bplanen\s+(?:finner|finn)\s+du\b|\bfinner\s+du\s+(?:planen\s+)?her\b|\bdu\s+finder\s+(?:planen|beredskabet)\b|"
    r"\b(?:åpne|open|åbn)\s+(?:planen|dokumentet|beredskabet)\b|\bklikk\s+her\b|\bklik\s+her\b|"
    r"\brelaterte\s+dokument\w*|\btilhørende\s+dokument\w*)",
    _I,
)

# --- budget --------------------------------------------------------------------------------------------------------
_BUDGET_TITLE_RE = re.compile(
    r"\b(?:budsjett\w*|budget\w*|økonomiplan\w*|statsbudsjett\w*|finanslov\w*|prop\.\s*1\s*s|"
    r"handlingsprogram\s+og\s+økonomiplan|årsbudsjett\w*|regnskap\w*|regnskab\w*)",
    _I,
)
_BUDGET_RE = re.compile(
    r"(?:\bmill\.?\s*(?:kr|kroner)\b|\bmillioner\s+kroner\b|\bmia\.?\s*kr\b|\bmio\.?\s*kr\b|\bkr\.?\s*+\d[\d\s.,]{0,40}+|"
    r"\b\d[\d\s.,]{0,40}+(?:kroner|kr\.?)(?!\w)|\bbevilg\w+|\bbevilling\w*|\brammeområd\w*|\bdriftsbudsjett\w*|"
    r"\binvesteringsbudsjett\w*|\bkap\.\s*\d+|\bpost\s+\d{2}\b|\bfinanslov\w*|\bstatsbudsjett\w*|"
    r"\bbudsjettforslag\w*|\bbudgetforslag\w*|\bdriftsramme\w*|\bnetto\s+driftsutgift\w*|\bbudsjettramme\w*|"
    r"\bbudgetramme\w*|\brammetilskudd\w*|\bøkonomiske\s+rammer)",
    _I,
)

# --- reports and catalogues: not plans, and none of the genres above -----------------------------------------------
_REPORT_TITLE_RE = re.compile(
    r"\b(?:årsmelding\w*|årsrapport\w*|årsberetning\w*|tilsynsrapport\w*|evalueringsrapport\w*|"
    r"kursuskatalog\w*|\w*katalog|kursusoversigt|rapport\s+fra|statusrapport\w*|kvalitetsrapport\w*|"
    r"tilstandsrapport\w*|kvalitetsmelding\w*|spørsmål\s+og\s+svar|ofte\s+stilte\s+spørsmål)\b",
    _I,
)

# --- plan structure ------------------------------------------------------------------------------------------------
_SECTION_RE = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+)?(?:innledning|indledning|innleiing|bakgrunn|baggrund|formål|føremål|mål|"
    r"målsetting\w*|målsetjing\w*|målsætning\w*|mål\s+og\s+\w+|visjon|vision|tiltak\w*|indsats\w*|ansvar\w*|"
    r"roller?\s+og\s+ansvar|rollar\s+og\s+ansvar|evaluering|oppfølging|opfølgning|revidering|revision|forankring|"
    r"rutiner?\b.*|rutinar\b.*|procedure\w*|prosedyre\w*|handleveje?\b.*|handleguide\w*|flytskjema\w*|"
    r"forebygging\w*|førebygging\w*|forebyggelse\w*|det\s+forebyggende\s+arbejde|det\s+opsporende\s+arbejde|"
    r"det\s+behandlende\s+arbejde|avdekking\w*|avdekke|opsporing\w*|tidlig\s+opsporing|håndtering\w*|handtering\w*|"
    r"samarbeid\w*|samarbejde\w*|(?:tverrfaglig\w*|tværfaglig\w*)(?:\s+samarbe\w*)?|lovgrunnlag\w*|lovgrundlag\w*|"
    r"lovgivning\w*|lovverk\w*|"
    r"juridisk\w*|målgruppe\w*|definisjon\w*|definition\w*|begrep\w*|begreber|implementering|"
    r"tegn\s+og\s+(?:reaksjoner|reaksjonar|reaktioner|signaler)|meldeplikt\w*|opplysningsplikt\w*|avvergeplikt\w*|"
    r"underretning\w*|skærpet\s+underretningspligt|kompetanse\w*|kompetence\w*|organisering|planperiode\w*|"
    r"gjennomføring|tidsplan|handlingsdel|innsatsområde\w*|satsingsområde\w*|satsningsområde\w*|utfordringer|"
    r"udfordringer|kartlegging|ved\s+mistanke\b.*|ved\s+bekymring\b.*|når\s+du\s+er\s+bekymret\b.*|"
    r"mistanke\s+(?:mod|mot)\b.*|lederens\s+opgave|efterfølgende|hvem\s+(?:gjelder|gælder)\b.*|sammendrag|"
    r"oppsummering|resumé|forord|tiltaksplan|handlingsplan\s+med\s+tiltak|status\s+og\s+utfordringer)$",
    _I,
)
_NUMBERED_HEAD_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÆØÅ]")
_TOC_RE = re.compile(
    r"^\s*(?:innhold|innholdsfortegnelse|indhold|indholdsfortegnelse|innhald|innhaldsliste|innholdsliste)\s*$", _M
)
_TOC_LEADER_RE = re.compile(r"\s*(?:\.{4,}|…{2,})\s*\d{1,3}\s*$")
_TOC_LINE_RE = re.compile(r"\S\s*(?:\.{4,}|…{2,}|\s{3,})\s*\d{1,3}\s*$", re.M)
_MEASURE_RE = re.compile(
    r"\b(?:ansvar(?:lig)?|ansvarleg|frist|tidsfrist|tidsramme|tidspunkt|gjennomføring|status|målgruppe|"
    r"ressurser|indikator\w*)\s*:|\btiltak\s+\d{1,2}\b",
    _I,
)
_ROUTINE_RE = re.compile(
    r"\b(?:handleveje?n?|handlevejledning\w*|flytskjema\w*|rutine\s+(?:for|ved)|rutinar\s+(?:for|ved)|"
    r"ved\s+mistanke\s+om|ved\s+bekymring|meldeplikt\w*|opplysningsplikt\w*|avvergeplikt\w*|underretning\w*|"
    r"underretningspligt\w*|bekymringsmelding\w*|ansvarsfordeling\w*|tiltaksplan\w*|handlingsplan\s+med\s+tiltak)\b",
    _I,
)
#: the header row of a measures table, "Tiltak | Ansvar | Frist" (DOCX cells) or "Indsats Ansvar Tidsfrist" (PDF text)
_MEASURE_TABLE_RE = re.compile(
    r"^\s*(?:tiltak|indsats\w*|aktivitet\w*|handling)\s*[|\t]?\s*ansvar\w*\s*[|\t]?\s*(?:tids)?(?:frist|ramme|rom)\b",
    _M,
)
_PERIOD_RE = re.compile(r"\b(?:19|20)\d{2}\s*[–—-]\s*(?:(?:19|20)\d{2}|\d{2})\b")
_ADOPTION_RE = re.compile(
    r"\b(?:vedtatt|vedteken|vedteke|vedtaget|godkjent|godkjend|godkendt)\s+(?:i|av|af|på)\s+"
    r"(?:\w+\s+)?(?:kommunestyre\w*|bystyre\w*|heradsstyre\w*|kommunalbestyrelse\w*|byråd\w*|"
    r"borgerrepræsentation\w*|hovudutval\w*|hovedutvalg\w*|udvalg\w*)",
    _I,
)

_SHORT_HTML = 350  # words: an HTML page shorter than this is rarely a whole plan ...
_TINY_HTML = 150  # ... and one shorter than this never is: a few sentences that introduce a plan linked elsewhere
_LONG = 1000


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


class _Marks:
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


def genre_name(genre: Genre) -> str:
    """The genre in a Bokmål phrase for the reason line ("en nyhetssak")."""
    return _NAMES[genre]


def _lines(page: str) -> list[str]:
    return [ln.strip() for ln in page.splitlines() if ln.strip()]


def _news(doc: DocumentText, title: str, head: list[str], first: str, words: int) -> _Marks:
    marks = _Marks(Genre.NEWS)
    date_line = next(
        (ln for ln in head if _DATE_RE.search(ln) and len(ln.split()) <= 14 and not _NOT_NEWS_DATE_RE.search(ln)),
        None,
    )
    if date_line:
        marks.add(date_line, 1, 3.0 if _STAMP_RE.search(date_line) else 2.0)
    else:  # a stamp further down the page ("Publisert 12.03.2024, sist endret ..." under the article)
        stamp = _STAMP_RE.search(first)
        date = _DATE_RE.search(first, stamp.end(), stamp.end() + 40) if stamp else None
        if stamp and date:
            marks.add(first[stamp.start() : date.end()], 1, 2.0)
    headline = _HEADLINE_VERB_RE.search(title)
    if headline:
        marks.add(headline.group(0), 0, 2.0)
    future = _FUTURE_RE.search(title)
    if future:
        marks.add(future.group(0), 0, 2.5)
    body_future = _FUTURE_RE.search(first)
    if body_future:
        marks.add(body_future.group(0), 1, 1.5)
    for quote in _QUOTE_RE.findall(first)[:2]:
        marks.add(quote, 1, 1.0)
    byline = _BYLINE_RE.search(first)
    if byline:
        marks.add(byline.group(0), 1, 1.5)
    news_url = _NEWS_URL_RE.search(doc.url)
    if news_url:
        marks.add(news_url.group(0), 0, 2.0)
    return marks


def _minutes(title: str, text: str) -> _Marks:
    marks = _Marks(Genre.MINUTES)
    for m in _MINUTES_TITLE_RE.finditer(title):
        marks.add(m.group(0), 0, 3.0)
    for regex, weight in _MINUTES_RULES:
        for page, where in ((0, title), (1, text)):
            for m in list(regex.finditer(where))[:3]:
                marks.add(m.group(0), page, weight)
    return marks


def _hearing(title: str, text: str, staged: bool) -> _Marks:
    marks = _Marks(Genre.HEARING_NOTICE)
    m = _HEARING_TITLE_RE.search(title)
    if m and not staged:
        marks.add(m.group(0), 0, 3.0)
    for m in list(_HEARING_RE.finditer(text))[:4]:
        marks.add(m.group(0), 1, 0.5 if staged else 1.5)
    return marks


def _service(text: str, words: int, plan_shaped: bool) -> _Marks:
    marks = _Marks(Genre.SERVICE_PAGE)
    for m in list(_PHONE_RE.finditer(text))[:3]:
        marks.add(m.group(0), 1, 0.75)
    for m in list(_HELP_RE.finditer(text))[:5]:
        marks.add(m.group(0), 1, 1.25)
    if words > _LONG or plan_shaped:
        # help lines in a long text, or under a plan's title and chapters, are the plan's contact chapter
        marks.score *= 0.5
    return marks


def _landing(lines: list[str], text: str, words: int, html: bool, sections: int) -> _Marks:
    marks = _Marks(Genre.LANDING_PAGE)
    short = words <= 400
    for m in list(_LINK_RE.finditer(text))[:3]:
        marks.add(m.group(0), 1, 2.0 if short else 0.5)
    # the link itself: a short line naming a plan with a download mark, "Handlingsplan mot vold 2023–2026 (PDF, 1 MB)"
    link_line = next((ln for ln in lines if len(ln.split()) <= 16 and _LINK_RE.search(ln) and PLAN_RE.search(ln)), None)
    if link_line and short:
        marks.add(link_line, 1, 2.0)
    if marks.items and short:
        marks.add(f"kort side ({words} ord)", 1, 1.5)
        if sections < 3:
            marks.add(f"{sections} plankapitler", 1, 1.0)
        if html:
            marks.add("nettside (html)", 0, 1.0)
    return marks


def _budget(title: str, text: str) -> _Marks:
    marks = _Marks(Genre.BUDGET)
    m = _BUDGET_TITLE_RE.search(title)
    if m:  # 4, not 3: "økonomiplan" is also a plan word, and the budget reading of it wins
        marks.add(m.group(0), 0, 4.0)
    # possessive, bounded runs: a table of years ("2021 2022 ...") made the old pattern super-linear (issue 12)
    for m in itertools.islice(_BUDGET_RE.finditer(text), 4):
        marks.add(m.group(0).strip(), 1, 1.0)
    return marks


def _report(title: str) -> _Marks:
    marks = _Marks(Genre.OTHER)
    m = _REPORT_TITLE_RE.search(title)
    if m:
        marks.add(m.group(0), 0, 4.0)
    return marks


def _plan(doc: DocumentText, title: str, lines: list[str], text: str, words: int, headline: bool) -> _Marks:
    marks = _Marks(Genre.PLAN)
    in_title = PLAN_RE.search(title)
    if in_title:
        # "Kommunen starter arbeidet med handlingsplan ...": a headline names the plan, it is not its title
        marks.add(in_title.group(0), 0, 1.0 if headline else 3.0)
    else:
        first = " ".join(_lines(doc.pages[0])[:6]) if doc.pages else ""
        on_cover = PLAN_RE.search(normalise(first))
        if on_cover:
            marks.add(on_cover.group(0), 1, 1.5)
        else:
            anywhere = PLAN_RE.search(text)
            if anywhere:
                marks.add(anywhere.group(0), 1, 0.5)
    title_key = doc.title.strip().lower()
    headings = [ln for ln in lines if is_heading(ln) and ln.lower() != title_key]
    sections = [ln for ln in headings if _SECTION_RE.match(ln)]
    for line in sections[:6]:
        marks.add(line, 1, 0.75)
    numbered = [ln for ln in headings if _NUMBERED_HEAD_RE.match(ln)]
    if len(numbered) >= 3:
        # quoted by a heading no other mark quotes (the first is often also a section: "1. Indledning"), else by
        # the first and last numbered headings
        heads = [_TOC_LEADER_RE.sub("", ln) for ln in numbered if ln not in sections[:6]]
        quote = heads[0] if heads else f"{_TOC_LEADER_RE.sub('', numbered[0])} … {_TOC_LEADER_RE.sub('', numbered[-1])}"
        marks.add(quote, 1, 1.5 if len(numbered) < 6 else 2.5)
    toc = _TOC_RE.search(text)
    if toc or len(_TOC_LINE_RE.findall(text)) >= 3:
        marks.add(toc.group(0).strip() if toc else "innholdsfortegnelse", 1, 2.0)
    for m in list(_MEASURE_RE.finditer(text))[:3]:
        marks.add(m.group(0), 1, 1.0)
    table = _MEASURE_TABLE_RE.search(text)
    if table:
        marks.add(table.group(0).strip(), 1, 1.5)
    for m in list(_ROUTINE_RE.finditer(text))[:3]:
        marks.add(m.group(0), 1, 0.75)
    period = _PERIOD_RE.search(title)
    if period and not headline:
        marks.add(period.group(0), 0, 1.0)
    adoption = _ADOPTION_RE.search(text)
    if adoption:
        marks.add(adoption.group(0), 1, 1.5)
    if words >= 2 * _LONG:
        marks.add(f"{words} ord", 1, 2.5)
    elif words >= _LONG:
        marks.add(f"{words} ord", 1, 1.5)
    if doc.format == "html":
        if words < _SHORT_HTML:
            # a landing page whose link to the plan is built by script keeps the plan's words and loses its link
            # ... unless it is headed in chapters as a plan is ("1. Indledning", "2. Mål")
            tiny = words < _TINY_HTML and len(sections) < 2
            marks.add(f"kort nettside ({words} ord)", 1, -4.0 if tiny else -2.5)
        elif words >= _LONG and len(sections) >= 4:
            marks.add(f"lang nettside med {len(sections)} plankapitler", 1, 1.0)
    return marks


def read_genre(doc: DocumentText) -> GenreReading:
    """Read the genre of ``doc`` from its title, link text, layout and length; pure.

    See the module docstring for the marks and the decision.
    """
    title = normalise(f"{doc.title} . {doc.anchor_text}")
    lines = [ln for page in doc.pages for ln in _lines(page)]
    first_lines = _lines(doc.pages[0]) if doc.pages else []
    title_key = doc.title.strip().lower()
    head = [ln for ln in first_lines[:6] if ln.lower() != title_key]
    first = normalise(doc.pages[0]) if doc.pages else ""
    text = "\n".join(doc.pages)
    words = len(_WORD_RE.findall(text))
    headline = bool(_HEADLINE_VERB_RE.search(doc.title) or _FUTURE_RE.search(doc.title))
    # a hearing *draft* ("Høringsutkast" on the cover) carries hearing deadlines without being a hearing notice
    staged = any(_HEARING_DRAFT_RE.search(line) for line in [doc.title, *cover_lines(doc)])

    plan = _plan(doc, title, lines, text, words, headline)
    sections = sum(1 for ln in lines if is_heading(ln) and _SECTION_RE.match(ln))
    rivals = (
        _news(doc, doc.title, head, first, words),
        _minutes(title, text),
        _hearing(title, text, staged),
        _service(text, words, plan_shaped=bool(PLAN_RE.search(doc.title)) and not headline and sections >= 2),
        _landing(lines, text, words, doc.format == "html", sections),
        _budget(title, text),
        _report(title),
    )
    scores = ((Genre.PLAN, round(plan.score, 2)),) + tuple((m.genre, round(m.score, 2)) for m in rivals)
    best = max(rivals, key=lambda m: m.score)
    if best.score >= GENRE_MIN and best.score > plan.score:
        return GenreReading(best.genre, scores, best.evidence(), plan.evidence(), tuple(plan.against))
    if plan.score >= PLAN_MIN:
        return GenreReading(Genre.PLAN, scores, plan.evidence(), plan.evidence(), tuple(plan.against))
    # Neither: no genre's marks decided, so there is no genre evidence to quote (the caller says "no plan word").
    return GenreReading(Genre.OTHER, scores, (), plan.evidence(), tuple(plan.against))
