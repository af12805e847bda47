"""Ordinary filler pages of a kommune site (services, council, news, about): the haystack around the plan.

Titles and sentences per language, drawn with a seeded `random.Random` so a site is the same for the same seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from crawlers.testweb.pages import slug
from crawlers.testweb.plantexts import Lang

_SECTIONS: dict[Lang, list[tuple[str, str]]] = {
    "nb": [("Tjenester", "tjenester"), ("Politikk", "politikk"), ("Nyheter", "nyheter"), ("Om kommunen", "om")],
    "nn": [("Tenester", "tenester"), ("Politikk", "politikk"), ("Nyheiter", "nyheiter"), ("Om kommunen", "om")],
    "da": [("Borger", "borger"), ("Politik", "politik"), ("Nyheder", "nyheder"), ("Om kommunen", "om")],
}

_TITLES: dict[Lang, list[list[str]]] = {
    "nb": [
        [
            "Søke barnehageplass",
            "Foreldrebetaling i barnehage",
            "Skoleruta",
            "SFO",
            "Legevakt",
            "Helsestasjon",
            "Fysioterapi",
            "Tømmeplan for avfall",
            "Vann og avløp",
            "Byggesak",
            "Kommunale boliger",
            "Brannvern og feiing",
            "Kulturskolen",
            "Biblioteket",
            "Svømmehallen",
            "Hjemmetjenesten",
            "NAV",
            "Skoleskyss",
            "Trafikksikkerhetsplan",
            "Plan for psykisk helse",
        ],
        [
            "Kommunestyret",
            "Formannskapet",
            "Møtekalender",
            "Innsyn i saker og postliste",
            "Kommuneplanens arealdel",
            "Høringer",
            "Eldrerådet",
            "Ungdomsrådet",
            "Valg",
            "Møteprotokoller",
        ],
        [
            "Ny barnehage åpner i august",
            "Vegarbeid på Storgata",
            "Sommerjobb for ungdom",
            "Feiring av 17. mai",
            "Stengt rådhus i romjula",
            "Ny gang- og sykkelvei",
            "Vaksinasjon mot influensa",
            "Ledige tomter",
            "Tilskudd til lag og foreninger",
            "Kokevarsel er opphevet",
            "Ny rektor ved ungdomsskolen",
            "Budsjettet for neste år er vedtatt",
        ],
        [
            "Kontakt oss",
            "Ledige stillinger",
            "Personvern",
            "Tilgjengelighetserklæring",
            "Åpningstider",
            "Organisasjonskart",
        ],
    ],
    "nn": [
        [
            "Søkje barnehageplass",
            "Foreldrebetaling i barnehagen",
            "Skuleruta",
            "SFO",
            "Legevakt",
            "Helsestasjon",
            "Fysioterapi",
            "Tømeplan for avfall",
            "Vatn og avløp",
            "Byggjesak",
            "Kommunale bustader",
            "Brannvern og feiing",
            "Kulturskulen",
            "Biblioteket",
            "Symjehallen",
            "Heimetenesta",
            "NAV",
            "Skuleskyss",
            "Trafikktryggleiksplan",
            "Plan for psykisk helse",
        ],
        [
            "Kommunestyret",
            "Formannskapet",
            "Møtekalender",
            "Innsyn i saker og postliste",
            "Kommuneplanen",
            "Høyringar",
            "Eldrerådet",
            "Ungdomsrådet",
            "Val",
            "Møteprotokollar",
        ],
        [
            "Ny barnehage opnar i august",
            "Vegarbeid på Storegata",
            "Sommarjobb for ungdom",
            "Feiring av 17. mai",
            "Stengt rådhus i romjula",
            "Ny gang- og sykkelveg",
            "Vaksinering mot influensa",
            "Ledige tomter",
            "Tilskot til lag og organisasjonar",
            "Kokevarselet er oppheva",
            "Ny rektor ved ungdomsskulen",
            "Budsjettet for neste år er vedteke",
        ],
        [
            "Kontakt oss",
            "Ledige stillingar",
            "Personvern",
            "Tilgjengelegheitserklæring",
            "Opningstider",
            "Organisasjonskart",
        ],
    ],
    "da": [
        [
            "Skriv dit barn op til dagtilbud",
            "Priser på dagtilbud",
            "Skoleindskrivning",
            "SFO og klub",
            "Lægevagt",
            "Sundhedspleje",
            "Genoptræning",
            "Tømmekalender for affald",
            "Vand og spildevand",
            "Byggetilladelse",
            "Almene boliger",
            "Brandsikring",
            "Musikskolen",
            "Biblioteket",
            "Svømmehallen",
            "Hjemmepleje",
            "Jobcenter",
            "Skolebus",
            "Trafiksikkerhedsplan",
            "Sundhedspolitik",
        ],
        [
            "Kommunalbestyrelsen",
            "Økonomiudvalget",
            "Dagsordener og referater",
            "Aktindsigt",
            "Kommuneplan",
            "Høringer",
            "Ældrerådet",
            "Ungdomsrådet",
            "Valg",
            "Politiske udvalg",
        ],
        [
            "Ny børnehave åbner i august",
            "Vejarbejde på Østergade",
            "Sommerjob til unge",
            "Byfest i weekenden",
            "Rådhuset holder juleferie",
            "Ny cykelsti",
            "Influenzavaccination",
            "Ledige byggegrunde",
            "Tilskud til foreninger",
            "Kogeanbefaling ophævet",
            "Ny skoleleder",
            "Budgettet er vedtaget",
        ],
        ["Kontakt", "Ledige stillinger", "Privatlivspolitik", "Tilgængelighedserklæring", "Åbningstider", "Cookies"],
    ],
}

_SENTENCES: dict[Lang, list[str]] = {
    "nb": [
        "Her finner du informasjon om tjenesten og hvordan du søker.",
        "Søknaden sendes elektronisk via skjema.",
        "Har du spørsmål, kan du kontakte servicetorget på telefon.",
        "Fristen for hovedopptaket er 1. mars.",
        "Kommunen følger opp saken så snart som mulig.",
        "Prisene er fastsatt av kommunestyret i budsjettet.",
        "Tjenesten er gratis for innbyggere i kommunen.",
        "Les mer i kommuneplanen og tilhørende planer.",
        "Åpningstidene kan være endret i ferier.",
        "Saken ble behandlet i formannskapet forrige uke.",
        "Vi minner om at alle tiltak må meldes i god tid.",
        "Informasjonen oppdateres fortløpende.",
    ],
    "nn": [
        "Her finn du informasjon om tenesta og korleis du søkjer.",
        "Søknaden vert send elektronisk via skjema.",
        "Har du spørsmål, kan du kontakte servicetorget på telefon.",
        "Fristen for hovudopptaket er 1. mars.",
        "Kommunen følgjer opp saka så snart som mogleg.",
        "Prisane er fastsette av kommunestyret i budsjettet.",
        "Tenesta er gratis for innbyggjarar i kommunen.",
        "Les meir i kommuneplanen og planane som høyrer til.",
        "Opningstidene kan vere endra i feriar.",
        "Saka vart handsama i formannskapet førre veke.",
        "Alle tiltak må meldast i god tid.",
        "Informasjonen vert oppdatert fortløpande.",
    ],
    "da": [
        "Her kan du læse om tilbuddet, og hvordan du søger.",
        "Ansøgningen sendes digitalt via selvbetjening.",
        "Har du spørgsmål, er du velkommen til at kontakte Borgerservice.",
        "Fristen for ansøgning er 1. marts.",
        "Kommunen behandler din sag hurtigst muligt.",
        "Priserne er fastsat af kommunalbestyrelsen.",
        "Tilbuddet er gratis for borgere i kommunen.",
        "Læs mere i kommuneplanen og de tilhørende politikker.",
        "Åbningstiderne kan være ændret i ferier.",
        "Sagen blev behandlet i økonomiudvalget i sidste uge.",
        "Husk at anmelde byggeri i god tid.",
        "Informationen opdateres løbende.",
    ],
}


@dataclass(frozen=True)
class OrdinaryPage:
    path: str
    title: str
    section: int  # index into the language's sections (0 services, 1 politics, 2 news, 3 about)
    text: tuple[str, ...]


def sections(lang: Lang) -> list[tuple[str, str]]:
    """(menu text, path segment) of the four standard top-level sections."""
    return _SECTIONS[lang]


def ordinary_pages(rng: random.Random, lang: Lang, count: int) -> list[OrdinaryPage]:
    """`count` filler pages spread over the four sections, titles unique, text drawn from `rng`."""
    pools = [list(p) for p in _TITLES[lang]]
    for pool in pools:
        rng.shuffle(pool)
    pages: list[OrdinaryPage] = []
    used: set[str] = set()
    weights = (0.45, 0.2, 0.25, 0.1)
    for n in range(count):
        section = rng.choices(range(4), weights=weights)[0]
        pool = pools[section]
        title = pool.pop() if pool else f"{_TITLES[lang][section][n % len(_TITLES[lang][section])]} {n}"
        segment = slug(title, lang)
        path = f"/{_SECTIONS[lang][section][1]}/{segment}"
        if path in used:
            path = f"{path}-{n}"
        used.add(path)
        chosen = rng.sample(_SENTENCES[lang], k=5)
        pages.append(OrdinaryPage(path, title, section, (" ".join(chosen[:3]), " ".join(chosen[3:]))))
    return pages
