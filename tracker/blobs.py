"""The evidence store: every candidate document's bytes, kept content-addressed by SHA-256 on disk.

Layout `ROOT/ab/cd/abcd…` (two fan-out levels keep folders small for hundreds of thousands of files). Writes go to a
temporary file and are renamed into place, so a killed process never leaves a half-written blob under a real name.

The store is the owner's alone (folders 0700, files 0600, whatever the umask; see `tracker.filemodes`): it keeps
documents we fetched, tips' attachments among them. `EvidenceStore.open` is for the tool's writers and also
tightens a store made by an older version; the read-only dashboard constructs the store without touching modes.

What a copy *is* comes from its bytes (`archived_format`, the crawler's magic numbers), never from the header it was
crawled with: the dashboard asks here, so it serves as a PDF exactly what the crawl read as one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from crawlers.doctype import sniff_bytes
from crawlers.types import DocumentFormat
from tracker.filemodes import FILE_MODE, make_private_dir, tighten_tree


class EvidenceStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @classmethod
    def open(cls, root: Path) -> EvidenceStore:
        """The store at `root`, created 0700 when missing, or with every looser folder and file tightened (logged)."""
        if root.exists():
            tighten_tree(root)
        else:
            make_private_dir(root)
        return cls(root)

    def path_for(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, body: bytes) -> str:
        """Store `body` (once) and return its SHA-256."""
        sha256 = hashlib.sha256(body).hexdigest()
        target = self.path_for(sha256)
        if target.exists():
            return sha256
        make_private_dir(target.parent)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        try:
            os.fchmod(fd, FILE_MODE)  # mkstemp asks for 0600, but through the umask
            with os.fdopen(fd, "wb") as handle:
                handle.write(body)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str) -> bytes:
        return self.path_for(sha256).read_bytes()

    def __contains__(self, sha256: object) -> bool:
        return isinstance(sha256, str) and self.path_for(sha256).exists()


def archived_format(body: bytes) -> DocumentFormat | None:
    """What archived bytes prove they are ("pdf", "docx", "html"), or None: `crawlers.doctype.sniff_bytes`.

    A PDF header anywhere in the first KiB counts, as PDF readers accept it; a caller that needs the bytes to be
    nothing but a PDF checks the start itself.
    """
    return sniff_bytes(body)
