"""The words of the test web's abuse-specific plans (bokmål, nynorsk, Danish): section templates only.

Each plan reads like a real handlingsplan or beredskab: purpose, signs of abuse, routines on suspicion, who does
what, training, information to children, coverage of kindergartens/schools/leisure, period and adoption, so the
classifier is tested on realistic prose. The placeholders ({k} kommune, {s}-{e} period, {a} adopted, {sak} case)
are filled by `crawlers.testweb.plantexts.abuse_plan`. Pure data: no I/O.
"""

from __future__ import annotations

#: a document's sections as (heading, paragraphs) templates
SectionTemplates = list[tuple[str, list[str]]]

ABUSE_NB: SectionTemplates = [
    (
        "1. Innledning og formål",
        [
            "{k} kommune har ansvar for å forebygge, avdekke og følge opp seksuelle overgrep mot barn og unge. "
            "Denne handlingsplanen gjelder for perioden {s}–{e} og beskriver hvordan kommunens tjenester skal "
            "arbeide for at barn som utsettes for overgrep blir sett tidlig og får hjelp.",
            "Målet med planen er at alle ansatte som møter barn skal ha kunnskap om seksuelle overgrep, kjenne "
            "tegnene og vite hva de skal gjøre ved bekymring. Planen bygger på regjeringens opptrappingsplan mot "
            "vold og overgrep, barnekonvensjonen og opplysningsplikten til barneverntjenesten.",
        ],
    ),
    (
        "2. Hva er seksuelle overgrep mot barn?",
        [
            "Seksuelle overgrep er handlinger som krenker barnets seksuelle integritet, fra blotting og seksualisert "
            "språk til beføling og voldtekt. Overgrep skjer også på nett, for eksempel ved at voksne eller andre "
            "barn lokker barnet til å dele nakenbilder. Overgriperen er oftest en person barnet kjenner.",
            "Barn som utsettes for seksuelle overgrep kan få store skader: angst, søvnvansker, skam, selvskading "
            "og vansker med læring og relasjoner. Jo tidligere overgrepene stanses, desto bedre er mulighetene "
            "for at barnet får et godt liv videre.",
        ],
    ),
    (
        "3. Tegn og signaler hos barn",
        [
            "Det finnes ingen tegn som alene beviser at et barn er utsatt for overgrep. Ansatte skal likevel kjenne "
            "til signaler som kan gi grunn til bekymring: seksualisert atferd som ikke passer alderen, plutselige "
            "endringer i humør, tilbaketrekning, uro, smerter eller skader i underlivet, frykt for bestemte "
            "personer eller steder, og at barnet forteller noe direkte eller indirekte.",
            "Ved tvil skal ansatte drøfte bekymringen anonymt med barneverntjenesten eller Statens barnehus. "
            "Det er bedre å melde en bekymring som viser seg å være grunnløs enn å la et barn leve med overgrep.",
        ],
    ),
    (
        "4. Rutiner ved mistanke om seksuelle overgrep",
        [
            "Når en ansatt får mistanke om at et barn er utsatt for seksuelle overgrep, skal den ansatte lytte til "
            "barnet uten å stille ledende spørsmål, skrive ned hva barnet sa med barnets egne ord, og straks "
            "informere nærmeste leder. Foreldre skal ikke kontaktes dersom mistanken gjelder noen i familien.",
            "Leder sender bekymringsmelding til barneverntjenesten samme dag. Ved akutt fare kontaktes politiet på "
            "112. Barneverntjenesten vurderer saken og samarbeider med politiet og Statens barnehus om avhør og "
            "medisinsk undersøkelse. Rutinene skal øves minst én gang i året i alle enheter.",
            "Mistanke om at en ansatt har begått overgrep følger egen rutine: kommunedirektøren varsles, den "
            "ansatte tas ut av tjeneste med barn mens saken undersøkes, og politiet kontaktes.",
        ],
    ),
    (
        "5. Hvem gjør hva",
        [
            "Kommunedirektøren har det overordnede ansvaret for at planen følges. Kommunalsjef for oppvekst leder "
            "den tverrfaglige koordineringsgruppen som møtes fire ganger i året.",
            "Barneverntjenesten tar imot bekymringsmeldinger og har vakttelefon på dagtid. Helsestasjon og "
            "skolehelsetjenesten snakker med barn om kropp og grenser. Styrere og rektorer sørger for at de ansatte "
            "kjenner rutinene. Legevakten og fastlegene har ansvar for medisinsk oppfølging.",
        ],
    ),
    (
        "6. Kompetanse og opplæring av ansatte",
        [
            "Alle ansatte i barnehager, skoler, SFO, helsestasjon, barnevern, kulturskole og fritidsklubber skal "
            "gjennomføre e-læringskurset «Snakke med barn» og delta på årlig fagdag om vold og seksuelle overgrep. "
            "Nyansatte får opplæring i rutinene i løpet av de første tre månedene.",
            "Kommunen samarbeider med RVTS om veiledning, og hver enhet har en ressursperson som holder "
            "kunnskapen oppdatert og kan støtte kolleger i vanskelige samtaler.",
        ],
    ),
    (
        "7. Informasjon og undervisning til barn og unge",
        [
            "Barn skal få alderstilpasset kunnskap om kropp, seksualitet, grenser og overgrep, slik at de kan sette "
            "ord på det de opplever og vet hvor de kan få hjelp. Barnehagene bruker «Jeg vil vite»-materiellet, og "
            "skolene gjennomfører undervisningsopplegget fra Stine Sofies Stiftelse på 2., 5. og 8. trinn.",
            "Foreldre informeres på foreldremøter, og kommunen gjennomfører holdningskampanjer i sosiale medier "
            "hvert år i uke 6 sammen med politiet og frivillige organisasjoner.",
        ],
    ),
    (
        "8. Barnehager, skoler og fritidsarenaer",
        [
            "Planen gjelder for alle kommunale og private barnehager, grunnskoler, SFO, kulturskolen, "
            "fritidsklubber og idrettslag som leier kommunale lokaler. Lag og foreninger som får kommunalt tilskudd "
            "skal ha politiattest for trenere og ledere og egne rutiner ved mistanke om overgrep.",
        ],
    ),
    (
        "9. Periode, evaluering og vedtak",
        [
            "Handlingsplanen gjelder for perioden {s}–{e}. Den evalueres årlig av koordineringsgruppen og "
            "revideres innen utgangen av {e}.",
            "Vedtatt i kommunestyret {a}, sak {sak}.",
        ],
    ),
]

ABUSE_NN: SectionTemplates = [
    (
        "1. Innleiing og føremål",
        [
            "{k} kommune har ansvar for å førebyggje, avdekkje og følgje opp vald og seksuelle overgrep mot born "
            "og unge. Handlingsplanen gjeld for perioden {s}–{e} og skildrar korleis tenestene skal arbeide for at "
            "born som vert utsette for overgrep, vert sette tidleg og får hjelp.",
            "Målet er at alle tilsette som møter born, skal ha kunnskap om vald og seksuelle overgrep, kjenne teikna "
            "og vite kva dei skal gjere ved uro. Planen byggjer på barnekonvensjonen og opplysningsplikta til "
            "barnevernet.",
        ],
    ),
    (
        "2. Kva er vald og seksuelle overgrep?",
        [
            "Seksuelle overgrep er handlingar som krenkjer den seksuelle integriteten til barnet, frå blotting og "
            "seksualisert språk til beføling og valdtekt, også på nett. Den som gjer overgrep, er oftast ein person "
            "barnet kjenner. Vald mot born omfattar fysisk og psykisk vald og det å vere vitne til vald i heimen.",
            "Born som vert utsette for overgrep, kan få store skadar: angst, søvnvanskar, skam, sjølvskading og "
            "vanskar med læring og relasjonar.",
        ],
    ),
    (
        "3. Teikn og signal",
        [
            "Ingen teikn prov åleine at eit barn er utsett for overgrep. Tilsette skal likevel kjenne til signal som "
            "kan gje grunn til uro: seksualisert åtferd som ikkje passar alderen, brå endringar i humør, "
            "tilbaketrekking, smerter i underlivet, frykt for bestemte personar og at barnet fortel noko.",
            "Ved tvil skal tilsette drøfte saka anonymt med barnevernet eller Statens barnehus.",
        ],
    ),
    (
        "4. Rutinar ved mistanke",
        [
            "Når ein tilsett får mistanke om overgrep, skal han lytte til barnet utan leiande spørsmål, skrive ned "
            "kva barnet sa med orda til barnet, og straks melde frå til næraste leiar. Føresette skal ikkje "
            "kontaktast dersom mistanken gjeld nokon i familien.",
            "Leiaren sender bekymringsmelding til barnevernet same dag. Ved akutt fare vert politiet kontakta på "
            "112. Rutinane skal øvast minst ein gong i året i alle einingar.",
        ],
    ),
    (
        "5. Kven gjer kva",
        [
            "Kommunedirektøren har det overordna ansvaret. Kommunalsjef for oppvekst leier den tverrfaglege "
            "koordineringsgruppa. Barnevernet tek imot meldingar, helsestasjonen og skulehelsetenesta snakkar med "
            "born om kropp og grenser, og styrarar og rektorar syter for at dei tilsette kjenner rutinane.",
        ],
    ),
    (
        "6. Kompetanse hos tilsette",
        [
            "Alle tilsette i barnehagar, skular, SFO, helsestasjon, barnevern, kulturskule og fritidsklubbar skal "
            "gjennomføre kurset «Snakke med barn» og delta på årleg fagdag om vald og seksuelle overgrep. "
            "Nytilsette får opplæring i rutinane innan tre månader.",
        ],
    ),
    (
        "7. Informasjon til born og unge",
        [
            "Born skal få alderstilpassa kunnskap om kropp, seksualitet, grenser og overgrep, slik at dei kan setje "
            "ord på det dei opplever og veit kvar dei kan få hjelp. Skulane har undervisning om kropp og grenser "
            "på 2., 5. og 8. trinn, og foreldre får informasjon på foreldremøte.",
        ],
    ),
    (
        "8. Barnehagar, skular og fritidsarenaer",
        [
            "Planen gjeld alle barnehagar, skular, SFO, kulturskulen, fritidsklubbar og lag som får kommunalt "
            "tilskot. Trenarar og leiarar skal ha politiattest.",
        ],
    ),
    (
        "9. Periode og vedtak",
        [
            "Handlingsplanen gjeld for perioden {s}–{e} og vert evaluert årleg.",
            "Vedteken i kommunestyret {a}, sak {sak}.",
        ],
    ),
]

ABUSE_DA: SectionTemplates = [
    (
        "1. Formål og lovgrundlag",
        [
            "{k} Kommunes beredskab om vold og seksuelle overgreb mod børn og unge beskriver, hvordan kommunen "
            "forebygger, opdager og håndterer sager om overgreb. Beredskabet gælder for perioden {s}–{e} og er "
            "udarbejdet efter barnets lov, som forpligter alle kommuner til at have et beredskab.",
            "Formålet er, at alle medarbejdere, der arbejder med børn og unge, ved, hvad de skal gøre, når de får "
            "mistanke om, at et barn har været udsat for vold eller seksuelle overgreb.",
        ],
    ),
    (
        "2. Hvad er seksuelle overgreb?",
        [
            "Seksuelle overgreb omfatter enhver seksuel handling mod et barn, som barnet ikke kan overskue "
            "konsekvenserne af, fra blotteri og seksualiseret sprog til berøring og voldtægt, også digitalt. "
            "Overgreb begås oftest af en person, barnet kender.",
            "Børn, der udsættes for overgreb, kan få alvorlige skader som angst, skyld og skam, selvskade og "
            "problemer med skole og relationer.",
        ],
    ),
    (
        "3. Tegn hos barnet",
        [
            "Der findes ingen enkeltstående tegn, som beviser overgreb. Medarbejdere skal kende de signaler, der kan "
            "give anledning til bekymring: seksualiseret adfærd, pludselige ændringer i humør, tilbagetrækning, "
            "smerter i underlivet, frygt for bestemte personer og at barnet fortæller noget.",
        ],
    ),
    (
        "4. Handleveje ved mistanke",
        [
            "Ved mistanke skal medarbejderen lytte til barnet uden at stille ledende spørgsmål, notere barnets egne "
            "ord og straks orientere sin leder. Forældre må ikke inddrages, hvis mistanken retter sig mod nogen i "
            "familien.",
            "Lederen sender en underretning til Børne- og Familieafdelingen samme dag. Ved akut fare kontaktes "
            "politiet på 112. Sagen drøftes i den tværfaglige overgrebsgruppe, som samarbejder med Børnehus Syd og "
            "politiet om videre undersøgelse.",
            "Mistanke mod en medarbejder følger en særskilt handlevej: direktøren orienteres, og medarbejderen "
            "fritages for arbejde med børn, mens sagen undersøges.",
        ],
    ),
    (
        "5. Roller og ansvar",
        [
            "Børne- og Familieafdelingen modtager underretninger og har en døgnåben rådgivning. Sundhedsplejen og "
            "PPR rådgiver medarbejderne. Ledere i dagtilbud, skoler og klubber sikrer, at handlevejene er kendt og "
            "implementeret. Den tværfaglige overgrebsgruppe mødes mindst fire gange om året.",
        ],
    ),
    (
        "6. Viden og kompetence",
        [
            "Alle medarbejdere i dagtilbud, skoler, SFO, klubber, sundhedspleje og familieafdeling gennemgår "
            "kurset «Opsporing af overgreb» og deltager i en årlig temadag. Nye medarbejdere introduceres til "
            "beredskabet inden for tre måneder. Viden holdes opdateret gennem supervision og sparring med "
            "Børnehus Syd.",
        ],
    ),
    (
        "7. Forebyggelse og information til børn",
        [
            "Børn og unge får alderssvarende undervisning om krop, grænser og seksualitet, så de kan sætte ord på "
            "det, de oplever, og ved, hvor de kan få hjælp. Forældre informeres på forældremøder, og kommunen "
            "deltager hvert år i den nationale uge for seksualundervisning.",
        ],
    ),
    (
        "8. Dagtilbud, skoler og fritidstilbud",
        [
            "Beredskabet omfatter alle kommunale og private dagtilbud, skoler, SFO, klubber, ungdomsskolen og "
            "foreninger, der modtager kommunalt tilskud. Trænere og ledere skal have børneattest.",
        ],
    ),
    (
        "9. Periode og godkendelse",
        [
            "Beredskabet gælder for perioden {s}–{e} og revideres hvert år af overgrebsgruppen.",
            "Godkendt i kommunalbestyrelsen {a}, sag {sak}.",
        ],
    ),
]
