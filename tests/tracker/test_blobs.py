from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tracker.blobs import EvidenceStore


def test_put_is_content_addressed_and_idempotent(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "evidence")
    body = b"Handlingsplan mot seksuelle overgrep mot barn"
    sha = store.put(body)
    assert sha == hashlib.sha256(body).hexdigest()
    assert store.put(body) == sha
    assert store.get(sha) == body
    assert sha in store
    assert store.path_for(sha) == tmp_path / "evidence" / sha[:2] / sha[2:4] / sha
    assert not list((tmp_path / "evidence").rglob(".incoming-*"))


def test_path_for_refuses_non_digests(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path)
    with pytest.raises(ValueError):
        store.path_for("../../etc/passwd")
