"""The cues each genre is known by, as patterns over a page's title and text (nb, nn, da): a news item's date line
and headline verbs, the case numbers of minutes, a hearing's deadline, a service page's help lines, a landing page's
download link, a budget's amounts, a report's title, and a plan's chapters, measures and routines. Only patterns and
length thresholds here; :mod:`tracker.reading.genre.marks` weighs them, :mod:`tracker.reading.genre.decision`
decides."""

from __future__ import annotations

import re

#: words a plan calls itself by (nb, nn, da); a headline that names one is not yet a plan
PLAN_RE = re.compile(
    r"\b(?:handlingsplan\w*|handleplan\w*|handlingsveileder\w*|beredskab\w*|veileder\w*|veiledning\w*|"
    r"rettleiar\w*|rettleiing\w*|vejledning\w*|tiltaksplan\w*|strategi\w*|plan|planen|kommunedelplan\w*|"
    r"\w{3,}plan|rutine\w*|rutinar\w*|retningslinje\w*|retningslinier\w*|prosedyre\w*|handleguide\w*|"
    r"handleveje\w*|handlevejledning\w*|politik|\w{3,}politik|indsatsplan\w*)\b",
    re.IGNORECASE,
)

WORD_RE = re.compile(r"\w+")
_I = re.IGNORECASE
_M = re.IGNORECASE | re.MULTILINE

# --- news ----------------------------------------------------------------------------------------------------------
_MONTH = r"(?:jan\w*|feb\w*|mar\w*|apr\w*|mai|maj|jun\w*|jul\w*|aug\w*|sep\w*|okt\w*|nov\w*|des\w*|dec\w*)"
_DATE = (
    r"(?:\b\d{1,2}\.\s?\d{1,2}\.\s?(?:\d{4}|\d{2})\b|\b\d{4}-\d{2}-\d{2}\b|"
    rf"\b\d{{1,2}}\.?\s+{_MONTH}\.?\s+\d{{4}})"
)
DATE_RE = re.compile(_DATE, _I)
STAMP_RE = re.compile(
    r"\b(?:publisert|publiseret|publiceret|publicert|offentliggjort|udgivet|oprettet|opprettet|oppdatert|opdateret|sist\s+endret|"
    r"sidst\s+(?:opdateret|ændret)|sist\s+oppdatert|skrevet|publ\.)",
    _I,
)
# A date on a plan's cover is an adoption, revision or version date; on minutes it is the meeting date.
NOT_NEWS_DATE_RE = re.compile(
    r"vedt|godkj|godkend|revid|utkast|udkast|versjon|version|gjeld|gæld|gyldig|frist|møte|møde|periode|"
    r"sak\b|sag\b|arkiv|behandl",
    _I,
)
HEADLINE_VERB_RE = re.compile(
    r"\b(?:skal|får|fikk|fekk|fik|har\s+fått|har\s+fået|vedtok|vedtog|vedtar|lanserer|lanserte|lancerer|"
    r"starter|startar|begynner|reviderer|rullerer|reviderar|går|gjer|gør|åpner|opnar|styrker|styrkjer|"
    r"satser|satsar|sætter|inviterer|inviterar|sender|ønsker|ynskjer|vil|kommer|kjem|blir|vert|bliver|"
    r"er\s+vedtatt|er\s+vedteken|er\s+vedtaget|er\s+godkendt|vedtatt|vedteken|vedtaget|godkendt|"
    r"lagt\s+fram|lagt\s+frem)\b",
    _I,
)
FUTURE_RE = re.compile(
    r"\b(?:start(?:er|ar)\s+(?:opp\s+)?arbeid(?:et)?\s+med|begynner\s+arbeidet|går\s+i\s+gang\s+med|"
    r"er\s+i\s+gang\s+med|har\s+startet\s+arbeidet|skal\s+(?:nå\s+|nu\s+|no\s+)?(?:lage|laga|utarbeide|"
    r"utarbeida|revidere|revidera|rullere|udarbejde|lave|skrive)|reviderer|rullerer|arbejder\s+på\s+(?:at|en|et)|"
    r"er\s+gået\s+i\s+gang|går\s+nu\s+i\s+gang|vil\s+(?:lage|utarbeide|udarbejde)|planen\s+skal\s+(?:etter\s+planen\s+)?"
    r"(?:vedtas|behandles|leggjast|leggast|vedtages)|forventes\s+(?:vedtatt|vedtaget|klar|ferdig|færdig)|"
    r"ventes\s+(?:ferdig|klar|vedtatt)|skal\s+opp\s+til\s+politisk\s+behandling|innspill\s+til\s+arbeidet|"
    r"ny\s+plan\s+(?:er\s+)?på\s+vei|kommer\s+en\s+ny)\b",
    _I,
)
QUOTE_RE = re.compile(r"\b(?:sier|seier|siger|sa|sagde|uttaler|udtaler|fortæller|fortel|fortalte)\b", _I)
BYLINE_RE = re.compile(r"^\s*(?:av|af|tekst|foto|skrevet\s+av|skrevet\s+af)\s*:?\s+[A-ZÆØÅ]\w+\s+[A-ZÆØÅ]\w+", re.M)
NEWS_URL_RE = re.compile(
    r"/(?:nyhet\w*|nyheit\w*|nyhed\w*|aktuelt|aktuelle?-?\w*|news|presse\w*|artikkel|artikel)\b", _I
)

# --- minutes -------------------------------------------------------------------------------------------------------
MINUTES_TITLE_RE = re.compile(
    r"\b(?:møteprotokoll\w*|møtebok\w*|saksframlegg\w*|saksfremlegg\w*|saksutgreiing\w*|saksutredning\w*|"
    r"referat\w*|dagsorden\w*|innkalling\w*|sakliste\w*|saksliste\w*|særutskrift\w*|saksutskrift\w*|"
    r"mødereferat\w*|protokoll?\b|melding\s+om\s+vedtak|vedtaksbrev\w*|sagsfremstilling\w*|beslutningsprotokol\w*)",
    _I,
)
MINUTES_RULES: tuple[tuple[re.Pattern[str], float], ...] = (
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
HEARING_TITLE_RE = re.compile(
    r"^\s*(?:offentlig\s+|offentleg\s+)?(?:høring|høyring)\b(?!s?(?:utkast|udkast|versjon|version|forslag|dokument))|"
    r"\b(?:på|til|i|ut\s+på)\s+(?:offentlig\s+|offentleg\s+)?(?:høring|høyring)\b|\bhøringsnotat\w*|"
    r"\boffentle?i?g\s+ettersyn",
    _I,
)
HEARING_DRAFT_RE = re.compile(r"hø[ry]\w*(?:utkast|udkast|versjon|version|forslag|framlegg|dokument|periode)", _I)
HEARING_RE = re.compile(
    r"\b(?:høringsfrist\w*|høyringsfrist\w*|høringssvar\w*|høyringssvar\w*|høringsinnspill\w*|høyringsinnspel\w*|"
    r"sendes\s+(?:nå\s+)?(?:på|i|ut\s+på)\s+(?:offentlig\s+)?(?:høring|høyring)|sendt\s+(?:ut\s+)?(?:på|i)\s+(?:høring|høyring)|"
    r"legges\s+ut\s+(?:på|til)\s+(?:offentlig\s+)?(?:høring|ettersyn)|frist\s+for\s+(?:å\s+)?(?:innspill|innspel|"
    r"høringssvar|å\s+gi\s+innspill)|send\s+(?:inn\s+)?(?:ditt\s+|dine\s+)?innspill|høringsperiode\w*|"
    r"bemærkninger\s+(?:til\s+\w+\s+)?sendes|høringssvar\s+sendes|i\s+(?:offentlig\s+)?høring\s+(?:fra|til|frem))\b",
    _I,
)

# --- service page --------------------------------------------------------------------------------------------------
PHONE_RE = re.compile(
    r"(?<![\d/.,-])(?:112|113|110|116\s?111|116\s?123|116\s?006|02800|1813|\d{2}\s\d{2}\s\d{2}\s\d{2}|"
    r"\d{3}\s\d{2}\s\d{3}|\d{8})(?![\d/.,-])"
)
HELP_RE = re.compile(
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
LINK_RE = re.compile(
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
BUDGET_TITLE_RE = re.compile(
    r"\b(?:budsjett\w*|budget\w*|økonomiplan\w*|statsbudsjett\w*|finanslov\w*|prop\.\s*1\s*s|"
    r"handlingsprogram\s+og\s+økonomiplan|årsbudsjett\w*|regnskap\w*|regnskab\w*)",
    _I,
)
BUDGET_RE = re.compile(
    r"(?:\bmill\.?\s*(?:kr|kroner)\b|\bmillioner\s+kroner\b|\bmia\.?\s*kr\b|\bmio\.?\s*kr\b|\bkr\.?\s*+\d[\d\s.,]{0,40}+|"
    r"\b\d[\d\s.,]{0,40}+(?:kroner|kr\.?)(?!\w)|\bbevilg\w+|\bbevilling\w*|\brammeområd\w*|\bdriftsbudsjett\w*|"
    r"\binvesteringsbudsjett\w*|\bkap\.\s*\d+|\bpost\s+\d{2}\b|\bfinanslov\w*|\bstatsbudsjett\w*|"
    r"\bbudsjettforslag\w*|\bbudgetforslag\w*|\bdriftsramme\w*|\bnetto\s+driftsutgift\w*|\bbudsjettramme\w*|"
    r"\bbudgetramme\w*|\brammetilskudd\w*|\bøkonomiske\s+rammer)",
    _I,
)

# --- reports and catalogues: not plans, and none of the genres above -----------------------------------------------
REPORT_TITLE_RE = re.compile(
    r"\b(?:årsmelding\w*|årsrapport\w*|årsberetning\w*|tilsynsrapport\w*|evalueringsrapport\w*|"
    r"kursuskatalog\w*|\w*katalog|kursusoversigt|rapport\s+fra|statusrapport\w*|kvalitetsrapport\w*|"
    r"tilstandsrapport\w*|kvalitetsmelding\w*|spørsmål\s+og\s+svar|ofte\s+stilte\s+spørsmål)\b",
    _I,
)

# --- plan structure ------------------------------------------------------------------------------------------------
SECTION_RE = re.compile(
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
NUMBERED_HEAD_RE = re.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+[A-ZÆØÅ]")
TOC_RE = re.compile(
    r"^\s*(?:innhold|innholdsfortegnelse|indhold|indholdsfortegnelse|innhald|innhaldsliste|innholdsliste)\s*$", _M
)
TOC_LEADER_RE = re.compile(r"\s*(?:\.{4,}|…{2,})\s*\d{1,3}\s*$")
TOC_LINE_RE = re.compile(r"\S\s*(?:\.{4,}|…{2,}|\s{3,})\s*\d{1,3}\s*$", re.M)
MEASURE_RE = re.compile(
    r"\b(?:ansvar(?:lig)?|ansvarleg|frist|tidsfrist|tidsramme|tidspunkt|gjennomføring|status|målgruppe|"
    r"ressurser|indikator\w*)\s*:|\btiltak\s+\d{1,2}\b",
    _I,
)
ROUTINE_RE = re.compile(
    r"\b(?:handleveje?n?|handlevejledning\w*|flytskjema\w*|rutine\s+(?:for|ved)|rutinar\s+(?:for|ved)|"
    r"ved\s+mistanke\s+om|ved\s+bekymring|meldeplikt\w*|opplysningsplikt\w*|avvergeplikt\w*|underretning\w*|"
    r"underretningspligt\w*|bekymringsmelding\w*|ansvarsfordeling\w*|tiltaksplan\w*|handlingsplan\s+med\s+tiltak)\b",
    _I,
)
#: the header row of a measures table, "Tiltak | Ansvar | Frist" (DOCX cells) or "Indsats Ansvar Tidsfrist" (PDF text)
MEASURE_TABLE_RE = re.compile(
    r"^\s*(?:tiltak|indsats\w*|aktivitet\w*|handling)\s*[|\t]?\s*ansvar\w*\s*[|\t]?\s*(?:tids)?(?:frist|ramme|rom)\b",
    _M,
)
PERIOD_RE = re.compile(r"\b(?:19|20)\d{2}\s*[–—-]\s*(?:(?:19|20)\d{2}|\d{2})\b")
ADOPTION_RE = re.compile(
    r"\b(?:vedtatt|vedteken|vedteke|vedtaget|godkjent|godkjend|godkendt)\s+(?:i|av|af|på)\s+"
    r"(?:\w+\s+)?(?:kommunestyre\w*|bystyre\w*|heradsstyre\w*|kommunalbestyrelse\w*|byråd\w*|"
    r"borgerrepræsentation\w*|hovudutval\w*|hovedutvalg\w*|udvalg\w*)",
    _I,
)

SHORT_HTML = 350  # words: an HTML page shorter than this is rarely a whole plan ...
TINY_HTML = 150  # ... and one shorter than this never is: a few sentences that introduce a plan linked elsewhere
LONG_TEXT = 1000  # words: as long as a plan is, and longer than a news item or a landing page
