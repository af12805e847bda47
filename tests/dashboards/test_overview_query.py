"""Pure parts of the dashboard: filters, sorting, counts, the dot map, the timeline, translations, hrefs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from dashboards.dot_map import layout, load_geodata
from dashboards.i18n import keys, translate
from dashboards.overview_query import apply_filter, count_statuses, counts_by_region, parse_filter
from dashboards.rendering import safe_href
from dashboards.timeline import timeline
from tracker.registry import builtin_registry
from tracker.store.kommune_detail import CheckSummary, EventSummary, KommuneDetail
from tracker.store.statuses import KommuneStatus

T0 = datetime(2026, 1, 5, 3, tzinfo=UTC)


def _row(number: str, status: str, **kw: object) -> KommuneStatus:
    base = KommuneStatus(
        kommunenummer=number, name=f"K{number}", country="NO", region_code="46", region="Vestland", website="https://x.no",
        status=status, plan_category=None, plan_current=None, plan_url=None, plan_title=None, year_start=None,
        year_end=None, click_depth=None, found_via=None, criteria_met=None, criteria_total=None, checked_at=T0,
        written_standard=None,
    )  # fmt: skip
    return replace(base, **kw)  # type: ignore[arg-type]


ROWS = [
    _row("4601", "abuse_specific_plan", click_depth=2, criteria_met=5, criteria_total=6, plan_current="true"),
    _row("4602", "abuse_specific_plan", click_depth=5, criteria_met=2, criteria_total=6, plan_current="false"),
    _row("4603", "no_plan_found"),
    _row("1804", "general_violence_plan_only", region="Nordland", region_code="18", click_depth=1),
    _row("0101", "site_unreachable", country="DK", region="Region Hovedstaden", region_code="1084"),
]
#: a Danish plan meeting 6 of 10 criteria: more items than 5 of 6, yet a smaller share
ROWS[4] = replace(ROWS[4], status="abuse_specific_plan", plan_current="unknown", criteria_met=6, criteria_total=10)


def _numbers(rows: list[KommuneStatus]) -> list[str]:
    return [r.kommunenummer for r in rows]


def test_parse_filter_ignores_malformed_values() -> None:
    f = parse_filter({"country": "se", "status": "bogus", "max_depth": "x", "sort": "drop table", "order": "up"})
    assert (f.country, f.status, f.max_depth, f.sort, f.order) == ("", "", None, "kommunenummer", "asc")
    assert not f.active
    assert parse_filter({"country": "dk"}).country == "DK"


def test_filters_narrow() -> None:
    assert _numbers(apply_filter(ROWS, parse_filter({"country": "DK"}))) == ["0101"]
    assert _numbers(apply_filter(ROWS, parse_filter({"region": "18"}))) == ["1804"]
    assert _numbers(apply_filter(ROWS, parse_filter({"max_depth": "2"}))) == ["1804", "4601"]
    assert _numbers(apply_filter(ROWS, parse_filter({"min_criteria": "3"}))) == ["0101", "4601"]
    assert _numbers(apply_filter(ROWS, parse_filter({"min_share": "70"}))) == ["4601"]
    assert _numbers(apply_filter(ROWS, parse_filter({"current": "false"}))) == ["4602"]
    assert _numbers(apply_filter(ROWS, parse_filter({"q": "k46"}))) == ["4601", "4602", "4603"]


def test_sorting_puts_missing_values_last_either_way() -> None:
    asc = _numbers(apply_filter(ROWS, parse_filter({"sort": "click_depth"})))
    desc = _numbers(apply_filter(ROWS, parse_filter({"sort": "click_depth", "order": "desc"})))
    assert asc[:3] == ["1804", "4601", "4602"] and desc[:3] == ["4602", "4601", "1804"]
    assert set(asc[3:]) == set(desc[3:]) == {"4603", "0101"}


def test_criteria_compare_as_shares_never_raw_counts() -> None:
    """Norway's checklist has 6 items, Denmark's 10: 5/6 (83 %) ranks above 6/10 (60 %) above 2/6 (33 %)."""
    ranked = _numbers(apply_filter(ROWS, parse_filter({"sort": "criteria", "order": "desc"})))
    assert ranked[:3] == ["4601", "0101", "4602"]


def test_counts_keep_an_expired_plan_apart_from_a_current_one() -> None:
    counts = count_statuses(ROWS)
    assert counts.total == 5 and counts.count("abuse_specific_plan") == 0
    assert (counts.count("plan_current"), counts.count("plan_expired"), counts.count("plan_undated")) == (1, 1, 1)
    assert abs(sum(c.share for c in counts.counts) - 1.0) < 1e-9
    regions = counts_by_region(ROWS)
    assert [(g.country, g.label, g.total) for g in regions] == [
        ("NO", "Nordland", 1), ("NO", "Vestland", 3), ("DK", "Region Hovedstaden", 1)
    ]  # fmt: skip


def test_dot_map_puts_real_kommuner_at_their_points_and_invented_ones_in_their_region() -> None:
    geodata = load_geodata()
    norway, denmark = geodata.panels
    registry = builtin_registry()
    assert set(norway.points) == {k.kommunenummer for k in registry if k.country.value == "NO"}
    assert set(denmark.points) == {k.kommunenummer for k in registry if k.country.value == "DK"}
    assert set(norway.regions) | set(denmark.regions) == {k.region for k in registry}
    for panel in geodata.panels:  # every point inside the panel, every outline drawn
        assert all(0 <= x <= panel.width and 0 <= y <= panel.height for x, y in panel.points.values())
        assert panel.outline.startswith("M") and panel.outline.count("Z") >= 2
    oslo, tromso, kbh = norway.points["0301"], norway.points["5501"], denmark.points["0101"]
    assert tromso[1] < oslo[1]  # north is up
    assert kbh[0] > denmark.points["0851"][0]  # København lies east of Aalborg
    rows = [
        _row("0301", "abuse_specific_plan", plan_current="false", region="Oslo"),
        _row("9901", "no_plan_found", region="Vestland"),
        _row("9902", "no_plan_found", region="Vestland"),
        _row("9903", "no_plan_found", region=None),
        _row("0101", "general_violence_plan_only", country="DK", region="Region Hovedstaden"),
    ]
    dot_map = layout(rows, geodata)
    dots = {d.kommunenummer: d for panel in dot_map.panels for d in panel.dots}
    assert (dots["0301"].x, dots["0301"].y) == oslo and dots["0301"].standing == "plan_expired"
    assert not dots["0301"].approximate and dots["9901"].approximate and dots["9902"].approximate
    assert (dots["9901"].x, dots["9901"].y) != (dots["9902"].x, dots["9902"].y)
    vestland = norway.regions["Vestland"]
    assert abs(dots["9902"].x - vestland[0]) < 20 and abs(dots["9902"].y - vestland[1]) < 20
    assert dots["0101"].shape == "diamond" and dots["9901"].shape == "square" and dots["0301"].shape == "circle"
    assert [r.kommunenummer for r in dot_map.unplaced] == ["9903"]
    assert dot_map.approximate == 2


def test_timeline_folds_repeated_checks_and_keeps_events() -> None:
    checks = [
        CheckSummary(i, i, T0 - timedelta(weeks=i), "abuse_specific_plan", "", True, False, None, 50, 0, 0, 0, "u", "u")
        for i in range(5)
    ]
    event = EventSummary(
        "e1", "plan_changed", T0 - timedelta(weeks=2, hours=-1), "https://x.no/p.pdf", None, None, None
    )
    detail = KommuneDetail(1, ROWS[0], checks[0], [], checks, [event])
    entries = timeline(detail)
    assert [(e.kind, e.count) for e in entries] == [("checks", 2), ("event", 1), ("checks", 3)]
    assert entries[0].at == T0 and entries[0].first_at == T0 - timedelta(weeks=1)


def test_translations_cover_every_key_in_every_language() -> None:
    for key in keys():
        assert translate("nb", key) != key
        assert translate("en", key) and translate("da", key)
    assert translate("en", "nav.overview") == "Overview" and translate("da", "nav.overview") == "Oversigt"
    assert translate("en", "no.such.key") == "no.such.key"


def test_only_http_urls_become_links() -> None:
    assert safe_href("https://kommune.no/plan.pdf") == "https://kommune.no/plan.pdf"
    assert safe_href("javascript:alert(1)") == "#"
    assert safe_href(" JavaScript:alert(1)") == "#"
    assert safe_href("data:text/html,<script>") == "#"
    assert safe_href(None) == "#"
