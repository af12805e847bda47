"""The detective-task queue (pure) and reviewer overrides in a real database (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from tests.dashboards.act_seed import FJELLVIK, KILDEBY, NORDMYRA, VIKOY, SeedDoc, seed_check
from tracker.domain import Category
from tracker.errors import StorageError
from tracker.export import FINDINGS_COLUMNS, finding_records, write_records
from tracker.store import acts, database, latest
from tracker.store.reviews import (
    add_override,
    finding_reviews,
    kommune_by_number,
    override_history,
    plan_reviews,
    review_kommune,
    status_override,
    withdraw_override,
)
from tracker.volunteers.review import (
    CaseDocument,
    KommuneCase,
    OverrideFact,
    detective_tasks,
    finding_override_in_force,
)

T = datetime(2026, 3, 2, 3, 0, tzinfo=UTC)


def _doc(**changes: object) -> CaseDocument:
    values: dict[str, object] = {
        "title": "Handlingsplan mot seksuelle overgrep",
        "url": "https://x/plan.pdf",
        "category": "abuse_specific",
        "confidence": 0.9,
        "kind": "adopted_plan",
        "current": "true",
        "found_via": "link",
        "click_depth": 2,
    }
    values.update(changes)
    return CaseDocument(**values)  # type: ignore[arg-type]


def _case(number: str, **changes: object) -> KommuneCase:
    values: dict[str, object] = {
        "kommunenummer": number,
        "name": f"K{number}",
        "country": "NO",
        "region": None,
        "status": "abuse_specific_plan",
        "reachable": True,
        "blocked": False,
        "checked_at": T,
        "plan": _doc(),
        "documents": (_doc(),),
    }
    values.update(changes)
    return KommuneCase(**values)  # type: ignore[arg-type]


def test_uncertain_cases_become_tasks_sorted_by_priority() -> None:
    expired_abuse = _doc(current="false", title="Gammel plan mot overgrep")
    current_general = _doc(category="general_violence", title="Plan mot vold i nære relasjoner")
    cases = [
        _case("0001"),  # sure and fine: no task
        _case("0002", plan=_doc(confidence=0.5), documents=(_doc(confidence=0.5),)),
        _case("0003", blocked=True, status="site_unreachable", plan=None, documents=()),
        _case("0004", plan=expired_abuse, documents=(expired_abuse, current_general)),
        _case("0005", status="no_plan_found", plan=None, documents=(_doc(kind="draft", title="Utkast"),)),
        _case("0006", plan=_doc(found_via="sitemap", click_depth=None)),
        _case("0007", status="no_plan_found", plan=None, documents=()),
        _case("0008", reachable=False, status="site_unreachable", plan=None, documents=()),
    ]
    tasks = detective_tasks(cases)
    kinds = [(t.kommunenummer, t.kind) for t in tasks]
    assert kinds == [
        ("0003", "site_blocked"),
        ("0008", "site_unreachable"),
        ("0004", "conflicting_documents"),
        ("0002", "low_confidence"),  # 60 + 5 for confidence 0.5; ties go by kommunenummer
        ("0005", "only_draft"),
        ("0006", "hard_to_find"),
        ("0007", "no_plan_found"),
    ]
    assert tasks[2].documents == ("Gammel plan mot overgrep", "Plan mot vold i nære relasjoner")
    assert "Finn ut hvilken plan som gjelder" in tasks[2].what_to_check("nb")
    assert tasks[0].what_to_check("en").startswith("The site shut the crawler out")
    assert [t.kind for t in detective_tasks(cases, kinds=["hard_to_find"])] == ["hard_to_find"]


def test_reviewed_case_leaves_the_queue_but_a_volunteer_catch_does_not() -> None:
    reviewed = _case("0002", plan=_doc(confidence=0.3), reviewed_status="abuse_specific_plan")
    assert detective_tasks([reviewed]) == []
    caught = _case("0009", status="no_plan_found", plan=None, documents=(), missed_tips=1)
    assert [t.kind for t in detective_tasks([caught])] == ["missed_by_crawler", "no_plan_found"]
    recategorised = _case("0002", plan=_doc(confidence=0.3, reviewed_category="abuse_specific"))
    assert detective_tasks([recategorised]) == []


def test_an_override_stands_while_the_machine_says_the_same() -> None:
    old = OverrideFact(1, 10, "no_plan_found", "abuse_specific_plan", "found by hand", "Kari", T)
    assert finding_override_in_force([old], 10, "no_plan_found") == old
    assert finding_override_in_force([old], 11, "no_plan_found") == old  # next week, same machine verdict
    assert finding_override_in_force([old], 12, "abuse_specific_plan") is None  # the machine changed its mind
    newer = OverrideFact(2, 12, "abuse_specific_plan", "general_violence_plan_only", "it is general", "Ola", T)
    assert finding_override_in_force([old, newer], 12, "abuse_specific_plan") == newer


# -- the store, on both backends ----------------------------------------------------------------------------------


def test_finding_override_is_kept_beside_the_machine_and_exported(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    finding_id = seed_check(factory, NORDMYRA, [SeedDoc("Nyheter fra Nordmyra", category=Category.OTHER)])
    with factory.begin() as session:
        first = add_override(
            session,
            target="finding",
            target_id=finding_id,
            value="general_violence_plan_only",
            reason="a violence plan is on the health pages",
            reviewer="Kari",
            now=T,
        )
    with factory.begin() as session:
        second = add_override(
            session,
            target="finding",
            target_id=finding_id,
            value="abuse_specific_plan",
            reason="the plan is under Oppvekst, 6 clicks deep",
            reviewer="Ola",
            now=T + timedelta(hours=1),
        )
    with factory() as session:
        kommune = kommune_by_number(session, "1899")
        assert kommune is not None
        history = override_history(session, kommune.id)
        reviews = finding_reviews(session)
        review = review_kommune(session, kommune.id)
        out = io.StringIO()
        write_records(finding_records(latest.iter_latest_findings(session), reviews), FINDINGS_COLUMNS, out, "csv")
    # history keeps both; the first one is withdrawn, not deleted
    assert [(o.id, o.value, o.withdrawn_at is not None) for o in history] == [
        (second.id, "abuse_specific_plan", False),
        (first.id, "general_violence_plan_only", True),
    ]
    assert history[0].machine_value == "no_plan_found"
    assert review.finding is not None and review.finding.status == "no_plan_found"  # the machine's verdict stays
    assert review.finding_override is not None and review.finding_override.value == "abuse_specific_plan"
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert row["status"] == "no_plan_found"
    assert row["override_status"] == "abuse_specific_plan"
    assert row["override_reason"] == "the plan is under Oppvekst, 6 clicks deep"
    assert row["overridden_by"] == "Ola"

    # withdrawing it brings back the machine's verdict alone
    with factory.begin() as session:
        withdraw_override(session, second.id, T + timedelta(hours=2))
    with factory() as session:
        assert finding_reviews(session) == {}


def test_classification_override_follows_the_document(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    seed_check(factory, FJELLVIK, [SeedDoc("Plan for trygt oppvekstmiljø", confidence=0.42)])
    with factory() as session:
        kommune = kommune_by_number(session, "3901")
        assert kommune is not None
        review = review_kommune(session, kommune.id)
        tasks = detective_tasks(acts.kommune_cases(session))
    assert [t.kind for t in tasks] == ["low_confidence"]
    document = review.documents[0]
    assert (document.category, document.is_plan) == ("abuse_specific", True)
    with factory.begin() as session:
        add_override(
            session,
            target="classification",
            target_id=document.classification_id,
            value="other",
            reason="a school environment plan, abuse is one line",
            reviewer="Kari",
            now=T,
            kommune_id=kommune.id,
        )
    with factory() as session:
        after = review_kommune(session, kommune.id)
        assert plan_reviews(session) == {document.sha256: "other"}
        assert detective_tasks(acts.kommune_cases(session)) == []
    assert after.documents[0].category == "abuse_specific"  # the machine's reading is untouched
    assert after.documents[0].override is not None and after.documents[0].override.value == "other"


def test_override_rejects_nonsense(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    finding_id = seed_check(factory, VIKOY, [])
    with factory.begin() as session:
        with pytest.raises(StorageError, match="not a status"):
            add_override(
                session, target="finding", target_id=finding_id, value="great", reason="x", reviewer="K", now=T
            )
        with pytest.raises(StorageError, match="needs a reason"):
            add_override(
                session,
                target="finding",
                target_id=finding_id,
                value="no_plan_found",
                reason="  ",
                reviewer="K",
                now=T,
            )
        with pytest.raises(StorageError, match="no finding"):
            add_override(
                session, target="finding", target_id=999999, value="no_plan_found", reason="x", reviewer="K", now=T
            )


def test_letter_facts_use_the_kommune_language_and_the_plan(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    seed_check(
        factory,
        KILDEBY,
        [
            SeedDoc(
                "Beredskab mod overgreb mod børn 2025", years=(2025, None), language="da", criteria={"handleveje": True}
            )
        ],
    )
    with factory() as session:
        kommune = kommune_by_number(session, "0799", "DK")
        assert kommune is not None
        facts = acts.letter_facts(session, kommune.id, "da", evidence_url="http://x/kommune/0799")
    assert facts is not None
    assert (facts.language, facts.status, facts.country) == ("da", "abuse_specific_plan", "DK")
    assert facts.plan is not None and facts.plan.criteria == (("handleveje", True),)
    assert facts.plan.current == "true"


def test_status_override_lapses_when_the_machine_changes_its_mind(engine: Engine) -> None:
    factory = database.make_session_factory(engine)
    first = seed_check(factory, NORDMYRA, [], at=T)
    with factory.begin() as session:
        add_override(
            session,
            target="finding",
            target_id=first,
            value="general_violence_plan_only",
            reason="found by hand",
            reviewer="Kari",
            now=T,
        )
    seed_check(factory, NORDMYRA, [], at=T + timedelta(days=7))  # same machine verdict a week later
    with factory() as session:
        kommune = kommune_by_number(session, "1899")
        assert kommune is not None
        in_force = status_override(session, kommune.id)
        assert in_force is not None and in_force.value == "general_violence_plan_only"
    seed_check(factory, NORDMYRA, [SeedDoc("Handlingsplan mot seksuelle overgrep mot barn")], at=T + timedelta(days=14))
    with factory() as session:
        assert status_override(session, kommune.id) is None
        assert finding_reviews(session) == {}
