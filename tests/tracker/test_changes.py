from __future__ import annotations

import hashlib
import itertools
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from tracker.domain import Category, EventKind
from tracker.watch.change_detector import detect_changes
from tracker.watch.changes import Check, KnownPlan, PlanState, SeenDocument, UrlOutcome, UrlRecheck, WatchState
from tracker.watch.plan_diff import diff_summary
from tracker.watch.text_identity import near_duplicate, page_hashes, similarity, text_fingerprint, text_sketch

K = EventKind
ABUSE, VIOLENCE, OTHER = Category.ABUSE_SPECIFIC, Category.GENERAL_VIOLENCE, Category.OTHER

PLAN_A = [
    "Handlingsplan mot seksuelle overgrep mot barn 2024–2027\nFjellvik kommune\n1",
    "Alle ansatte i barne-\nhager og skoler skal kjenne tegn på overgrep og vite hva de skal gjøre ved mistanke.\n2",
    "Kommunen skal gi barn kunnskap om kropp, grenser og seksualitet i alle trinn.\nSide 3 av 4",
    "Rutinene øves hvert år. Planen evalueres av kommunestyret i 2027.\nUtskrevet 01.03.2024 12:00",
]
#: the same plan exported again: other page-number style, a new print stamp, other line breaks and spaces
PLAN_A_REEXPORT = [
    "HANDLINGSPLAN MOT SEKSUELLE OVERGREP MOT BARN 2024–2027\r\nFjellvik   kommune\r\nSide 1 av 4",
    "Alle ansatte i barnehager og skoler skal kjenne tegn på overgrep og\nvite hva de skal gjøre ved mistanke.\n2 / 4",
    "Kommunen skal gi barn kunnskap om kropp, grenser og seksualitet i alle trinn.\n3",
    "Rutinene øves hvert år. Planen evalueres av kommunestyret i 2027.\n2025-11-30 08:15",
]
PLAN_A_REVISED = [
    *PLAN_A[:3],
    "Rutinene øves hvert halvår. Planen evalueres av kommunestyret i 2027.",
    "Nytt kapittel: samarbeid med politiet og barnehuset.",
]
PLAN_B = [
    "Handlingsplan mot vold i nære relasjoner 2021–2024\nFjellvik kommune",
    "Planen gjelder vold i familier, også mot eldre. Krisesenteret er en viktig samarbeidspart.",
]
NEWS = ["Ny barnehage åpnet i sentrum", "Ordføreren klippet snoren."]


_DOCS: dict[tuple[object, ...], SeenDocument] = {}


def doc(
    url: str,
    pages: Sequence[str],
    *,
    category: Category = ABUSE,
    final_url: str = "",
    version: str = "v1",
    years: tuple[int | None, int | None] = (2024, 2027),
) -> SeenDocument:
    memo = (url, tuple(pages), category, final_url, version, years)
    if memo not in _DOCS:
        _DOCS[memo] = _make_doc(url, pages, category, final_url, version, years)
    return _DOCS[memo]


def _make_doc(
    url: str,
    pages: Sequence[str],
    category: Category,
    final_url: str,
    version: str,
    years: tuple[int | None, int | None],
) -> SeenDocument:
    sha = hashlib.sha256(f"{version}:{'|'.join(pages)}".encode()).hexdigest()
    return SeenDocument(
        url=url,
        final_url=final_url,
        sha256=sha,
        fingerprint=text_fingerprint(pages),
        category=category,
        year_start=years[0],
        year_end=years[1],
        page_count=len(pages),
        title=pages[0].split("\n", 1)[0],
        page_hashes=page_hashes(pages),
        sketch=text_sketch(pages),
    )


def recheck(url: str, outcome: UrlOutcome, status: int | None = None, **kw: str | None) -> UrlRecheck:
    return UrlRecheck(url=url, outcome=outcome, status=status, **kw)  # type: ignore[arg-type]


def served(url: str, pages: Sequence[str] = PLAN_A, **kw: object) -> tuple[SeenDocument, UrlRecheck]:
    d = doc(url, pages, **kw)  # type: ignore[arg-type]
    return d, recheck(url, UrlOutcome.SERVED, 200, final_url=url, sha256=d.sha256)


@dataclass
class Watch:
    """Runs checks through the detector, keeping state like the storage layer would."""

    confirmations: int = 2
    state: WatchState = field(default_factory=WatchState)
    n: int = 0
    log: list[list[EventKind]] = field(default_factory=list)

    def check(
        self,
        *items: SeenDocument | UrlRecheck | tuple[SeenDocument, UrlRecheck],
        reachable: bool = True,
        blocked: bool = False,
    ) -> list[EventKind]:
        self.n += 1
        docs: list[SeenDocument] = []
        rechecks: list[UrlRecheck] = []
        for item in items:
            for part in item if isinstance(item, tuple) else (item,):
                if isinstance(part, SeenDocument):
                    docs.append(part)
                else:
                    rechecks.append(part)
        result = detect_changes(
            self.state,
            Check(f"c{self.n}", reachable, blocked, "", tuple(docs), tuple(rechecks)),
            confirmations=self.confirmations,
        )
        self.state = result.state
        self.events = result.events
        kinds = [event.kind for event in result.events]
        self.log.append(kinds)
        return kinds

    @property
    def plan(self) -> KnownPlan:
        [plan] = self.state.plans
        return plan


U1, U2, U3 = "https://k.no/dok/plan.pdf", "https://k.no/filer/plan-2024.pdf", "https://k.no/dok/vold.pdf"


# -- text identity ---------------------------------------------------------------------------------------


def test_fingerprint_ignores_export_noise_but_not_content() -> None:
    assert text_fingerprint(PLAN_A) == text_fingerprint(PLAN_A_REEXPORT)
    assert text_fingerprint(["ﬁre  Barne-\nhager"]) == text_fingerprint(["fire barnehager"])
    assert text_fingerprint(["«sitat» – tekst\u00ad"]) == text_fingerprint(['"sitat" - tekst'])
    assert text_fingerprint(PLAN_A) != text_fingerprint(PLAN_A_REVISED)
    assert text_fingerprint(PLAN_A) != text_fingerprint(PLAN_B)
    # a date inside a sentence is content (an adoption date), a lone stamp line is not
    assert text_fingerprint(["Vedtatt 12.05.2021 i kommunestyret"]) != text_fingerprint(["Vedtatt i kommunestyret"])
    assert text_fingerprint(["", " \n 3 \n"]) == ""
    assert len(text_fingerprint(PLAN_B)) == 64


def test_near_duplicate_and_similarity() -> None:
    a, revised, b = text_sketch(PLAN_A), text_sketch(PLAN_A_REVISED), text_sketch(PLAN_B)
    assert similarity(a, text_sketch(PLAN_A_REEXPORT)) == 1.0
    assert near_duplicate(a, revised) and 0.6 <= similarity(a, revised) < 1.0
    assert not near_duplicate(a, b) and similarity(a, b) < 0.1
    assert similarity((), a) == 0.0 and text_sketch([" "]) == ()


def test_diff_summary_counts_pages_years_and_category() -> None:
    old = KnownPlan(
        key="k",
        fingerprint=text_fingerprint(PLAN_A),
        urls=(U1,),
        sha256s=("x",),
        category=VIOLENCE,
        year_start=2020,
        year_end=2023,
        page_count=4,
        page_hashes=page_hashes(PLAN_A),
        sketch=text_sketch(PLAN_A),
    )
    details = diff_summary(old, doc(U1, PLAN_A_REVISED))
    assert details["pages_added"] == 1 and details["pages_removed"] == 0 and details["pages_changed"] == 1
    assert details["years"] == ["2020-2023", "2024-2027"]
    assert details["category"] == ["general_violence", "abuse_specific"]
    assert details["page_count"] == [4, 5]
    assert details["summary"] == (
        "pages +1 -0 ~1; years 2020-2023 -> 2024-2027; category general_violence -> abuse_specific"
    )
    plain = diff_summary(
        KnownPlan("k", "f", (U1,), ("x",), ABUSE, 2024, 2027, page_count=4), doc(U1, PLAN_B, years=(2021, 2024))
    )
    assert plain["pages_removed"] == 2 and plain["summary"] == "pages 4 -> 2; years 2024-2027 -> 2021-2024"


# -- sequences of checks ---------------------------------------------------------------------------------

GONE, SOFT, MOVED = UrlOutcome.GONE, UrlOutcome.SOFT_404, UrlOutcome.MOVED
FAILED, BLOCKED = UrlOutcome.FAILED, UrlOutcome.BLOCKED
A_REEXPORT = {"pages": PLAN_A_REEXPORT, "version": "v2"}

SCENARIOS: dict[str, list[tuple[dict[str, object], list[EventKind]]]] = {
    "appears then stays": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [served(U1)]}, []),
    ],
    "re-export with a new producer is the same plan": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [served(U1, **A_REEXPORT)]}, []),
    ],
    "503 then back": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, FAILED, 503)]}, [K.CHECK_FAILED]),
        ({"items": [served(U1)]}, []),
    ],
    "timeouts never count as absence": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, FAILED, detail="ReadTimeout")]}, [K.CHECK_FAILED]),
        ({"items": [recheck(U1, FAILED, detail="ReadTimeout")]}, [K.CHECK_FAILED]),
        ({"items": [recheck(U1, FAILED, detail="ReadTimeout")]}, [K.CHECK_FAILED]),
        ({"items": [served(U1)]}, []),
    ],
    "404 then back": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, GONE, 404)]}, []),
        ({"items": [served(U1)]}, []),
    ],
    "soft 404 once": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, SOFT, 200)]}, []),
        ({"items": [served(U1)]}, []),
    ],
    "404 twice vanishes, then reappears": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, GONE, 404)]}, []),
        ({"items": [recheck(U1, SOFT, 200)]}, [K.PLAN_VANISHED]),
        ({"items": [recheck(U1, GONE, 404)]}, []),
        ({"items": [served(U1)]}, [K.PLAN_REAPPEARED]),
        ({"items": [served(U1)]}, []),
    ],
    "failures between confirmations neither count nor reset": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, GONE, 404)]}, []),
        ({"items": [recheck(U1, FAILED, 503)]}, [K.CHECK_FAILED]),
        ({"reachable": False}, [K.CHECK_FAILED]),
        ({"items": [recheck(U1, GONE, 404)]}, [K.PLAN_VANISHED]),
    ],
    "an unreachable site never vanishes a plan and alerts once after 3": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"reachable": False}, [K.CHECK_FAILED]),
        ({"reachable": False}, [K.CHECK_FAILED]),
        ({"reachable": False}, [K.CHECK_FAILED, K.CRAWLER_BLOCKED]),
        ({"reachable": False}, [K.CHECK_FAILED]),
        ({"items": [served(U1)]}, []),
        ({"reachable": False}, [K.CHECK_FAILED]),
    ],
    "a blocked site alerts when the blocking starts": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"blocked": True}, [K.CHECK_FAILED, K.CRAWLER_BLOCKED]),
        ({"blocked": True}, [K.CHECK_FAILED]),
        ({"items": [served(U1)]}, []),
        ({"blocked": True}, [K.CHECK_FAILED, K.CRAWLER_BLOCKED]),
    ],
    "a challenge page on the plan URL is our blindness, not absence": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, BLOCKED, 403)]}, [K.CHECK_FAILED, K.CRAWLER_BLOCKED]),
        ({"items": [recheck(U1, BLOCKED, 403)]}, [K.CHECK_FAILED]),
        ({"items": [served(U1)]}, []),
    ],
    "a known URL not re-checked and not crawled is unverified": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": []}, [K.CHECK_FAILED]),
        ({"items": []}, [K.CHECK_FAILED]),
    ],
    "move with 301": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        (
            {
                "items": [
                    doc(U1, PLAN_A, final_url=U2),
                    recheck(U1, MOVED, 200, final_url=U2, sha256=doc(U1, PLAN_A).sha256),
                ]
            },
            [K.PLAN_MOVED],
        ),
        ({"items": [served(U2)]}, []),
        ({"items": [served(U2)]}, []),
    ],
    "move: old URL 404 and the crawl finds the content elsewhere, re-exported": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, GONE, 404), doc(U2, PLAN_A_REEXPORT, version="v2")]}, [K.PLAN_MOVED]),
        ({"items": [served(U2, **A_REEXPORT)]}, []),
    ],
    "found elsewhere while the old URL times out: no move claimed, no failure": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, FAILED, 504), doc(U2, PLAN_A)]}, []),
    ],
    "content replaced at the same URL": [
        ({"items": [served(U1, PLAN_B, category=VIOLENCE, years=(2021, 2024))]}, [K.PLAN_APPEARED]),
        ({"items": [served(U1, PLAN_A)]}, [K.PLAN_CHANGED]),
        ({"items": [served(U1, PLAN_A)]}, []),
    ],
    "content replaced by a non-plan page is still a change (category in the diff)": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [served(U1, NEWS, category=OTHER)]}, [K.PLAN_CHANGED]),
    ],
    "a revised plan at a new URL while the old one is gone is a change, not a vanish": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, GONE, 404), doc(U2, PLAN_A_REVISED)]}, [K.PLAN_CHANGED]),
        ({"items": [served(U2, PLAN_A_REVISED)]}, []),
    ],
    "a different new plan while the old one goes: appeared now, vanished after confirmation": [
        ({"items": [served(U1)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, GONE, 404), doc(U3, PLAN_B, category=VIOLENCE)]}, [K.PLAN_APPEARED]),
        ({"items": [recheck(U1, GONE, 404), served(U3, PLAN_B, category=VIOLENCE)]}, [K.PLAN_VANISHED]),
    ],
    "non-plan documents never appear": [
        ({"items": [served(U1, NEWS, category=OTHER)]}, []),
        ({"items": [served(U1, NEWS, category=OTHER)]}, []),
    ],
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_scenarios(name: str) -> None:
    watch = Watch()
    expected = [events for _, events in SCENARIOS[name]]
    for step, _ in SCENARIOS[name]:
        items: list[Any] = list(step.get("items", []))  # type: ignore[call-overload]
        watch.check(*items, reachable=bool(step.get("reachable", True)), blocked=bool(step.get("blocked", False)))
    assert watch.log == expected


def test_vanish_evidence_and_state_progression() -> None:
    watch = Watch()
    watch.check(served(U1))
    states = [(watch.plan.state, watch.plan.missing_count)]
    assert watch.plan.key == text_fingerprint(PLAN_A)
    watch.check(recheck(U1, GONE, 404))
    states.append((watch.plan.state, watch.plan.missing_count))
    watch.check(recheck(U1, SOFT, 200, final_url="https://k.no/"))
    states.append((watch.plan.state, watch.plan.missing_count))
    assert states == [(PlanState.ACTIVE, 0), (PlanState.SUSPECTED_MISSING, 1), (PlanState.VANISHED, 2)]
    [event] = watch.events
    assert event.kind == K.PLAN_VANISHED and event.url == U1 and event.sha256 == doc(U1, PLAN_A).sha256
    assert event.evidence["confirmed_by_checks"] == ["c2", "c3"] and event.evidence["check_id"] == "c3"
    assert event.evidence["url_answers"] == {U1: {"outcome": "soft_404", "status": 200, "final_url": "https://k.no/"}}


def test_three_confirmations_when_configured() -> None:
    watch = Watch(confirmations=3)
    for step in (served(U1), recheck(U1, GONE, 404), recheck(U1, GONE, 404), recheck(U1, GONE, 404)):
        watch.check(step)
    assert watch.log == [[K.PLAN_APPEARED], [], [], [K.PLAN_VANISHED]]


def test_cms_migration_is_a_wave_of_moves() -> None:
    urls = [f"https://k.no/dok/{i}.pdf" for i in range(3)]
    texts = [PLAN_A, PLAN_B, [*PLAN_B, "Vedlegg: rutiner for barnehagene."]]
    watch = Watch()
    watch.check(*(served(u, t) for u, t in zip(urls, texts, strict=True)))
    assert watch.log[-1] == [K.PLAN_APPEARED] * 3
    old = urls
    new = [u.replace("/dok/", "/globalassets/filer/") for u in urls]
    # every old URL 404s; the crawl finds each document at its new address
    watch.check(*(recheck(u, GONE, 404) for u in old), *(doc(n, t) for n, t in zip(new, texts, strict=True)))
    assert {(e.previous_url, e.url) for e in watch.events} == set(zip(old, new, strict=True))
    for _ in range(2):
        watch.check(*(recheck(u, GONE, 404) for u in old), *(doc(n, t) for n, t in zip(new, texts, strict=True)))
    assert watch.log[1:] == [[K.PLAN_MOVED] * 3, [], []]
    assert all(
        p.state == PlanState.ACTIVE and p.urls[0].startswith("https://k.no/globalassets/") for p in watch.state.plans
    )


def test_moved_event_carries_urls_and_hashes() -> None:
    watch = Watch()
    watch.check(served(U1))
    sha = doc(U1, PLAN_A).sha256
    watch.check(doc(U1, PLAN_A, final_url=U2), recheck(U1, MOVED, 200, final_url=U2, sha256=sha))
    [event] = watch.events
    assert (event.url, event.previous_url, event.sha256, event.previous_sha256) == (U2, U1, sha, sha)
    assert event.evidence["same_bytes"] is True
    assert event.evidence["previous_url_answers"] == {U1: {"outcome": "moved", "status": 200, "final_url": U2}}
    assert watch.plan.urls == (U2,)


def test_moved_by_bytes_only_when_the_new_copy_has_no_text() -> None:
    """A re-check that followed a 301 to the same bytes proves the move even when the pipeline has no text."""
    watch = Watch()
    watch.check(served(U1))
    sha = doc(U1, PLAN_A).sha256
    assert watch.check(recheck(U1, MOVED, 200, final_url=U2, sha256=sha)) == [K.PLAN_MOVED]
    assert watch.plan.urls == (U2,)


def test_changed_event_diff_and_new_identity() -> None:
    watch = Watch()
    watch.check(served(U1, PLAN_B, category=VIOLENCE, years=(2021, 2024)))
    key = watch.plan.key
    watch.check(served(U1, PLAN_A))
    [event] = watch.events
    assert event.kind == K.PLAN_CHANGED and event.url == U1 and event.previous_url == U1
    assert event.sha256 != event.previous_sha256
    assert event.evidence["category"] == ["general_violence", "abuse_specific"]
    assert event.evidence["years"] == ["2021-2024", "2024-2027"]
    assert watch.plan.key == key and watch.plan.fingerprint == text_fingerprint(PLAN_A)
    assert watch.plan.category == ABUSE


def test_old_text_republished_after_a_change_is_a_new_plan_with_its_own_key() -> None:
    watch = Watch()
    watch.check(served(U1, PLAN_B, category=VIOLENCE))
    watch.check(served(U1, PLAN_A))
    watch.check(served(U1, PLAN_A), served(U3, PLAN_B, category=VIOLENCE))
    assert watch.log[-1] == [K.PLAN_APPEARED]
    keys = [p.key for p in watch.state.plans]
    assert len(set(keys)) == 2 and keys[1] == f"{text_fingerprint(PLAN_B)}#2"


def test_first_check_is_marked_as_baseline() -> None:
    watch = Watch()
    watch.check(served(U1))
    assert watch.events[0].evidence["first_check"] is True
    watch.check(served(U1), served(U3, PLAN_B, category=VIOLENCE))
    assert watch.events[0].evidence["first_check"] is False


# -- transient cases in any order ---------------------------------------------------------------------------


@dataclass
class Site:
    """A plan on a site that misbehaves in transient ways; each unit is one or two checks."""

    url: str = U1
    moves: int = 0

    def unit(self, watch: Watch, name: str) -> list[list[EventKind]]:
        start = len(watch.log)
        if name == "503":
            watch.check(recheck(self.url, FAILED, 503))
        elif name == "timeout":
            watch.check(recheck(self.url, FAILED, detail="ConnectTimeout"))
        elif name == "404-then-back":
            watch.check(recheck(self.url, GONE, 404))
            watch.check(served(self.url))
        elif name == "soft-404-once":
            watch.check(recheck(self.url, SOFT, 200))
            watch.check(served(self.url, **A_REEXPORT))
        elif name == "unreachable":
            watch.check(reachable=False)
        elif name == "blocked":
            watch.check(blocked=True)
        elif name == "re-export":
            watch.check(served(self.url, **A_REEXPORT))
        elif name == "move-301":
            self.moves += 1
            new = f"https://k.no/ny-{self.moves}/plan.pdf"
            sha = doc(new, PLAN_A).sha256
            watch.check(doc(self.url, PLAN_A, final_url=new), recheck(self.url, MOVED, 200, final_url=new, sha256=sha))
            self.url = new
        return watch.log[start:]


UNIT_EVENTS = {
    "503": [[K.CHECK_FAILED]],
    "timeout": [[K.CHECK_FAILED]],
    "404-then-back": [[], []],
    "soft-404-once": [[], []],
    "unreachable": [[K.CHECK_FAILED]],
    "blocked": [[K.CHECK_FAILED, K.CRAWLER_BLOCKED]],
    "re-export": [[]],
    "move-301": [[K.PLAN_MOVED]],
}


def test_transient_cases_in_any_order_never_vanish() -> None:
    all_orders = list(itertools.permutations(UNIT_EVENTS))
    for order in random.Random(20260301).sample(all_orders, 300):
        watch, site = Watch(), Site()
        watch.check(served(site.url))
        for name in order:
            assert site.unit(watch, name) == UNIT_EVENTS[name], (order, name)
        assert watch.plan.state == PlanState.ACTIVE and watch.plan.urls == (site.url,)
        assert K.PLAN_VANISHED not in {kind for kinds in watch.log for kind in kinds}
