"""Pure: the letter a volunteer sends to a kommune's politicians, written from Planvakt's findings.

One letter per kommune in the kommune's own written language (``nb``, ``nn`` or ``da``, see
`tracker.messages.kommune_language`): what was found (plan, category, period, current or expired, how hard it is
to find), which items of the campaigners' checklist the plan does not commit to (from the stored criteria), and
what to ask for. The sentences are whole sentences chosen per situation, not one template with blanks, because a
letter that reads like a form is a letter politicians file away. No I/O and no clock: the caller passes the facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from tracker.criteria import criteria_for
from tracker.domain import Language

__all__ = ["Letter", "LetterFacts", "PlanFact", "missing_criteria", "plan_facts_criteria", "write_letter"]

#: a plan more clicks than this from the front page is "hard to find" (the campaigners' rule of thumb)
EASY_CLICKS: Final = 2
DRAFT_KINDS: Final = frozenset({"draft", "hearing_draft"})


@dataclass(frozen=True)
class PlanFact:
    """One plan document as the letter speaks of it."""

    title: str
    url: str
    category: str  # abuse_specific | general_violence
    current: str  # "true" | "false" | "unknown"
    year_start: int | None = None
    year_end: int | None = None
    kind: str = "adopted_plan"  # adopted_plan | draft | hearing_draft | case_document
    found_via: str = "link"  # link | rendered | site_search | sitemap | tip
    click_depth: int | None = None
    #: (criterion id, met) for the criteria the classifier assessed (Classification.criteria)
    criteria: tuple[tuple[str, bool], ...] = ()
    language: str | None = None

    @property
    def years(self) -> str:
        if self.year_start is None:
            return ""
        if self.year_end is None or self.year_end == self.year_start:
            return str(self.year_start)
        return f"{self.year_start}–{self.year_end}"


@dataclass(frozen=True)
class LetterFacts:
    """What Planvakt knows about one kommune, as the letter needs it."""

    kommune_name: str
    country: str  # NO | DK
    language: Language
    website: str
    #: the status in force: a reviewer's override if there is one, else the machine's
    status: str
    checked_on: date
    plan: PlanFact | None = None
    #: drafts and hearing versions seen in the same check (they are not "a plan", but worth naming)
    drafts: tuple[PlanFact, ...] = ()
    #: a volunteer found a plan document the crawler never found by following the site's links
    found_by_volunteer: bool = False
    evidence_url: str = ""


@dataclass(frozen=True)
class Letter:
    language: Language
    subject: str
    greeting: str
    paragraphs: tuple[str, ...]
    missing_heading: str
    missing: tuple[str, ...]
    asks_heading: str
    asks: tuple[str, ...]
    closing: tuple[str, ...]

    def text(self) -> str:
        """The whole letter as plain text (for copying into an e-mail)."""
        parts = [self.subject, "", self.greeting, ""]
        for paragraph in self.paragraphs:
            parts += [paragraph, ""]
        if self.missing:
            parts += [f"{self.missing_heading}:", *(f"– {item}" for item in self.missing), ""]
        if self.asks:
            parts += [f"{self.asks_heading}:", *(f"– {item}" for item in self.asks), ""]
        parts += list(self.closing)
        return "\n".join(parts).rstrip() + "\n"


# -- the checklist as a commitment ("the plan should commit the kommune to ...") ------------------------------

_CRITERION_PHRASES: Final[dict[Language, dict[str, str]]] = {
    "nb": {
        "children_knowledge": "gi barn og unge kunnskap om kropp, grenser, seksualitet og overgrep",
        "staff_signs_knowledge": "gi de ansatte kunnskap om tegnene på overgrep og skadene overgrep gjør",
        "staff_competence": "gi de ansatte kompetanse til å avdekke overgrep, snakke med barnet og hjelpe",
        "routine_drills": "øve jevnlig på rutinene for mistanke om overgrep og for akutte situasjoner",
        "citizen_information": "drive holdningsarbeid og informere innbyggere og foreldre",
        "arena_coverage": "gjelde barnehager, skoler, fritidsarenaer og alle tjenester som møter barn",
    },
    "nn": {
        "children_knowledge": "gje born og unge kunnskap om kropp, grenser, seksualitet og overgrep",
        "staff_signs_knowledge": "gje dei tilsette kunnskap om teikna på overgrep og skadane overgrep gjer",
        "staff_competence": "gje dei tilsette kompetanse til å avdekkje overgrep, snakke med barnet og hjelpe",
        "routine_drills": "øve jamleg på rutinane for mistanke om overgrep og for akutte situasjonar",
        "citizen_information": "drive haldningsarbeid og informere innbyggjarar og foreldre",
        "arena_coverage": "gjelde barnehagar, skular, fritidsarenaer og alle tenester som møter born",
    },
    "da": {
        "children_knowledge": "give børn og unge viden om krop, grænser, seksualitet og overgreb",
        "staff_signs_knowledge": "give medarbejderne viden om tegnene på overgreb og de skader, overgreb gør",
        "staff_competence": "give medarbejderne kompetence til at opspore overgreb, tale med barnet og hjælpe",
        "routine_drills": "øve procedurerne for mistanke om overgreb og for akutte situationer",
        "citizen_information": "lave holdningskampagner og informere borgere og forældre",
        "arena_coverage": "omfatte dagtilbud, skoler, fritidstilbud og alle tilbud, der møder børn",
        "handleveje": "beskrive konkrete handleveje: hvem gør hvad, når der er mistanke om overgreb",
        "cross_disciplinary": "organisere det tværfaglige samarbejde i sager om overgreb",
        "supervision": "sikre supervision og støtte til de medarbejdere, der arbejder med sagerne",
        "updating": "holde beredskabet og medarbejdernes viden opdateret",
    },
}


def missing_criteria(plan: PlanFact | None, language: Language) -> tuple[str, ...]:
    """Criterion ids of the checklist the plan does not commit to (all of them when there is no plan).

    The applicable checklist follows the letter's language (the Danish beredskab items only for ``da``); a
    criterion the classifier did not assess counts as missing, since the letter cannot claim it is covered.
    """
    applicable = criteria_for(language)
    if plan is None:
        return applicable
    met = {criterion for criterion, ok in plan.criteria if ok}
    return tuple(criterion for criterion in applicable if criterion not in met)


# -- the words, per language ----------------------------------------------------------------------------------

_W: Final[dict[Language, dict[str, str]]] = {
    "nb": {
        "reviewed_plan": (
            "Jeg har sett etter kommunens plan på {website}. Planvakt har registrert at kommunen har en egen plan "
            "mot seksuelle overgrep mot barn, men jeg fant den ikke ved å følge lenkene på nettstedet, så den er "
            "ikke lett å finne for foreldre og ansatte."
        ),
        "reviewed_general": (
            "Jeg har sett etter kommunens plan på {website}. Planvakt har registrert at kommunen bare har en plan "
            "mot vold i nære relasjoner. I en slik plan er seksuelle overgrep mot barn i beste fall ett tema blant "
            "mange, og den gir verken barna eller de ansatte den kunnskapen og de rutinene som trengs."
        ),
        "ask_share": "at dere sender meg planen og forteller hvor den er publisert",
        "subject": "Plan mot seksuelle overgrep mot barn i {name}",
        "greeting": "Til ordføreren og kommunestyret i {name}",
        "intro": (
            "Jeg skriver til dere fordi jeg er opptatt av at barn i {name} skal være trygge. Seksuelle overgrep mot "
            "barn skjer i alle kommuner, og de fleste blir ikke oppdaget mens barnet er lite. En god handlingsplan "
            "sørger for at barna lærer hva som er greit og ikke, og at de voksne rundt dem vet hva de skal se etter "
            "og hva de skal gjøre."
        ),
        "abuse_current": (
            "Jeg har sett etter kommunens plan på {website}. Kommunen har en egen plan mot seksuelle overgrep mot "
            "barn, «{title}»{years_paren}, og den gjelder fortsatt. Det er bra, og det er mer enn mange kommuner "
            "kan vise til."
        ),
        "abuse_expired": (
            "Jeg har sett etter kommunens plan på {website}. Kommunen har hatt en egen plan mot seksuelle overgrep "
            "mot barn, «{title}», for perioden {years}. Den perioden er over, og jeg finner ingen ny versjon."
        ),
        "abuse_unknown": (
            "Jeg har sett etter kommunens plan på {website}. Kommunen har en egen plan mot seksuelle overgrep mot "
            "barn, «{title}», men planen sier ikke tydelig hvilken periode den gjelder for eller når den skal "
            "rulleres."
        ),
        "general_only": (
            "Jeg har sett etter kommunens plan på {website}. Jeg finner bare en plan mot vold i nære relasjoner, "
            "«{title}»{years_paren}{expired}. I en slik plan er seksuelle overgrep mot barn i beste fall ett tema "
            "blant mange, og den gir verken barna eller de ansatte den kunnskapen og de rutinene som trengs."
        ),
        "general_expired": ", og perioden for den er dessuten over",
        "draft_only": (
            "Jeg har sett etter kommunens plan på {website}. Jeg finner bare {draft_kind} «{title}», og ikke at "
            "planen er vedtatt."
        ),
        "draft": "et utkast til en plan,",
        "hearing_draft": "en høringsversjon av en plan,",
        "none": (
            "Jeg har sett etter kommunens plan på {website}, men finner verken en plan mot seksuelle overgrep mot "
            "barn eller en plan mot vold i nære relasjoner. Finnes det en slik plan, er den i alle fall ikke lett "
            "å finne for foreldre og ansatte."
        ),
        "unreachable": (
            "Jeg ville se etter kommunens plan på {website}, men nettstedet svarte ikke da det ble sjekket "
            "{checked}. Jeg vet derfor ikke om kommunen har en plan, og ber dere om å fortelle meg det."
        ),
        "easy": "Planen er lett å finne: den ligger {clicks} fra forsiden.",
        "deep": (
            "Planen er vanskelig å finne: den ligger {clicks} fra forsiden, så den som leter må vite hvor den skal se."
        ),
        "search_only": (
            "Planen er vanskelig å finne: den er ikke lenket fra noen side jeg kunne nå fra forsiden, og jeg fant "
            "den bare gjennom søket på nettstedet."
        ),
        "sitemap_only": (
            "Planen er vanskelig å finne: den er ikke lenket fra noen side jeg kunne nå fra forsiden, og jeg fant "
            "den bare i nettstedskartet."
        ),
        "volunteer": (
            "Planen ble funnet av en frivillig, men ikke ved å følge lenkene fra forsiden. Den som leter etter den "
            "på vanlig måte, finner den neppe."
        ),
        "clicks_one": "ett klikk",
        "clicks_many": "{n} klikk",
        "missing_heading_plan": "Jeg finner ikke at planen forplikter kommunen til å",
        "missing_heading_none": "En god plan forplikter kommunen til å",
        "all_met": (
            "Planen dekker alle punktene i sjekklisten kampanjen «Vær detektiv!» bruker, og det fortjener ros."
        ),
        "asks_heading": "Jeg ber dere om",
        "ask_new_plan": (
            "at kommunen lager og vedtar en egen handlingsplan mot seksuelle overgrep mot barn, med konkrete tiltak, "
            "ansvar og frister"
        ),
        "ask_adopt_draft": "at planen blir ferdigbehandlet og vedtatt, og at den vedtatte planen publiseres",
        "ask_revise": "at planen rulleres og vedtas på nytt, med en ny planperiode",
        "ask_period": "at planen får en tydelig planperiode og en dato for når den skal rulleres",
        "ask_extend": "at planen utvides slik at den også forplikter kommunen til punktene over",
        "ask_visible": (
            "at planen lenkes fra forsiden eller fra sidene om barn, familie og skole, så foreldre og ansatte finner "
            "den"
        ),
        "ask_publish": "at kommunens nettsider er tilgjengelige, og at planen publiseres der",
        "ask_tell": "at dere svarer meg på om kommunen har en slik plan, og hvor den i så fall er publisert",
        "ask_report": "at kommunestyret får en årlig orientering om hvordan planen følges opp",
        "law_no": (
            "Opptrappingsplanen mot vold og overgrep (Prop. 12 S (2016–2017)) forventer at alle kommuner har en "
            "plan mot vold og overgrep, og barn som utsettes for seksuelle overgrep trenger at planen tar dem "
            "særskilt på alvor."
        ),
        "law_dk": "",
        "closing": "Jeg ser fram til svaret deres.",
        "regards": "Med vennlig hilsen",
        "signature": "[ditt navn]",
        "source": "Opplysningene er fra Planvakt, sjekket {checked}: {evidence_url}",
    },
    "nn": {
        "reviewed_plan": (
            "Eg har sett etter planen til kommunen på {website}. Planvakt har registrert at kommunen har ein eigen "
            "plan mot seksuelle overgrep mot born, men eg fann han ikkje ved å følgje lenkjene på nettstaden, så han "
            "er ikkje lett å finne for foreldre og tilsette."
        ),
        "reviewed_general": (
            "Eg har sett etter planen til kommunen på {website}. Planvakt har registrert at kommunen berre har ein "
            "plan mot vald i nære relasjonar. I ein slik plan er seksuelle overgrep mot born i beste fall eitt tema "
            "mellom mange, og han gjev verken borna eller dei tilsette den kunnskapen og dei rutinane som trengst."
        ),
        "ask_share": "at de sender meg planen og fortel kvar han er publisert",
        "subject": "Plan mot seksuelle overgrep mot born i {name}",
        "greeting": "Til ordføraren og kommunestyret i {name}",
        "intro": (
            "Eg skriv til dykk fordi eg er oppteken av at born i {name} skal vere trygge. Seksuelle overgrep mot "
            "born skjer i alle kommunar, og dei fleste vert ikkje oppdaga medan barnet er lite. Ein god "
            "handlingsplan syter for at borna lærer kva som er greitt og ikkje, og at dei vaksne rundt dei veit kva "
            "dei skal sjå etter og kva dei skal gjere."
        ),
        "abuse_current": (
            "Eg har sett etter planen til kommunen på {website}. Kommunen har ein eigen plan mot seksuelle "
            "overgrep mot born, «{title}»{years_paren}, og han gjeld framleis. Det er bra, og det er meir enn mange "
            "kommunar kan vise til."
        ),
        "abuse_expired": (
            "Eg har sett etter planen til kommunen på {website}. Kommunen har hatt ein eigen plan mot seksuelle "
            "overgrep mot born, «{title}», for perioden {years}. Den perioden er over, og eg finn ingen ny versjon."
        ),
        "abuse_unknown": (
            "Eg har sett etter planen til kommunen på {website}. Kommunen har ein eigen plan mot seksuelle "
            "overgrep mot born, «{title}», men planen seier ikkje tydeleg kva periode han gjeld for eller når han "
            "skal rullerast."
        ),
        "general_only": (
            "Eg har sett etter planen til kommunen på {website}. Eg finn berre ein plan mot vald i nære "
            "relasjonar, «{title}»{years_paren}{expired}. I ein slik plan er seksuelle overgrep mot born i beste "
            "fall eitt tema mellom mange, og han gjev verken borna eller dei tilsette den kunnskapen og dei "
            "rutinane som trengst."
        ),
        "general_expired": ", og perioden for han er dessutan over",
        "draft_only": (
            "Eg har sett etter planen til kommunen på {website}. Eg finn berre {draft_kind} «{title}», og ikkje at "
            "planen er vedteken."
        ),
        "draft": "eit utkast til ein plan,",
        "hearing_draft": "ein høyringsversjon av ein plan,",
        "none": (
            "Eg har sett etter planen til kommunen på {website}, men finn verken ein plan mot seksuelle overgrep "
            "mot born eller ein plan mot vald i nære relasjonar. Finst det ein slik plan, er han i alle fall ikkje "
            "lett å finne for foreldre og tilsette."
        ),
        "unreachable": (
            "Eg ville sjå etter planen til kommunen på {website}, men nettstaden svara ikkje då han vart sjekka "
            "{checked}. Eg veit difor ikkje om kommunen har ein plan, og ber dykk om å fortelje meg det."
        ),
        "easy": "Planen er lett å finne: han ligg {clicks} frå framsida.",
        "deep": (
            "Planen er vanskeleg å finne: han ligg {clicks} frå framsida, så den som leitar, må vite kvar ein skal sjå."
        ),
        "search_only": (
            "Planen er vanskeleg å finne: han er ikkje lenkja frå nokon side eg kunne nå frå framsida, og eg fann "
            "han berre gjennom søket på nettstaden."
        ),
        "sitemap_only": (
            "Planen er vanskeleg å finne: han er ikkje lenkja frå nokon side eg kunne nå frå framsida, og eg fann "
            "han berre i nettstadkartet."
        ),
        "volunteer": (
            "Planen vart funnen av ein frivillig, men ikkje ved å følgje lenkjene frå framsida. Den som leitar "
            "etter han på vanleg måte, finn han neppe."
        ),
        "clicks_one": "eitt klikk",
        "clicks_many": "{n} klikk",
        "missing_heading_plan": "Eg finn ikkje at planen forpliktar kommunen til å",
        "missing_heading_none": "Ein god plan forpliktar kommunen til å",
        "all_met": ("Planen dekkjer alle punkta i sjekklista kampanjen «Vær detektiv!» brukar, og det fortener ros."),
        "asks_heading": "Eg ber dykk om",
        "ask_new_plan": (
            "at kommunen lagar og vedtek ein eigen handlingsplan mot seksuelle overgrep mot born, med konkrete "
            "tiltak, ansvar og fristar"
        ),
        "ask_adopt_draft": "at planen vert ferdighandsama og vedteken, og at den vedtekne planen vert publisert",
        "ask_revise": "at planen vert rullert og vedteken på nytt, med ein ny planperiode",
        "ask_period": "at planen får ein tydeleg planperiode og ein dato for når han skal rullerast",
        "ask_extend": "at planen vert utvida slik at han òg forpliktar kommunen til punkta over",
        "ask_visible": (
            "at planen vert lenkja frå framsida eller frå sidene om born, familie og skule, så foreldre og tilsette "
            "finn han"
        ),
        "ask_publish": "at nettsidene til kommunen er tilgjengelege, og at planen vert publisert der",
        "ask_tell": "at de svarar meg på om kommunen har ein slik plan, og kvar han i så fall er publisert",
        "ask_report": "at kommunestyret får ei årleg orientering om korleis planen vert følgd opp",
        "law_no": (
            "Opptrappingsplanen mot vald og overgrep (Prop. 12 S (2016–2017)) forventar at alle kommunar har ein "
            "plan mot vald og overgrep, og born som vert utsette for seksuelle overgrep, treng at planen tek dei "
            "særskilt på alvor."
        ),
        "law_dk": "",
        "closing": "Eg ser fram til svaret dykkar.",
        "regards": "Med venleg helsing",
        "signature": "[namnet ditt]",
        "source": "Opplysningane er frå Planvakt, sjekka {checked}: {evidence_url}",
    },
    "da": {
        "reviewed_plan": (
            "Jeg har kigget efter kommunens beredskab på {website}. Planvakt har registreret, at kommunen har et "
            "beredskab mod overgreb mod børn, men jeg kunne ikke finde det ved at følge links på hjemmesiden, så det "
            "er ikke let at finde for forældre og medarbejdere."
        ),
        "reviewed_general": (
            "Jeg har kigget efter kommunens beredskab på {website}. Planvakt har registreret, at kommunen kun har en "
            "plan om vold i nære relationer. I sådan en plan er seksuelle overgreb mod børn højst ét emne blandt "
            "mange, og den giver hverken børnene eller medarbejderne den viden og de procedurer, der er brug for."
        ),
        "ask_share": "at I sender mig beredskabet og fortæller, hvor det er offentliggjort",
        "subject": "Beredskab mod seksuelle overgreb mod børn i {name}",
        "greeting": "Til borgmesteren og kommunalbestyrelsen i {name}",
        "intro": (
            "Jeg skriver til jer, fordi jeg gerne vil have, at børn i {name} er trygge. Seksuelle overgreb mod børn "
            "sker i alle kommuner, og de fleste bliver ikke opdaget, mens barnet er lille. Et godt beredskab sikrer, "
            "at børnene lærer, hvad der er i orden og ikke, og at de voksne omkring dem ved, hvad de skal holde øje "
            "med, og hvad de skal gøre."
        ),
        "abuse_current": (
            "Jeg har kigget efter kommunens beredskab på {website}. Kommunen har et beredskab mod overgreb mod "
            "børn, »{title}«{years_paren}, og det gælder stadig. Det er godt."
        ),
        "abuse_expired": (
            "Jeg har kigget efter kommunens beredskab på {website}. Kommunen har haft et beredskab mod overgreb "
            "mod børn, »{title}«, for perioden {years}. Den periode er udløbet, og jeg kan ikke finde en ny udgave."
        ),
        "abuse_unknown": (
            "Jeg har kigget efter kommunens beredskab på {website}. Kommunen har et beredskab mod overgreb mod "
            "børn, »{title}«, men det fremgår ikke tydeligt, hvornår det er vedtaget, og hvornår det skal revideres."
        ),
        "general_only": (
            "Jeg har kigget efter kommunens beredskab på {website}. Jeg kan kun finde en plan om vold i nære "
            "relationer, »{title}«{years_paren}{expired}. I sådan en plan er seksuelle overgreb mod børn højst ét "
            "emne blandt mange, og den giver hverken børnene eller medarbejderne den viden og de procedurer, der er "
            "brug for."
        ),
        "general_expired": ", og dens periode er desuden udløbet",
        "draft_only": (
            "Jeg har kigget efter kommunens beredskab på {website}. Jeg kan kun finde {draft_kind} »{title}«, og "
            "ikke at beredskabet er vedtaget."
        ),
        "draft": "et udkast,",
        "hearing_draft": "et høringsudkast,",
        "none": (
            "Jeg har kigget efter kommunens beredskab på {website}, men kan hverken finde et beredskab mod overgreb "
            "mod børn eller en plan om vold i nære relationer. Hvis kommunen har et beredskab, er det i hvert fald "
            "ikke let at finde for forældre og medarbejdere."
        ),
        "unreachable": (
            "Jeg ville kigge efter kommunens beredskab på {website}, men hjemmesiden svarede ikke, da den blev "
            "tjekket {checked}. Jeg ved derfor ikke, om kommunen har et beredskab, og beder jer fortælle mig det."
        ),
        "easy": "Beredskabet er let at finde: det ligger {clicks} fra forsiden.",
        "deep": (
            "Beredskabet er svært at finde: det ligger {clicks} fra forsiden, så man skal vide, hvor man skal lede."
        ),
        "search_only": (
            "Beredskabet er svært at finde: der er ikke link til det fra nogen side, jeg kunne nå fra forsiden, og "
            "jeg fandt det kun gennem hjemmesidens søgefunktion."
        ),
        "sitemap_only": (
            "Beredskabet er svært at finde: der er ikke link til det fra nogen side, jeg kunne nå fra forsiden, og "
            "jeg fandt det kun i hjemmesidens sitemap."
        ),
        "volunteer": (
            "Beredskabet blev fundet af en frivillig, men ikke ved at følge links fra forsiden. Den, der leder "
            "efter det på almindelig vis, finder det næppe."
        ),
        "clicks_one": "ét klik",
        "clicks_many": "{n} klik",
        "missing_heading_plan": "Jeg kan ikke se, at beredskabet forpligter kommunen til at",
        "missing_heading_none": "Et godt beredskab forpligter kommunen til at",
        "all_met": "Beredskabet dækker alle punkterne i tjeklisten, og det fortjener ros.",
        "asks_heading": "Jeg beder jer om",
        "ask_new_plan": (
            "at kommunen udarbejder og vedtager et beredskab mod seksuelle overgreb mod børn og unge, med konkrete "
            "handleveje, ansvar og frister"
        ),
        "ask_adopt_draft": (
            "at beredskabet bliver færdigbehandlet og vedtaget, og at det vedtagne beredskab offentliggøres"
        ),
        "ask_revise": "at beredskabet revideres og vedtages igen",
        "ask_period": "at beredskabet får en tydelig dato for vedtagelse og for næste revision",
        "ask_extend": "at beredskabet udvides, så det også forpligter kommunen til punkterne ovenfor",
        "ask_visible": (
            "at der linkes til beredskabet fra forsiden eller fra siderne om børn, familie og skole, så forældre og "
            "medarbejdere kan finde det"
        ),
        "ask_publish": "at kommunens hjemmeside er tilgængelig, og at beredskabet offentliggøres der",
        "ask_tell": "at I svarer mig, om kommunen har et beredskab, og hvor det i så fald er offentliggjort",
        "ask_report": "at kommunalbestyrelsen hvert år får en orientering om, hvordan beredskabet følges op",
        "law_no": "",
        "law_dk": (
            "Alle kommuner har efter loven pligt til at have et skriftligt beredskab til forebyggelse, tidlig "
            "opsporing og behandling af sager om overgreb mod børn og unge."
        ),
        "closing": "Jeg ser frem til jeres svar.",
        "regards": "Med venlig hilsen",
        "signature": "[dit navn]",
        "source": "Oplysningerne er fra Planvakt, tjekket {checked}: {evidence_url}",
    },
}


def _clicks(words: dict[str, str], depth: int) -> str:
    return words["clicks_one"] if depth == 1 else words["clicks_many"].format(n=depth)


def _found_paragraph(facts: LetterFacts, words: dict[str, str]) -> tuple[str, str]:
    """The sentence on what was found, and the situation it describes (drives the asks)."""
    plan = facts.plan
    base = {"website": facts.website, "checked": facts.checked_on.isoformat()}
    if facts.status == "site_unreachable":
        return words["unreachable"].format(**base), "unreachable"
    # The status in force (a reviewer's, when one overrode the machine) outranks the documents: the letter must
    # never tell politicians "no plan found" about a kommune a reviewer found a plan for, nor the reverse.
    if facts.status == "abuse_specific_plan" and (plan is None or plan.category != "abuse_specific"):
        return words["reviewed_plan"].format(**base), "reviewed_plan"
    if facts.status == "general_violence_plan_only" and (plan is None or plan.category != "general_violence"):
        return words["reviewed_general"].format(**base), "reviewed_general"
    if facts.status == "no_plan_found":
        plan = None
    if plan is not None and plan.category == "abuse_specific":
        values = {**base, "title": plan.title or plan.url, "years": plan.years}
        values["years_paren"] = f" ({plan.years})" if plan.years else ""
        if plan.current == "false" and plan.years:
            return words["abuse_expired"].format(**values), "abuse_expired"
        if plan.current == "true":
            return words["abuse_current"].format(**values), "abuse_current"
        return words["abuse_unknown"].format(**values), "abuse_unknown"
    if plan is not None and plan.category == "general_violence":
        values = {**base, "title": plan.title or plan.url}
        values["years_paren"] = f" ({plan.years})" if plan.years else ""
        values["expired"] = words["general_expired"] if plan.current == "false" else ""
        return words["general_only"].format(**values), "general_only"
    if facts.drafts:
        draft = facts.drafts[0]
        kind = words["hearing_draft"] if draft.kind == "hearing_draft" else words["draft"]
        return words["draft_only"].format(**base, draft_kind=kind, title=draft.title or draft.url), "draft_only"
    return words["none"].format(**base), "none"


def _findability(facts: LetterFacts, words: dict[str, str]) -> tuple[str, bool]:
    """The sentence on how hard the plan is to find, and whether it is hard."""
    plan = facts.plan
    if plan is None:
        return "", False
    if facts.found_by_volunteer or plan.found_via == "tip":
        return words["volunteer"], True
    if plan.found_via == "site_search":
        return words["search_only"], True
    if plan.found_via == "sitemap" or plan.click_depth is None:
        return words["sitemap_only"], True
    if plan.click_depth <= EASY_CLICKS:
        return words["easy"].format(clicks=_clicks(words, plan.click_depth)), False
    return words["deep"].format(clicks=_clicks(words, plan.click_depth)), True


def write_letter(facts: LetterFacts) -> Letter:
    """The letter for one kommune, in `facts.language`."""
    lang = facts.language
    words = _W[lang]
    phrases = _CRITERION_PHRASES[lang]
    found, situation = _found_paragraph(facts, words)
    findability, hard_to_find = _findability(facts, words)
    if situation.startswith("reviewed_") or facts.status == "no_plan_found":
        # the plan document (if any) is not the plan the status speaks of: its findability would mislead
        findability, hard_to_find = "", situation == "reviewed_plan"
    paragraphs = [words["intro"].format(name=facts.kommune_name), found]
    if findability:
        paragraphs.append(findability)

    has_abuse_plan = situation.startswith("abuse_")
    missing: tuple[str, ...] = ()
    missing_heading = ""
    if situation != "unreachable":
        plan_for_checklist = facts.plan if has_abuse_plan else None
        missing_ids = missing_criteria(plan_for_checklist, lang)
        missing = tuple(phrases[criterion] for criterion in missing_ids if criterion in phrases)
        missing_heading = words["missing_heading_plan"] if has_abuse_plan else words["missing_heading_none"]
        if has_abuse_plan and not missing:
            paragraphs.append(words["all_met"])
    law = words["law_dk"] if facts.country == "DK" else words["law_no"]
    if law and not has_abuse_plan and situation not in ("unreachable", "reviewed_plan"):
        paragraphs.append(law)

    asks: list[str] = []
    if situation == "unreachable":
        asks += [words["ask_tell"], words["ask_publish"]]
    elif situation in ("none", "general_only", "reviewed_general"):
        if situation == "none":
            asks.append(words["ask_tell"])
        asks.append(words["ask_new_plan"])
    elif situation == "reviewed_plan":
        asks.append(words["ask_share"])
    elif situation == "draft_only":
        asks.append(words["ask_adopt_draft"])
    elif situation == "abuse_expired":
        asks.append(words["ask_revise"])
    elif situation == "abuse_unknown":
        asks.append(words["ask_period"])
    if has_abuse_plan and missing:
        asks.append(words["ask_extend"])
    if hard_to_find:
        asks.append(words["ask_visible"])
    if situation != "unreachable":
        asks.append(words["ask_report"])

    closing = [words["closing"], "", words["regards"], words["signature"]]
    if facts.evidence_url:
        closing += ["", words["source"].format(checked=facts.checked_on.isoformat(), evidence_url=facts.evidence_url)]
    return Letter(
        language=lang,
        subject=words["subject"].format(name=facts.kommune_name),
        greeting=words["greeting"].format(name=facts.kommune_name),
        paragraphs=tuple(paragraphs),
        missing_heading=missing_heading,
        missing=missing,
        asks_heading=words["asks_heading"],
        asks=tuple(asks),
        closing=tuple(closing),
    )


def plan_facts_criteria(criteria: Sequence[dict[str, object]]) -> tuple[tuple[str, bool], ...]:
    """`Classification.criteria` JSON as (criterion, met) pairs."""
    return tuple((str(hit.get("criterion", "")), bool(hit.get("met"))) for hit in criteria)
