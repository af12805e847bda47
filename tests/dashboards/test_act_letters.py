"""The Act page's letter follows a reviewer's status override in force, in the kommune's language (both backends)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from dashboards.app import create_app
from tests.dashboards.act_seed import KILDEBY, NORDMYRA, VIKOY, SeedDoc, seed_check, sync
from tracker.blobs import EvidenceStore
from tracker.config import Settings
from tracker.domain import Category
from tracker.store import database, reviews

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize(
    ("kommune", "no_plan", "reviewed"),
    [
        (NORDMYRA, "finner verken en plan", "Planvakt har registrert at kommunen har en egen plan"),
        (VIKOY, "finn verken ein plan", "Planvakt har registrert at kommunen har ein eigen plan"),
        (KILDEBY, "kan hverken finde et beredskab", "Planvakt har registreret, at kommunen har et beredskab"),
    ],
)
async def test_the_letter_speaks_of_the_plan_a_reviewer_found(
    engine: Engine, tmp_path: Path, kommune: object, no_plan: str, reviewed: str
) -> None:
    factory = database.make_session_factory(engine)
    finding_id = seed_check(factory, kommune, [SeedDoc("Nyheter", category=Category.OTHER)])  # type: ignore[arg-type]
    number = kommune.kommunenummer  # type: ignore[attr-defined]
    app = create_app(
        Settings(var_dir=tmp_path / "var"),
        session_factory=factory,
        evidence=EvidenceStore(tmp_path / "e"),
        now=lambda: NOW,
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver") as client:
        before = _text((await client.get(f"/act/{number}")).text)
        assert no_plan in before and reviewed not in before
        kommune_id = sync(factory, kommune)[number]  # type: ignore[arg-type]
        with factory.begin() as session:
            reviews.add_override(
                session,
                target="finding",
                target_id=finding_id,
                value="abuse_specific_plan",
                reason="Planen ligger under Oppvekst, ikke lenket",
                reviewer="Kari",
                now=NOW,
                kommune_id=kommune_id,
            )
        after = _text((await client.get(f"/act/{number}")).text)
    assert reviewed in after and no_plan not in after
