"""The interface's words: Norwegian bokmål (default), English (the switch) and Danish (Danish kommune pages).

`translate(lang, key)` falls back to bokmål, then to the key itself, so a missing translation shows up as a readable
key in the page instead of an error. Keys are dotted by page ("nav.overview", "status.no_plan_found").
Other dashboard modules may add their own entries with `register`, e.g. the Act and Review pages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

UI_LANGUAGES: Final[tuple[str, ...]] = ("nb", "en")
PAGE_LANGUAGES: Final[tuple[str, ...]] = ("nb", "en", "da")
DEFAULT_LANGUAGE: Final = "nb"

# key: (nb, en, da)
_ENTRIES: dict[str, tuple[str, str, str]] = {
    "site.name": ("Planvakt", "Planvakt", "Planvakt"),
    "site.tagline": (
        "Har kommunen en plan mot seksuelle overgrep mot barn?",
        "Does the municipality have a plan against sexual abuse of children?",
        "Har kommunen en plan mod seksuelle overgreb mod børn?",
    ),
    "nav.label": ("Hovedmeny", "Main menu", "Hovedmenu"),
    "nav.overview": ("Oversikt", "Overview", "Oversigt"),
    "nav.changes": ("Endringer", "Changes", "Ændringer"),
    "nav.act": ("Gjør noe", "Act", "Gør noget"),
    "nav.review": ("Gjennomgang", "Review", "Gennemgang"),
    "nav.health": ("Crawlerhelse", "Crawler health", "Crawlerens tilstand"),
    "nav.data": ("Data", "Data", "Data"),
    "nav.skip": ("Gå til innholdet", "Skip to content", "Gå til indholdet"),
    "lang.switch": ("English", "Norsk", "English"),
    "lang.switch_label": ("Språk", "Language", "Sprog"),
    "footer.evidence": (
        "Alt som vises peker på bevis: adresse, klikksti, tidspunkt, SHA-256 og en arkivert kopi.",
        "Everything shown points to evidence: address, click path, time, SHA-256 and an archived copy.",
        "Alt, der vises, peger på beviser: adresse, kliksti, tidspunkt, SHA-256 og en arkiveret kopi.",
    ),
    # statuses
    "status.abuse_specific_plan": (
        "Egen plan mot seksuelle overgrep",
        "Plan specific to sexual abuse",
        "Egen plan mod seksuelle overgreb",
    ),
    "status.general_violence_plan_only": (
        "Bare generell voldsplan",
        "General violence plan only",
        "Kun generel voldsplan",
    ),
    "status.no_plan_found": ("Ingen plan funnet", "No plan found", "Ingen plan fundet"),
    "status.site_unreachable": (
        "Nettstedet svarte ikke / blokkert",
        "Site unreachable / blocked",
        "Hjemmesiden svarede ikke / blokeret",
    ),
    "status.not_checked": ("Ikke sjekket ennå", "Not checked yet", "Ikke tjekket endnu"),
    "category.abuse_specific": ("Plan mot seksuelle overgrep", "Sexual abuse plan", "Plan mod seksuelle overgreb"),
    "category.general_violence": ("Generell voldsplan", "General violence plan", "Generel voldsplan"),
    "category.other": ("Annet", "Other", "Andet"),
    "current.true": ("gjeldende", "current", "gældende"),
    "current.false": ("utløpt", "expired", "udløbet"),
    "current.unknown": ("ukjent periode", "unknown period", "ukendt periode"),
    "country.NO": ("Norge", "Norway", "Norge"),
    "country.DK": ("Danmark", "Denmark", "Danmark"),
    "region.unknown": ("Ukjent fylke/region", "Unknown county/region", "Ukendt region"),
    # overview
    "overview.title": ("Oversikt over alle kommuner", "Overview of all municipalities", "Oversigt over alle kommuner"),
    "overview.counts": ("Status i tall", "Status in numbers", "Status i tal"),
    "overview.map": ("Kart", "Map", "Kort"),
    "overview.by_region": ("Per fylke/region", "By county/region", "Pr. region"),
    "overview.table": ("Alle kommuner", "All municipalities", "Alle kommuner"),
    "overview.filter": ("Filtrer", "Filter", "Filtrer"),
    "overview.reset": ("Nullstill", "Reset", "Nulstil"),
    "overview.showing": ("Viser", "Showing", "Viser"),
    "overview.of": ("av", "of", "af"),
    "overview.any": ("Alle", "Any", "Alle"),
    "overview.total": ("Totalt", "Total", "I alt"),
    "overview.share": ("andel", "share", "andel"),
    "overview.search": ("Navn eller nummer", "Name or number", "Navn eller nummer"),
    "overview.min_criteria": ("Minst antall kriterier", "At least criteria met", "Mindst antal kriterier"),
    "overview.max_depth": ("Høyst antall klikk", "At most clicks", "Højst antal klik"),
    "overview.sort_by": ("Sorter etter", "Sort by", "Sorter efter"),
    "col.kommunenummer": ("Nr.", "No.", "Nr."),
    "col.name": ("Kommune", "Municipality", "Kommune"),
    "col.country": ("Land", "Country", "Land"),
    "col.region": ("Fylke/region", "County/region", "Region"),
    "col.status": ("Status", "Status", "Status"),
    "col.current": ("Gjeldende?", "Current?", "Gældende?"),
    "col.click_depth": ("Klikk fra forsiden", "Clicks from front page", "Klik fra forsiden"),
    "col.criteria": ("Kriterier oppfylt", "Criteria met", "Kriterier opfyldt"),
    "col.checked_at": ("Sist sjekket", "Last checked", "Sidst tjekket"),
    "col.count": ("Antall", "Count", "Antal"),
    "col.kind": ("Type", "Kind", "Type"),
    "col.when": ("Når", "When", "Hvornår"),
    "col.url": ("Adresse", "Address", "Adresse"),
    "col.pages": ("Sider hentet", "Pages fetched", "Sider hentet"),
    "col.errors": ("Feil", "Errors", "Fejl"),
    "col.reachable": ("Svarte", "Reachable", "Svarede"),
    "col.blocked": ("Blokkert", "Blocked", "Blokeret"),
    "col.robots": ("Nektet av robots.txt", "Disallowed by robots.txt", "Afvist af robots.txt"),
    "col.rendered": ("Sider med JavaScript", "JavaScript pages", "Sider med JavaScript"),
    "col.column": ("Kolonne", "Column", "Kolonne"),
    "col.meaning": ("Betydning", "Meaning", "Betydning"),
    "yes": ("ja", "yes", "ja"),
    "no": ("nei", "no", "nej"),
    # kommune page
    "kommune.verdict": ("Konklusjon", "Verdict", "Konklusion"),
    "kommune.plans": ("Planer funnet", "Plans found", "Planer fundet"),
    "kommune.no_plans": (
        "Ingen plan ble funnet i siste sjekk.",
        "No plan was found in the latest check.",
        "Ingen plan blev fundet ved seneste tjek.",
    ),
    "kommune.category": ("Kategori", "Category", "Kategori"),
    "kommune.years": ("Periode", "Period", "Periode"),
    "kommune.current": ("Gjeldende", "Current", "Gældende"),
    "kommune.click_path": ("Klikksti fra forsiden", "Click path from the front page", "Kliksti fra forsiden"),
    "kommune.no_click_path": (
        "Ikke nåbar med lenker fra forsiden",
        "Not reachable by links from the front page",
        "Kan ikke nås via links fra forsiden",
    ),
    "kommune.found_via": ("Funnet via", "Found via", "Fundet via"),
    # a plan with no click depth: how it was reached instead of "None klikk fra forsiden" (issue 13)
    "kommune.only_via.site_search": (
        "funnet bare via nettstedets søk",
        "found only through the site's search",
        "fundet kun via hjemmesidens søgning",
    ),
    "kommune.only_via.sitemap": (
        "funnet bare via nettstedskartet",
        "found only through the sitemap",
        "fundet kun via sitemap",
    ),
    "kommune.only_via.tip": ("tipset av en frivillig", "sent in by a volunteer", "tippet af en frivillig"),
    "kommune.only_via.other": (
        "ikke nådd med klikk fra forsiden",
        "not reached by clicks from the front page",
        "ikke nået med klik fra forsiden",
    ),
    # what the latest check searched and read (dashboards/templates/kommune.html, tracker/trail_store.py)
    "trail.heading": ("Hva crawleren gjorde", "What the crawler did", "Hvad crawleren gjorde"),
    "trail.pages": ("Sider lest", "Pages read", "Sider læst"),
    "trail.from_front": ("fra forsiden", "from the front page", "fra forsiden"),
    "trail.rendered": ("med JavaScript", "with JavaScript", "med JavaScript"),
    "trail.show_pages": (
        "Sidene som ble åpnet via lenker og nettstedskart",
        "The pages opened through links and the sitemap",
        "Siderne, der blev åbnet via links og sitemap",
    ),
    "trail.robots": ("nektet av robots.txt", "disallowed by robots.txt", "afvist af robots.txt"),
    "trail.search": ("Nettstedets søk", "The site's search", "Hjemmesidens søgning"),
    "trail.search_form": (
        "søkeskjemaet på forsiden",
        "the search form on the front page",
        "søgeformularen på forsiden",
    ),
    "trail.search_probe": ("en vanlig søkeadresse", "a common search address", "en almindelig søgeadresse"),
    "trail.no_search": (
        "Fant ikke noe søk på nettstedet.",
        "No site search was found.",
        "Fandt ingen søgning på siden.",
    ),
    "trail.queries": ("Søk", "Queries", "Søgninger"),
    "trail.hits": ("treff", "hits", "hits"),
    "trail.search_failed": ("søket svarte ikke", "the search did not answer", "søgningen svarede ikke"),
    "trail.sitemaps": ("Nettstedskart", "Sitemaps", "Sitemaps"),
    "trail.sitemap_entries": ("adresser i alt", "addresses in all", "adresser i alt"),
    "trail.no_sitemap": ("Fant ikke noe nettstedskart.", "No sitemap was found.", "Fandt intet sitemap."),
    "trail.candidates": ("Kandidatdokumenter lest", "Candidate documents read", "Kandidatdokumenter læst"),
    "trail.no_candidates": (
        "Ingen dokumenter så ut som en plan, så ingen ble lest.",
        "No document looked like a plan, so none was read.",
        "Ingen dokumenter lignede en plan, så ingen blev læst.",
    ),
    "trail.not_recorded": (
        "Hva som ble søkt, er ikke registrert for denne sjekken (den er eldre enn registreringen, eller et tips).",
        "What was searched is not recorded for this check (it predates the recording, or it is a tip).",
        "Hvad der blev søgt, er ikke registreret for dette tjek (det er ældre end registreringen, eller et tip).",
    ),
    "trail.document": ("Dokument", "Document", "Dokument"),
    "trail.verdict": ("Vurdering", "Verdict", "Vurdering"),
    "trail.reason": ("Maskinens begrunnelse", "The machine's reason", "Maskinens begrundelse"),
    "trail.verdict.plan": ("valgt som planen", "taken as the plan", "valgt som planen"),
    "trail.verdict.ranked_lower": (
        "en plan, men en annen ble valgt foran den",
        "a plan, but another was chosen over it",
        "en plan, men en anden blev valgt frem for den",
    ),
    "trail.verdict.not_final": (
        "et utkast eller saksdokument, ikke en vedtatt plan",
        "a draft or case document, not an adopted plan",
        "et udkast eller sagsdokument, ikke en vedtaget plan",
    ),
    "trail.verdict.not_a_plan": (
        "ikke en plan mot vold eller overgrep",
        "not a plan against violence or abuse",
        "ikke en plan mod vold eller overgreb",
    ),
    "trail.verdict.unreadable": ("kunne ikke leses", "could not be read", "kunne ikke læses"),
    "kommune.text_source": ("Tekstkilde", "Text source", "Tekstkilde"),
    "kommune.archived": ("Arkivert kopi", "Archived copy", "Arkiveret kopi"),
    "kommune.archived_missing": (
        "Kopien finnes ikke i bevislageret.",
        "The copy is not in the evidence store.",
        "Kopien findes ikke i bevislageret.",
    ),
    "kommune.checklist": ("Kvalitetssjekkliste", "Quality checklist", "Kvalitetstjekliste"),
    "kommune.met": ("oppfylt", "met", "opfyldt"),
    "kommune.not_met": ("ikke funnet", "not found", "ikke fundet"),
    "kommune.accessibility": ("Tilgjengelighet", "Accessibility", "Tilgængelighed"),
    "kommune.timeline": ("Historikk", "History", "Historik"),
    "kommune.check": ("Sjekk", "Check", "Tjek"),
    "kommune.event": ("Hendelse", "Event", "Hændelse"),
    "kommune.website": ("Nettsted", "Website", "Hjemmeside"),
    "kommune.reason": ("Begrunnelse", "Reason", "Begrundelse"),
    "kommune.http_status": ("HTTP-status", "HTTP status", "HTTP-status"),
    "kommune.format": ("Format", "Format", "Format"),
    "kommune.link_text": ("Lenketekst", "Link text", "Linktekst"),
    "kommune.document_kind": ("Dokumenttype", "Document kind", "Dokumenttype"),
    "kommune.confidence": ("Sikkerhet", "Confidence", "Sikkerhed"),
    "kommune.best": ("Beste plan", "Best plan", "Bedste plan"),
    "kommune.not_found": (
        "Fant ingen kommune med det nummeret.",
        "No municipality with that number.",
        "Ingen kommune med det nummer.",
    ),
    "kommune.shared_with": ("Også publisert av", "Also published by", "Også offentliggjort af"),
    "verdict.abuse_specific_plan": (
        "{name} har en plan mot seksuelle overgrep mot barn{current}.",
        "{name} has a plan against sexual abuse of children{current}.",
        "{name} har en plan mod seksuelle overgreb mod børn{current}.",
    ),
    "verdict.general_violence_plan_only": (
        "{name} har bare en generell plan mot vold, ingen egen plan mot seksuelle overgrep mot barn.",
        "{name} has only a general violence plan, no plan specific to sexual abuse of children.",
        "{name} har kun en generel plan mod vold, ingen egen plan mod seksuelle overgreb mod børn.",
    ),
    "verdict.no_plan_found": (
        "Planvakt fant ingen plan mot seksuelle overgrep eller vold på nettstedet til {name}.",
        "Planvakt found no plan against sexual abuse or violence on {name}'s website.",
        "Planvakt fandt ingen plan mod seksuelle overgreb eller vold på {name}s hjemmeside.",
    ),
    "verdict.site_unreachable": (
        "Nettstedet til {name} kunne ikke undersøkes i siste sjekk; det betyr ikke at planen mangler.",
        "{name}'s website could not be examined in the latest check; that does not mean the plan is missing.",
        "{name}s hjemmeside kunne ikke undersøges ved seneste tjek; det betyder ikke, at planen mangler.",
    ),
    "verdict.not_checked": (
        "{name} er ikke sjekket ennå.",
        "{name} has not been checked yet.",
        "{name} er ikke tjekket endnu.",
    ),
    "verdict.current_true": (" som gjelder nå", " that is current", ", som gælder nu"),
    "verdict.current_false": (", men den er utløpt", ", but it has expired", ", men den er udløbet"),
    # changes
    "changes.title": ("Siste endringer", "Latest changes", "Seneste ændringer"),
    "changes.none": ("Ingen hendelser ennå.", "No events yet.", "Ingen hændelser endnu."),
    "changes.plan": ("Plan", "Plan", "Plan"),
    "changes.moved_from": ("flyttet fra", "moved from", "flyttet fra"),
    "changes.first_check": ("første kontroll", "first check", "første kontrol"),
    "changes.first_check_note": (
        "«Første kontroll»: planen fantes allerede da Planvakt sjekket kommunen første gang. Den er ikke ny.",
        "'First check': the plan was already there when Planvakt first checked the kommune. It is not new.",
        "«Første kontrol»: planen fandtes allerede, da Planvakt tjekkede kommunen første gang. Den er ikke ny.",
    ),
    "changes.feed": (
        "Følg endringene i en feed-leser (Atom)",
        "Follow the changes in a feed reader (Atom)",
        "Følg ændringerne i en feedlæser (Atom)",
    ),
    "changes.feed_title": ("Planvakt: siste endringer", "Planvakt: latest changes", "Planvakt: seneste ændringer"),
    "event.plan_appeared": ("Plan dukket opp", "Plan appeared", "Plan dukkede op"),
    "event.plan_changed": ("Plan endret", "Plan changed", "Plan ændret"),
    "event.plan_moved": ("Plan flyttet", "Plan moved", "Plan flyttet"),
    "event.plan_vanished": ("Plan forsvunnet", "Plan vanished", "Plan forsvundet"),
    "event.plan_reappeared": ("Plan tilbake", "Plan reappeared", "Plan tilbage"),
    "event.crawler_blocked": ("Crawleren blokkert", "Crawler blocked", "Crawleren blokeret"),
    "event.check_failed": ("Sjekk mislyktes", "Check failed", "Tjek mislykkedes"),
    # crawler health
    "health.title": ("Crawlerhelse", "Crawler health", "Crawlerens tilstand"),
    "health.overall": ("Samlet", "Overall", "Samlet"),
    "health.last_run": ("Siste kjøring", "Latest run", "Seneste kørsel"),
    "health.checked": ("Kommuner sjekket", "Municipalities checked", "Kommuner tjekket"),
    "health.unreachable": ("Utilgjengelige eller blokkerte", "Unreachable or blocked", "Utilgængelige eller blokerede"),
    "health.never_checked": ("Aldri sjekket", "Never checked", "Aldrig tjekket"),
    "health.per_kommune": ("Per kommune", "Per municipality", "Pr. kommune"),
    "health.blind_spots": ("Blindsoner", "Blind spots", "Blinde pletter"),
    "health.none": ("Ingen kjøringer ennå.", "No runs yet.", "Ingen kørsler endnu."),
    # data
    "data.title": ("Data og API", "Data and API", "Data og API"),
    "data.downloads": ("Nedlastinger", "Downloads", "Downloads"),
    "data.findings": ("Funn: én rad per kommune", "Findings: one row per municipality", "Fund: én række pr. kommune"),
    "data.plans": ("Planer: én rad per plan", "Plans: one row per plan", "Planer: én række pr. plan"),
    "data.events": ("Hendelser", "Events", "Hændelser"),
    "data.dictionary": ("Dataordbok", "Data dictionary", "Dataordbog"),
    "data.api": ("JSON-API (bare lesing)", "JSON API (read-only)", "JSON-API (kun læsning)"),
    "data.openapi": ("OpenAPI-dokumentet", "The OpenAPI document", "OpenAPI-dokumentet"),
    "data.licence": (
        "Funn, planer, hendelser og API-et er lisensiert under Creative Commons Navngivelse 4.0 (CC BY 4.0): bruk "
        "dem fritt, også kommersielt, og oppgi Planvakt som kilde. Arkiverte kopier av kommunenes dokumenter er "
        "kommunenes egne og omfattes ikke av lisensen.",
        "Findings, plans, events and the API are licensed under Creative Commons Attribution 4.0 (CC BY 4.0): use "
        "them freely, commercially too, and credit Planvakt. Archived copies of the kommuner's documents are the "
        "kommuner's own and not covered by the licence.",
        "Fund, planer, hændelser og API'et er licenseret under Creative Commons Kreditering 4.0 (CC BY 4.0): brug "
        "dem frit, også kommercielt, og angiv Planvakt som kilde. Arkiverede kopier af kommunernes dokumenter er "
        "kommunernes egne og er ikke omfattet af licensen.",
    ),
    # checklist criteria (tracker/criteria.py ids) and accessibility checks (tracker/accessibility.py ids)
    "criterion.children_knowledge": (
        "Barn og unge får kunnskap om kropp, grenser, seksualitet og overgrep",
        "Children and youth are taught about their body, boundaries, sexuality and abuse",
        "Børn og unge lærer om krop, grænser, seksualitet og overgreb",
    ),
    "criterion.staff_signs_knowledge": (
        "Ansatte får kunnskap om tegn på overgrep og skadene det gjør",
        "Staff learn the signs of abuse and the harm it causes",
        "Medarbejdere lærer tegnene på overgreb og de skader, det gør",
    ),
    "criterion.staff_competence": (
        "Ansatte får kompetanse til å avdekke overgrep, snakke med barnet og hjelpe",
        "Staff are trained to uncover abuse, talk with the child and help",
        "Medarbejdere får kompetence til at opdage overgreb, tale med barnet og hjælpe",
    ),
    "criterion.routine_drills": (
        "Rutinene ved mistanke og akutte situasjoner øves",
        "The routines for suspicion and emergencies are practised",
        "Procedurerne ved mistanke og akutte situationer øves",
    ),
    "criterion.citizen_information": (
        "Holdningskampanjer og informasjon til innbyggere og foreldre",
        "Attitude campaigns and information to citizens and parents",
        "Holdningskampagner og information til borgere og forældre",
    ),
    "criterion.arena_coverage": (
        "Planen dekker barnehager, skoler og fritidsarenaer",
        "The plan covers kindergartens, schools and leisure arenas",
        "Planen dækker dagtilbud, skoler og fritidstilbud",
    ),
    "criterion.handleveje": (
        "Konkrete handleveier: hvem gjør hva ved mistanke",
        "Concrete procedures (handleveje): who does what on suspicion",
        "Konkrete handleveje: hvem gør hvad ved mistanke",
    ),
    "criterion.cross_disciplinary": (
        "Tverrfaglig samarbeid er organisert",
        "Cross-disciplinary cooperation is organised",
        "Det tværfaglige samarbejde er organiseret",
    ),
    "criterion.supervision": (
        "Ansatte i saker får veiledning og støtte",
        "Staff involved in cases get supervision and support",
        "Medarbejdere i sager får supervision og støtte",
    ),
    "criterion.updating": (
        "Planen og de ansattes kunnskap holdes oppdatert",
        "The plan and the staff's knowledge are kept up to date",
        "Planen og medarbejdernes viden holdes opdateret",
    ),
    "access.text_layer": (
        "PDF med tekstlag (ikke skannet)",
        "PDF has a text layer (not a scan)",
        "PDF med tekstlag (ikke scannet)",
    ),
    "access.tagged_pdf": (
        "PDF er tagget for skjermleser",
        "PDF is tagged for screen readers",
        "PDF er tagget til skærmlæser",
    ),
    "access.declared_language": (
        "Dokumentet oppgir språk",
        "The document declares its language",
        "Dokumentet angiver sprog",
    ),
    "access.declared_title": ("Dokumentet har en tittel", "The document declares a title", "Dokumentet har en titel"),
    "access.size_mb": ("Filstørrelse", "File size", "Filstørrelse"),
    "access.format": ("Lesbart format", "Readable format", "Læsbart format"),
    "access.link_text": (
        "Lenketeksten sier hva dokumentet er",
        "The link text says what it is",
        "Linkteksten siger, hvad det er",
    ),
    "access.reachable_by_links": ("Kan nås med lenker", "Reachable by links", "Kan nås via links"),
    "access.in_sitemap": ("Står i nettstedskartet", "Listed in the sitemap", "Står i sitemap"),
    "access.site_search_rank": (
        "Finnes med nettstedets søk",
        "Found by the site's search",
        "Findes med hjemmesidens søgning",
    ),
    "access.ok": ("ok", "ok", "ok"),
    "access.problem": ("problem", "problem", "problem"),
    "access.na": ("gjelder ikke / ukjent", "does not apply / unknown", "gælder ikke / ukendt"),
    "via.link": ("lenker på siden", "links in the page", "links på siden"),
    "via.rendered": ("lenker laget av JavaScript", "links built by JavaScript", "links lavet af JavaScript"),
    "via.site_search": ("nettstedets eget søk", "the site's own search", "hjemmesidens egen søgning"),
    "via.sitemap": ("nettstedskartet (sitemap)", "the sitemap", "sitemap"),
    "via.tip": ("tips fra en frivillig", "a volunteer's tip", "tip fra en frivillig"),
    "source.text_layer": ("tekstlaget i dokumentet", "the document's text layer", "dokumentets tekstlag"),
    "source.ocr": ("tekstgjenkjenning (OCR)", "OCR", "tekstgenkendelse (OCR)"),
    "source.html": ("HTML-siden", "the HTML page", "HTML-siden"),
    "kommune.checks_folded": ("sjekker", "checks", "tjek"),
    "kommune.download": ("Last ned arkivert kopi", "Download the archived copy", "Hent arkiveret kopi"),
    "kommune.seen_at": ("Sett", "Seen", "Set"),
    "kommune.size": ("Størrelse", "Size", "Størrelse"),
    "kommune.pages": ("Sider", "Pages", "Sider"),
    "kommune.latest_check": ("Siste sjekk", "Latest check", "Seneste tjek"),
    "kommune.unreachable_note": (
        "Nettstedet svarte ikke eller blokkerte crawleren.",
        "The site did not answer or blocked the crawler.",
        "Hjemmesiden svarede ikke eller blokerede crawleren.",
    ),
    "kommune.reviewer_says": ("En gjennomganger sier", "A reviewer says", "En gennemgåer siger"),
    "kommune.machine_said": ("maskinen sa", "the machine said", "maskinen sagde"),
    "kommune.tips": ("Tips fra frivillige", "Volunteers' tips", "Tip fra frivillige"),
    "kommune.missed_by_crawler": (
        "Funnet av en frivillig, oversett av crawleren",
        "Found by a volunteer, missed by the crawler",
        "Fundet af en frivillig, overset af crawleren",
    ),
    "kommune.overrides": ("Overstyringer ved gjennomgang", "Reviewers' overrides", "Overstyringer ved gennemgang"),
    "error.not_found": ("Fant ikke siden.", "Page not found.", "Siden blev ikke fundet."),
}

_INDEX = {"nb": 0, "en": 1, "da": 2}


def register(entries: Mapping[str, tuple[str, str, str]]) -> None:
    """Add (nb, en, da) entries for a page module; re-registering the same text is fine, a different one an error."""
    clashes = sorted(key for key in entries if key in _ENTRIES and _ENTRIES[key] != entries[key])
    if clashes:
        raise ValueError(f"translation keys already registered: {', '.join(clashes)}")
    _ENTRIES.update(entries)


def translate(lang: str, key: str) -> str:
    """The text for `key` in `lang` (nb, en, da); bokmål when that language lacks it; the key when nobody has it."""
    entry = _ENTRIES.get(key)
    if entry is None:
        return key
    text = entry[_INDEX.get(lang, 0)]
    return text or entry[0]


def keys() -> frozenset[str]:
    return frozenset(_ENTRIES)
