"""Pure parts of the dashboard: filters, sorting, counts, the tile map, the timeline, translations, hrefs."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from dashboards.i18n import keys, translate
from dashboards.overview_query import apply_filter, count_statuses, counts_by_region, parse_filter
from dashboards.read_model import CheckSummary, EventSummary, KommuneDetail, KommuneStatus
from dashboards.rendering import safe_href
from dashboards.tile_map import PER_ROW, layout
from dashboards.timeline import timeline

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
    assert _numbers(apply_filter(ROWS, parse_filter({"min_criteria": "3"}))) == ["4601"]
    assert _numbers(apply_filter(ROWS, parse_filter({"current": "false"}))) == ["4602"]
    assert _numbers(apply_filter(ROWS, parse_filter({"q": "k46"}))) == ["4601", "4602", "4603"]


def test_sorting_puts_missing_values_last_either_way() -> None:
    asc = _numbers(apply_filter(ROWS, parse_filter({"sort": "click_depth"})))
    desc = _numbers(apply_filter(ROWS, parse_filter({"sort": "click_depth", "order": "desc"})))
    assert asc[:3] == ["1804", "4601", "4602"] and desc[:3] == ["4602", "4601", "1804"]
    assert set(asc[3:]) == set(desc[3:]) == {"4603", "0101"}


def test_counts_and_shares() -> None:
    counts = count_statuses(ROWS)
    assert counts.total == 5 and counts.count("abuse_specific_plan") == 2
    assert abs(sum(c.share for c in counts.counts) - 1.0) < 1e-9
    regions = counts_by_region(ROWS)
    assert [(g.country, g.label, g.total) for g in regions] == [
        ("NO", "Nordland", 1), ("NO", "Vestland", 3), ("DK", "Region Hovedstaden", 1)
    ]  # fmt: skip


def test_tile_map_has_one_tile_per_kommune_grouped_by_region() -> None:
    many = [_row(f"46{i:02d}", "no_plan_found") for i in range(PER_ROW + 3)] + ROWS[3:]
    tile_map = layout(many)
    tiles = [t for band in tile_map.bands for t in band.tiles]
    assert len(tiles) == len(many)
    assert len({(t.x, t.y) for t in tiles}) == len(tiles)  # no overlaps
    assert [b.label for b in tile_map.bands] == ["Nordland (NO)", "Vestland (NO)", "Region Hovedstaden (DK)"]
    vestland = tile_map.bands[1]
    assert len({t.y for t in vestland.tiles}) == 2  # wrapped onto a second row
    assert all(t.x + tile_map.tile <= tile_map.width and t.y + tile_map.tile <= tile_map.height for t in tiles)


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
