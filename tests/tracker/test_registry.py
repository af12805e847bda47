from __future__ import annotations

from pathlib import Path

import pytest

from tracker.domain import Country
from tracker.errors import RegistryError
from tracker.registry import builtin_registry, load_registry_csv, parse_registry, select


def test_builtin_registry_has_every_norwegian_and_danish_kommune() -> None:
    kommuner = builtin_registry()
    norway = [k for k in kommuner if k.country is Country.NO]
    denmark = [k for k in kommuner if k.country is Country.DK]
    assert len(norway) == 357
    assert len(denmark) == 98
    oslo = next(k for k in norway if k.kommunenummer == "0301")
    assert oslo.website == "https://www.oslo.kommune.no"
    assert oslo.region == "Oslo"
    copenhagen = next(k for k in denmark if k.kommunenummer == "0101")
    assert copenhagen.name == "København"
    assert copenhagen.region == "Region Hovedstaden"
    assert all(k.website.startswith("https://") for k in kommuner)


def test_registry_csv_ignores_extra_columns(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "kommunenummer,name,country,website,note\n"
        "9901,Testby,NO,http://127.0.0.1:8000,x\n"
        "9801,Prøvested,dk,https://www.proeve.dk,\n",
        encoding="utf-8",
    )
    kommuner = load_registry_csv(path)
    assert [(k.kommunenummer, k.country) for k in kommuner] == [("9901", Country.NO), ("9801", Country.DK)]
    assert kommuner[1].name == "Prøvested"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("kommunenummer,name,website\n0301,Oslo,https://oslo.no\n", 1, "missing column(s): country"),
        (
            "kommunenummer,name,country,website\n0301,Oslo,NO,https://a.no\n0301,Oslo2,NO,https://b.no\n",
            3,
            "duplicate kommunenummer 0301 (first on line 2)",
        ),
        ("kommunenummer,name,country,website\n0301,Oslo,NO,oslo.kommune.no\n", 2, "is not an http(s) URL"),
        ("kommunenummer,name,country,website\n0301,Oslo,SE,https://a.no\n", 2, "is not NO or DK"),
        (
            "kommunenummer,name,country,website\n0301,Oslo,NO,https://a.no\n301,Oslo,NO,https://a.no\n",
            3,
            "duplicate kommunenummer 0301 (first on line 2)",  # "301" is Oslo's 0301 with its zero lost
        ),
        ("kommunenummer,name,country,website\n03011,Oslo,NO,https://a.no\n", 2, "is not four digits"),
        ("kommunenummer,name,country,website\n0301,Oslo,NO\n", 2, "fewer fields"),
        ("kommunenummer,name,country,website\n0301,,NO,https://a.no\n", 2, "empty name"),
    ],
)
def test_malformed_registry_names_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(RegistryError) as excinfo:
        parse_registry(text, "r.csv")
    assert excinfo.value.line == line
    assert message in str(excinfo.value)
    assert f"r.csv, line {line}" in str(excinfo.value)


def test_select_rejects_unknown_numbers() -> None:
    kommuner = builtin_registry()
    assert [k.name for k in select(kommuner, ["0301"])] == ["Oslo - Oslove"]
    with pytest.raises(RegistryError, match="unknown kommunenummer: 9999"):
        select(kommuner, ["0301", "9999"])
