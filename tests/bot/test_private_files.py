"""var/ private (common/private_files.py): directories 0700, files 0600, new files private, a passage kept for
another account's folder (PostgreSQL's data when the bot runs as root)."""
from __future__ import annotations

import os
import shutil
import stat

import pytest

from common.private_files import keep_private


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_what_was_readable_by_everyone_becomes_private_and_new_files_are(tmp_path):
    folder = tmp_path / "var"
    (folder / "logs").mkdir(parents=True)
    (folder / "conversations.sqlite3").write_text("x")
    (folder / "logs" / "rasa.log").write_text("x")
    for path in (folder, folder / "logs"):
        path.chmod(0o755)
    for path in (folder / "conversations.sqlite3", folder / "logs" / "rasa.log"):
        path.chmod(0o644)
    old = os.umask(0o022)
    try:
        keep_private(folder)
        assert _mode(folder) == _mode(folder / "logs") == 0o700
        assert _mode(folder / "conversations.sqlite3") == _mode(folder / "logs" / "rasa.log") == 0o600
        (folder / "new.log").write_text("x")
        assert _mode(folder / "new.log") == 0o600  # the umask the servers inherit
    finally:
        os.umask(old)


@pytest.mark.skipif(os.geteuid() != 0, reason="another account's folder needs root to create")
def test_another_accounts_folder_keeps_a_passage_and_its_own_modes(tmp_path):
    folder = tmp_path / "var"
    data = folder / "scaled" / "postgres"
    data.mkdir(parents=True)
    (folder / "scaled" / "nginx.log").write_text("x")
    shutil.chown(data, "postgres", "postgres")
    data.chmod(0o750)
    keep_private(folder)
    assert _mode(folder) == _mode(folder / "scaled") == 0o711  # postgres can pass, nobody can list
    assert _mode(data) == 0o750 and data.stat().st_uid != 0
    assert _mode(folder / "scaled" / "nginx.log") == 0o600
