"""The words of the test web's documents: plans, budgets and minutes in bokmål, nynorsk and Danish.

The texts read like the real thing so the classifier is tested on realistic prose; the abuse-specific plans' words
are in `crawlers.testweb.abusetexts`, and this module builds every document (`DocText`) from its templates.
General violence plans name sexual abuse only as one item among many; the council minutes mention a violence plan
only in passing. Everything here is pure data: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from crawlers.testweb.abusetexts import ABUSE_DA, ABUSE_NB, ABUSE_NN

Lang = Literal["nb", "nn", "da"]


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class DocText:
    """A document's title, front-page lines and sections; rendered to PDF, DOCX or HTML elsewhere."""

    title: str
    lang: Lang
    kommune: str
    cover_lines: tuple[str, ...]
    sections: tuple[Section, ...]

    def plain_text(self) -> str:
        parts = [self.title, *self.cover_lines]
        for section in self.sections:
            parts.append(section.heading)
            parts.extend(section.paragraphs)
        return "\n\n".join(parts)


def _sections(raw: list[tuple[str, list[str]]], **values: object) -> tuple[Section, ...]:
    return tuple(Section(h.format(**values), tuple(p.format(**values) for p in ps)) for h, ps in raw)


_GENERAL_NB: list[tuple[str, list[str]]] = [
    (
        "1. Innledning",
        [
            "Vold i nære relasjoner er et alvorlig samfunnsproblem og et folkehelseproblem. {k} kommune har "
            "utarbeidet denne handlingsplanen for perioden {s}–{e} for å styrke arbeidet mot vold i nære relasjoner "
            "i alle kommunens tjenester.",
            "Planen omfatter fysisk vold, psykisk vold, materiell vold, økonomisk vold, tvangsekteskap, "
            "æresrelatert vold, negativ sosial kontroll, kjønnslemlestelse og seksuell vold. Voksne, eldre og barn "
            "kan rammes.",
        ],
    ),
    (
        "2. Mål for planperioden",
        [
            "Kommunen skal avdekke vold tidligere, gi utsatte rask og samordnet hjelp og tilby behandling til den "
            "som utøver vold. Ansatte skal spørre om vold som en fast del av kartleggingen i NAV, helsetjenesten og "
            "hjemmetjenesten.",
        ],
    ),
    (
        "3. Tiltak",
        [
            "Tiltak 1: Felles rutine for å spørre om vold i alle tjenester. Tiltak 2: Samarbeid med krisesenteret "
            "og familievernkontoret. Tiltak 3: Alternativ til Vold for voldsutøvere. Tiltak 4: Opplæring i "
            "risikovurdering for ansatte i NAV og helsetjenesten. Tiltak 5: Oppfølging av eldre som utsettes for "
            "vold fra pårørende. Tiltak 6: Barn som lever med vold i familien skal få samtale med helsesykepleier.",
            "Seksuelle overgrep mot barn er ett av flere områder planen omfatter; slike saker følger de alminnelige "
            "rutinene for bekymringsmelding til barneverntjenesten.",
        ],
    ),
    (
        "4. Ansvar og samarbeid",
        [
            "Kommunalsjef for helse og velferd har ansvar for planen. Et tverrfaglig team med representanter fra "
            "NAV, legevakten, barneverntjenesten, krisesenteret og politiet møtes to ganger i året.",
        ],
    ),
    (
        "5. Periode og vedtak",
        [
            "Planen gjelder for perioden {s}–{e} og evalueres ved utløpet av perioden.",
            "Vedtatt i kommunestyret {a}, sak {sak}.",
        ],
    ),
]

_GENERAL_DA: list[tuple[str, list[str]]] = [
    (
        "1. Indledning",
        [
            "Vold i nære relationer rammer kvinder, mænd, ældre og børn. {k} Kommunes handlingsplan mod vold i "
            "nære relationer for {s}–{e} samler kommunens indsats på tværs af forvaltninger.",
            "Planen omfatter fysisk, psykisk, økonomisk, materiel og seksuel vold samt negativ social kontrol og "
            "æresrelaterede konflikter.",
        ],
    ),
    (
        "2. Indsatser",
        [
            "Indsats 1: Medarbejdere i jobcenter, hjemmepleje og sundhedsvæsen spørger til vold. Indsats 2: "
            "Samarbejde med kvindekrisecentret og Dialog mod Vold. Indsats 3: Ældre udsat for vold fra pårørende. "
            "Indsats 4: Børn, der vokser op med vold i hjemmet, tilbydes samtaleforløb.",
            "Sager om seksuelle overgreb mod børn håndteres efter kommunens generelle handleveje og er én blandt "
            "flere former for vold, planen omhandler.",
        ],
    ),
    (
        "3. Ansvar",
        [
            "Social- og Sundhedsforvaltningen har ansvaret for planen. En tværfaglig styregruppe mødes to gange om "
            "året.",
        ],
    ),
    (
        "4. Periode og godkendelse",
        [
            "Planen gælder for perioden {s}–{e}.",
            "Godkendt i kommunalbestyrelsen {a}, sag {sak}.",
        ],
    ),
]

_MINUTES_NN: list[tuple[str, list[str]]] = [
    (
        "Møteprotokoll",
        [
            "Utval: Kommunestyret. Møtestad: Kommunestyresalen, rådhuset. Dato: {a}. Tid: 18:00–21:30.",
            "Møtte: 25 av 27 representantar. Frå administrasjonen: kommunedirektør og økonomisjef.",
        ],
    ),
    ("Sak 41/{y2} Godkjenning av innkalling og sakliste", ["Innkalling og sakliste vart godkjende."]),
    (
        "Sak 42/{y2} Budsjettregulering 2. tertial",
        [
            "Kommunestyret vedtek budsjettregulering som tilrådd. Meirforbruket i pleie og omsorg vert dekt av "
            "disposisjonsfondet.",
        ],
    ),
    (
        "Sak 43/{y2} Tilstandsrapport for grunnskulen",
        [
            "Rapporten vart teken til orientering. I ordskiftet vart det vist til at arbeidet med ny handlingsplan "
            "mot vald i nære relasjonar skal starte opp i løpet av neste år.",
        ],
    ),
    (
        "Sak 44/{y2} Reguleringsplan for Storeviki bustadfelt",
        [
            "Reguleringsplanen vart vedteken med 19 mot 6 røyster.",
        ],
    ),
    ("Sak 45/{y2} Referatsaker", ["Referatsakene vart tekne til orientering."]),
]

_BUDGET_NN: list[tuple[str, list[str]]] = [
    (
        "1. Kommunedirektøren sitt framlegg",
        [
            "Budsjettet for {y} og økonomiplanen for {y}–{y3} syner ein stram, men forsvarleg økonomi. Frie inntekter "
            "aukar mindre enn løns- og prisveksten, og driftsnivået må tilpassast.",
        ],
    ),
    (
        "2. Driftsbudsjett per tenesteområde",
        [
            "Oppvekst: 142,3 mill. kr. Helse og omsorg: 198,7 mill. kr. Teknisk: 41,2 mill. kr. Kultur: 9,8 mill. kr. "
            "Sentraladministrasjon: 38,1 mill. kr.",
        ],
    ),
    (
        "3. Investeringar",
        [
            "Ny fleirbrukshall (fase 1), rehabilitering av vassverk, trafikktryggleikstiltak ved skulane og "
            "digitalisering av tenestene.",
        ],
    ),
    ("4. Vedtak", ["Vedteke i kommunestyret {a}, sak {sak}."]),
]

_SHORT_PLAN: dict[Lang, list[tuple[str, list[str]]]] = {
    "nb": [
        (
            "Innledning",
            [
                "{k} kommune har utarbeidet {t_lower} for perioden {s}–{e}. Planen beskriver mål, tiltak og "
                "ansvarsfordeling på området og følges opp i kommunens årlige budsjettarbeid.",
            ],
        ),
        (
            "Tiltak",
            [
                "Planen inneholder tiltak for informasjon, samarbeid med frivillige og oppfølging i virksomhetene.",
            ],
        ),
    ],
    "nn": [
        (
            "Innleiing",
            [
                "{k} kommune har utarbeidd {t_lower} for perioden {s}–{e}. Planen skildrar mål, tiltak og "
                "ansvarsdeling og vert følgd opp i det årlege budsjettarbeidet.",
            ],
        )
    ],
    "da": [
        (
            "Indledning",
            [
                "{k} Kommune har udarbejdet {t_lower} for perioden {s}–{e}. Planen beskriver mål, indsatser og "
                "ansvarsfordeling og følges op i det årlige budgetarbejde.",
            ],
        )
    ],
}

_ADOPTED_WORD: dict[Lang, str] = {
    "nb": "Vedtatt i kommunestyret",
    "nn": "Vedteken i kommunestyret",
    "da": "Godkendt i kommunalbestyrelsen",
}


def _cover(lang: Lang, kommune: str, adopted: str) -> tuple[str, ...]:
    owner = f"{kommune} Kommune" if lang == "da" else f"{kommune} kommune"
    return (owner, f"{_ADOPTED_WORD[lang]} {adopted}")


def abuse_plan(lang: Lang, kommune: str, start: int, end: int, title: str | None = None) -> DocText:
    """A plan whose main subject is sexual abuse of children (nb/nn handlingsplan, da beredskab)."""
    raw = {"nb": ABUSE_NB, "nn": ABUSE_NN, "da": ABUSE_DA}[lang]
    default = {
        "nb": f"Handlingsplan mot seksuelle overgrep mot barn {start}–{end}",
        "nn": f"Handlingsplan mot vald og seksuelle overgrep mot born {start}–{end}",
        "da": f"Beredskab om vold og seksuelle overgreb mod børn og unge {start}–{end}",
    }[lang]
    adopted = f"{14 + start % 10}.{(start % 9) + 2:02d}.{start - 1}" if lang != "da" else f"{start - 1}-11-28"
    sak = f"{30 + start % 50}/{str(start - 1)[2:]}"
    sections = _sections(raw, k=kommune, s=start, e=end, a=adopted, sak=sak)
    return DocText(title or default, lang, kommune, _cover(lang, kommune, adopted), sections)


def general_violence_plan(lang: Literal["nb", "da"], kommune: str, start: int, end: int) -> DocText:
    """A plan against violence in close relationships: sexual abuse of children is one item among many."""
    raw = {"nb": _GENERAL_NB, "da": _GENERAL_DA}[lang]
    title = {
        "nb": f"Handlingsplan mot vold i nære relasjoner {start}–{end}",
        "da": f"Handlingsplan mod vold i nære relationer {start}-{end}",
    }[lang]
    adopted = f"{start - 1}-06-20" if lang == "da" else f"20.06.{start - 1}"
    sections = _sections(raw, k=kommune, s=start, e=end, a=adopted, sak=f"{12 + start % 40}/{str(start - 1)[2:]}")
    return DocText(title, lang, kommune, _cover(lang, kommune, adopted), sections)


def council_minutes(kommune: str, year: int) -> DocText:
    """Nynorsk kommunestyre minutes that mention a general violence plan in passing."""
    adopted = f"19.09.{year}"
    sections = _sections(_MINUTES_NN, a=adopted, y2=str(year)[2:])
    return DocText(f"Møteprotokoll kommunestyret 19.09.{year}", "nn", kommune, (f"{kommune} kommune",), sections)


def budget(kommune: str, year: int) -> DocText:
    """A nynorsk budget and economic plan."""
    adopted = f"12.12.{year - 1}"
    sections = _sections(_BUDGET_NN, y=year, y3=year + 3, a=adopted, sak=f"88/{str(year - 1)[2:]}")
    title = f"Budsjett {year} og økonomiplan {year}–{year + 3}"
    return DocText(title, "nn", kommune, _cover("nn", kommune, adopted), sections)


def short_plan(lang: Lang, kommune: str, title: str, start: int, end: int) -> DocText:
    """A short unrelated plan (traffic safety, public health ...) that sits next to the real one."""
    full = f"{title} {start}–{end}"
    sections = _sections(_SHORT_PLAN[lang], k=kommune, s=start, e=end, t_lower=title[0].lower() + title[1:])
    return DocText(full, lang, kommune, _cover(lang, kommune, f"{start - 1}"), sections)
