"""Page genre: a document that talks about a plan is not the plan. One case per genre, via classify and read_genre."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.domain import Category, DocumentText, Evidence, Genre
from tracker.reading.classify import classify
from tracker.reading.document_kind import DocumentKind, document_kind
from tracker.reading.genre import read_genre

TODAY = date(2024, 6, 1)


def _doc(title: str, *pages: str, url: str = "https://example.kommune.no/dok", fmt: str = "txt") -> DocumentText:
    return DocumentText(url=url, title=title, pages=pages, format=fmt)


NEWS_NB = _doc(
    "Kommunen starter arbeidet med handlingsplan mot vold i nære relasjoner",
    "Kommunen starter arbeidet med handlingsplan mot vold i nære relasjoner\n"
    "Publisert 14.03.2024\n\n"
    "Kommunen skal i løpet av året lage en handlingsplan mot vold i nære relasjoner.\n\n"
    "– Vi må samordne innsatsen bedre, sier kommunalsjef Randi Holm.\n\n"
    "Planen skal etter planen behandles i kommunestyret i desember.",
)


def test_news_item_mentioning_a_plan_is_other_with_the_date_line_quoted() -> None:
    result = classify(NEWS_NB, today=TODAY)
    assert result.category is Category.OTHER
    assert Evidence("Publisert 14.03.2024", 1, "genre:news") in result.evidence
    assert "nyhetssak" in result.reason and "«Publisert 14.03.2024»" in result.reason


def test_danish_news_about_revising_the_beredskab_is_other() -> None:
    doc = _doc(
        "Kommunen reviderer sit beredskab mod overgreb",
        "Oprettet 2. februar 2024\n\nKommunen er gået i gang med at revidere beredskabet mod seksuelle overgreb "
        "mod børn og unge.\n\n– Beredskabet skal være lettere at bruge, siger formand Mette Lund.",
        url="https://www.example.dk/nyheder/2024/beredskab",
    )
    reading = read_genre(doc)
    assert reading.genre is Genre.NEWS
    assert Evidence("reviderer", 0, "genre:news") in reading.evidence
    assert classify(doc, today=TODAY).category is Category.OTHER


def test_minutes_with_vedtak_are_other_and_a_case_document() -> None:
    doc = _doc(
        "Sak 45/23 Rullering av handlingsplan mot vold i nære relasjoner",
        "Helse- og omsorgsutvalget\nMøtedato: 12.09.2023\n\nKommunedirektørens innstilling:\n"
        "Arbeidet med rullering av handlingsplanen startes opp.\n\nVedtak:\nInnstillingen ble enstemmig vedtatt.",
    )
    result = classify(doc, today=TODAY)
    assert result.category is Category.OTHER
    phrases = {e.phrase for e in result.evidence if e.signal == "genre:minutes"}
    assert {"Sak 45/23", "Vedtak:"} <= phrases
    assert document_kind(doc)[0] is DocumentKind.CASE_DOCUMENT


def test_hearing_notice_is_other() -> None:
    doc = _doc(
        "Handlingsplan mot seksuelle overgrep mot barn sendes på høring",
        "Formannskapet har vedtatt å sende forslaget på høring.\nHøringsfrist er 15. april 2024. "
        "Høringssvar sendes til postmottak.",
    )
    assert read_genre(doc).genre is Genre.HEARING_NOTICE
    assert classify(doc, today=TODAY).category is Category.OTHER


def test_hearing_draft_is_still_a_plan() -> None:
    doc = _doc(
        "Høringsutkast: Handlingsplan mot seksuelle overgrep mot barn",
        "Høringsfrist: 1. mars 2025\nMål\nAnsatte skal kjenne tegn på seksuelle overgrep mot barn.\n"
        "Tiltak\nOpplæring av alle ansatte. Ansvar: kommunalsjef.",
    )
    assert read_genre(doc).genre is Genre.PLAN
    assert classify(doc, today=TODAY).category is Category.ABUSE_SPECIFIC


def test_service_page_with_help_lines_is_other() -> None:
    doc = _doc(
        "Seksuelle overgrep mot barn",
        "Er du bekymret for et barn?\nRing politiet på 02800. Ved akutt fare ring 112.\n"
        "Slik anmelder du\nDu kan anmelde på nærmeste politistasjon. Barnehuset gir barnet oppfølging etter "
        "seksuelle overgrep mot barn.",
    )
    result = classify(doc, today=TODAY)
    assert result.category is Category.OTHER
    assert any(e.signal == "genre:service_page" and e.phrase == "Ring politiet" for e in result.evidence)


def test_short_html_landing_page_is_other_and_names_the_link() -> None:
    doc = _doc(
        "Handlingsplan mot vold i nære relasjoner 2023–2026",
        "Handlingsplanen skal styrke kommunens arbeid mot vold i nære relasjoner.\n\n"
        "Planen ble vedtatt i kommunestyret 15. juni 2023.\n\n"
        "Handlingsplan mot vold i nære relasjoner 2023–2026 (PDF, 1 MB)",
        url="https://www.example.kommune.no/planer/handlingsplan-mot-vold",
        fmt="html",
    )
    result = classify(doc, today=TODAY)
    assert result.category is Category.OTHER
    assert Evidence("Handlingsplan mot vold i nære relasjoner 2023–2026 (PDF, 1 MB)", 1, "genre:landing_page") in (
        result.evidence
    )
    assert "lenker til" in result.reason
    assert document_kind(doc)[0] is DocumentKind.NOT_A_PLAN


def test_danish_landing_page_linking_a_word_file_is_other() -> None:
    # A tuning-seed site: the page introducing the beredskab was chosen over the .docx it links to.
    link = "Beredskab for forebyggelse, tidlig opsporing og håndtering af sager om overgreb mod børn (Word, 223 kB)"
    doc = _doc(
        "Beredskab mod overgreb",
        "Kommunen har et beredskab for forebyggelse, tidlig opsporing og håndtering af sager om vold og seksuelle "
        "overgreb mod børn og unge.\n\n"
        "Beredskabet beskriver handleveje for medarbejdere og ledere, når der opstår bekymring, mistanke eller viden "
        "om overgreb.\n\nBeredskabet er godkendt af Byrådet og revideres mindst hvert fjerde år.\n\n" + link,
        url="https://www.example.dk/borger/overgreb/beredskab-mod-overgreb",
        fmt="html",
    )
    result = classify(doc, today=TODAY)
    assert result.category is Category.OTHER
    assert Evidence(link, 1, "genre:landing_page") in result.evidence


def test_short_html_page_with_a_plan_title_but_no_plan_form_is_other() -> None:
    doc = _doc(
        "Handlingsplan mot seksuelle overgrep mot barn",
        "Kommunen har en plan mot seksuelle overgrep mot barn. Den gjelder alle som arbeider med barn.",
        fmt="html",
    )
    result = classify(doc, today=TODAY)
    assert result.category is Category.OTHER
    assert result.evidence[0].signal == "genre:not_plan" and "kort nettside" in result.evidence[0].phrase


def _long_html_plan() -> DocumentText:
    chapters = []
    for number, heading in enumerate(("Innledning", "Mål", "Tiltak", "Ansvar og oppfølging", "Rutine ved mistanke"), 1):
        body = (
            "Planen skal sikre at barn får kunnskap om kropp og grenser, og at ansatte kjenner tegn på seksuelle "
            "overgrep mot barn og vet hva de skal gjøre ved mistanke. "
        ) * 12
        chapters.append(
            f"{number}. {heading}\n{body}\nTiltak {number}: Opplæring i barnehager og skoler. "
            "Ansvar: kommunalsjef oppvekst. Frist: 2025."
        )
    return _doc(
        "Plan for forebygging av seksuelle overgrep mot barn",
        "Sist oppdatert 12.01.2024\n\n" + chapters[0],
        *chapters[1:],
        url="https://www.example.kommune.no/planer/plan-mot-overgrep",
        fmt="html",
    )


def test_long_html_page_with_chapters_and_measures_is_the_plan() -> None:
    doc = _long_html_plan()
    reading = read_genre(doc)
    assert reading.genre is Genre.PLAN
    assert reading.score(Genre.PLAN) > reading.score(Genre.NEWS)  # the update stamp does not make it news
    result = classify(doc, today=TODAY)
    assert result.category is Category.ABUSE_SPECIFIC
    assert any(e.signal == "genre:plan" for e in result.evidence)
    assert "planens form" in result.reason


def test_state_budget_mentioning_abuse_is_other() -> None:
    doc = _doc(
        "Prop. 1 S (2023–2024) Justis- og beredskapsdepartementet",
        "Kap. 440 Politidirektoratet\nRegjeringen foreslår en bevilgning på 24 300 mill. kroner på post 01. "
        "Av dette går 40 mill. kroner til etterforskning av seksuelle overgrep mot barn.\n"
        "Bevilgningen følger opp handlingsplanen mot vold i nære relasjoner.",
    )
    assert read_genre(doc).genre is Genre.BUDGET
    assert classify(doc, today=TODAY).category is Category.OTHER


def test_ministry_action_plan_with_a_publication_stamp_is_a_plan() -> None:
    doc = _doc(
        "Frihet fra vold – Regjeringens handlingsplan mot vold i nære relasjoner 2021–2024",
        "Publisert: 16.08.2021\n\nInnhold\n1 Innledning ........ 5\n2 Forebygging ........ 9\n3 Tiltak ........ 14\n\n"
        "1 Innledning\nVold i nære relasjoner rammer mange.\n\n3 Tiltak\n"
        "Tiltak 1: Styrke kompetansen i kommunene. Ansvar: JD.",
    )
    assert read_genre(doc).genre is Genre.PLAN
    assert classify(doc, today=TODAY).category is Category.GENERAL_VIOLENCE


@pytest.mark.parametrize("title", ["Når du er bekymret for et barn", "Beredskab", "Handleguide"])
def test_danish_beredskab_read_from_its_structure(title: str) -> None:
    doc = _doc(
        title,
        "Formål\nHer står, hvad du gør ved mistanke om seksuelle overgreb mod børn.\n"
        "Opsporing\nMedarbejdere kender tegn og reaktioner på overgreb mod børn.\n"
        "Handleveje\nLederen sender straks en underretning til Børn og Familie ved mistanke om seksuelle "
        "overgreb mod børn. Politiet og Børnehuset inddrages.",
    )
    assert read_genre(doc).genre is Genre.PLAN
    result = classify(doc, today=TODAY)
    assert result.category is Category.ABUSE_SPECIFIC
    assert any(e.signal == "genre:plan" for e in result.evidence)


#: a short Danish beredskab filed as a DOCX whose cover says only the kommune and a date, ending with a contact list
SHORT_BEREDSKAB_DA = _doc(
    "Eksempel Kommune 28. maj 2022",
    "Eksempel Kommune 28. maj 2022\n\n1. Indledning\n\nAlle børn og unge i kommunen har ret til en opvækst uden vold "
    "og seksuelle overgreb. Beredskabet beskriver, hvordan kommunen forebygger, opsporer og håndterer sager om "
    "overgreb mod børn og unge under 18 år.\n\n2. Lovgrundlag\n\nAlle fagpersoner har en skærpet "
    "underretningspligt. Efter Barnets Lov § 15, stk. 2, skal kommunalbestyrelsen udarbejde et beredskab.\n\n"
    "7. Tværfagligt samarbejde\n\nI sager om overgreb samarbejdes med Børnehuset og politiet.\n\nIndsatser\n\n"
    "Indsats | Ansvar | Tidsfrist\n\nSamarbejdsaftale med Børnehuset | Myndighedschef | 2023\n\n"
    "Lokale beredskaber i alle dagtilbud | Dagtilbudsledere | 2022\n\nKontakt\n\n"
    "Børne- og Familierådgivningen: 70 12 34 56\n\nDøgnvagt uden for åbningstid: 70 65 43 21\n\n"
    "Politiet: 114, ved akut fare ring 112\n\nBørneTelefonen: 116 111",
    url="https://www.example.dk/api/file/dcd52d53-0a6b-573d-722b-60551fbff495",
    fmt="docx",
)


def test_a_short_plan_with_a_contact_list_is_a_plan_not_a_service_page() -> None:
    # the plan's chapters (Danish "Lovgrundlag", "Tværfagligt samarbejde"), its numbered headings and its measures
    # table outweigh the phone numbers and "åbningstid" of its last section
    reading = read_genre(SHORT_BEREDSKAB_DA)
    assert reading.genre is Genre.PLAN
    phrases = {e.phrase for e in reading.plan_evidence}
    assert "Indsats | Ansvar | Tidsfrist" in phrases
    assert classify(SHORT_BEREDSKAB_DA, today=TODAY).category is Category.ABUSE_SPECIFIC


@pytest.mark.parametrize(
    "header",
    ["Tiltak | Ansvar | Frist", "Tiltak Ansvar Frist", "Indsats\tAnsvarlig\tTidsfrist", "Aktivitet Ansvar Tidsrom"],
)
def test_a_measures_table_header_is_a_plan_mark(header: str) -> None:
    reading = read_genre(_doc("Plan", f"Innledning\n\nTekst.\n\n{header}\nOpplæring | Rektor | 2025"))
    assert any(e.phrase == header for e in reading.plan_evidence)


def test_numbered_chapters_count_even_when_the_first_is_also_a_section() -> None:
    text = "1. Innledning\n\nTekst.\n\n2. Bakgrunn\n\nTekst.\n\n3. Formål\n\nTekst."
    reading = read_genre(_doc("Plan", text))
    assert any(e.phrase == "1. Innledning … 3. Formål" for e in reading.plan_evidence)


def test_a_few_sentences_introducing_a_plan_are_not_the_plan_even_without_a_link() -> None:
    # the landing page's link to the plan is built by script, so its HTML keeps the plan's words but no "Læs ..."
    doc = _doc(
        "Beredskab mod overgreb",
        "Beredskab mod overgreb\n\nKommunen har et beredskab for forebyggelse, tidlig opsporing og håndtering af sager "
        "om vold og seksuelle overgreb mod børn og unge.\n\nBeredskabet beskriver handleveje for medarbejdere og "
        "ledere, når der opstår bekymring, mistanke eller viden om overgreb.\n\nBeredskabet er godkendt af Byrådet "
        "og revideres mindst hvert fjerde år.\n\nSe også\n\nPolitiet",
        url="https://www.example.dk/borger/familie-og-boern/beredskab-mod-overgreb/",
        fmt="html",
    )
    assert not read_genre(doc).is_plan
    result = classify(doc, today=TODAY)
    assert result.category is Category.OTHER
    assert "kort nettside" in result.reason


def test_a_short_html_plan_in_chapters_with_a_contact_list_is_a_plan() -> None:
    doc = _doc(
        "Handleplan mod vold i nære relationer 2019–2021",
        "Handleplan mod vold i nære relationer 2019–2021\n\n1. Indledning\n\nVold i nære relationer rammer kvinder, "
        "mænd, børn og ældre. Kommunen vil med denne handleplan styrke indsatsen mod vold i familien og i "
        "parforhold.\n\n2. Mål\n\nBorgere i kommunen skal vide, hvor de kan få hjælp, og medarbejdere skal kunne "
        "opspore vold.\n\nKontakt\n\nBørne- og Familierådgivningen: 70 12 34 56\n\nDøgnvagt uden for åbningstid: "
        "70 65 43 21\n\nPolitiet: 114, ved akut fare 112\n\nBørneTelefonen: 116 111",
        url="https://www.example.dk/borger/familie-og-boern/handleplan-mod-vold-i-naere-relationer-20192021",
        fmt="html",
    )
    assert read_genre(doc).is_plan
    assert classify(doc, today=TODAY).category is Category.GENERAL_VIOLENCE


def test_a_help_page_with_a_plan_word_in_its_title_but_no_chapters_stays_a_service_page() -> None:
    doc = _doc(
        "Vold i familien – hvor får du hjælp? Beredskab",
        "Er du udsat for vold? Her kan du få hjælp.\n\nRing 112 ved akut fare.\n\nBørneTelefonen: 116 111\n\n"
        "Døgnvagt uden for åbningstid: 70 65 43 21",
        fmt="html",
    )
    assert read_genre(doc).genre is Genre.SERVICE_PAGE
