"""Pools of text (nb, nn, da) the generator draws from: plan chapters, decoys, service pages, UI words.

All texts are written for this test web in the style of real kommune plans and pages (chapter names,
legal references, typical measures); none is copied from a real document. Placeholders: {k} kommune name,
{y1}/{y2} plan period, {vd} adoption date, {sak} case number, {org} the council, {y} a year, {d} a date.
"""

from __future__ import annotations

LANGS = ("nb", "nn", "da")

# ---------------------------------------------------------------- titles
ABUSE_TITLES: dict[str, list[str]] = {
    "nb": [
        "Handlingsplan mot vold og seksuelle overgrep mot barn og unge {y1}–{y2}",
        "Handlingsplan for forebygging av seksuelle overgrep mot barn {y1}–{y2}",
        "Plan for forebygging, avdekking og håndtering av seksuelle overgrep mot barn og unge",
        "Tiltaksplan mot vold og seksuelle overgrep mot barn og unge {y1}–{y2}",
        "Veileder ved mistanke om vold og seksuelle overgrep mot barn og unge",
        "Handlingsplan mot seksuelle overgrep og skadelig seksuell atferd blant barn og unge",
    ],
    "nn": [
        "Handlingsplan mot vald og seksuelle overgrep mot born og unge {y1}–{y2}",
        "Rettleiar ved mistanke om vald og seksuelle overgrep mot born og unge",
        "Plan for førebygging av vald og seksuelle overgrep mot born og unge {y1}–{y2}",
        "Tiltaksplan mot vald og seksuelle overgrep mot born {y1}–{y2}",
        "Plan for førebygging, avdekking og handtering av seksuelle overgrep mot born",
    ],
    "da": [
        "Beredskab for forebyggelse, tidlig opsporing og håndtering af sager om overgreb mod børn og unge",
        "Beredskabsplan ved vold og seksuelle overgreb mod børn og unge {y1}–{y2}",
        "Kommunalt beredskab mod vold og seksuelle overgreb mod børn og unge",
        "Vejledning ved mistanke om overgreb mod børn og unge",
        "Handleguide ved mistanke eller viden om vold og seksuelle overgreb mod børn",
    ],
}
VAGUE_TITLES: dict[str, list[str]] = {
    "nb": ["Handlingsplan", "Veileder", "Plan {y1}–{y2}", "Rutiner ved bekymring", "Trygge barn"],
    "nn": ["Handlingsplan", "Rettleiar", "Plan {y1}–{y2}", "Rutinar ved uro", "Trygge born"],
    "da": ["Beredskab", "Vejledning ved mistanke om overgreb", "Handleguide", "Beredskabsplan {y1}", "Trygge børn"],
}
VAGUE_FILENAMES: list[str] = [
    "plan-endelig-versjon",
    "dokument_{y1}_v3",
    "vedlegg-2",
    "scan_{y1}{m}{dd}",
    "endelig",
    "plan_ny",
    "web-versjon",
]
GENERAL_TITLES: dict[str, list[str]] = {
    "nb": [
        "Handlingsplan mot vold i nære relasjoner {y1}–{y2}",
        "Plan mot vold i nære relasjoner {y1}–{y2}",
        "Handlingsplan for bekjempelse av vold i nære relasjoner",
    ],
    "nn": [
        "Plan for førebygging av vald i nære relasjonar {y1}–{y2}",
        "Handlingsplan mot vald i nære relasjonar {y1}–{y2}",
    ],
    "da": [
        "Handleplan mod vold i nære relationer {y1}–{y2}",
        "Strategi mod vold i nære relationer {y1}–{y2}",
    ],
}
DRAFT_PREFIX: dict[str, list[str]] = {
    "nb": ["Høringsutkast: ", "Utkast til ", "Forslag til "],
    "nn": ["Høyringsutkast: ", "Utkast til ", "Framlegg til "],
    "da": ["Høringsudkast: ", "Udkast til ", "Forslag til "],
}

# ---------------------------------------------------------------- abuse-specific plan chapters
# (heading, paragraphs); the generator keeps the order and draws 1-3 paragraphs per chapter.
ABUSE_CHAPTERS: dict[str, list[tuple[str, list[str]]]] = {
    "nb": [
        (
            "Innledning",
            [
                "Vold og seksuelle overgrep mot barn er et alvorlig samfunnsproblem og et brudd på barns "
                "grunnleggende rettigheter. {k} kommune har nulltoleranse for vold og overgrep, og alle som "
                "arbeider med barn og unge har et ansvar for å se, spørre og handle.",
                "Undersøkelser viser at mange barn ikke forteller om overgrep før i voksen alder, og at de som "
                "forteller ofte må prøve flere ganger før en voksen forstår. Planen skal gjøre de voksne rundt "
                "barna i {k} tryggere på hva de skal se etter og hva de skal gjøre.",
                "Planen er utarbeidet av en tverrfaglig arbeidsgruppe med representanter fra barnehage, skole, "
                "helsestasjon og skolehelsetjeneste, barneverntjenesten, PPT, NAV, kultur og politiet.",
            ],
        ),
        (
            "Formål og målgruppe",
            [
                "Formålet med planen er å forebygge, avdekke og håndtere seksuelle overgrep mot barn og unge "
                "i alderen 0–18 år. Planen retter seg mot alle ansatte i kommunen som møter barn, og mot "
                "frivillige lag og foreninger som kommunen samarbeider med.",
                "Planen skal sikre at barn og unge får alderstilpasset kunnskap om kropp, grenser og seksualitet, "
                "at ansatte har kompetanse til å oppdage tegn på overgrep, og at alle kjenner rutinene når det "
                "oppstår mistanke.",
            ],
        ),
        (
            "Lovgrunnlag og føringer",
            [
                "Alle har avvergeplikt etter straffeloven § 196. Plikten går foran taushetsplikten og gjelder "
                "når det er mest sannsynlig at et alvorlig straffbart forhold, som seksuell omgang med barn, "
                "vil skje eller pågår.",
                "Offentlig ansatte har opplysningsplikt til barneverntjenesten etter barnevernsloven § 13-2, "
                "barnehageloven § 46, opplæringslova og helsepersonelloven § 33 når det er grunn til å tro at et "
                "barn blir utsatt for overgrep.",
                "Planen bygger på den nasjonale opptrappingsplanen mot vold og overgrep og på veiledere fra "
                "Bufdir og RVTS. Kommunen skal etter helse- og omsorgstjenesteloven § 3-3 a ha en plan for "
                "arbeidet mot vold og overgrep.",
            ],
        ),
        (
            "Hva er seksuelle overgrep?",
            [
                "Seksuelle overgrep er seksuelle handlinger som barnet ikke kan forstå, ikke er modent for og "
                "ikke kan gi samtykke til. Det omfatter berøring, å bli tvunget til å se på seksuelle handlinger, "
                "og overgrep som skjer digitalt, for eksempel deling av nakenbilder.",
                "Skadelig seksuell atferd hos barn og unge er seksuell atferd som er upassende for alderen, som "
                "skader barnet selv eller andre, eller som skjer med tvang. Også slike saker skal håndteres etter "
                "denne planen.",
            ],
        ),
        (
            "Forebygging",
            [
                "Alle barnehager i {k} skal bruke et alderstilpasset opplegg om kropp og grenser, og alle skoler "
                "skal gjennomføre undervisning om seksualitet, grenser og overgrep på hvert trinn.",
                "Foreldre skal få informasjon om temaet på foreldremøter i barnehage og skole, og "
                "helsestasjonen tar opp kroppsgrenser i konsultasjonene.",
                "Kommunen krever politiattest av alle som arbeider med barn, også i kulturskole, SFO og i "
                "frivillige lag som får kommunalt tilskudd.",
            ],
        ),
        (
            "Avdekking",
            [
                "Barn som utsettes for overgrep kan vise endringer i atferd, søvn, konsentrasjon og lek, men "
                "mange viser ingen tydelige tegn. Ansatte skal derfor ha kunnskap om å snakke med barn og tåle "
                "å høre det barnet forteller.",
                "Ansatte skal lytte, stille åpne spørsmål og skrive ned barnets egne ord. Ikke lov barnet å holde "
                "det hemmelig, og ikke konfronter den mistenkte.",
                "Konsultasjonsteamet for vold og overgrep kan kontaktes anonymt av alle ansatte som er usikre.",
            ],
        ),
        (
            "Håndtering og rutiner ved mistanke",
            [
                "Ved akutt fare ring politiet på 112. Ved mistanke om overgrep skal du drøfte saken med nærmeste "
                "leder samme dag og sende bekymringsmelding til barneverntjenesten.",
                "Foreldre skal ikke informeres dersom mistanken gjelder noen i familien. Barneverntjenesten og "
                "politiet avgjør sammen om det skal tas avhør ved Statens barnehus.",
                "Alle ledere skal sørge for at rutinen er kjent, og at den øves minst én gang i året.",
            ],
        ),
        (
            "Kompetanse",
            [
                "Alle ansatte i barnehage, skole, SFO, helsestasjon og barnevern skal gjennomføre e-læringskurs "
                "om vold og overgrep innen første år i stillingen.",
                "Kommunen har en ressursgruppe som gir veiledning og arrangerer fagdag hvert år i samarbeid med "
                "RVTS og Statens barnehus.",
            ],
        ),
        (
            "Oppfølging og evaluering",
            [
                "Planen gjelder for perioden {y1}–{y2}. Kommunalsjef for oppvekst har ansvar for at planen følges "
                "opp, og tiltakene rapporteres i årsmeldingen.",
                "Planen ble vedtatt i {org} {vd}, sak {sak}. Den skal revideres innen utgangen av {y2}.",
            ],
        ),
    ],
    "nn": [
        (
            "Innleiing",
            [
                "Vald og seksuelle overgrep mot born er eit alvorleg samfunnsproblem og eit brot på borna sine "
                "grunnleggjande rettar. {k} kommune har nulltoleranse for vald og overgrep.",
                "Mange born fortel ikkje om overgrep før dei er vaksne, og dei som fortel må ofte prøve fleire "
                "gonger før nokon forstår. Planen skal gjere dei vaksne rundt borna tryggare på kva dei skal sjå "
                "etter og kva dei skal gjere.",
                "Planen er utarbeidd av ei tverrfagleg arbeidsgruppe med folk frå barnehage, skule, helsestasjon, "
                "barnevernstenesta, PPT, NAV og politiet.",
            ],
        ),
        (
            "Føremål og målgruppe",
            [
                "Føremålet med planen er å førebyggje, avdekkje og handtere seksuelle overgrep mot born og unge "
                "mellom 0 og 18 år. Planen gjeld alle tilsette i kommunen som møter born.",
                "Planen skal sikre at born og unge får kunnskap om kropp, grenser og seksualitet tilpassa alderen, "
                "og at alle tilsette kjenner rutinane når det oppstår mistanke.",
            ],
        ),
        (
            "Lovgrunnlag",
            [
                "Alle har avvergeplikt etter straffelova § 196. Plikta går føre teieplikta.",
                "Offentleg tilsette har opplysningsplikt til barnevernstenesta etter barnevernslova § 13-2, "
                "barnehagelova § 46 og helsepersonellova § 33.",
                "Kommunen skal etter helse- og omsorgstenestelova § 3-3 a ha ein plan for arbeidet mot vald og "
                "overgrep.",
            ],
        ),
        (
            "Kva er seksuelle overgrep?",
            [
                "Seksuelle overgrep er seksuelle handlingar som barnet ikkje kan forstå, ikkje er mogen for og "
                "ikkje kan gje samtykke til. Det gjeld òg overgrep som skjer digitalt.",
                "Skadeleg seksuell åtferd blant born og unge skal òg handterast etter denne planen.",
            ],
        ),
        (
            "Førebygging",
            [
                "Alle barnehagar i {k} skal nytte eit opplegg om kropp og grenser, og alle skular skal ha "
                "undervisning om seksualitet, grenser og overgrep på kvart trinn.",
                "Føresette skal få informasjon om temaet på foreldremøte, og helsestasjonen tek opp kroppsgrenser "
                "i konsultasjonane.",
                "Kommunen krev politiattest av alle som arbeider med born, også i kulturskulen og i lag som får "
                "kommunalt tilskot.",
            ],
        ),
        (
            "Avdekking",
            [
                "Born som blir utsette for overgrep kan endre åtferd, søvn og leik, men mange viser ingen tydelege "
                "teikn. Tilsette skal difor kunne snakke med born og tole å høyre det barnet fortel.",
                "Lytt, still opne spørsmål og skriv ned barnet sine eigne ord. Ikkje konfronter den mistenkte.",
            ],
        ),
        (
            "Handtering og rutinar ved mistanke",
            [
                "Ved akutt fare ring politiet på 112. Ved mistanke om overgrep skal du drøfte saka med næraste "
                "leiar same dag og sende bekymringsmelding til barnevernstenesta.",
                "Føresette skal ikkje varslast dersom mistanken gjeld nokon i familien. Barnevernstenesta og "
                "politiet avgjer saman om det skal takast avhøyr ved Statens barnehus.",
            ],
        ),
        (
            "Oppfølging",
            [
                "Planen gjeld for perioden {y1}–{y2}. Kommunalsjef for oppvekst har ansvar for oppfølginga.",
                "Planen vart vedteken i {org} {vd}, sak {sak}, og skal rullerast innan utgangen av {y2}.",
            ],
        ),
    ],
    "da": [
        (
            "Indledning",
            [
                "Alle børn og unge i {k} Kommune har ret til en opvækst uden vold og seksuelle overgreb. "
                "Beredskabet beskriver, hvordan kommunen forebygger, opsporer og håndterer sager om overgreb "
                "mod børn og unge under 18 år.",
                "Beredskabet henvender sig til ledere og medarbejdere i dagtilbud, skoler, SFO, klubber, "
                "sundhedspleje, tandpleje, PPR og Familieafdelingen samt til private leverandører og plejefamilier.",
                "Beredskabet er udarbejdet i et tværfagligt samarbejde og tager udgangspunkt i Socialstyrelsens "
                "vejledningsmateriale om kommunale beredskaber.",
            ],
        ),
        (
            "Lovgrundlag",
            [
                "Efter Barnets Lov § 15, stk. 2, skal kommunalbestyrelsen udarbejde et beredskab til forebyggelse, "
                "tidlig opsporing og behandling af sager om overgreb mod børn og unge. Beredskabet skal vedtages "
                "af kommunalbestyrelsen, offentliggøres og revideres mindst hvert fjerde år.",
                "Alle fagpersoner har en skærpet underretningspligt. Har du viden eller mistanke om, at et barn "
                "udsættes for vold eller seksuelle overgreb, skal du straks underrette kommunen.",
            ],
        ),
        (
            "Definitioner",
            [
                "Ved seksuelle overgreb forstås enhver seksuel handling mod et barn, som barnet ikke kan overskue "
                "eller give samtykke til, herunder digitale krænkelser og deling af billeder.",
                "Seksuelt bekymrende adfærd mellem børn skal også håndteres efter beredskabet, med omsorg for "
                "både det krænkede og det krænkende barn.",
            ],
        ),
        (
            "Forebyggelse",
            [
                "Alle dagtilbud og skoler i {k} Kommune arbejder med alderssvarende undervisning i krop, grænser "
                "og seksualitet, så børn lærer at sige fra og at fortælle en voksen.",
                "Institutionerne udarbejder lokale beredskaber og politikker for god adfærd, og ledelsen sikrer, "
                "at der indhentes børneattest ved ansættelse.",
            ],
        ),
        (
            "Tidlig opsporing",
            [
                "Børn, der udsættes for overgreb, kan vise ændret adfærd, søvnproblemer, tilbagetrækning eller "
                "seksualiseret leg. Medarbejdere skal kende tegn og reaktioner og være opmærksomme på den "
                "professionelle tvivl.",
                "Tal med barnet i trygge rammer, lyt og stil åbne spørgsmål. Noter barnets egne ord, tidspunkt og "
                "situation, og lov ikke barnet hemmeligholdelse.",
            ],
        ),
        (
            "Handleveje ved mistanke eller viden",
            [
                "Ved mistanke mod en forælder: kontakt din leder og underret Børne- og Familierådgivningen "
                "straks. Forældrene må ikke orienteres, før kommunen har talt med politiet.",
                "Ved mistanke mod en ansat: lederen kontakter straks sin chef og underretter kommunen. Den ansatte "
                "fritages for tjeneste med børn, mens sagen undersøges.",
                "Ved mistanke mod et andet barn: forældrene til begge børn orienteres efter aftale med "
                "Familieafdelingen, og der udarbejdes en plan for barnenes trivsel.",
            ],
        ),
        (
            "Tværfagligt samarbejde",
            [
                "Kommunen har et tværfagligt team, der kan rådgive anonymt. I sager om overgreb samarbejdes med "
                "Børnehuset, politiet, sundhedsvæsenet og Familieretshuset.",
                "Socialtilsynet fører tilsyn med kommunens dag- og døgntilbud, og kommunen orienterer tilsynet ved "
                "mistanke om overgreb i et tilbud.",
            ],
        ),
        (
            "Implementering og revision",
            [
                "Beredskabet implementeres gennem årlige temamøder for ledere og ved introduktion af nye "
                "medarbejdere. Den enkelte leder har ansvar for, at beredskabet er kendt på arbejdspladsen.",
                "Beredskabet er godkendt af {org} den {vd} og gælder {y1}–{y2}. Det revideres senest i {y2}.",
            ],
        ),
    ],
}

TILTAK: dict[str, list[tuple[str, str]]] = {
    "nb": [
        ("Opplæring av alle nyansatte i barnehage og skole om vold og overgrep", "Kommunalsjef oppvekst"),
        ("Undervisningsopplegg om kropp og grenser på alle trinn", "Rektorer"),
        ("Temakveld for foreldre om nettvett og deling av bilder", "Helsestasjon for ungdom"),
        ("Årlig øvelse på rutine ved mistanke om overgrep", "Styrere og rektorer"),
        ("Etablere konsultasjonsteam for vold og overgrep", "Kommunalsjef helse"),
        ("Informasjon om planen til frivillige lag og foreninger", "Kultursjef"),
        ("Kartlegge kompetansebehov i tjenestene", "Personalsjef"),
        ("Samarbeidsavtale med Statens barnehus og politiet", "Barnevernleder"),
        ("Holdningskampanje for ungdom i samarbeid med ungdomsrådet", "SLT-koordinator"),
        ("Rutine for politiattest i kommunale og frivillige tilbud", "Rådmannen"),
    ],
    "nn": [
        ("Opplæring av alle nytilsette i barnehage og skule om vald og overgrep", "Kommunalsjef oppvekst"),
        ("Undervisningsopplegg om kropp og grenser på alle trinn", "Rektorane"),
        ("Temakveld for føresette om nettvett", "Helsestasjon for ungdom"),
        ("Årleg øving på rutinen ved mistanke", "Styrarar og rektorar"),
        ("Etablere konsultasjonsteam for vald og overgrep", "Kommunalsjef helse"),
        ("Informasjon om planen til lag og organisasjonar", "Kultursjef"),
        ("Samarbeidsavtale med Statens barnehus", "Barnevernsleiar"),
    ],
    "da": [
        ("Temadag for ledere om beredskabet", "Børne- og Ungechef"),
        ("Undervisning i krop, grænser og seksualitet i alle klasser", "Skoleledere"),
        ("Lokale beredskaber i alle dagtilbud", "Dagtilbudsledere"),
        ("Introduktion af nye medarbejdere til handleveje", "Den enkelte leder"),
        ("Anonym sparring i det tværfaglige team", "Familieafdelingen"),
        ("Samarbejdsaftale med Børnehuset", "Myndighedschef"),
        ("Informationsmateriale til forældre", "Sundhedsplejen"),
        ("Opfølgning på børneattester", "HR"),
    ],
}
TILTAK_HEAD: dict[str, list[str]] = {
    "nb": ["Tiltak", "Ansvar", "Frist"],
    "nn": ["Tiltak", "Ansvar", "Frist"],
    "da": ["Indsats", "Ansvar", "Tidsfrist"],
}
TILTAK_CHAPTER: dict[str, str] = {"nb": "Tiltak", "nn": "Tiltak", "da": "Indsatser"}
SERVICES: dict[str, list[str]] = {
    "nb": [
        "barnehage",
        "skole og SFO",
        "helsestasjon",
        "tannhelsetjenesten",
        "kulturskolen",
        "fritidsklubben",
        "barneverntjenesten",
        "NAV",
        "legevakten",
        "PPT",
        "avlastning",
        "frivillige lag",
    ],
    "nn": [
        "barnehagen",
        "skule og SFO",
        "helsestasjonen",
        "tannhelsetenesta",
        "kulturskulen",
        "fritidsklubben",
        "barnevernstenesta",
        "NAV",
        "legevakta",
        "PPT",
    ],
    "da": [
        "dagplejen",
        "daginstitutioner",
        "skole og SFO",
        "sundhedsplejen",
        "tandplejen",
        "klubber",
        "PPR",
        "plejefamilier",
        "aflastning",
        "Ungdomsskolen",
        "Musikskolen",
    ],
}
SERVICE_APPENDIX: dict[str, tuple[str, list[str]]] = {
    "nb": (
        "Rutine for {t}",
        [
            "Ansatte i {t} skal kjenne tegnene på overgrep og vite hvem de skal kontakte. Leder i {t} sørger "
            "for at rutinen gjennomgås på personalmøte hvert halvår.",
            "Ved bekymring dokumenterer den ansatte det som er sett og hørt, drøfter med leder og sender "
            "melding til barneverntjenesten. Leder i {t} følger opp at melding er sendt.",
            "Barn og foreldre i {t} får informasjon om hvor de kan få hjelp, blant annet Alarmtelefonen for "
            "barn og unge 116 111.",
        ],
    ),
    "nn": (
        "Rutine for {t}",
        [
            "Tilsette i {t} skal kjenne teikna på overgrep og vite kven dei skal kontakte. Leiar i {t} syter for "
            "at rutinen vert gjennomgått på personalmøte kvart halvår.",
            "Ved uro dokumenterer den tilsette det som er sett og høyrt, drøftar med leiar og sender melding til "
            "barnevernstenesta.",
        ],
    ),
    "da": (
        "Handlevej for {t}",
        [
            "Medarbejdere i {t} skal kende tegn på overgreb og vide, hvem de skal kontakte. Lederen af {t} sikrer, "
            "at handlevejen gennemgås på personalemøder to gange om året.",
            "Ved bekymring noterer medarbejderen sine iagttagelser, drøfter dem med lederen og underretter "
            "kommunen. Lederen følger op på, at underretningen er sendt.",
        ],
    ),
}
STEPS_HEAD: dict[str, str] = {
    "nb": "Slik gjør du ved mistanke",
    "nn": "Slik gjer du ved mistanke",
    "da": "Sådan gør du ved mistanke",
}
STEPS: dict[str, list[str]] = {
    "nb": [
        "Lytt til barnet og skriv ned det barnet sier",
        "Drøft med nærmeste leder samme dag",
        "Kontakt barneverntjenesten eller barnevernvakten",
        "Ved akutt fare: ring politiet 112",
        "Ikke konfronter den mistenkte eller informer foreldre når mistanken gjelder familien",
        "Dokumenter hva som er gjort og når",
    ],
    "nn": [
        "Lytt til barnet og skriv ned det barnet seier",
        "Drøft med næraste leiar same dag",
        "Kontakt barnevernstenesta eller barnevernsvakta",
        "Ved akutt fare: ring politiet 112",
        "Ikkje konfronter den mistenkte",
        "Dokumenter kva som er gjort og når",
    ],
    "da": [
        "Lyt til barnet og noter barnets egne ord",
        "Kontakt din leder samme dag",
        "Underret Børne- og Familierådgivningen straks",
        "Ved akut fare: ring 112",
        "Orienter ikke forældrene, hvis mistanken retter sig mod dem",
        "Noter, hvad du har gjort og hvornår",
    ],
}
CONTACT_HEAD: dict[str, str] = {"nb": "Kontaktinformasjon", "nn": "Kontaktinformasjon", "da": "Kontakt"}
CONTACTS: dict[str, list[str]] = {
    "nb": [
        "Barneverntjenesten i {k}: 12 34 56 78 (dagtid)",
        "Barnevernvakten: 11 22 33 44 (kveld og helg)",
        "Politiet: 02800, ved akutt fare 112",
        "Statens barnehus: 23 45 67 89",
        "Alarmtelefonen for barn og unge: 116 111",
    ],
    "nn": [
        "Barnevernstenesta i {k}: 12 34 56 78",
        "Barnevernsvakta: 11 22 33 44",
        "Politiet: 02800, ved akutt fare 112",
        "Alarmtelefonen for barn og unge: 116 111",
    ],
    "da": [
        "Børne- og Familierådgivningen: 70 12 34 56",
        "Døgnvagt uden for åbningstid: 70 65 43 21",
        "Politiet: 114, ved akut fare 112",
        "Børnehuset: 72 34 56 78",
        "BørneTelefonen: 116 111",
    ],
}

# ---------------------------------------------------------------- general violence plan
GENERAL_CHAPTERS: dict[str, list[tuple[str, list[str]]]] = {
    "nb": [
        (
            "Innledning",
            [
                "Vold i nære relasjoner rammer kvinner, menn, barn og eldre. {k} kommune vil med denne planen styrke "
                "arbeidet mot vold i familien og i nære forhold.",
                "Planen omfatter fysisk, psykisk, seksuell og økonomisk vold, negativ sosial kontroll "
                "og vold mot eldre.",
            ],
        ),
        (
            "Mål",
            [
                "Innbyggerne i {k} skal vite hvor de kan få hjelp. Ansatte skal kunne avdekke vold og gi helhetlig "
                "oppfølging, og den som utøver vold skal få tilbud om behandling."
            ],
        ),
        (
            "Krisesentertilbud",
            [
                "Kommunen har avtale med det interkommunale krisesenteret, som gir døgnåpent tilbud til kvinner, "
                "menn og barn som er utsatt for vold i nære relasjoner."
            ],
        ),
        (
            "Barn som lever med vold",
            [
                "Barn som ser eller hører vold i hjemmet er selv utsatt for vold. Planen har et eget kapittel om "
                "barn, også om seksuelle overgrep mot barn, men hovedvekten ligger på vold i familien.",
                "Ved mistanke om at et barn utsettes for vold eller overgrep gjelder opplysningsplikten til "
                "barneverntjenesten og avvergeplikten etter straffeloven § 196.",
            ],
        ),
        (
            "Vold mot eldre",
            [
                "Hjemmetjenesten skal ha rutiner for å avdekke vold og økonomisk utnytting av eldre, i samarbeid "
                "med TryggEst."
            ],
        ),
        (
            "Behandlingstilbud til voldsutøvere",
            [
                "Kommunen samarbeider med Alternativ til Vold og familievernkontoret om tilbud til personer som "
                "utøver vold."
            ],
        ),
        ("Oppfølging", ["Planen gjelder {y1}–{y2} og ble vedtatt av {org} {vd}, sak {sak}."]),
    ],
    "nn": [
        (
            "Innleiing",
            [
                "Vald i nære relasjonar rammar kvinner, menn, born og eldre. {k} kommune vil med denne planen styrkje "
                "arbeidet mot vald i familien."
            ],
        ),
        ("Mål", ["Innbyggjarane i {k} skal vite kvar dei kan få hjelp, og tilsette skal kunne avdekkje vald."]),
        (
            "Born som lever med vald",
            [
                "Born som ser eller høyrer vald i heimen er sjølve utsette for vald. Planen har eit kapittel om born, "
                "også om seksuelle overgrep, men hovudvekta ligg på vald i familien."
            ],
        ),
        ("Vald mot eldre", ["Heimetenesta skal ha rutinar for å avdekkje vald mot eldre."]),
        ("Oppfølging", ["Planen gjeld {y1}–{y2} og vart vedteken av {org} {vd}, sak {sak}."]),
    ],
    "da": [
        (
            "Indledning",
            [
                "Vold i nære relationer rammer kvinder, mænd, børn og ældre. {k} Kommune vil med denne handleplan "
                "styrke indsatsen mod vold i familien og i parforhold."
            ],
        ),
        ("Mål", ["Borgere i {k} Kommune skal vide, hvor de kan få hjælp, og medarbejdere skal kunne opspore vold."]),
        ("Krisecenter", ["Kommunen samarbejder med krisecentret om ophold og efterværn."]),
        (
            "Børn i familier med vold",
            [
                "Børn, der overværer vold, er selv udsat for vold. Et afsnit handler om børn og om seksuelle overgreb, "
                "men planens hovedemne er vold i nære relationer. Der henvises til kommunens beredskab."
            ],
        ),
        ("Opfølgning", ["Handleplanen gælder {y1}–{y2} og er godkendt af {org} den {vd}."]),
    ],
}

# ---------------------------------------------------------------- decoys
NEWS_DECOYS: dict[str, list[tuple[str, list[str]]]] = {
    "nb": [
        (
            "Kommunen starter arbeidet med handlingsplan mot vold i nære relasjoner",
            [
                "{k} kommune har satt ned en arbeidsgruppe som skal lage en ny handlingsplan mot vold i nære "
                "relasjoner. Planen skal etter planen legges fram for politisk behandling i {y}.",
                "Innbyggere og lag som vil komme med innspill kan ta kontakt med kommunalsjef for helse.",
            ],
        ),
        (
            "Ny handlingsplan skal på plass i {y}",
            [
                "Kommunestyret har bedt kommunedirektøren utarbeide en plan mot vold og seksuelle overgrep mot barn. "
                "Arbeidet starter etter sommeren."
            ],
        ),
        (
            "Fagdag om vold og overgrep for ansatte i oppvekst",
            [
                "Over 200 ansatte i barnehager og skoler deltok på fagdag om vold og overgrep. Foredragsholdere fra "
                "RVTS og Statens barnehus snakket om hvordan man snakker med barn."
            ],
        ),
        (
            "Planen mot overgrep skal revideres",
            [
                "Kommunens plan fra 2016 skal revideres. En ny versjon ventes ferdig neste år, og den gamle planen "
                "gjelder inntil videre."
            ],
        ),
    ],
    "nn": [
        (
            "Kommunen startar arbeidet med plan mot vald i nære relasjonar",
            [
                "{k} kommune har sett ned ei arbeidsgruppe som skal lage ein ny plan mot vald i nære relasjonar. "
                "Planen skal til politisk handsaming i {y}."
            ],
        ),
        (
            "Ny handlingsplan skal på plass i {y}",
            ["Kommunestyret har bede kommunedirektøren lage ein plan mot vald og seksuelle overgrep mot born."],
        ),
        (
            "Fagdag om vald og overgrep",
            ["Tilsette i barnehagar og skular deltok på fagdag om vald og overgrep i kulturhuset."],
        ),
    ],
    "da": [
        (
            "Kommunen reviderer sit beredskab mod overgreb",
            [
                "{k} Kommune er i gang med at revidere beredskabet mod vold og seksuelle overgreb mod børn og unge. "
                "Det reviderede beredskab forventes politisk behandlet i {y}."
            ],
        ),
        (
            "Temadag om overgreb samlede 300 medarbejdere",
            ["Medarbejdere fra dagtilbud og skoler deltog i en temadag om tegn på overgreb og om underretninger."],
        ),
        (
            "Nyt beredskab skal på plads i {y}",
            [
                "Børne- og Ungeudvalget har bedt forvaltningen om et forslag til nyt beredskab. Arbejdet begynder "
                "efter sommerferien."
            ],
        ),
    ],
}
NEWS_FILLER: dict[str, list[tuple[str, str]]] = {
    "nb": [
        ("Ny gang- og sykkelvei åpnet", "Den nye gang- og sykkelveien langs fylkesveien er nå åpen."),
        ("Endret åpningstid på biblioteket", "Biblioteket holder stengt i romjulen og åpner igjen 2. januar."),
        ("Søk kulturmidler innen 1. mars", "Lag og foreninger kan søke om kulturmidler for neste år."),
        ("Vannavstengning i sentrum", "På grunn av arbeid på ledningsnettet blir vannet stengt tirsdag."),
        ("Sommerjobb for ungdom", "Ungdom mellom 15 og 18 år kan søke sommerjobb i kommunen."),
        ("Kommunestyret vedtok budsjettet", "Kommunestyret vedtok budsjett og økonomiplan i desembermøtet."),
        ("Valg av nytt ungdomsråd", "Ungdomsrådet for neste periode er valgt."),
        ("Brøyting og strøing", "Slik prioriterer kommunen brøyting av kommunale veier."),
        ("Ledige barnehageplasser", "Det er ledige plasser i flere barnehager fra august."),
        ("Vaksinering mot influensa", "Helsestasjonen tilbyr influensavaksine til risikogrupper."),
    ],
    "nn": [
        ("Ny gang- og sykkelveg opna", "Den nye gang- og sykkelvegen langs fylkesvegen er no open."),
        ("Endra opningstid på biblioteket", "Biblioteket held stengt i romjula."),
        ("Søk kulturmidlar innan 1. mars", "Lag og organisasjonar kan søkje om kulturmidlar."),
        ("Vatnet blir stengt i sentrum", "Vatnet blir stengt tysdag på grunn av arbeid."),
        ("Sommarjobb for ungdom", "Ungdom mellom 15 og 18 år kan søkje sommarjobb i kommunen."),
        ("Kommunestyret vedtok budsjettet", "Kommunestyret vedtok budsjett og økonomiplan."),
        ("Ledige barnehageplassar", "Det er ledige plassar i fleire barnehagar frå august."),
    ],
    "da": [
        ("Ny cykelsti indviet", "Den nye cykelsti mellem byen og skolen er nu åben."),
        ("Ændrede åbningstider på biblioteket", "Biblioteket holder lukket mellem jul og nytår."),
        ("Søg puljen til foreningsliv", "Foreninger kan søge tilskud fra puljen inden 1. marts."),
        ("Vejarbejde på hovedgaden", "Der er vejarbejde på hovedgaden i uge 12 og 13."),
        ("Byrådet har vedtaget budgettet", "Byrådet vedtog budgettet for næste år ved andenbehandlingen."),
        ("Ledige pladser i dagplejen", "Der er ledige pladser i dagplejen fra 1. august."),
        ("Sommerferiejob for unge", "Unge mellem 15 og 17 år kan søge sommerferiejob i kommunen."),
    ],
}
MINUTES: dict[str, dict[str, object]] = {
    "nb": {
        "title": "Møteprotokoll {org_cap} {d}",
        "intro": "Møtested: Kommunestyresalen. Til stede: 27 av 27 medlemmer. Forfall: ingen.",
        "items": [
            (
                "PS {n}/{yy} Handlingsplan mot vold og overgrep – orientering",
                "Kommunalsjef orienterte om arbeidet med ny plan.",
                "Vedtak: Orienteringen tas til etterretning.",
            ),
            (
                "PS {n}/{yy} Budsjett og økonomiplan",
                "Formannskapets innstilling ble lagt fram.",
                "Vedtak: Budsjettet vedtas som innstilt.",
            ),
            (
                "PS {n}/{yy} Trafikksikkerhetsplan – rullering",
                "Planen er på høring til 1. mai.",
                "Vedtak: Planen sendes på høring.",
            ),
            ("PS {n}/{yy} Referatsaker", "Ingen merknader.", "Vedtak: Referatsakene tas til orientering."),
        ],
    },
    "nn": {
        "title": "Møteprotokoll {org_cap} {d}",
        "intro": "Møtestad: Kommunestyresalen. Til stades: 21 av 21 medlemer.",
        "items": [
            (
                "PS {n}/{yy} Plan mot vald og overgrep – orientering",
                "Kommunalsjefen orienterte om arbeidet.",
                "Vedtak: Orienteringa vert teken til vitande.",
            ),
            (
                "PS {n}/{yy} Budsjett og økonomiplan",
                "Innstillinga frå formannskapet vart lagd fram.",
                "Vedtak: Budsjettet vert vedteke som innstilt.",
            ),
            ("PS {n}/{yy} Referatsaker", "Ingen merknader.", "Vedtak: Referatsakene vert tekne til orientering."),
        ],
    },
    "da": {
        "title": "Referat {org_cap} {d}",
        "intro": "Mødested: Byrådssalen. Fraværende: ingen.",
        "items": [
            (
                "Punkt {n} Revision af beredskab mod overgreb mod børn og unge – proces",
                "Forvaltningen fremlagde en tidsplan for revisionen.",
                "Beslutning: Tidsplanen godkendes.",
            ),
            (
                "Punkt {n} Budget – 1. behandling",
                "Økonomiudvalgets indstilling blev fremlagt.",
                "Beslutning: Oversendes til 2. behandling.",
            ),
            ("Punkt {n} Meddelelser", "Ingen bemærkninger.", "Beslutning: Taget til efterretning."),
        ],
    },
}
HEARING_NOTICE: dict[str, tuple[str, list[str]]] = {
    "nb": (
        "Høring: Handlingsplan mot vold og seksuelle overgrep mot barn",
        [
            "Utkast til handlingsplan mot vold og seksuelle overgrep mot barn og unge er sendt på høring. "
            "Høringsfrist er {d}.",
            "Innspill sendes til postmottak i {k} kommune. Merk innspillet med saksnummer {sak}.",
        ],
    ),
    "nn": (
        "Høyring: Plan mot vald og seksuelle overgrep mot born",
        [
            "Utkast til plan mot vald og seksuelle overgrep mot born og unge er sendt på høyring. Frist er {d}.",
            "Innspel sender du til postmottaket i {k} kommune.",
        ],
    ),
    "da": (
        "Høring: Udkast til revideret beredskab mod overgreb",
        [
            "Udkast til revideret beredskab mod vold og seksuelle overgreb mod børn og unge er sendt i høring. "
            "Høringsfristen er {d}.",
            "Høringssvar sendes til Børn og Familie i {k} Kommune.",
        ],
    ),
}
SERVICE_DECOYS: dict[str, list[tuple[str, list[str]]]] = {
    "nb": [
        (
            "Vold og overgrep – hvor får du hjelp?",
            [
                "Er du utsatt for vold eller overgrep, eller er du bekymret for noen? Her finner du oversikt over "
                "hjelpetilbudene i {k} kommune og regionen.",
                "Ved akutt fare: ring 112. Legevakt: 116 117.",
            ],
        ),
        (
            "Hvis du er bekymret for et barn",
            [
                "Alle kan sende bekymringsmelding til barneverntjenesten. Du trenger ikke være sikker, det holder at "
                "du er bekymret.",
                "Meldingen kan sendes digitalt eller du kan ringe barneverntjenesten.",
            ],
        ),
        (
            "Statens barnehus",
            [
                "Statens barnehus tar imot barn og ungdom som kan ha vært utsatt for eller vitne til vold eller "
                "seksuelle overgrep. Barnehuset gjennomfører tilrettelagte avhør etter avtale med politiet."
            ],
        ),
        ("Krisesenter", ["Kommunen har avtale med krisesenteret, som er åpent hele døgnet."]),
    ],
    "nn": [
        (
            "Vald og overgrep – kvar får du hjelp?",
            ["Er du utsett for vald eller overgrep, eller uroleg for nokon? Her finn du hjelpetilboda i {k}."],
        ),
        (
            "Om du er uroleg for eit barn",
            ["Alle kan sende bekymringsmelding til barnevernstenesta. Du treng ikkje vere sikker."],
        ),
        ("Statens barnehus", ["Statens barnehus tek imot born som kan ha vore utsette for vald eller overgrep."]),
    ],
    "da": [
        (
            "Er du bekymret for et barn?",
            [
                "Alle borgere kan sende en underretning til kommunen, hvis de er bekymrede for et barn eller en ung.",
                "Du kan være anonym. Ved akut fare: ring 112.",
            ],
        ),
        (
            "Børnehuset",
            [
                "Børnehuset tager imod børn og unge, der har været udsat for vold eller seksuelle overgreb, og "
                "samarbejder med kommune, politi og sundhedsvæsen."
            ],
        ),
        ("Vold i familien – få hjælp", ["Her finder du hjælp, hvis du er udsat for vold i familien."]),
    ],
}
POLICE_TEXT: dict[str, tuple[str, list[str]]] = {
    "nb": (
        "Seksuelle overgrep mot barn – informasjon fra politiet",
        [
            "Politiet etterforsker alle anmeldelser om seksuelle overgrep mot barn. Har du mistanke, kan du ringe "
            "politiet på 02800 eller tipse via politiets nettside.",
            "Teksten er gjengitt med tillatelse fra politidistriktet. Les mer hos politiet og i regjeringens "
            "opptrappingsplan mot vold og overgrep.",
        ],
    ),
    "nn": (
        "Seksuelle overgrep mot born – informasjon frå politiet",
        ["Politiet etterforskar alle meldingar om seksuelle overgrep mot born. Ring 02800 om du har mistanke."],
    ),
    "da": (
        "Seksuelle overgreb mod børn – information fra politiet",
        [
            "Politiet efterforsker alle anmeldelser om seksuelle overgreb mod børn. Ring 114, hvis du har mistanke.",
            "Læs mere hos politiet og i Socialstyrelsens materiale.",
        ],
    ),
}
OTHER_PLANS: dict[str, list[tuple[str, list[str]]]] = {
    "nb": [
        (
            "Trafikksikkerhetsplan {y1}–{y2}",
            [
                "Planen beskriver tiltak for tryggere skolevei, nye fotgjengeroverganger og fartsdempende tiltak.",
                "Tiltakene er prioritert etter antall ulykker og antall skolebarn som ferdes på strekningen.",
            ],
        ),
        (
            "Rusmiddelpolitisk handlingsplan {y1}–{y2}",
            ["Planen regulerer salgs- og skjenkebevillinger og beskriver forebyggende arbeid mot rus blant unge."],
        ),
        (
            "Folkehelseplan {y1}–{y2}",
            [
                "Folkehelseplanen bygger på oversikten over helsetilstanden i {k} og prioriterer fysisk aktivitet, "
                "psykisk helse og sosial utjevning."
            ],
        ),
        (
            "Plan for kompetanseheving i barnehage {y1}–{y2}",
            ["Planen beskriver kompetansetiltak for barnehagelærere og assistenter, blant annet om språk og lek."],
        ),
    ],
    "nn": [
        ("Trafikktryggleiksplan {y1}–{y2}", ["Planen skildrar tiltak for tryggare skuleveg og fartsdemping."]),
        ("Rusmiddelpolitisk handlingsplan {y1}–{y2}", ["Planen regulerer sals- og skjenkeløyve."]),
        ("Folkehelseplan {y1}–{y2}", ["Folkehelseplanen prioriterer fysisk aktivitet og psykisk helse."]),
    ],
    "da": [
        ("Trafiksikkerhedsplan {y1}–{y2}", ["Planen beskriver indsatser for sikre skoleveje og lavere hastighed."]),
        ("Sundhedspolitik {y1}–{y2}", ["Sundhedspolitikken prioriterer mental sundhed, bevægelse og røgfrihed."]),
        ("Alkoholpolitik for unge", ["Politikken beskriver kommunens forebyggende indsats mod alkohol blandt unge."]),
    ],
}
BUDGET: dict[str, tuple[str, list[str]]] = {
    "nb": (
        "Budsjett {y} og økonomiplan {y}–{y3}",
        [
            "Rammen for oppvekst økes med 2,1 millioner kroner, blant annet til oppfølging av handlingsplanen mot vold "
            "og overgrep og styrking av helsestasjon og skolehelsetjeneste.",
            "Investeringsbudsjettet omfatter ny barneskole, rehabilitering av sykehjemmet og "
            "vann- og avløpsprosjekter.",
        ],
    ),
    "nn": (
        "Budsjett {y} og økonomiplan {y}–{y3}",
        [
            "Ramma for oppvekst aukar med 1,8 millionar kroner, mellom anna til oppfølging av planen mot vald og "
            "overgrep."
        ],
    ),
    "da": (
        "Budget {y} og overslagsår {y}–{y3}",
        [
            "Børne- og Ungeudvalgets ramme øges med 1,5 mio. kr., blandt andet til implementering af det reviderede "
            "beredskab mod overgreb og flere sundhedsplejersker."
        ],
    ),
}

# ---------------------------------------------------------------- ordinary site content
SECTIONS: dict[str, list[tuple[str, list[str]]]] = {
    "nb": [
        (
            "Helse og omsorg",
            [
                "Helsestasjon",
                "Legevakt",
                "Hjemmetjenester",
                "Psykisk helse og rus",
                "Sykehjem",
                "Fysioterapi",
                "Vold og overgrep",
                "Folkehelse",
            ],
        ),
        ("Barnehage og skole", ["Barnehage", "Skole", "SFO", "PPT", "Skolerute", "Skoleskyss", "Kulturskole"]),
        ("Familie og barn", ["Barneverntjenesten", "Familievern", "Avlastning", "Foreldreveiledning"]),
        ("Bygg, eiendom og vei", ["Byggesak", "Kart", "Eiendomsskatt", "Vei og trafikk", "Oppmåling"]),
        ("Vann, avløp og renovasjon", ["Vann", "Avløp", "Renovasjon", "Slamtømming"]),
        ("Kultur og fritid", ["Bibliotek", "Idrett", "Kulturhus", "Fritidsklubb", "Tilskudd"]),
        ("Næring og arbeid", ["Etablering", "Skjenkebevilling", "Landbruk", "Ledige stillinger"]),
        ("Politikk og organisasjon", ["Politiske møter", "Planer og strategier", "Postliste", "Organisasjonskart"]),
    ],
    "nn": [
        (
            "Helse og omsorg",
            [
                "Helsestasjon",
                "Legevakt",
                "Heimetenester",
                "Psykisk helse og rus",
                "Sjukeheim",
                "Fysioterapi",
                "Vald og overgrep",
                "Folkehelse",
            ],
        ),
        ("Barnehage og skule", ["Barnehage", "Skule", "SFO", "PPT", "Skulerute", "Skuleskyss", "Kulturskule"]),
        ("Familie og born", ["Barnevernstenesta", "Familievern", "Avlasting"]),
        ("Bygg, eigedom og veg", ["Byggjesak", "Kart", "Eigedomsskatt", "Veg og trafikk"]),
        ("Vatn, avlaup og renovasjon", ["Vatn", "Avlaup", "Renovasjon"]),
        ("Kultur og fritid", ["Bibliotek", "Idrett", "Kulturhus", "Tilskot"]),
        ("Næring og arbeid", ["Etablering", "Skjenkeløyve", "Landbruk", "Ledige stillingar"]),
        ("Politikk og organisasjon", ["Politiske møte", "Planar og strategiar", "Postliste"]),
    ],
    "da": [
        (
            "Familie og børn",
            [
                "Dagtilbud",
                "Skole og SFO",
                "Sundhedspleje",
                "Tandpleje",
                "Støtte til børn og unge",
                "PPR",
                "Overgreb mod børn og unge",
            ],
        ),
        ("Sundhed og ældre", ["Hjemmepleje", "Plejehjem", "Genoptræning", "Forebyggelse", "Demens"]),
        ("Affald og genbrug", ["Tømmekalender", "Genbrugspladser", "Storskrald"]),
        ("Byggeri og bolig", ["Byggetilladelse", "Lokalplaner", "Ejendomsskat", "Boligstøtte"]),
        ("Job og uddannelse", ["Jobcenter", "Ungdommens Uddannelsesvejledning", "Kontanthjælp"]),
        ("Kultur og fritid", ["Biblioteker", "Idrætsanlæg", "Foreninger", "Musikskole"]),
        ("Politik", ["Byrådet", "Dagsordener og referater", "Politikker og planer", "Høringer"]),
    ],
}
FILLER: dict[str, list[str]] = {
    "nb": [
        "Her finner du informasjon om {t} i {k} kommune, hvordan du søker og hvem du kan kontakte.",
        "Søknaden sendes digitalt via kommunens skjemaportal. Du får svar innen tre uker.",
        "Tjenesten er gratis for innbyggerne. Ta kontakt med servicetorget hvis du har spørsmål.",
        "Kommunen følger nasjonale retningslinjer og faglige anbefalinger på området.",
        "Åpningstider: mandag til fredag 08.00–15.30. Telefon: 12 34 56 78.",
        "Du kan klage på vedtaket. Klagefristen er tre uker fra du mottok vedtaket.",
        "Priser og gebyrer vedtas av kommunestyret hvert år i forbindelse med budsjettet.",
    ],
    "nn": [
        "Her finn du informasjon om {t} i {k} kommune, korleis du søkjer og kven du kan kontakte.",
        "Søknaden sender du digitalt via skjemaportalen. Du får svar innan tre veker.",
        "Tenesta er gratis for innbyggjarane. Ta kontakt med servicetorget om du har spørsmål.",
        "Opningstider: måndag til fredag 08.00–15.30. Telefon: 12 34 56 78.",
        "Du kan klage på vedtaket. Klagefristen er tre veker.",
    ],
    "da": [
        "Her kan du læse om {t} i {k} Kommune, hvordan du søger, og hvem du kan kontakte.",
        "Du ansøger digitalt med MitID. Du får svar inden for fire uger.",
        "Har du spørgsmål, er du velkommen til at kontakte Borgerservice.",
        "Åbningstider: mandag til torsdag 10–15, fredag 10–13. Telefon: 70 12 34 56.",
        "Du kan klage over afgørelsen inden fire uger.",
    ],
}

UI: dict[str, dict[str, str]] = {
    "nb": {
        "home": "Forside",
        "skip": "Hopp til innhold",
        "search": "Søk",
        "search_ph": "Hva leter du etter?",
        "menu": "Meny",
        "news": "Nyheter",
        "all_news": "Se alle nyheter",
        "contact": "Kontakt oss",
        "privacy": "Personvern",
        "a11y": "Tilgjengelighetserklæring",
        "calendar": "Arrangementskalender",
        "print": "Skriv ut",
        "next": "Neste side",
        "prev": "Forrige side",
        "read": "Les mer",
        "download": "Last ned",
        "results": "Søkeresultat",
        "hits": "treff",
        "no_hits": "Ingen treff",
        "not_found": "Siden finnes ikke",
        "meetings": "Politiske møter",
        "plans": "Planer og strategier",
        "hearings": "Høringer",
        "shortcuts": "Snarveier",
        "docs": "Dokumenter",
        "related": "Se også",
        "suffix": "kommune",
        "unavailable": "Tjenesten er midlertidig utilgjengelig",
        "employees": "Ansatte",
        "month": "Måned",
        "filter": "Filtrer nyheter",
        "topic": "Tema",
        "year": "År",
        "pdf": "PDF",
    },
    "nn": {
        "home": "Framside",
        "skip": "Hopp til innhald",
        "search": "Søk",
        "search_ph": "Kva leitar du etter?",
        "menu": "Meny",
        "news": "Nyheiter",
        "all_news": "Sjå alle nyheiter",
        "contact": "Kontakt oss",
        "privacy": "Personvern",
        "a11y": "Tilgjengeerklæring",
        "calendar": "Kalender",
        "print": "Skriv ut",
        "next": "Neste side",
        "prev": "Førre side",
        "read": "Les meir",
        "download": "Last ned",
        "results": "Søkjeresultat",
        "hits": "treff",
        "no_hits": "Ingen treff",
        "not_found": "Sida finst ikkje",
        "meetings": "Politiske møte",
        "plans": "Planar og strategiar",
        "hearings": "Høyringar",
        "shortcuts": "Snarvegar",
        "docs": "Dokument",
        "related": "Sjå òg",
        "suffix": "kommune",
        "unavailable": "Tenesta er mellombels utilgjengeleg",
        "employees": "Tilsette",
        "month": "Månad",
        "filter": "Filtrer nyheiter",
        "topic": "Tema",
        "year": "År",
        "pdf": "PDF",
    },
    "da": {
        "home": "Forside",
        "skip": "Spring til indhold",
        "search": "Søg",
        "search_ph": "Hvad søger du?",
        "menu": "Menu",
        "news": "Nyheder",
        "all_news": "Se alle nyheder",
        "contact": "Kontakt",
        "privacy": "Privatlivspolitik",
        "a11y": "Tilgængelighedserklæring",
        "calendar": "Kalender",
        "print": "Udskriv",
        "next": "Næste side",
        "prev": "Forrige side",
        "read": "Læs mere",
        "download": "Hent",
        "results": "Søgeresultater",
        "hits": "resultater",
        "no_hits": "Ingen resultater",
        "not_found": "Siden blev ikke fundet",
        "meetings": "Dagsordener og referater",
        "plans": "Politikker og planer",
        "hearings": "Høringer",
        "shortcuts": "Genveje",
        "docs": "Dokumenter",
        "related": "Se også",
        "suffix": "Kommune",
        "unavailable": "Tjenesten er midlertidigt utilgængelig",
        "employees": "Medarbejdere",
        "month": "Måned",
        "filter": "Filtrer nyheder",
        "topic": "Emne",
        "year": "År",
        "pdf": "PDF",
    },
}
LANDING_INTRO: dict[str, list[str]] = {
    "nb": [
        "{k} kommune har vedtatt en egen plan for arbeidet mot vold og seksuelle overgrep mot barn og unge. "
        "Planen gjelder alle tjenester som møter barn.",
        "Planen beskriver hvordan vi forebygger, avdekker og håndterer overgrep, og hva du som ansatt skal gjøre "
        "ved mistanke. Den inneholder også en oversikt over tiltak med ansvar og frister.",
        "Har du spørsmål om planen, kan du kontakte kommunalsjef for oppvekst.",
    ],
    "nn": [
        "{k} kommune har vedteke ein eigen plan for arbeidet mot vald og seksuelle overgrep mot born og unge.",
        "Planen skildrar korleis vi førebyggjer, avdekkjer og handterer overgrep, og kva du som tilsett skal gjere.",
        "Har du spørsmål om planen, kan du kontakte kommunalsjef for oppvekst.",
    ],
    "da": [
        "{k} Kommune har et beredskab for forebyggelse, tidlig opsporing og håndtering af sager om vold og "
        "seksuelle overgreb mod børn og unge.",
        "Beredskabet beskriver handleveje for medarbejdere og ledere, når der opstår bekymring, mistanke eller "
        "viden om overgreb.",
        "Beredskabet er godkendt af Byrådet og revideres mindst hvert fjerde år.",
    ],
}
GENERAL_LANDING_INTRO: dict[str, list[str]] = {
    "nb": ["Kommunen har en handlingsplan mot vold i nære relasjoner. Planen beskriver hjelpetilbud og tiltak."],
    "nn": ["Kommunen har ein handlingsplan mot vald i nære relasjonar med hjelpetilbod og tiltak."],
    "da": ["Kommunen har en handleplan mod vold i nære relationer med tilbud og indsatser."],
}
COUNCIL: dict[str, list[str]] = {
    "nb": ["kommunestyret", "bystyret"],
    "nn": ["kommunestyret", "heradsstyret"],
    "da": ["Byrådet", "Kommunalbestyrelsen"],
}
MONTHS: dict[str, list[str]] = {
    "nb": [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
    "nn": [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
    "da": [
        "januar",
        "februar",
        "marts",
        "april",
        "maj",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "december",
    ],
}
