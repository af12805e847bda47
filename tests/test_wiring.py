"""What every crawling command builds from its options (`planvakt.wiring.crawl_inputs`), against a real database."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer

from planvakt.wiring import crawl_inputs
from tracker.store import database


@pytest.fixture
def migrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(tmp_path)  # no .env of the checkout
    monkeypatch.setenv("PLANVAKT_PER_HOST_DELAY", "2.5")
    monkeypatch.setenv("PLANVAKT_MAX_PAGES_PER_SITE", "40")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    engine = database.make_engine(url)
    database.upgrade(engine)
    engine.dispose()
    return url


def test_the_command_line_beats_the_settings_and_narrows_the_registry(migrated: str) -> None:
    inputs = crawl_inputs(migrated, None, ["0301", "4601"], max_pages=7, delay=None, concurrency=3, render="never",
                          allow_private=True)  # fmt: skip
    try:
        assert sorted(k.kommunenummer for k in inputs.kommuner) == ["0301", "4601"]
        assert inputs.settings.database_url == migrated
        assert (inputs.options.max_pages_per_site, inputs.options.per_host_delay) == (7, 2.5)
        assert (inputs.options.concurrency, inputs.options.render, inputs.options.allow_private_networks) == (
            3,
            "never",
            True,
        )
    finally:
        inputs.engine.dispose()
    everything = crawl_inputs(migrated, None, None, max_pages=None, delay=None, concurrency=None, render="auto",
                              allow_private=False)  # fmt: skip
    everything.engine.dispose()
    assert len(everything.kommuner) == 357 + 98
    assert everything.options.max_pages_per_site == 40


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"render": "sometimes"}, "--render must be"),
        ({"kommune": ["9998"]}, "unknown kommunenummer"),
        ({"db": "not a url"}, "is not a database URL"),
    ],
)
def test_a_bad_option_ends_the_command_with_code_2(
    migrated: str, change: dict[str, object], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments: dict[str, object] = {"db": migrated, "kommune": None, "render": "auto"}
    arguments.update(change)
    with pytest.raises(typer.Exit) as stop:
        crawl_inputs(arguments["db"], None, arguments["kommune"], max_pages=None, delay=None,  # type: ignore[arg-type]
                     concurrency=None, render=str(arguments["render"]), allow_private=False)  # fmt: skip
    assert stop.value.exit_code == 2
    assert message in " ".join(capsys.readouterr().err.split())
