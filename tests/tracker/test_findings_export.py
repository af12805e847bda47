"""The findings export carries what journalists asked for (issue 13): fylke/region, the machine's reason, the
plan's confidence, and criteria met / total with a share that compares Norway's 6 criteria with Denmark's 10.
Driven as a user would: `planvakt crawl` over loopback sites, then `planvakt export findings` in every format.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from crawlers.testweb.documents import pdf_bytes
from crawlers.testweb.plantexts import abuse_plan
from crawlers.testweb.server import MultiHostServer, Reply, Site
from tests.crawlers.conftest import html_page
from tests.json_types import assert_typed
from tracker.export import FINDINGS_COLUMNS, csv_text

YEAR = datetime.now(UTC).year


def _site(host: str, lang: str, kommune: str, link: str) -> Site:
    plan = pdf_bytes(abuse_plan(lang, kommune, YEAR - 1, YEAR + 2))  # type: ignore[arg-type]
    return Site(
        host,
        {
            "/": Reply(body=html_page("Forside", f'<a href="/plan.pdf">{link}</a>')),
            "/plan.pdf": Reply(body=plan, content_type="application/pdf"),
        },
    )


def _planvakt(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "planvakt", *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_findings_export_has_region_reason_confidence_and_normalised_criteria(tmp_path: Path) -> None:
    norwegian = _site("127.79.16.1", "nb", "Eksportvik", "Handlingsplan mot seksuelle overgrep")
    danish = _site("127.79.16.2", "da", "Eksportby", "Beredskab mod seksuelle overgreb")
    empty = Site("127.79.16.3", {"/": Reply(body=html_page("Forside", "<p>Velkommen</p>"))})
    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    env = {**os.environ, "PLANVAKT_VAR_DIR": str(tmp_path / "var")}
    registry = tmp_path / "registry.csv"
    with MultiHostServer([norwegian, danish, empty]) as server:
        registry.write_text(
            "kommunenummer,name,country,website,region\n"
            f"9961,Eksportvik,NO,{server.base_url(norwegian.host)}/,Vestland\n"
            f"9962,Eksportby,DK,{server.base_url(danish.host)}/,Region Syddanmark\n"
            f"9963,Tomvik,NO,{server.base_url(empty.host)}/,\n",
            encoding="utf-8",
        )
        _planvakt("db", "upgrade", "--db", db, env=env)
        crawl = ["crawl", "--registry", str(registry), "--render", "never", "--per-host-delay", "0"]
        _planvakt(*crawl, "--allow-private-networks", "--db", db, env=env)
    exports = {
        fmt: _planvakt("export", "findings", "--format", fmt, "--db", db, env=env).stdout
        for fmt in ("csv", "excel-csv", "json")
    }
    records = {r["kommunenummer"]: r for r in json.loads(exports["json"])}
    assert_typed(records.values(), FINDINGS_COLUMNS)
    no, dk, none = records["9961"], records["9962"], records["9963"]
    assert (no["region"], dk["region"], none["region"]) == ("Vestland", "Region Syddanmark", None)
    assert no["status"] == dk["status"] == "abuse_specific_plan"
    assert no["reason"].startswith("abuse_specific plan ") and no["reason"].endswith("found via link")
    assert none["reason"] == "0 candidate document(s) read; none is a plan against violence"
    for plan in (no, dk):
        assert isinstance(plan["plan_confidence"], float) and 0.5 < plan["plan_confidence"] <= 1
        assert 0 < plan["criteria_met"] <= plan["criteria_total"]
        assert plan["criteria_share"] == round(plan["criteria_met"] / plan["criteria_total"], 2)
    assert (no["criteria_total"], dk["criteria_total"]) == (6, 10)
    assert [none[c] for c in ("plan_confidence", "criteria_met", "criteria_total", "criteria_share")] == [None] * 4
    # the CSV and the Excel CSV carry the same columns as text
    plain = list(csv.DictReader(io.StringIO(exports["csv"])))
    excel = list(csv.DictReader(io.StringIO(exports["excel-csv"].removeprefix("\ufeff"), newline=""), delimiter=";"))
    assert plain == excel
    for row in plain:
        assert list(row) == list(FINDINGS_COLUMNS)
        typed = records[row["kommunenummer"]]
        assert row == {c: csv_text(c, typed[c], typed) for c in FINDINGS_COLUMNS}
    by_number = {row["kommunenummer"]: row for row in plain}
    assert by_number["9961"]["criteria_share"] == str(no["criteria_share"])
    assert by_number["9963"]["criteria_share"] == by_number["9963"]["plan_confidence"] == ""
