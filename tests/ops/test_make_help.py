"""`make help` lists every target of the Makefile (each .PHONY name), with its description or as a helper."""
from __future__ import annotations

import re
import subprocess

from common.settings import PROJECT_DIR


def test_make_help_lists_every_phony_target():
    makefile = (PROJECT_DIR / "Makefile").read_text(encoding="utf-8")
    phony = re.search(r"^\.PHONY:(.*?)(?<!\\)\n", makefile, re.M | re.S)[1].replace("\\\n", " ").split()
    listed = subprocess.run(["make", "--no-print-directory", "help"], cwd=PROJECT_DIR, capture_output=True, text=True,
                            check=True, timeout=30).stdout
    names = {line.split()[0] for line in listed.splitlines() if line.strip()}
    assert {"test-e2e", "shell", "evaluate", "nlu", "train"} <= names
    assert set(phony) <= names, f"missing from make help: {sorted(set(phony) - names)}"
