"""`--db` given something that is no database, through the entry point: one line on standard error, exit 2, no
traceback; and a read-only command given a mistyped SQLite path creates nothing.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest


def _planvakt(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PLANVAKT_VAR_DIR": str(tmp_path / "var"), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "planvakt", *args], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )


def _one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize(
    "command", [["export", "findings"], ["db", "upgrade"], ["crawl", "--kommune", "0301"], ["registry", "load"]]
)
def test_a_plain_file_path_is_refused_with_the_url_to_give(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "planvakt.sqlite3"
    line = _one_line_error(_planvakt(tmp_path, *command, "--db", str(path)))
    assert f"'{path}' is not a database URL" in line
    assert f"sqlite:///{path}" in line
    assert not path.exists()


@pytest.mark.parametrize("command", [["export", "findings"], ["db", "upgrade"], ["crawl", "--kommune", "0301"]])
def test_a_postgresql_url_with_no_server_is_one_line(tmp_path: Path, command: list[str]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed once the probe is: nothing listens there
    url = f"postgresql+psycopg://planvakt:hemmelig@127.0.0.1:{port}/planvakt"
    line = _one_line_error(_planvakt(tmp_path, *command, "--db", url))
    assert f"cannot open the database postgresql+psycopg://planvakt:***@127.0.0.1:{port}/planvakt" in line
    assert "Connection refused" in line
    assert "hemmelig" not in line, "the password is never printed"


@pytest.mark.parametrize(
    "command",
    [["export", "findings"], ["export", "plans"], ["export", "events"], ["alerts", "list"], ["subscriptions", "list"]],
)
def test_a_read_only_command_never_creates_a_database(tmp_path: Path, command: list[str]) -> None:
    typo = tmp_path / "planvak" / "planvakt.sqlite3"
    line = _one_line_error(_planvakt(tmp_path, *command, "--db", f"sqlite:///{typo}"))
    assert f"no database at {typo}" in line and "planvakt db upgrade" in line
    assert not typo.parent.exists(), "no folder, no empty database"


def test_an_existing_database_still_exports(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'planvakt.sqlite3'}"
    assert _planvakt(tmp_path, "db", "upgrade", "--db", db).returncode == 0
    result = _planvakt(tmp_path, "export", "findings", "--format", "json", "--db", db)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
