"""Owner-only files and folders for what Planvakt keeps on disk: the SQLite database, the sealing key, evidence.

The database holds subscribers' addresses and (sealed) credentials and the evidence store holds every document we
fetched, so neither is for other local users: folders are 0700 and files 0600 *whatever the umask* (modes are set
with chmod after creating, since the umask masks the mode given to open/mkdir). Files and folders that exist with
looser modes are tightened when the tool opens them, with a warning in the log so an operator who relied on group
access learns why it stopped. Tightening something we do not own (a read-only dashboard running as another user)
is logged and skipped, never fatal.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import Final

logger = logging.getLogger(__name__)

FILE_MODE: Final = 0o600
DIR_MODE: Final = 0o700


def make_private_dir(path: Path) -> None:
    """Create `path` and any missing parents as 0700 folders; folders that already exist are left as they are.

    Existing parents may be shared places (`/srv`, the working directory), so only the ones made here are set.
    """
    missing: list[Path] = []
    current = path
    while not current.exists():
        missing.append(current)
        if current.parent == current:
            break
        current = current.parent
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=DIR_MODE)
        except FileExistsError:
            continue  # another process made it first: theirs, with its own mode
        os.chmod(folder, DIR_MODE)


def create_private_file(path: Path) -> bool:
    """Create an empty 0600 file at `path` unless one exists; True when it was created here."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        return False
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return True


def tighten(path: Path, mode: int = FILE_MODE) -> bool:
    """Take group and other permissions away from an existing `path`; True when its mode was changed (logged).

    Missing paths and symlinks are ignored. A path we may not chmod (not its owner) is logged and left alone.
    """
    try:
        current = stat.S_IMODE(path.lstat().st_mode)
    except FileNotFoundError:
        return False
    try:
        changed = _tighten(path, mode)
    except PermissionError:
        logger.warning("%s is readable by others (mode %o) and not ours to change", path, current)
        return False
    if changed:
        logger.warning("tightened %s from mode %o to %o (only the owner may read it)", path, current, mode)
    return changed


def tighten_tree(root: Path) -> int:
    """Tighten `root` and every folder (0700) and file (0600) under it; returns how many were changed.

    One summary line is logged instead of a line per file (an old evidence store has thousands).
    """
    changed = skipped = 0
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError, PermissionError):
            entries = []
        paths = [(folder, DIR_MODE)]
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append(Path(entry.path))
            elif entry.is_file(follow_symlinks=False):
                paths.append((Path(entry.path), FILE_MODE))
        for path, mode in paths:
            try:
                changed += _tighten(path, mode)
            except PermissionError:
                skipped += 1
    if changed:
        logger.warning("tightened %d file(s) and folder(s) under %s to owner-only modes", changed, root)
    if skipped:
        logger.warning("%d file(s) or folder(s) under %s are readable by others and not ours to change", skipped, root)
    return changed


def _tighten(path: Path, mode: int) -> bool:
    """chmod `path` to `mode` when group or others have any permission; PermissionError when not ours."""
    try:
        info = path.lstat()
    except FileNotFoundError:
        return False
    if stat.S_ISLNK(info.st_mode) or not stat.S_IMODE(info.st_mode) & 0o077:
        return False
    os.chmod(path, mode)
    return True
