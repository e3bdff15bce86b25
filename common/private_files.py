"""Conversations are minors' data: `var/` (databases, logs) readable by its owner only.

`keep_private()` runs first in every command that writes there (make run, shell, run-scaled, kb, console, forget,
purge, review): new files are created private (umask 077, inherited by the servers started), and what an older
version or another tool left readable by every local account is made private (directories 0700, files 0600).
A folder that another account must reach (PostgreSQL's data under var/scaled/ belongs to Debian's `postgres` user
when the bot runs as root) keeps the way to it open to pass through (0711: no listing, no reading), and what
that account owns is left to it."""
from __future__ import annotations

import os
import stat
from pathlib import Path

from common.settings import PROJECT_DIR

PRIVATE_DIR, PASSAGE_DIR = 0o700, 0o711


def keep_private(folder: Path | None = None) -> Path:
    """Umask 077 for this process and its children; `folder` (default var/) and everything in it private."""
    os.umask(0o077)
    folder = folder or PROJECT_DIR / "var"
    folder.mkdir(parents=True, exist_ok=True)
    me = os.geteuid()
    paths: list[Path] = [folder]
    passages: set[Path] = set()
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            path = Path(root) / name
            try:
                owner = path.lstat().st_uid
            except FileNotFoundError:
                continue
            if owner == me:
                paths.append(path)
                continue
            passages.update(p for p in path.parents if p == folder or folder in p.parents)
            if name in dirs:
                dirs.remove(name)  # inside another account's folder: its own business
    for path in paths:
        try:
            mode = path.lstat().st_mode
        except FileNotFoundError:  # a server removed it meanwhile (SQLite's -shm, a rotated log)
            continue
        if stat.S_ISLNK(mode) or path.lstat().st_uid != me:
            continue
        directory = PASSAGE_DIR if path in passages else PRIVATE_DIR
        wanted = directory if stat.S_ISDIR(mode) else stat.S_IMODE(mode) & 0o700  # a file: the owner's bits only
        if stat.S_IMODE(mode) != wanted:
            path.chmod(wanted)
    return folder
