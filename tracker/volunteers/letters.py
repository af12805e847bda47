"""Pure: the letter a volunteer sends to a kommune's politicians, written from Planvakt's findings.

One letter per kommune in the kommune's own written language (``nb``, ``nn`` or ``da``, see
`tracker.alerts.messages.kommune_language`), or in English (``en``) for a volunteer who reads no Norwegian or Danish and
wants to know what they sign: what was found (plan, category, period, current or expired, how hard it is to find),
which items of the campaigners' checklist the plan does not commit to (from the stored criteria), and what to ask
for. The sentences are whole sentences chosen per situation, not one template with blanks, because a letter that
reads like a form is a letter politicians file away. They live in `tracker/catalogue/letters.toml`. No I/O and no
clock: the caller passes the facts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from tracker.catalogue import Locale, text
from tracker.catalogue.formats import day
from tracker.reading.criteria import criteria_for

__all__ = ["Letter", "LetterFacts", "PlanFact", "missing_criteria", "plan_facts_criteria", "write_letter"]

#: a plan more clicks than this from the front page is "hard to find" (the campaigners' rule of thumb)
EASY_CLICKS: Final = 2


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
    language: Locale
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
    language: Locale
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


def missing_criteria(plan: PlanFact | None, language: str) -> tuple[str, ...]:
    """Criterion ids of the checklist the plan does not commit to (all of them when there is no plan).

    The applicable checklist follows the letter's language (the Danish beredskab items only for ``da``); a
    criterion the classifier did not assess counts as missing, since the letter cannot claim it is covered.
    """
    applicable = criteria_for(language)
    if plan is None:
        return applicable
    met = {criterion for criterion, ok in plan.criteria if ok}
    return tuple(criterion for criterion in applicable if criterion not in met)


# -- the words, per language: tracker/catalogue/letters.toml ----------------------------------------------------


class _Words:
    """The letter's sentences in one language: `words["intro"]` is the catalogue's `letter.intro`."""

    def __init__(self, lang: Locale) -> None:
        self.lang = lang

    def __getitem__(self, key: str) -> str:
        return text(self.lang, f"letter.{key}")


def _clicks(words: _Words, depth: int) -> str:
    return words["clicks_one"] if depth == 1 else words["clicks_many"].format(n=depth)


def _found_paragraph(facts: LetterFacts, words: _Words) -> tuple[str, str]:
    """The sentence on what was found, and the situation it describes (drives the asks)."""
    plan = facts.plan
    base = {"website": facts.website, "checked": day(facts.checked_on, words.lang)}
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


def _findability(facts: LetterFacts, words: _Words) -> tuple[str, bool]:
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
    words = _Words(lang)
    # the checklist follows the kommune (Danish beredskab items for a Danish one), whatever language the letter is in
    checklist = lang if lang != "en" else ("da" if facts.country == "DK" else "nb")
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
        missing_ids = missing_criteria(plan_for_checklist, checklist)
        missing = tuple(words[f"criterion.{criterion}"] for criterion in missing_ids)
        missing_heading = words["missing_heading_plan"] if has_abuse_plan else words["missing_heading_none"]
        if has_abuse_plan and not missing:
            paragraphs.append(words["all_met"])
    law = words["law_dk"] if facts.country == "DK" else words["law_no"]
    if law and not has_abuse_plan and situation not in ("unreachable", "reviewed_plan"):
        paragraphs.append(law)

    asks = _asks(situation, words, missing=bool(has_abuse_plan and missing), hard_to_find=hard_to_find)
    closing = [words["closing"], "", words["regards"], words["signature"]]
    if facts.evidence_url:
        closing += ["", words["source"].format(checked=day(facts.checked_on, lang), evidence_url=facts.evidence_url)]
    return Letter(
        language=lang,
        subject=words["subject"].format(name=facts.kommune_name),
        greeting=words["greeting"].format(name=facts.kommune_name),
        paragraphs=tuple(paragraphs),
        missing_heading=missing_heading,
        missing=missing,
        asks_heading=words["asks_heading"],
        asks=asks,
        closing=tuple(closing),
    )


def _asks(situation: str, words: _Words, *, missing: bool, hard_to_find: bool) -> tuple[str, ...]:
    """What the letter asks the kommune for in its situation; `missing`: its abuse plan lacks checklist items."""
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
    if missing:
        asks.append(words["ask_extend"])
    if hard_to_find:
        asks.append(words["ask_visible"])
    if situation != "unreachable":
        asks.append(words["ask_report"])
    return tuple(asks)


def plan_facts_criteria(criteria: Sequence[dict[str, object]]) -> tuple[tuple[str, bool], ...]:
    """`Classification.criteria` JSON as (criterion, met) pairs."""
    return tuple((str(hit.get("criterion", "")), bool(hit.get("met"))) for hit in criteria)
