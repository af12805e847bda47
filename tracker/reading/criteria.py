"""Which items of the campaigners' checklist a plan commits to, with the sentences that show it.

Owns the criterion ids (stable: they are export column names), their descriptions and the phrase rules in
Bokmål, Nynorsk and Danish. A criterion is *met* when at least one sentence both

- names its topic: every phrase group of the criterion occurs in the sentence (e.g. staff + signs + abuse),
  and none of its exclusions does; and
- is a *commitment*: a modal or duty verb ("skal", "vil", "sikre at", "sørge for", "tilbydes"), a
  recurring practice ("årlig", "hvert andet år", "hver høst"), or any sentence under a measures heading
  ("Tiltak", "Indsatser", "Slik gjør vi"). A negated duty ("har ikke", "skal ikkje", "mangler") is not one.

A passing mention ("Mange ansatte kjenner ikke tegn på overgrep") names the topic without committing to
anything and does not count. ``arena_coverage`` is met when committing or scope sentences ("Planen gjelder
...") together name kindergartens, schools and leisure arenas. The Danish beredskab items (``handleveje``,
``cross_disciplinary``, ``supervision``, ``updating``) are assessed for Danish documents only; for nb/nn
they are not part of the checklist and are not returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.domain import DocumentText
from tracker.reading.language import detect_language
from tracker.reading.layout import Sentence, sentences

__all__ = ["CRITERIA", "DANISH_CRITERIA", "CriterionHit", "assess_criteria", "criteria_for"]

CRITERIA: tuple[tuple[str, str], ...] = (
    ("children_knowledge", "Children and youth are taught about their body, boundaries, sexuality and abuse"),
    ("staff_signs_knowledge", "Staff learn the signs of abuse and the harm it causes"),
    ("staff_competence", "Staff are trained to uncover abuse, talk with the child and help"),
    ("routine_drills", "The routines for suspicion and emergencies are practised"),
    ("citizen_information", "Attitude campaigns and information to citizens and parents"),
    ("arena_coverage", "The plan covers kindergartens, schools and leisure arenas"),
    ("handleveje", "Concrete procedures (handleveje): who does what on suspicion (Danish beredskab)"),
    ("cross_disciplinary", "Cross-disciplinary cooperation is organised (Danish beredskab)"),
    ("supervision", "Staff involved in cases get supervision and support (Danish beredskab)"),
    ("updating", "The plan and the staff's knowledge are kept up to date (Danish beredskab)"),
)
DANISH_CRITERIA = frozenset({"handleveje", "cross_disciplinary", "supervision", "updating"})
_MAX_SENTENCES = 3


@dataclass(frozen=True)
class CriterionHit:
    criterion: str
    met: bool
    sentences: tuple[tuple[int, str], ...]  # (page, sentence), page 1-based


def criteria_for(language: str | None) -> tuple[str, ...]:
    """The criterion ids that apply to a document in ``language`` (nb, nn, da or None)."""
    return tuple(cid for cid, _ in CRITERIA if language == "da" or cid not in DANISH_CRITERIA)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"\b(?:{pattern})", re.IGNORECASE)


_CHILD = r"barn\w*|born\b|borna|børn\w*|elev\w*|unge\b|ungdom\w*|småbørn"
_STAFF = (
    r"ansatte|tilsette|medarbejder\w*|personale\w*|personell\w*|fagfolk|fagperson\w*|fagprofessionelle|"
    r"lærer\w*|lærar\w*|pedagog\w*|pædagog\w*|ledere|leiarar|styrer\w*|trener\w*|trænere|"
    r"alle\s+som\s+(?:jobber|arbeider|arbeidar)\s+med\s+(?:barn|born)|nyansatte|nytilsette"
)
_ABUSE = (
    r"overgrep\w*|overgreb\w*|seksu\w*|vold\w*|vald\w*|omsorgssvikt\w*|omsorgssvigt\w*|mishandling\w*|"
    r"krenkels\w*|krænkels\w*|grooming|incest\w*|mistanke\w*|bekymring\w*"
)
_LEARN = (
    r"undervis\w*|lær\w*|kunnskap\w*|viden|opplæring|oplæring|program\w*|samtal\w*|snakke\s+med|tale\s+med|"
    r"opplegg\w*|forløb\w*|tema\w*|vite\b|vita\b|kende\b"
)
_BODY = (
    r"kropp\w*|krop\b|kroppen|grenser|grensene|grænser|seksualitet\w*|seksualundervisning|følelse\w*|overgrep\w*|"
    r"overgreb\w*|nettvett|hemmelighet\w*|jeg\s+vet|kroppen\s+min|mitt\s+valg|rettigheter|rettar|"
    r"hvor\s+de\s+kan\s+få\s+hjelp|kven\s+dei\s+kan|hvem\s+de\s+kan"
)
_SIGNS = (
    r"tegn\b|tegnene|teikn\w*|signal\w*|symptom\w*|reaksjon\w*|reaktion\w*|kendetegn\w*|skadevirkning\w*|"
    r"skadeverknad\w*|konsekvens\w*|følgene|senfølger|senskader|se\s+etter|risikofaktor\w*"
)
_KNOW = (
    r"kjenne\w*|kjenna|kende\w*|kunne|vite\b|vita\b|kunnskap\w*|viden|opplæring|oplæring|kompetanse\w*|"
    r"kompetence\w*|kurs\w*|lær\w*|temadag\w*|fagdag\w*|undervisning|oppdage|opdage|fange\s+opp|oppmerksom\w*"
)
_TRAINING = (
    r"kompetanse\w*|kompetence\w*|opplæring\w*|oplæring\w*|kurs\w*|uddann\w*|utdann\w*|e-læring|fagdag\w*|"
    r"temadag\w*|undervisning|veiledning|rettleiing|lære\b|lærer\s+å|øving\w*|øve\b|trening|træning|trygge?\s+på"
)
_HELP = (
    r"avdekk\w*|afdæk\w*|oppdage|opdage|opspor\w*|samtal\w*|snakke\s+med|snakk\w*\s+med|tale\s+med|hjelp\w*|"
    r"hjælp\w*|støtte|handle|håndter\w*|ivareta\w*|følge\s+opp|oppfølging|opfølgning|melde|underrett\w*|"
    r"bekymringsmelding\w*|gripe\s+inn"
)
_DRILL = (
    r"øve\b|øver\b|øves\b|øvast\b|øvas\b|øving\w*|øvelse\w*|øvelser|drill\w*|simuler\w*|casetrening|"
    r"casearbeid|trene\s+på|træne\w*|gjennomgå\w*|gjennomgang\w*|gennemgå\w*|gennemgang\w*|repeter\w*|"
    r"implementer\w*"
)
_ROUTINE = (
    r"rutine\w*|rutina\w*|beredskab\w*|handlevej\w*|handlingsveileder\w*|prosedyre\w*|procedure\w*|"
    r"retningslin\w*|rettleiar\w*|veileder\w*|planen|mistanke"
)
_INFORM = (
    r"holdningskampanje\w*|haldningskampanje\w*|kampanje\w*|kampagne\w*|informasjon\w*|information\w*|"
    r"informere\w*|foreldremøte\w*|forældremøde\w*|temakveld\w*|temaaften\w*|foredrag\w*|brosjyre\w*|"
    r"pjece\w*|folder\w*|plakat\w*|nettside\w*|hjemmeside\w*|heimeside\w*|sosiale\s+medier|sociale\s+medier|"
    r"informasjonsmøte\w*|borgermøde\w*|opplysning\w*|oplysning\w*"
)
_PUBLIC = (
    r"innbygger\w*|innbyggjar\w*|borger\w*|foreldre\w*|forældre\w*|føresette|befolkning\w*|publikum|"
    r"allmenn\w*|offentlighe\w*|lokalsamfunn\w*|kampanje\w*|kampagne\w*|holdning\w*|haldning\w*|"
    r"nettside\w*|hjemmeside\w*|heimeside\w*|temakveld\w*|temaaften\w*"
)
_SUSPICION = (
    r"handlevej\w*|handleguide\w*|ved\s+(?:mistanke|bekymring|viden)|hvis\s+(?:du|en\s+medarbejder)\s+"
    r"(?:får|har)\s+(?:mistanke|viden)"
)
_WHO_DOES = (
    r"underret\w*|kontakt\w*|leder\w*|ansvar\w*|politi\w*|børnehus\w*|rådgiver\w*|familieafdeling\w*|"
    r"myndighed\w*|samme\s+dag|straks"
)
_CROSS = r"tværfaglig\w*|tværsektoriel\w*|tværgående|på\s+tværs|samarbejd\w*|ssp\b|koordiner\w*"
_SUPERVISION = (
    r"supervision\w*|sparring|faglig\s+(?:støtte|sparring)|debriefing|psykologhjælp|krisehjælp\w*|"
    r"støtte\s+til\s+medarbejder\w*"
)
_UPDATE = (
    r"revider\w*|opdater\w*|ajourfør\w*|evaluer\w*|opfølgning|følges\s+op|gennemgå\w*|nyeste\s+viden|"
    r"holdes\s+ved\s+lige|vedligehold\w*"
)
_UPDATE_OBJECT = r"beredskab\w*|viden|procedure\w*|handlevej\w*|planen|politikken|retningslinje\w*|kompetence\w*"

_KINDERGARTEN = _rx(r"barnehage\w*|barnehagar\w*|dagtilbud\w*|daginstitution\w*|dagpleje\w*|vuggestue\w*|børnehave\w*")
_SCHOOL = _rx(r"skole\w*|skule\w*|sfo\b|fritidshjem\w*|grunnskol\w*|folkeskol\w*")
_LEISURE = _rx(
    r"fritid\w*|idrett\w*|idræt\w*|kulturskole\w*|kulturskule\w*|lag\s+og\s+(?:foreninger|organisasjon\w*)|"
    r"frivillig\w*|forening\w*|ungdomsklub\w*|klubb\w*|fritidsklub\w*|speider\w*|spejder\w*"
)
_SCOPE = _rx(r"gjelder|gjeld|gælder|omfatter|omfattar|målgruppe\w*|rettet\s+mot|retta\s+mot|henvender\s+sig")

_COMMIT = _rx(
    r"skal\b|skall\b|vil\b|må\b|sikre[rs]?\s*,?\s*at|sikra\s+at|sørge[rs]?\s+for|sørgje\s+for|syte\s+for|"
    r"forplikt\w*|forpligt\w*|garanter\w*|tilbys|tilbydes|tilbyr|tilbyder|tilbod|får\b|fær\b|"
    r"gjennomføres|gjennomfører|gennemføres|afholdes|avholdes|arrangeres|innføres|indføres|"
    r"tas\s+i\s+bruk|bruker\b|brukar\b|bruges\b|anvendes\b|deltar\b|deltek\b|deltager\b|"
    r"årlig\w*|årleg\w*|hvert\s+(?:år|halvår|andet\s+år|\w+\s+år)|kvart\s+år|kvar\s+haust|"
    r"hver\s+(?:høst|vår|måned|uke|uge|termin)|hver\s+måned|en\s+gang\s+i\s+(?:året|halvåret)|"
    r"ein\s+gong\s+i\s+året|jevnlig\w*|jevnleg\w*|jævnlig\w*|løbende|fortløpende|mindst\s+hvert|"
    r"minst\s+(?:en\s+gang|hvert|kvart)|ved\s+oppstart|ved\s+ansettelse|ved\s+ansættelse"
)
_NEGATED = _rx(
    r"(?:skal|vil|må|har|får|kan)\s+(?:ikke|ikkje)\b|mangler\b|manglar\b|ikke\s+har\b|ikkje\s+har\b|"
    r"ingen\s+(?:rutiner|rutinar|plan|opplæring|oplæring)"
)
_MEASURE_HEADING = _rx(
    r"tiltak\w*|indsats\w*|aktivitet\w*|handlinger|handlingar|slik\s+gjør\s+vi|slik\s+gjer\s+vi|"
    r"sådan\s+gør\s+vi|det\s+gør\s+vi|vi\s+vil|vi\s+skal|forebyggelse|forebygging|førebygging|opsporing|"
    r"opplæring|oplæring|handleveje|slik\s+gjør\s+du|slik\s+gjer\s+du|sådan\s+gør\s+du"
)
_STAFF_SUBJECT = re.compile(rf"^\W*(?:alle\s+)?(?:{_STAFF})\b", re.IGNORECASE)

_VICTIMS = re.compile(
    rf"(?:{_ABUSE})\s+(?:mot|mod|på|af|av)\s+(?:{_CHILD})(?:\s+og\s+unge)?|"
    r"(?:jobber|arbeider|arbeidar|arbejder|møter|møder)\s+med\s+(?:barn|born|børn)\w*",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class _Rule:
    """Every group must occur in the sentence; ``exclude`` must not; ``strip`` is removed first."""

    groups: tuple[re.Pattern[str], ...]
    exclude: re.Pattern[str] | None = None
    strip: re.Pattern[str] | None = None

    def matches(self, text: str) -> bool:
        if self.exclude is not None and self.exclude.search(text):
            return False
        if self.strip is not None:
            text = self.strip.sub(" ", text)
        return all(group.search(text) for group in self.groups)


_RULES: dict[str, _Rule] = {
    # children as learners, not as the victims named in "overgrep mot barn" or the staff's work "med barn"
    "children_knowledge": _Rule((_rx(_CHILD), _rx(_LEARN), _rx(_BODY)), _STAFF_SUBJECT, _VICTIMS),
    "staff_signs_knowledge": _Rule((_rx(_STAFF), _rx(_SIGNS), _rx(_ABUSE), _rx(_KNOW))),
    "staff_competence": _Rule((_rx(_STAFF), _rx(_TRAINING), _rx(_HELP), _rx(_ABUSE))),
    "routine_drills": _Rule((_rx(_DRILL), _rx(_ROUTINE))),
    "citizen_information": _Rule((_rx(_INFORM), _rx(_PUBLIC), _rx(_ABUSE))),
    "handleveje": _Rule((_rx(_SUSPICION), _rx(_WHO_DOES))),
    "cross_disciplinary": _Rule((_rx(_CROSS),)),
    "supervision": _Rule((_rx(_SUPERVISION),)),
    "updating": _Rule((_rx(_UPDATE), _rx(_UPDATE_OBJECT))),
}


def _commits(sentence: Sentence) -> bool:
    if _NEGATED.search(sentence.text):
        return False
    return bool(_COMMIT.search(sentence.text)) or bool(_MEASURE_HEADING.search(sentence.heading))


def _evidence(found: list[Sentence]) -> tuple[tuple[int, str], ...]:
    return tuple((s.page, s.text) for s in found[:_MAX_SENTENCES])


def _arena_hit(committed: list[Sentence]) -> CriterionHit:
    """Kindergarten, school and leisure must each be named in a committing or scope sentence."""
    shown: list[Sentence] = []
    covered = 0
    for arena in (_KINDERGARTEN, _SCHOOL, _LEISURE):
        # "Tiltak i barnehagene" as a heading puts the measures under it in that arena
        sentence = next((s for s in committed if arena.search(f"{s.heading} {s.text}")), None)
        if sentence is not None:
            covered += 1
            if sentence not in shown:
                shown.append(sentence)
    return CriterionHit("arena_coverage", covered == 3, _evidence(shown))


def assess_criteria(doc: DocumentText, language: str | None) -> tuple[CriterionHit, ...]:
    """One :class:`CriterionHit` per criterion that applies to ``language``, in :data:`CRITERIA` order; pure.

    ``language`` is nb, nn or da; ``None`` detects it from the text. A criterion not met carries no
    sentences. Sentences keep their page number (1-based).
    """
    if language is None:
        language = detect_language(doc.title + "\n" + "\n".join(doc.pages[:3]))
    all_sentences = sentences(doc)
    committed = [s for s in all_sentences if _commits(s)]
    scoped = [s for s in all_sentences if s in committed or _SCOPE.search(s.text)]
    hits = []
    for criterion in criteria_for(language):
        if criterion == "arena_coverage":
            hits.append(_arena_hit(scoped))
            continue
        rule = _RULES[criterion]
        found = [s for s in committed if rule.matches(s.text)]
        hits.append(CriterionHit(criterion, bool(found), _evidence(found)))
    return tuple(hits)
