"""Owner-only modes of the SQLite file and the evidence store, whatever the umask, on real files."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from planvakt.cli import app
from tracker.blobs import EvidenceStore
from tracker.filemodes import tighten_tree
from tracker.store.database import check_migrated, make_engine, upgrade

runner = CliRunner()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(params=[0o022, 0o000], ids=["umask022", "umask000"])
def loose_umask(request: pytest.FixtureRequest) -> Iterator[int]:
    """The umasks that would leave files world-readable (000: even world-writable) without our chmods."""
    old = os.umask(request.param)
    yield request.param
    os.umask(old)


def test_db_upgrade_makes_an_owner_only_database_and_evidence_folder(
    tmp_path: Path, loose_umask: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    var = tmp_path / "var"
    monkeypatch.setenv("PLANVAKT_VAR_DIR", str(var))
    monkeypatch.chdir(tmp_path)  # no .env of the developer's
    result = runner.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    database = var / "planvakt.sqlite3"
    assert mode(var) == 0o700
    assert mode(database) == 0o600
    assert mode(var / "evidence") == 0o700
    # SQLite's write-ahead log and shared-memory files take the database's mode, not the umask
    engine = make_engine(f"sqlite:///{database}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE scratch (x INTEGER)"))
        connection.execute(text("INSERT INTO scratch VALUES (1)"))
        side = [database.with_name(database.name + s) for s in ("-wal", "-shm")]
        assert all(path.exists() for path in side)
        assert [mode(path) for path in side] == [0o600, 0o600]
    engine.dispose()


def test_an_existing_loose_database_is_tightened_and_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    database = tmp_path / "old.sqlite3"
    engine = make_engine(f"sqlite:///{database}")
    upgrade(engine)
    engine.dispose()
    os.chmod(database, 0o644)  # as versions before this one left it
    wal = database.with_name(database.name + "-wal")
    wal.write_bytes(b"")
    os.chmod(wal, 0o664)
    with caplog.at_level(logging.WARNING, logger="tracker.filemodes"):
        engine = make_engine(f"sqlite:///{database}")
    assert (mode(database), mode(wal)) == (0o600, 0o600)
    check_migrated(engine)  # still the same, readable database
    engine.dispose()
    assert f"tightened {database} from mode 644 to 600" in caplog.text
    assert f"tightened {wal} from mode 664 to 600" in caplog.text


def test_archiving_a_document_writes_owner_only_folders_and_files(tmp_path: Path, loose_umask: int) -> None:
    root = tmp_path / "var" / "evidence"
    store = EvidenceStore.open(root)
    sha = store.put(b"%PDF-1.7 handlingsplan mot vold og overgrep")
    blob = store.path_for(sha)
    assert mode(blob) == 0o600
    assert [mode(folder) for folder in (root.parent, root, blob.parent.parent, blob.parent)] == [0o700] * 4
    assert store.get(sha).startswith(b"%PDF")
    assert not [p for p in blob.parent.iterdir() if p.name.startswith(".incoming-")]


def test_opening_an_old_evidence_store_tightens_it_with_one_log_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    root = tmp_path / "evidence"
    old = os.umask(0o022)
    try:
        plain = EvidenceStore(root)
        root.mkdir()
        shas = [plain.put(f"document {n}".encode()) for n in range(3)]
        for sha in shas:  # as an older version left them
            path = plain.path_for(sha)
            os.chmod(path, 0o644)
            os.chmod(path.parent, 0o755)
            os.chmod(path.parent.parent, 0o755)
        os.chmod(root, 0o755)
    finally:
        os.umask(old)
    with caplog.at_level(logging.WARNING, logger="tracker.filemodes"):
        store = EvidenceStore.open(root)
    for sha in shas:
        path = store.path_for(sha)
        assert (mode(path), mode(path.parent), mode(path.parent.parent)) == (0o600, 0o700, 0o700)
    assert mode(root) == 0o700
    assert len(caplog.records) == 1 and "under " + str(root) in caplog.text
    assert tighten_tree(root) == 0  # nothing left to do the second time


def test_a_shared_parent_folder_is_left_alone(tmp_path: Path) -> None:
    shared = tmp_path / "srv"
    shared.mkdir()
    os.chmod(shared, 0o755)
    engine = make_engine(f"sqlite:///{shared / 'data' / 'planvakt.sqlite3'}")
    engine.dispose()
    assert mode(shared) == 0o755  # not ours: may hold other things
    assert mode(shared / "data") == 0o700 and mode(shared / "data" / "planvakt.sqlite3") == 0o600
