"""The Act pages, for volunteers: a letter to a kommune's politicians, the tip form, and the detective tasks.

    GET  /act                  pick a kommune; the most urgent detective tasks
    GET  /act/tasks            the whole detective-task queue (filter by kind)
    GET  /act/tips/{id}        one tip: pending, stored (with what it is) or failed (with why); public
    GET  /act/{nr}             the letter in the kommune's language, and the tip form
    POST /act/{nr}/tips        submit a tip: CSRF-checked, URL-validated, rate-limited; processed after responding

The letter is written by `tracker.letters` from what `tracker.act_store` reads; the tip is processed by
`tracker.tips` in a background task after the answer went out (the page refreshes itself until it is done).

Tip ids are sequential and every kommune's Act page lists its tips, so a tip page is public by design and shows
only what the tip is about (state, URL, the document read). The volunteer's note may say who they are or how they
came by the address, so only a signed-in reviewer sees it.
"""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from dashboards import csrf
from dashboards.i18n import register
from dashboards.rendering import render
from dashboards.reviewer import current_reviewer
from dashboards.signing import app_secret
from tracker import act_store, review_store, tip_store, tips
from tracker.domain import Country, Kommune, Language
from tracker.letters import write_letter
from tracker.messages import kommune_language
from tracker.models import KommuneRow
from tracker.review import TASK_KINDS, detective_tasks

router = APIRouter()

#: how many tasks the Act start page shows
TOP_TASKS = 12

register(
    {
        "act.title": ("Gjør noe", "Act", "Gør noget"),
        "act.intro": (
            "Velg en kommune for å få et brev til politikerne, skrevet ut fra det Planvakt fant, og for å sende inn "
            "en plan du har funnet selv.",
            "Pick a kommune to get a letter to its politicians, written from what Planvakt found, and to submit a "
            "plan you found yourself.",
            "Vælg en kommune for at få et brev til politikerne, skrevet ud fra det, Planvakt fandt, og for at "
            "indsende en plan, du selv har fundet.",
        ),
        "act.pick": ("Kommune", "Kommune", "Kommune"),
        "act.go": ("Vis", "Show", "Vis"),
        "act.norway": ("Norge", "Norway", "Norge"),
        "act.denmark": ("Danmark", "Denmark", "Danmark"),
        "act.kommune_title": ("Gjør noe for {name}", "Act for {name}", "Gør noget for {name}"),
        "act.to_kommune": ("Se bevisene på kommunesiden", "See the evidence on the kommune page", "Se beviserne"),
        "act.letter": ("Brev til politikerne", "Letter to the politicians", "Brev til politikerne"),
        "act.letter_intro": (
            "Brevet er skrevet på kommunens eget skriftspråk. Les det, skriv under og send det til ordføreren og "
            "kommunestyret.",
            "The letter is written in the kommune's own written language. Read it, sign it and send it to the mayor "
            "and the council.",
            "Brevet er skrevet på kommunens sprog. Læs det, skriv under, og send det til borgmesteren og "
            "kommunalbestyrelsen.",
        ),
        "act.copy": ("Kopier brevet", "Copy the letter", "Kopiér brevet"),
        "act.copied": ("Brevet er kopiert.", "The letter is copied.", "Brevet er kopieret."),
        "act.print": ("Skriv ut", "Print", "Udskriv"),
        "act.plain": ("Brevet som ren tekst", "The letter as plain text", "Brevet som ren tekst"),
        "act.not_checked": (
            "Planvakt har ikke sjekket denne kommunen ennå, så det finnes ikke noe brev.",
            "Planvakt has not checked this kommune yet, so there is no letter.",
            "Planvakt har ikke tjekket denne kommune endnu, så der er intet brev.",
        ),
        "act.tip": ("Har du funnet planen?", "Did you find the plan?", "Har du fundet planen?"),
        "act.tip_intro": (
            "Send inn adressen til planen. Planvakt henter den, leser den og lagrer den som bevis. Fant ikke "
            "crawleren den, vises det på kommunesiden: «funnet av en frivillig, oversett av crawleren».",
            "Submit the plan's address. Planvakt fetches it, reads it and stores it as evidence. If the crawler "
            "missed it, the kommune page says so: \u201cfound by a volunteer, missed by the crawler\u201d.",
            "Indsend planens adresse. Planvakt henter den, læser den og gemmer den som bevis. Hvis crawleren ikke "
            "fandt den, står det på kommunesiden: »fundet af en frivillig, overset af crawleren«.",
        ),
        "act.tip_url": ("Adressen (URL) til planen", "The plan's address (URL)", "Planens adresse (URL)"),
        "act.tip_note": (
            "Hvor fant du den? (valgfritt)",
            "Where did you find it? (optional)",
            "Hvor fandt du den? (valgfrit)",
        ),
        "act.tip_send": ("Send inn", "Submit", "Indsend"),
        "act.tips": ("Innsendte tips", "Submitted tips", "Indsendte tips"),
        "act.tip_title": ("Tips {id}", "Tip {id}", "Tip {id}"),
        "act.tip_state.pending": (
            "Planvakt henter og leser dokumentet …",
            "Planvakt is fetching and reading the document …",
            "Planvakt henter og læser dokumentet …",
        ),
        "act.tip_state.stored": ("Lagret som bevis", "Stored as evidence", "Gemt som bevis"),
        "act.tip_state.failed": ("Kunne ikke brukes", "Could not be used", "Kunne ikke bruges"),
        "act.tip_missed": (
            "Funnet av en frivillig, oversett av crawleren",
            "Found by a volunteer, missed by the crawler",
            "Fundet af en frivillig, overset af crawleren",
        ),
        "act.tip_crawler_had": (
            "Crawleren hadde allerede funnet dette dokumentet.",
            "The crawler had already found this document.",
            "Crawleren havde allerede fundet dette dokument.",
        ),
        "act.tip_error": ("Hvorfor", "Why", "Hvorfor"),
        "act.tip_document": ("Dokument", "Document", "Dokument"),
        "act.tip_category": ("Maskinens lesning", "The machine's reading", "Maskinens læsning"),
        "act.tip_submitted": ("Sendt inn", "Submitted", "Indsendt"),
        "act.tip_back": ("Tilbake til {name}", "Back to {name}", "Tilbage til {name}"),
        "act.tip_rejected": ("Tipset ble avvist", "The tip was refused", "Tippet blev afvist"),
        "act.tasks": ("Detektivoppgaver", "Detective tasks", "Detektivopgaver"),
        "act.tasks_intro": (
            "Her er maskinen usikker. Velg en oppgave, sjekk kommunens nettsted selv og send inn det du finner.",
            "Here the machine is unsure. Pick a task, check the kommune's site yourself and submit what you find.",
            "Her er maskinen usikker. Vælg en opgave, tjek kommunens hjemmeside selv, og indsend det, du finder.",
        ),
        "act.tasks_all": ("Alle detektivoppgaver", "All detective tasks", "Alle detektivopgaver"),
        "act.tasks_none": ("Ingen oppgaver nå.", "No tasks right now.", "Ingen opgaver lige nu."),
        "act.task_kind": ("Oppgave", "Task", "Opgave"),
        "act.task_check": ("Hva du kan sjekke", "What to check", "Hvad du kan tjekke"),
        "act.task_links": ("Gå til", "Go to", "Gå til"),
        "act.task_tip": ("send tips", "submit a tip", "indsend tip"),
        "act.task_all_kinds": ("Alle", "All", "Alle"),
        "act.filter": ("Vis", "Show", "Vis"),
        "task.site_blocked": ("Nettstedet stengte ute crawleren", "Site blocked the crawler", "Siden blokerede"),
        "task.site_unreachable": ("Nettstedet svarte ikke", "Site did not answer", "Siden svarede ikke"),
        "task.missed_by_crawler": (
            "Frivillig fant det crawleren overså",
            "Volunteer found what the crawler missed",
            "Frivillig fandt det oversete",
        ),
        "task.conflicting_documents": ("Dokumentene spriker", "Conflicting documents", "Dokumenterne strider"),
        "task.only_draft": ("Bare utkast funnet", "Only a draft found", "Kun udkast fundet"),
        "task.low_confidence": ("Usikker klassifisering", "Low confidence", "Usikker klassificering"),
        "task.expired_plan": ("Planen er utløpt", "Plan expired", "Planen er udløbet"),
        "task.hard_to_find": (
            "Bare funnet via søk eller kart",
            "Found only via search or sitemap",
            "Kun fundet via søgning",
        ),
        "task.no_plan_found": ("Ingen plan funnet", "No plan found", "Ingen plan fundet"),
    }
)


def _kommune(kommunenummer: str, request: Request) -> KommuneRow:
    with request.app.state.session_factory() as session:
        kommune = review_store.kommune_by_number(session, kommunenummer)
    if kommune is None:
        raise HTTPException(status_code=404, detail="no such kommune")
    return kommune


def _page_lang(kommune: KommuneRow) -> str | None:
    return "da" if kommune.country == "DK" else None


def _language(kommune: KommuneRow) -> Language:
    return kommune_language(
        Kommune(
            kommune.kommunenummer,
            kommune.name,
            Country(kommune.country),
            kommune.website,
            written_standard=kommune.written_standard,
        )
    )


def _act_page(
    request: Request,
    kommune: KommuneRow,
    *,
    status_code: int = 200,
    error: str = "",
    url: str = "",
    note: str = "",
) -> HTMLResponse:
    settings = request.app.state.settings
    language = _language(kommune)
    evidence_url = f"{settings.public_url.rstrip('/')}/kommune/{kommune.kommunenummer}"
    with request.app.state.session_factory() as session:
        facts = act_store.letter_facts(session, kommune.id, language, evidence_url=evidence_url)
        tip_views = tip_store.kommune_tips(session, kommune.id)
    letter = write_letter(facts) if facts is not None else None
    token = csrf.issue(request)
    response = render(
        request,
        "act.html",
        {
            "kommune": kommune,
            "letter": letter,
            "letter_lang": language,
            "tips": tip_views,
            "csrf_field": token.field,
            "error": error,
            "url": url,
            "note": note,
        },
        status_code=status_code,
        page_lang=_page_lang(kommune),
    )
    token.set_cookie(request, response)
    return response


@router.get("/act", response_class=HTMLResponse, include_in_schema=False)
def act_index(request: Request, nr: str = "") -> Response:
    if nr:
        return RedirectResponse(f"/act/{nr.strip()}", status_code=303)
    with request.app.state.session_factory() as session:
        kommuner = review_store.all_kommuner(session)
        tasks = detective_tasks(act_store.kommune_cases(session))
    return render(request, "act_index.html", {"kommuner": kommuner, "tasks": tasks[:TOP_TASKS], "total": len(tasks)})


@router.get("/act/tasks", response_class=HTMLResponse, include_in_schema=False)
def act_tasks(request: Request, kind: str = "") -> HTMLResponse:
    kinds = [kind] if kind in TASK_KINDS else []
    with request.app.state.session_factory() as session:
        tasks = detective_tasks(act_store.kommune_cases(session), kinds=kinds)
    return render(request, "act_tasks.html", {"tasks": tasks, "kind": kind if kinds else "", "kinds": TASK_KINDS})


@router.get("/act/tips/{tip_id}", response_class=HTMLResponse, include_in_schema=False)
def tip_page(request: Request, tip_id: int) -> HTMLResponse:
    with request.app.state.session_factory() as session:
        tip = tip_store.get_tip(session, tip_id)
    if tip is None:
        raise HTTPException(status_code=404, detail="no such tip")
    context = {"tip": tip, "show_note": current_reviewer(request) is not None}
    return render(request, "act_tip.html", context, page_lang="da" if tip.country == "DK" else None)


@router.get("/act/{kommunenummer}", response_class=HTMLResponse, include_in_schema=False)
def act_page(request: Request, kommunenummer: str) -> HTMLResponse:
    return _act_page(request, _kommune(kommunenummer, request))


@router.post("/act/{kommunenummer}/tips", include_in_schema=False)
async def submit_tip(
    request: Request,
    kommunenummer: str,
    background: BackgroundTasks,
    url: str = Form(""),
    note: str = Form(""),
    csrf_token: str = Form("", alias=csrf.FIELD),
) -> Response:
    csrf.check(request, csrf_token)
    kommune = _kommune(kommunenummer, request)
    state = request.app.state
    try:
        clean_url = await tips.validate_tip_url(url, allow_private_networks=state.allow_private_networks)
        key = tips.client_key(app_secret(request), request.client.host if request.client else "unknown")
        with state.session_factory.begin() as session:
            tip = tips.submit_tip(
                session,
                kommune_id=kommune.id,
                url=clean_url,
                note=note,
                key=key,
                limit=state.settings.tip_rate_limit,
                now=state.now(),
            )
            tip_id = tip.id
    except tips.TipRejected as exc:
        return _act_page(request, kommune, status_code=exc.status, error=exc.message, url=url[:2000], note=note)
    deps = tips.TipDependencies(
        session_factory=state.session_factory,
        evidence=state.evidence,
        settings=state.settings,
        now=state.now,
        allow_private_networks=state.allow_private_networks,
        extractor=state.extractor,  # the shared pool while the lifespan runs, else None (a sandbox per tip)
    )
    background.add_task(tips.process_tip_in_background, tip_id, deps)
    return RedirectResponse(f"/act/tips/{tip_id}", status_code=303)
