"""The command line's own errors in the operator's language (issue 13): PLANVAKT_LANG, else the POSIX locale
(LC_ALL, LC_MESSAGES, LANG), else English; every such error comes from the catalogue (errors.toml), its English
the text logs and the English tests read. Driven through the entry point (`python -m planvakt`) as an operator
would, on a real SQLite database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.catalogue import CATALOGUE, LOCALES
from tracker.catalogue.errors import say
from tracker.config import cli_language
from tracker.errors import ConfigError, FilterError, RegistryError, StorageError
from tracker.registry import parse_registry
from tracker.store import database


def _planvakt(tmp_path: Path, *args: str, **env: str) -> str:
    """One error line of `planvakt args` run with the locale variables `env` (and none of the machine's)."""
    clean = {k: v for k, v in os.environ.items() if k not in ("PLANVAKT_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    result = subprocess.run(
        [sys.executable, "-m", "planvakt", *args],
        env={**clean, **env, "PLANVAKT_VAR_DIR": str(tmp_path / "var"), "COLUMNS": "300"},
        capture_output=True, text=True, timeout=120, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "en"),
        ({"LANG": "nb_NO.UTF-8"}, "nb"),
        ({"LANG": "no_NO"}, "nb"),
        ({"LANG": "nn_NO.UTF-8"}, "nn"),
        ({"LANG": "da_DK.UTF-8"}, "da"),
        ({"LANG": "C.UTF-8"}, "en"),
        ({"LANG": "sv_SE.UTF-8"}, "en"),
        ({"LANG": "nb_NO.UTF-8", "LC_ALL": "da_DK.UTF-8"}, "da"),
        ({"LANG": "nb_NO.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"),
        ({"LANG": "nb_NO.UTF-8", "PLANVAKT_LANG": "nn"}, "nn"),
        ({"LANG": "da_DK.UTF-8", "PLANVAKT_LANG": ""}, "da"),
    ],
)
def test_the_language_comes_from_planvakt_lang_then_the_locale(environ: dict[str, str], expected: str) -> None:
    assert cli_language(environ) == expected


def test_a_norwegian_operator_reads_norwegian_errors(tmp_path: Path) -> None:
    nb = {"LANG": "nb_NO.UTF-8"}
    not_url = _planvakt(tmp_path, "export", "findings", "--db", str(tmp_path / "x.sqlite3"), **nb)
    sqlite = f"sqlite:///{tmp_path / 'x.sqlite3'}"
    assert not_url == "feil: " + CATALOGUE.text("nb", "db_error.not_a_url", url=repr(str(tmp_path / "x.sqlite3")),
                                                sqlite=sqlite)  # fmt: skip
    missing = _planvakt(tmp_path, "registry", "load", "--registry", "mangler.csv", "--db", sqlite, **nb)
    assert missing == "feil: mangler.csv: filen finnes ikke"
    db = tmp_path / "planvakt.sqlite3"
    engine = database.make_engine(f"sqlite:///{db}")
    database.upgrade(engine)
    engine.dispose()
    unknown = _planvakt(tmp_path, "export", "events", "--kommune", "1234", "--db", f"sqlite:///{db}", **nb)
    assert unknown.startswith("feil: ukjent kommunenummer '1234'; gyldige: ")
    state = _planvakt(tmp_path, "alerts", "list", "--state", "bogus", "--db", f"sqlite:///{db}", **nb)
    assert state == "feil: --state må være en av pending, sending, sent, dead"
    address = _planvakt(tmp_path, "subscribe", "email", "ikke-en-adresse", "--db", f"sqlite:///{db}", **nb)
    assert address == "feil: ikke en e-postadresse: 'ikke-en-adresse'"


def test_planvakt_lang_wins_and_an_english_locale_reads_english(tmp_path: Path) -> None:
    args = ("crawl", "--render", "sometimes")
    danish = _planvakt(tmp_path, *args, LANG="nb_NO.UTF-8", PLANVAKT_LANG="da")
    assert danish == "fejl: --render skal være auto, never eller always"
    assert _planvakt(tmp_path, *args, LANG="C.UTF-8") == "error: --render must be auto, never or always"


def _errors() -> list[Exception]:
    """One of each kind of said error the command line shows."""
    found: list[Exception] = []
    for text in ("kommunenummer,name,country,website\n03011,Oslo,NO,https://a.no\n", "kommunenummer,name\n1,2\n"):
        with pytest.raises(RegistryError) as caught:
            parse_registry(text, "r.csv")
        found.append(caught.value)
    found.append(FilterError("status", ["bogus"], ["a", "b"]))
    found.append(FilterError("kommunenummer", ["1234"], [f"{n:04}" for n in range(30)]))
    found.append(FilterError("region", ["x"], []))
    found.append(StorageError.said("db_error.schema", current="0008", head="0009"))
    found.append(ConfigError.said("cli_error.format", valid="csv, json", value="'xml'"))
    found.append(ConfigError.said("subs_error.webhook_digest"))
    return found


@pytest.mark.parametrize("lang", LOCALES)
def test_said_errors_read_in_each_language_and_in_english_as_before(lang: str) -> None:
    for error in _errors():
        shown = say(error, lang)
        assert shown and "{" not in shown and "_error." not in shown
        if lang == "en":
            assert shown == str(error)  # the English a log line and the English tests read
        else:
            assert shown != str(error), (lang, shown)
    assert say(ValueError("a library's own words"), lang) == "a library's own words"  # shown, never hidden
    assert str(_errors()[0]) == "r.csv, line 2: kommunenummer '03011' is not four digits"
