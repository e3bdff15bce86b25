"""A missing or unreadable knowledge file is a clear DataFileError naming it, never a traceback."""
from __future__ import annotations

import pytest

from knowledge.loader import DataFileError, load_all, read_yaml


def test_missing_file_is_named(tmp_path):
    with pytest.raises(DataFileError, match=r"absent\.yml: file not found \(check KNOWLEDGE_DIR\)"):
        read_yaml(tmp_path / "absent.yml")


def test_missing_knowledge_folder_is_named(tmp_path):
    with pytest.raises(DataFileError, match=r"nowhere/topics\.yml: file not found"):
        load_all(tmp_path / "nowhere")


def test_a_folder_in_place_of_a_file_is_named(tmp_path):
    (tmp_path / "topics.yml").mkdir()
    with pytest.raises(DataFileError, match=r"topics\.yml: cannot be read"):
        read_yaml(tmp_path / "topics.yml")
