"""The architecture's arrows only go down: launch/ and ops/ -> bot/ and actions/ -> knowledge/ -> common/."""
from __future__ import annotations

import ast

import pytest

from common.settings import PROJECT_DIR

PACKAGES = ("common", "knowledge", "actions", "bot", "launch", "ops")
ALLOWED = {  # package: the project's packages it may import
    "common": set(),
    "knowledge": {"common"},
    "actions": {"knowledge", "common"},
    "bot": {"knowledge", "common"},
    "launch": {"bot", "knowledge", "common"},
    "ops": {"launch", "bot", "actions", "knowledge", "common"},
}


def _imports(package: str) -> set[tuple[str, str]]:
    found = set()
    for path in (PROJECT_DIR / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules = [node.module]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                if top in PACKAGES and top != package:
                    found.add((top, str(path.relative_to(PROJECT_DIR))))
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_only_go_down(package):
    wrong = sorted(f"{path} imports {top}" for top, path in _imports(package) if top not in ALLOWED[package])
    assert not wrong, "\n".join(wrong)


def test_the_check_sees_imports():
    assert ("knowledge", "actions/planner.py") in _imports("actions")
