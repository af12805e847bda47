"""Plan periods read from titles and first pages, and when a period is current."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.reading.plan_years import OPEN_START_YEARS, find_plan_years, is_current


@pytest.mark.parametrize(
    ("title", "pages", "expected"),
    [
        ("Handlingsplan mot vold i nære relasjoner 2021–2024", (), (2021, 2024)),
        ("Handlingsplan 2021-2024", (), (2021, 2024)),
        ("Handlingsplan 2021 - 2024", (), (2021, 2024)),
        ("Handlingsplan 2021/2024", (), (2021, 2024)),
        ("Handleplan 2021–24", (), (2021, 2024)),
        ("Plan", ("Planen gjelder for perioden 2021 til 2024.",), (2021, 2024)),
        ("Plan", ("Tiltaksplanen gælder i perioden 2022–2025.",), (2022, 2025)),
        ("Strategi mot familievold", ("Strategien gjelder fra 2022.",), (2022, None)),
        ("Plan fra 2022", (), (2022, None)),
        ("Plan", ("Planen gjelder til 2025.",), (None, 2025)),
        ("Plan", ("Vedtatt i kommunestyret 12.03.2019.",), (2019, None)),
        ("Handleplan", ("Vedtaget i byrådet den 12. marts 2019",), (2019, None)),
        ("Plan", ("Planen er vedteken i kommunestyret 9. desember 2020.",), (2020, None)),
        ("Plan", ("Vedtatt av bystyret 5. mai 2021. Planen gjelder til 2025.",), (2021, 2025)),
        ("Beredskab 2023", (), (2023, None)),
        # title first: a different period in the body does not override it
        ("Handlingsplan 2022–2025", ("Forrige plan gjaldt 2016–2019.",), (2022, 2025)),
        # second page still counts, third does not
        ("Plan", ("Forside", "Planperiode 2020–2023"), (2020, 2023)),
        ("Plan", ("Forside", "Innhold", "Planperiode 2020–2023"), (None, None)),
    ],
)
def test_find_plan_years(title: str, pages: tuple[str, ...], expected: tuple[int | None, int | None]) -> None:
    assert find_plan_years(title, pages) == expected


@pytest.mark.parametrize(
    "page",
    [
        "Jf. lov av 17. juli 1992 og barnevernloven av 2021.",
        "Se lov av 1981 om straffeprosess.",
        "LOV-2005-06-17-62 og FOR-2011-12-16-1357",
        "Se https://www.kommune.no/2019-2021/plan.pdf for eldre tall.",
        "Meld. St. 15 (2020–2021) og NOU 2017:12.",
        "Regjeringens opptrappingsplan mot vold og overgrep (2017–2021) er avsluttet.",
        "Ring tlf. 22 20 20 24 eller 55 56 20 21.",
        "Side 12 av 40. Skoleåret 2021/2022.",
        "Tall fra 2019 viser en økning.",
        "Datert 2021-06-17.",
    ],
)
def test_years_that_are_not_the_plan_period_are_ignored(page: str) -> None:
    assert find_plan_years("Handlingsplan", (page,)) == (None, None)


@pytest.mark.parametrize(
    ("start", "end", "on", "expected"),
    [
        (2021, 2024, date(2023, 5, 1), True),
        (2021, 2024, date(2024, 12, 31), True),
        (2021, 2024, date(2025, 1, 1), False),
        (2021, 2024, date(2020, 12, 31), False),
        (2022, None, date(2022, 1, 1), True),
        (2022, None, date(2022 + OPEN_START_YEARS - 1, 12, 31), True),
        (2022, None, date(2022 + OPEN_START_YEARS, 1, 1), False),
        (None, 2025, date(2025, 6, 1), True),
        (None, 2025, date(2026, 1, 1), False),
        (None, None, date(2024, 1, 1), None),
    ],
)
def test_is_current(start: int | None, end: int | None, on: date, expected: bool | None) -> None:
    assert is_current(start, end, on) is expected
