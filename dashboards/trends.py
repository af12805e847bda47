"""Trends as server-rendered SVG: the share of kommuner per standing after each sweep (nationally, or for one
country or fylke/region), and one kommune's own history of checks (drawn on its page).

The counts come from `tracker.store.trends` (a kommune a sweep did not reach keeps its previous status); this module
only turns them into geometry (100 % stacked bars, one per sweep) that the templates draw with classes, never inline
styles. A table under each chart gives the same figures to screen readers and for copying. The axes speak the
reader's language: shares and dates are formatted by Babel (`tracker.catalogue.formats`: "50 %" / "50%", "6. des."
/ "6 Dec"), the axis titles come from the catalogue (`trends.axis_*`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from dashboards.overview_query import STANDINGS, standing
from dashboards.rendering import page_language, render
from tracker.catalogue import formats
from tracker.domain import COUNTRIES
from tracker.store.statuses import region_names
from tracker.store.trends import HistoryPoint, StatusKey, SweepCounts, status_trend

router = APIRouter()

#: chart geometry in viewBox units (the SVG scales to its box; 400 wide keeps its text legible on a phone)
WIDTH, HEIGHT = 400.0, 200.0
#: room on the left for the share labels and the rotated axis title, below for the dates and the sweep axis title
LEFT, RIGHT, TOP, BOTTOM = 50.0, 6.0, 8.0, 34.0
#: widest bar (few sweeps would otherwise give one bar the whole width)
MAX_SLOT = 36.0
#: width of one character of the axis text (10 units high), to keep date labels apart
CHAR_WIDTH = 6.0


@dataclass(frozen=True)
class Segment:
    x: float
    y: float
    width: float
    height: float
    standing: str
    count: int
    share: float


@dataclass(frozen=True)
class Bar:
    run_id: int
    started_at: datetime
    total: int
    checked: int
    segments: tuple[Segment, ...]

    def share(self, name: str) -> float:
        return next((s.share for s in self.segments if s.standing == name), 0.0)

    def count(self, name: str) -> int:
        return next((s.count for s in self.segments if s.standing == name), 0)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class TrendChart:
    width: float
    height: float
    left: float
    top: float
    plot_width: float
    plot_height: float
    bars: tuple[Bar, ...]
    gridlines: tuple[tuple[float, str], ...]  # y, label ("0 %", "50 %", "100 %")
    ticks: tuple[Tick, ...]  # x-axis dates


def standing_counts(counts: Mapping[StatusKey, int]) -> dict[str, int]:
    """The store's (status, plan_current) counts folded into the overview's standings."""
    folded = {name: 0 for name in STANDINGS}
    for (status, current), n in counts.items():
        key = standing(status, current)
        folded[key] = folded.get(key, 0) + n
    return folded


def chart(sweeps: Sequence[SweepCounts], lang: str) -> TrendChart:
    """One 100 % stacked bar per sweep, oldest left; the standings stacked in STANDINGS order from the top; the axis
    labels in `lang`."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = min(plot_w / max(len(sweeps), 1), MAX_SLOT)
    gap = min(slot * 0.2, 3.0)
    bars: list[Bar] = []
    for index, sweep in enumerate(sweeps):
        counts = standing_counts(sweep.counts)
        y = TOP
        segments = []
        for name in STANDINGS:
            n = counts.get(name, 0)
            share = n / sweep.total if sweep.total else 0.0
            height = share * plot_h
            segments.append(Segment(LEFT + index * slot + gap / 2, y, slot - gap, height, name, n, share))
            y += height
        bars.append(Bar(sweep.run_id, sweep.started_at, sweep.total, sweep.checked, tuple(segments)))
    return TrendChart(
        WIDTH,
        HEIGHT,
        LEFT,
        TOP,
        plot_w,
        plot_h,
        tuple(bars),
        tuple((TOP + plot_h * (1 - f), formats.percent(f, lang)) for f in (0.0, 0.5, 1.0)),
        _ticks(bars, slot, lang),
    )


def _ticks(bars: Sequence[Bar], slot: float, lang: str) -> tuple[Tick, ...]:
    """The first and last sweep's dates under their bars (only the last when they would overlap); the time of day
    when every sweep was on one day (as in the demo), the day and month when all were in one year."""
    if not bars:
        return ()
    first, last = bars[0].started_at, bars[-1].started_at
    if first.date() == last.date():
        shown = formats.clock
    elif first.year == last.year:
        shown = formats.month_day
    else:
        shown = formats.numeric_day
    labels = [Tick(LEFT + (i + 0.5) * slot, shown(bars[i].started_at, lang)) for i in (0, len(bars) - 1)]
    room = (len(bars) - 1) * slot
    wide = CHAR_WIDTH * (len(labels[0].label) + len(labels[1].label)) / 2 + CHAR_WIDTH
    return tuple(labels) if len(bars) > 1 and room >= wide else (labels[1],)


@dataclass(frozen=True)
class StripCell:
    x: float
    width: float
    standing: str
    checked_at: datetime
    tip: bool


@dataclass(frozen=True)
class HistoryStrip:
    cells: tuple[StripCell, ...]
    #: how many checks gave each standing, in STANDINGS order (only those that occur): the strip's legend
    tally: tuple[tuple[str, int], ...]


def history_strip(points: Sequence[HistoryPoint]) -> HistoryStrip:
    """A kommune's checks as one row of cells, oldest left, each coloured by the standing that check gave."""
    width = WIDTH / max(len(points), 1)
    cells = tuple(
        StripCell(i * width, width, standing(p.status, p.plan_current), p.checked_at, p.tip)
        for i, p in enumerate(points)
    )
    tally = tuple((name, n) for name in STANDINGS if (n := sum(1 for c in cells if c.standing == name)))
    return HistoryStrip(cells, tally)


@router.get("/trends", response_class=HTMLResponse, include_in_schema=False)
def trends_page(request: Request) -> HTMLResponse:
    country = (request.query_params.get("country") or "").upper()
    country = country if country in COUNTRIES else ""
    region = (request.query_params.get("region") or "").strip()[:100]
    with request.app.state.session_factory() as session:
        regions = region_names(session)
        if region and region not in {name for _, name in regions}:
            region = ""
        sweeps = status_trend(session, country=country or None, region=region or None)
    return render(
        request,
        "trends.html",
        {
            "chart": chart(sweeps, page_language(request)),
            "standings": STANDINGS,
            "bar_shapes": {name: "square" for name in STANDINGS},
            "regions": regions,
            "country": country,
            "region": region,
        },
    )
