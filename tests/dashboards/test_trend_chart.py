"""The trend chart's geometry and the history strip (pure: sweep counts in, rectangles out)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from dashboards.trends import CHAR_WIDTH, MAX_SLOT, chart, history_strip, standing_counts
from tracker.store.trends import HistoryPoint, SweepCounts

T0 = datetime(2026, 1, 5, 3, tzinfo=UTC)


def _sweep(run_id: int, day: int, counts: dict[tuple[str, str | None], int]) -> SweepCounts:
    return SweepCounts(run_id, T0 + timedelta(days=day), "finished", sum(counts.values()), sum(counts.values()), counts)


def test_an_expired_plan_is_its_own_segment() -> None:
    folded = standing_counts({("abuse_specific_plan", "true"): 3, ("abuse_specific_plan", "false"): 2})
    assert (folded["plan_current"], folded["plan_expired"], folded["plan_undated"]) == (3, 2, 0)
    assert standing_counts({("abuse_specific_plan", None): 1})["plan_undated"] == 1


def test_bars_stack_to_the_full_height_and_keep_their_order() -> None:
    sweeps = [
        _sweep(1, 0, {("no_plan_found", None): 3, ("site_unreachable", None): 1}),
        _sweep(2, 7, {("abuse_specific_plan", "true"): 2, ("no_plan_found", None): 2}),
    ]
    drawn = chart(sweeps, "en")
    assert [b.run_id for b in drawn.bars] == [1, 2]
    for bar in drawn.bars:
        assert abs(sum(s.height for s in bar.segments) - drawn.plot_height) < 1e-6
        assert abs(sum(s.share for s in bar.segments) - 1) < 1e-9
        ys = [s.y for s in bar.segments]
        assert ys == sorted(ys)  # stacked top to bottom in STANDINGS order
    assert drawn.bars[1].count("plan_current") == 2 and drawn.bars[1].share("no_plan_found") == 0.5
    assert drawn.bars[0].segments[0].x < drawn.bars[1].segments[0].x


def test_few_sweeps_give_narrow_bars_and_labels_never_overlap() -> None:
    one = chart([_sweep(1, 0, {("no_plan_found", None): 1})], "en")
    assert one.bars[0].segments[0].width <= MAX_SLOT
    assert len(one.ticks) == 1
    two = chart([_sweep(1, 0, {("no_plan_found", None): 1}), _sweep(2, 400, {("no_plan_found", None): 1})], "en")
    labels = [t.label for t in two.ticks]
    assert labels in (["09/02/2027"], ["05/01/2026", "09/02/2027"])
    if len(two.ticks) == 2:
        assert two.ticks[1].x - two.ticks[0].x >= CHAR_WIDTH * len(labels[0])
    many = chart([_sweep(i, 7 * i, {("no_plan_found", None): 1}) for i in range(104)], "nb")
    assert [t.label for t in many.ticks] == ["05.01.2026", (T0 + timedelta(days=7 * 103)).strftime("%d.%m.%Y")]
    assert all(b.segments[0].x + b.segments[0].width <= many.left + many.plot_width + 1e-6 for b in many.bars)


def test_history_strip_has_one_cell_per_check_and_a_tally() -> None:
    points = [
        HistoryPoint(1, T0, "no_plan_found", None, False),
        HistoryPoint(2, T0 + timedelta(days=7), "abuse_specific_plan", "true", True),
        HistoryPoint(3, T0 + timedelta(days=14), "abuse_specific_plan", "true", False),
    ]
    strip = history_strip(points)
    assert [c.standing for c in strip.cells] == ["no_plan_found", "plan_current", "plan_current"]
    assert strip.cells[1].tip and strip.tally == (("plan_current", 2), ("no_plan_found", 1))
    assert abs(sum(c.width for c in strip.cells) - 400) < 1e-6
    assert history_strip([]).cells == ()


@pytest.mark.parametrize(
    ("lang", "shares", "same_day", "same_year"),
    [
        ("nb", ["0\xa0%", "50\xa0%", "100\xa0%"], "03:00", "12. jan."),
        ("nn", ["0\xa0%", "50\xa0%", "100\xa0%"], "03:00", "12. jan."),
        ("da", ["0\xa0%", "50\xa0%", "100\xa0%"], "03.00", "12. jan."),
        ("en", ["0%", "50%", "100%"], "03:00", "12 Jan"),
    ],
)
def test_axis_labels_are_in_the_readers_locale(lang: str, shares: list[str], same_day: str, same_year: str) -> None:
    """Shares and dates by Babel in each language: 50 % / 50%, 14.05 in Danish, day before month."""
    drawn = chart([_sweep(1, 0, {("no_plan_found", None): 1}), _sweep(2, 7, {("no_plan_found", None): 1})], lang)
    assert [label for _, label in drawn.gridlines] == shares
    assert drawn.ticks[-1].label == same_year
    hours = [SweepCounts(i, T0 + timedelta(hours=i), "finished", 1, 1, {("no_plan_found", None): 1}) for i in (0, 5)]
    assert chart(hours, lang).ticks[0].label == same_day
