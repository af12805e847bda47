"""The change detector: a kommune's known plans + one new check -> events and the plans' new state
(`tracker.watch.changes` holds what goes in and comes out).

Pure: frozen dataclasses in, frozen dataclasses out; no I/O, no clock (the caller stamps `detected_at`).

A plan's identity is the kommune plus its normalised text (`text_fingerprint`), not its URL: URLs and byte
hashes are observations of a plan. One check is compared with the known plans in passes:

1. exact content: a document seen now (crawl or re-check) with the plan's fingerprint or one of its sha256s.
   Seen at its known URL -> nothing, even with new bytes (a re-exported PDF is the same plan); only at other
   URLs while a known URL answered gone / soft 404 / a redirect / other content -> `plan_moved`;
   a vanished plan seen again -> `plan_reappeared`.
2. a known URL now serves other, unclaimed content -> `plan_changed` (with a short diff summary).
3. every known URL confirmed absent and the content nowhere: a near-duplicate (text sketch) elsewhere ->
   `plan_changed` at the new URL; else one confirmation of absence. After `confirmations` consecutive
   confirmations in checks where the site was reachable -> `plan_vanished`; before that the plan is
   `suspected_missing`.
4. any known URL we could not verify (timeout, 5xx, DNS, blocked, not re-checked) and the content not found ->
   `check_failed` for the plan; its state is kept. Never absence.
5. plan documents (abuse_specific / general_violence) left unclaimed -> `plan_appeared`.

A check where the site was unreachable or blocked changes no plan: it gives `check_failed`, and
`crawler_blocked` when the blocking starts or the site has been unreachable for `unreachable_alert_after`
checks in a row (an alert about our own sight, for the operator).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from tracker.domain import PLAN_CATEGORIES, EventKind, years_text
from tracker.watch.changes import (
    ChangeEvent,
    ChangeResult,
    Check,
    KnownPlan,
    PlanState,
    SeenDocument,
    UrlOutcome,
    WatchState,
)
from tracker.watch.plan_diff import diff_summary
from tracker.watch.text_identity import NEAR_DUPLICATE_THRESHOLD, similarity


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(item for item in items if item))


class _Detector:
    def __init__(self, previous: WatchState, check: Check, confirmations: int) -> None:
        self.check = check
        self.confirmations = max(1, confirmations)
        self.events: list[ChangeEvent] = []
        self.plans = {plan.key: plan for plan in sorted(previous.plans, key=lambda p: p.key)}
        self.first_check = previous.checks == 0
        self.docs = list(check.documents)
        self.claimed: set[str] = set()  # identities that belong to a known plan in this check
        self.rechecks = {r.url: r for r in check.rechecks}
        self.blocked_urls: list[str] = []

    def emit(
        self,
        kind: EventKind,
        plan: KnownPlan | None,
        *,
        url: str | None = None,
        previous_url: str | None = None,
        sha256: str | None = None,
        previous_sha256: str | None = None,
        evidence: Mapping[str, object] | None = None,
    ) -> None:
        full = {**(evidence or {}), "check_id": self.check.check_id}
        self.events.append(
            ChangeEvent(kind, plan.key if plan else None, url, previous_url, sha256, previous_sha256, full)
        )

    # -- observations of one URL -------------------------------------------------------------------------

    def docs_at(self, url: str) -> list[SeenDocument]:
        """Documents whose bytes came from `url` itself (asked for there and not redirected away)."""
        return [d for d in self.docs if d.where == url]

    def redirected_away(self, url: str) -> bool:
        return any(d.url == url and d.where != url for d in self.docs)

    def url_status(self, plan: KnownPlan, url: str) -> str:
        """absent | replaced | unknown, for a known URL of a plan whose content was not found in this check."""
        if any(d.identity != plan.fingerprint for d in self.docs_at(url)) or self.redirected_away(url):
            return "replaced"
        recheck = self.rechecks.get(url)
        if recheck is None:
            return "unknown"
        if recheck.outcome in (UrlOutcome.GONE, UrlOutcome.SOFT_404, UrlOutcome.MOVED):
            return "absent"
        if recheck.outcome == UrlOutcome.BLOCKED:
            self.blocked_urls.append(url)
        return "unknown"  # failed, blocked, or served bytes we could not read as text

    def statuses(self, plan: KnownPlan) -> dict[str, object]:
        seen: dict[str, object] = {}
        for url in plan.urls:
            recheck = self.rechecks.get(url)
            seen[url] = (
                {"outcome": recheck.outcome.value, "status": recheck.status, "final_url": recheck.final_url}
                if recheck is not None
                else {"outcome": "not_rechecked"}
            )
        return seen

    # -- passes ------------------------------------------------------------------------------------------

    def exact(self, plan: KnownPlan) -> KnownPlan | None:
        """Pass 1: the plan's own content seen now (by text, or by bytes for re-checks without text)."""
        shas = set(plan.sha256s)
        docs = [d for d in self.docs if d.identity == plan.fingerprint]
        where = _unique(d.where for d in docs)
        rechecked = [
            r for r in self.rechecks.values() if r.sha256 in shas and r.outcome in (UrlOutcome.SERVED, UrlOutcome.MOVED)
        ]
        where = _unique((*where, *(r.final_url or r.url for r in rechecked)))
        if not where:
            return None
        self.claimed.add(plan.fingerprint)
        latest = docs[0] if docs else None
        sha256s = _unique(d.sha256 for d in docs) or _unique(r.sha256 or "" for r in rechecked)
        updated = replace(
            plan,
            state=PlanState.ACTIVE,
            missing_checks=(),
            sha256s=sha256s,
            category=latest.category if latest else plan.category,
            page_count=latest.page_count if latest else plan.page_count,
            year_start=latest.year_start if latest else plan.year_start,
            year_end=latest.year_end if latest else plan.year_end,
        )
        if plan.state == PlanState.VANISHED:
            self.emit(
                EventKind.PLAN_REAPPEARED,
                plan,
                url=where[0],
                previous_url=plan.urls[0] if plan.urls else None,
                sha256=sha256s[0] if sha256s else None,
                previous_sha256=plan.sha256s[0] if plan.sha256s else None,
                evidence={"urls": list(where), "vanished_after_checks": list(plan.missing_checks)},
            )
            return replace(updated, urls=where)
        if set(where) & set(plan.urls):
            # seen where it was (re-exported bytes included): no event; URLs it also lives at are added
            kept = [u for u in plan.urls if u in where or self.url_status(plan, u) == "unknown"]
            return replace(updated, urls=_unique((*kept, *where)))
        left = {u: self.url_status(plan, u) for u in plan.urls}
        gone = [u for u, status in left.items() if status != "unknown"]
        unverified = [u for u, status in left.items() if status == "unknown"]
        if gone:
            self.emit(
                EventKind.PLAN_MOVED,
                plan,
                url=where[0],
                previous_url=gone[0],
                sha256=sha256s[0] if sha256s else None,
                previous_sha256=plan.sha256s[0] if plan.sha256s else None,
                evidence={
                    "urls": list(where),
                    "previous_urls": gone,
                    "previous_url_answers": self.statuses(plan),
                    "same_bytes": bool(shas & set(sha256s)),
                },
            )
        return replace(updated, urls=_unique((*unverified, *where)))

    def replaced_at_url(self, plan: KnownPlan) -> KnownPlan | None:
        """Pass 2: a known URL now serves other content that no known plan claims -> the plan changed."""
        for url in plan.urls:
            for doc in self.docs_at(url):
                if doc.identity in self.claimed or doc.identity == plan.fingerprint:
                    continue
                return self.changed(plan, doc, url)
        return None

    def changed(self, plan: KnownPlan, doc: SeenDocument, old_url: str) -> KnownPlan:
        self.claimed.add(doc.identity)
        where = _unique(d.where for d in self.docs if d.identity == doc.identity)
        evidence = diff_summary(plan, doc)
        evidence.update(urls=list(where), previous_url_answers=self.statuses(plan))
        self.emit(
            EventKind.PLAN_CHANGED,
            plan,
            url=doc.where,
            previous_url=old_url,
            sha256=doc.sha256,
            previous_sha256=plan.sha256s[0] if plan.sha256s else None,
            evidence=evidence,
        )
        return replace(
            plan,
            fingerprint=doc.identity,
            urls=where,
            sha256s=_unique(d.sha256 for d in self.docs if d.identity == doc.identity),
            category=doc.category,
            year_start=doc.year_start,
            year_end=doc.year_end,
            page_count=doc.page_count,
            title=doc.title or plan.title,
            page_hashes=doc.page_hashes,
            sketch=doc.sketch,
            state=PlanState.ACTIVE,
            missing_checks=(),
        )

    def near(self, plan: KnownPlan) -> SeenDocument | None:
        if not plan.sketch:
            return None
        best: tuple[float, SeenDocument] | None = None
        for doc in self.docs:
            if doc.identity in self.claimed or doc.category not in PLAN_CATEGORIES or not doc.sketch:
                continue
            score = similarity(plan.sketch, doc.sketch)
            if score >= NEAR_DUPLICATE_THRESHOLD and (best is None or score > best[0]):
                best = (score, doc)
        return best[1] if best else None

    def absent_or_unknown(self, plan: KnownPlan) -> KnownPlan:
        """Passes 3-4: the content was not found; count absence only if every known URL confirmed it."""
        left = {u: self.url_status(plan, u) for u in plan.urls}
        answers = self.statuses(plan)
        if not plan.urls or any(status == "unknown" for status in left.values()):
            self.emit(
                EventKind.CHECK_FAILED,
                plan,
                url=plan.urls[0] if plan.urls else None,
                sha256=plan.sha256s[0] if plan.sha256s else None,
                evidence={
                    "reason": "plan_unverified",
                    "url_answers": answers,
                    "details": {u: self.rechecks[u].detail for u in plan.urls if u in self.rechecks},
                    "state": plan.state.value,
                    "missing_count": plan.missing_count,
                },
            )
            return plan
        doc = self.near(plan)
        if doc is not None:
            return self.changed(plan, doc, plan.urls[0])
        missing = (*plan.missing_checks, self.check.check_id)
        if len(missing) < self.confirmations:
            return replace(plan, state=PlanState.SUSPECTED_MISSING, missing_checks=missing)
        self.emit(
            EventKind.PLAN_VANISHED,
            plan,
            url=plan.urls[0],
            sha256=plan.sha256s[0] if plan.sha256s else None,
            evidence={
                "url_answers": answers,
                "confirmed_by_checks": list(missing),
                "category": plan.category.value,
                "title": plan.title,
                "plan_documents_seen_now": list(_unique(d.where for d in self.docs if d.category in PLAN_CATEGORIES)),
            },
        )
        return replace(plan, state=PlanState.VANISHED, missing_checks=missing)

    def appeared(self) -> list[KnownPlan]:
        """Pass 5: plan documents no known plan claims."""
        new: list[KnownPlan] = []
        by_identity: dict[str, list[SeenDocument]] = {}
        for doc in self.docs:
            if doc.identity not in self.claimed and doc.category in PLAN_CATEGORIES:
                by_identity.setdefault(doc.identity, []).append(doc)
        for identity, docs in by_identity.items():
            doc = docs[0]
            key, n = identity, 1
            while key in self.plans:  # a plan that changed away from this text keeps the old key
                n += 1
                key = f"{identity}#{n}"
            plan = KnownPlan(
                key=key,
                fingerprint=identity,
                urls=_unique(d.where for d in docs),
                sha256s=_unique(d.sha256 for d in docs),
                category=doc.category,
                year_start=doc.year_start,
                year_end=doc.year_end,
                page_count=doc.page_count,
                title=doc.title,
                page_hashes=doc.page_hashes,
                sketch=doc.sketch,
            )
            self.emit(
                EventKind.PLAN_APPEARED,
                plan,
                url=plan.urls[0],
                sha256=doc.sha256,
                evidence={
                    "urls": list(plan.urls),
                    "category": doc.category.value,
                    "years": years_text(doc.year_start, doc.year_end),
                    "title": doc.title,
                    "first_check": self.first_check,
                },
            )
            self.claimed.add(identity)
            new.append(plan)
        return new

    def run(self) -> list[KnownPlan]:
        result: dict[str, KnownPlan] = {}
        for plan in self.plans.values():
            found = self.exact(plan)
            if found is not None:
                result[plan.key] = found
        for plan in self.plans.values():
            if plan.key in result or plan.state == PlanState.VANISHED:
                continue
            changed = self.replaced_at_url(plan)
            if changed is not None:
                result[plan.key] = changed
        for plan in self.plans.values():
            if plan.key not in result:
                result[plan.key] = plan if plan.state == PlanState.VANISHED else self.absent_or_unknown(plan)
        return [*result.values(), *self.appeared()]


def detect_changes(
    previous: WatchState,
    check: Check,
    *,
    confirmations: int = 2,
    unreachable_alert_after: int = 3,
) -> ChangeResult:
    """Compare one new check of a kommune with what was known; return the events and the new state.

    `confirmations`: consecutive checks (site reachable, every known URL gone or a soft 404, content nowhere)
    before `plan_vanished`. `unreachable_alert_after`: unreachable checks in a row before `crawler_blocked`.
    Events come in a stable order (known plans by key, then new plans in document order).
    """
    checks = previous.checks + 1
    if not check.reachable or check.blocked:
        reason = "blocked" if check.blocked else "unreachable"
        unreachable = 0 if check.blocked else previous.unreachable_checks + 1
        blocked = previous.blocked_checks + 1 if check.blocked else 0
        evidence: dict[str, object] = {"check_id": check.check_id, "reason": reason, "detail": check.detail}
        evidence["consecutive"] = max(unreachable, blocked)
        events = [ChangeEvent(EventKind.CHECK_FAILED, None, evidence=evidence)]
        if (check.blocked and blocked == 1) or (not check.blocked and unreachable == unreachable_alert_after):
            events.append(ChangeEvent(EventKind.CRAWLER_BLOCKED, None, evidence=dict(evidence)))
        state = replace(previous, unreachable_checks=unreachable, blocked_checks=blocked, checks=checks)
        return ChangeResult(tuple(events), state)

    detector = _Detector(previous, check, confirmations)
    plans = detector.run()
    events = detector.events
    blocked = previous.blocked_checks + 1 if detector.blocked_urls else 0
    if blocked == 1:
        events.append(
            ChangeEvent(
                EventKind.CRAWLER_BLOCKED,
                None,
                url=detector.blocked_urls[0],
                evidence={
                    "check_id": check.check_id,
                    "reason": "plan_url_blocked",
                    "urls": list(_unique(detector.blocked_urls)),
                    "details": {u: detector.rechecks[u].detail for u in _unique(detector.blocked_urls)},
                    "consecutive": 1,
                },
            )
        )
    state = WatchState(plans=tuple(plans), unreachable_checks=0, blocked_checks=blocked, checks=checks)
    return ChangeResult(tuple(events), state)
