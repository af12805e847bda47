"""Downloads, the data dictionary, archived copies and the read-only JSON API, over the crawled demo web."""

from __future__ import annotations

import csv
import hashlib
import io

import httpx
import pytest

from dashboards.dictionary import DATASETS, describe
from tests.dashboards.conftest import HOSTILE_NUMBER, Crawled
from tests.json_types import assert_typed, seen_types
from tracker.export import COLUMN_TYPES, EVENTS_COLUMNS, FINDINGS_COLUMNS, PLANS_COLUMNS, csv_text

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def http(base_url: str) -> httpx.Client:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


@pytest.mark.parametrize(
    ("dataset", "columns"), [("findings", FINDINGS_COLUMNS), ("plans", PLANS_COLUMNS), ("events", EVENTS_COLUMNS)]
)
def test_csv_download_has_the_documented_header(http: httpx.Client, dataset: str, columns: tuple[str, ...]) -> None:
    response = http.get(f"/data/{dataset}.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert f'filename="planvakt-{dataset}-' in response.headers["content-disposition"]
    reader = csv.DictReader(io.StringIO(response.text))
    rows = list(reader)
    assert tuple(reader.fieldnames or ()) == columns
    assert rows, dataset
    documented = http.get("/data").text
    for column in columns:
        assert f"<code>{column}</code>" in documented


@pytest.mark.parametrize(
    ("dataset", "columns"), [("findings", FINDINGS_COLUMNS), ("plans", PLANS_COLUMNS), ("events", EVENTS_COLUMNS)]
)
def test_json_download_is_typed_and_matches_csv(http: httpx.Client, dataset: str, columns: tuple[str, ...]) -> None:
    as_json = http.get(f"/data/{dataset}.json").json()
    as_csv = list(csv.DictReader(io.StringIO(http.get(f"/data/{dataset}.csv").text)))
    assert as_json and len(as_json) == len(as_csv)
    assert_typed(as_json, columns)
    for typed, text in zip(as_json, as_csv, strict=True):
        assert {c: csv_text(c, typed[c], typed) for c in columns} == text
    for column in columns:  # every column shows its declared type somewhere, not only null
        kind, _ = COLUMN_TYPES[column]
        seen = seen_types(as_json, column) - {"null"}
        assert not seen or seen <= {kind if kind != "datetime" else "string"} | (
            {"integer"} if kind == "number" else set()
        )


def test_findings_json_types(http: httpx.Client, crawled: Crawled) -> None:
    findings = {r["kommunenummer"]: r for r in http.get("/data/findings.json").json()}
    assert len(findings) == len(crawled.kommuner)
    menu = findings[crawled.number("menu")]
    assert (menu["plan_current"], menu["click_depth"], menu["missed_by_crawler"]) == (True, 2, False)
    assert isinstance(menu["pages_fetched"], int) and menu["override_status"] is None
    down = findings[crawled.number("down")]
    assert (down["plan_url"], down["plan_current"], down["click_depth"]) == (None, None, None)
    assert seen_types(findings.values(), "plan_current") >= {"boolean", "null"}


def test_api_types_agree_with_the_exports(http: httpx.Client, crawled: Crawled) -> None:
    """A column the API shares with an export has the export's type (COLUMN_TYPES is the one place)."""
    kommuner = http.get("/api/kommuner").json()
    shared = [c for c in FINDINGS_COLUMNS if c in kommuner[0]]
    assert {"plan_current", "click_depth", "checked_at", "plan_url"} <= set(shared)
    assert_typed([k for k in kommuner if k["status"] != "not_checked"], shared)
    plans = http.get("/api/plans").json()
    assert_typed(plans, [c for c in PLANS_COLUMNS if c in plans[0]])
    events = http.get("/api/events").json()
    assert_typed(events, [c for c in EVENTS_COLUMNS if c in events[0]])
    detail = http.get(f"/api/kommuner/{crawled.number('menu')}").json()
    best = next(plan for plan in detail["plans"] if plan["best"])
    assert best["current"] is True and isinstance(best["confidence"], float) and isinstance(best["size_bytes"], int)
    assert isinstance(detail["checks"][0]["pages_fetched"], int) and isinstance(detail["checks"][0]["reachable"], bool)


@pytest.mark.parametrize("dataset", ["findings", "plans", "events"])
def test_excel_csv_download_is_the_csv_with_a_bom_and_semicolons(http: httpx.Client, dataset: str) -> None:
    excel = http.get(f"/data/{dataset}.excel.csv")
    assert excel.status_code == 200 and excel.headers["content-type"].startswith("text/csv")
    assert f'filename="planvakt-{dataset}-' in excel.headers["content-disposition"]
    assert excel.headers["content-disposition"].endswith('.excel.csv"')
    assert excel.content.startswith(b"\xef\xbb\xbf")
    assert excel.content[3:].split(b"\r\n", 1)[0] == ";".join(DATASETS[dataset]).encode()
    text = excel.content.decode("utf-8-sig")
    plain = http.get(f"/data/{dataset}.csv").text
    assert list(csv.reader(io.StringIO(text, newline=""), delimiter=";")) == list(csv.reader(io.StringIO(plain)))
    if dataset == "findings":
        assert any(ch in text for ch in "æøåÆØÅ"), "the demo names carry æøå"
    page = http.get("/data").text
    assert f'href="/data/{dataset}.excel.csv"' in page and "semikolon" in page
    assert http.get(f"/data/{dataset}.xlsx").status_code == 404


def test_every_column_has_a_description_in_both_languages() -> None:
    for dataset, columns in DATASETS.items():
        for column in columns:
            assert describe(column, "nb"), (dataset, column)
            assert all(describe(column, lang) for lang in ("nn", "da", "en")), (dataset, column)


def test_archived_copy_is_the_stored_bytes(http: httpx.Client, crawled: Crawled) -> None:
    detail = http.get(f"/api/kommuner/{crawled.number('menu')}").json()
    best = next(plan for plan in detail["plans"] if plan["best"])
    copy = http.get(best["archived_copy"])
    assert copy.status_code == 200
    assert hashlib.sha256(copy.content).hexdigest() == best["sha256"]
    assert copy.content.startswith(b"%PDF")
    assert copy.headers["content-type"] == "application/pdf"
    assert copy.headers["content-disposition"].startswith("inline")
    assert copy.headers["x-content-type-options"] == "nosniff"
    assert http.get("/evidence/" + "0" * 64).status_code == 404
    assert http.get("/evidence/not-a-hash").status_code == 404


def test_archived_html_is_an_attachment_in_a_sandbox(http: httpx.Client, crawled: Crawled) -> None:
    plan = next(p for p in http.get(f"/api/kommuner/{HOSTILE_NUMBER}").json()["plans"] if p["best"])
    copy = http.get(plan["archived_copy"])
    assert hashlib.sha256(copy.content).hexdigest() == plan["sha256"]
    assert copy.headers["content-disposition"].startswith("attachment")
    assert copy.headers["content-security-policy"].startswith("sandbox")


def test_api_kommuner_shapes_and_filters(http: httpx.Client, crawled: Crawled) -> None:
    everything = http.get("/api/kommuner").json()
    assert len(everything) == len(crawled.kommuner)
    menu = next(k for k in everything if k["kommunenummer"] == crawled.number("menu"))
    assert menu["status"] == "abuse_specific_plan"
    assert menu["click_depth"] == 2 and menu["plan_current"] is True
    assert menu["criteria_met"] >= 4 and menu["criteria_total"] == 6
    assert menu["url"] == f"/api/kommuner/{menu['kommunenummer']}"
    danish = http.get("/api/kommuner", params={"country": "DK"}).json()
    assert danish and {k["country"] for k in danish} == {"DK"}
    down = http.get("/api/kommuner", params={"status": "site_unreachable"}).json()
    assert [k["kommunenummer"] for k in down] == [crawled.number("down")]


def test_api_kommune_detail_has_the_evidence(http: httpx.Client, crawled: Crawled) -> None:
    detail = http.get(f"/api/kommuner/{crawled.number('deep')}").json()
    best = next(plan for plan in detail["plans"] if plan["best"])
    assert best["click_depth"] == 5 and len(best["click_path"]) == 6
    assert best["category"] == "abuse_specific" and best["found_via"] == "link"
    assert {c["criterion"] for c in best["criteria"]} >= {"children_knowledge", "arena_coverage"}
    assert any(a["check"] == "text_layer" for a in best["accessibility"])
    assert detail["checks"][0]["status"] == "abuse_specific_plan"


def test_api_events_and_plans(http: httpx.Client, crawled: Crawled) -> None:
    moved = http.get("/api/events", params={"kind": "plan_moved"}).json()
    assert [e["kind"] for e in moved] == ["plan_moved"]
    assert moved[0]["previous_url"].endswith("old.pdf") and moved[0]["details"] == {"test": "robots"}
    plans = http.get("/api/plans", params={"category": "general_violence"}).json()
    assert plans and {p["category"] for p in plans} == {"general_violence"}
    assert {crawled.number("general_only"), crawled.number("robots")} <= {p["kommunenummer"] for p in plans}


def test_openapi_documents_the_read_only_api(http: httpx.Client) -> None:
    document = http.get("/api/openapi.json").json()
    assert {path for path in document["paths"] if path.startswith("/api/")} == {
        "/api/kommuner",
        "/api/kommuner/{kommunenummer}",
        "/api/events",
        "/api/plans",
    }
    assert all(set(document["paths"][path]) == {"get"} for path in document["paths"] if path.startswith("/api/"))
    schemas = document["components"]["schemas"]
    assert {"KommuneOut", "KommuneDetailOut", "EventOut", "PlanOut"} <= set(schemas)


@pytest.mark.parametrize(
    ("path", "params", "parameter", "a_valid_value"),
    [
        ("/api/kommuner", {"status": "bogus"}, "status", "no_plan_found"),
        ("/api/kommuner", {"country": "SE"}, "country", "DK"),
        ("/api/kommuner", {"region": "Atlantis"}, "region", "Vestland"),
        ("/api/events", {"kind": ["plan_moved", "plan_exploded"]}, "kind", "plan_vanished"),
        ("/api/events", {"kommune": "1234"}, "kommune", "9950"),
        ("/api/events", {"region": "Atlantis"}, "region", "Nordland"),
        ("/api/plans", {"category": "other"}, "category", "general_violence"),
        ("/api/plans", {"kommune": ["9950", "1234"]}, "kommune", "9950"),
    ],
)
def test_api_rejects_an_unknown_filter_value_with_the_valid_ones(
    http: httpx.Client, path: str, params: dict[str, object], parameter: str, a_valid_value: str
) -> None:
    """Issue 13: an unknown value was silently ignored (`?status=bogus` returned every kommune)."""
    response = http.get(path, params=params)
    assert response.status_code == 422, response.text
    message = response.json()["detail"]
    assert message.startswith(f"unknown {parameter} ") and "valid: " in message
    assert a_valid_value in message.split("valid: ", 1)[1]
    assert "'1234'" in message or parameter != "kommune"
    assert "'plan_moved'" not in message, "only the unknown value is named"


def test_api_known_filter_values_still_filter(http: httpx.Client, crawled: Crawled) -> None:
    assert http.get("/api/kommuner", params={"country": "dk"}).status_code == 200
    by_code = http.get("/api/kommuner", params={"region": "46"}).json()
    assert by_code and {k["region"] for k in by_code} == {"Vestland"}
    events = http.get("/api/events", params={"kommune": crawled.number("menu")})
    assert events.status_code == 200
    assert http.get("/api/plans", params={"category": "abuse_specific"}).status_code == 200


def test_data_page_names_the_licence_and_how_to_cite(http: httpx.Client, crawled: Crawled) -> None:
    page = http.get("/data").text
    assert 'rel="license" href="https://creativecommons.org/licenses/by/4.0/"' in page
    assert "CC BY 4.0" in page and "/kommune/4601" in page and "/evidence/&lt;sha256&gt;" in page
    english = http.get("/data", params={"lang": "en"}).text
    assert "How to cite a finding" in english and "Attribution 4.0" in english
    for name in ("findings.csv", "plans.excel.csv", "events.json"):
        assert (
            http.get(f"/data/{name}").headers["link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
        )
    # the citation's two addresses resolve: the kommune's page and the archived copy by its SHA-256
    number = crawled.number("menu")
    sha = next(p["sha256"] for p in http.get("/api/plans", params={"kommune": number}).json())
    assert http.get(f"/kommune/{number}").status_code == 200
    assert http.get(f"/evidence/{sha}").status_code == 200
