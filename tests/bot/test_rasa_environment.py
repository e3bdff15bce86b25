"""Plain `rasa ...` commands get `make run`'s settings (common/rasa_environment.py): which programs, which
variables, what a variable already set does, which warnings are left out, the start-up line on disk."""
from __future__ import annotations

import os
import re
import sys
import warnings
from pathlib import Path

import pytest
from rasa.core.utils import AvailableEndpoints

from common import rasa_environment
from common.rasa_environment import (
    PTH_LINE,
    PTH_NAME,
    apply_to_rasa_command,
    endpoints_environment,
    install_hook,
    is_rasa_command,
    without_deprecations,
)
from common.settings import get_settings
from launch.stack import ENDPOINTS_FILE, child_env

VARIABLES = ("ACTION_ENDPOINT_URL", "LOCK_STORE_TYPE", "LOCK_STORE_URL", "TRACKER_STORE_TYPE", "TRACKER_DB_URL",
             "TRACKER_CACHE_SIZE")


@pytest.fixture()
def bare_environment(monkeypatch):
    """An environment as a fresh terminal has it: none of the endpoints file's variables, no quiet switches."""
    for name in (*VARIABLES, *rasa_environment.QUIET, "PYTHONWARNINGS", "ACTIONS_PORT", "BOT_HOST",
                 "LOG_LEVEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(warnings, "showwarning", warnings.showwarning)  # restored after the test


@pytest.mark.parametrize(("argv", "expected"), [
    (["/home/a/project/.venv/bin/rasa", "shell"], True),
    (["rasa"], True),
    (["/x/site-packages/rasa/__main__.py", "run", "actions"], True),  # python -m rasa
    (["/x/project/bot/rasa_server.py", "train"], True),  # the Makefile's python -m bot.rasa_server
    (["/x/bin/pytest"], False),
    (["-c"], False),
    (["/x/project/launch/stack.py", "run"], False),  # the launcher passes every variable itself
    ([], False),
    ([""], False),
])
def test_only_rasas_command_line_is_concerned(argv, expected):
    assert is_rasa_command(argv) is expected


def test_every_variable_of_the_endpoints_file_is_filled_from_the_settings(bare_environment, monkeypatch):
    monkeypatch.setenv("ACTIONS_PORT", "6155")
    assert apply_to_rasa_command(["rasa", "shell"])
    assert os.environ["ACTION_ENDPOINT_URL"] == "http://127.0.0.1:6155/webhook"
    assert os.environ["TRACKER_STORE_TYPE"] == "bot.replica_store.FailLoudSQLTrackerStore"
    assert os.environ["LOCK_STORE_TYPE"] == "bot.lock_store.WakingInMemoryLockStore"
    assert os.environ["RASA_TELEMETRY_ENABLED"] == "false"
    endpoints = AvailableEndpoints.read_endpoints(str(ENDPOINTS_FILE))  # Rasa's own reading: every ${VAR} resolves
    assert endpoints.action.url == "http://127.0.0.1:6155/webhook"
    assert endpoints.tracker_store.url == get_settings().tracker_db_url
    # the same values as make run's children
    stack_values = child_env(get_settings())
    assert {name: os.environ[name] for name in VARIABLES} == {name: stack_values[name] for name in VARIABLES}


def test_a_value_already_set_wins(bare_environment, monkeypatch):
    """make run-scaled gives its replicas their own stores; a person may point at another action server."""
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://10.0.0.7:5055/webhook")
    monkeypatch.setenv("TRACKER_STORE_TYPE", "bot.replica_store.FailLoudSQLTrackerStore")
    monkeypatch.setenv("LOCK_STORE_URL", "redis://127.0.0.1:6390/0")
    apply_to_rasa_command(["rasa", "run"])
    assert os.environ["ACTION_ENDPOINT_URL"] == "http://10.0.0.7:5055/webhook"
    assert os.environ["TRACKER_STORE_TYPE"] == "bot.replica_store.FailLoudSQLTrackerStore"
    assert os.environ["LOCK_STORE_TYPE"] == "bot.lock_store.WakingRedisLockStore"  # derived from the URL set


def test_rasa_shell_starts_without_info_lines_other_commands_keep_them(bare_environment, monkeypatch):
    apply_to_rasa_command(["rasa", "train"])
    assert "LOG_LEVEL" not in os.environ  # training's progress and `rasa test`'s scores are INFO lines
    apply_to_rasa_command(["rasa", "shell"])
    assert os.environ["LOG_LEVEL"] == "WARNING"
    monkeypatch.setenv("LOG_LEVEL", "DEBUG")
    apply_to_rasa_command(["rasa", "shell"])
    assert os.environ["LOG_LEVEL"] == "DEBUG"


def test_other_programs_are_left_alone(bare_environment):
    assert not apply_to_rasa_command(["/x/bin/pytest"])
    assert not any(name in os.environ for name in VARIABLES)


def test_the_endpoints_variables_are_the_files_own():
    """Every ${VAR} of endpoints.yml is given, and nothing else."""
    values = [line for line in ENDPOINTS_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    wanted = set(re.findall(r"\$\{(\w+)\}", "\n".join(values)))
    assert set(endpoints_environment(get_settings())) == wanted


def test_deprecations_are_left_out_other_warnings_shown(capsys):
    shown: list[str] = []
    show = without_deprecations(lambda message, category, *rest: shown.append(f"{category.__name__}: {message}"))
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = show
        warnings.warn("old API", DeprecationWarning, stacklevel=1)
        warnings.warn("soon gone", FutureWarning, stacklevel=1)

        class LibraryDeprecation(UserWarning, DeprecationWarning):  # as pyparsing's: a UserWarning too
            pass

        warnings.warn("setParseAction", LibraryDeprecation, stacklevel=1)
        warnings.warn("The utterance 'utter_x' is not used in any story or rule.", UserWarning, stacklevel=1)
    assert shown == ["UserWarning: The utterance 'utter_x' is not used in any story or rule."]


def test_own_pythonwarnings_keeps_every_warning(bare_environment, monkeypatch):
    monkeypatch.setenv("PYTHONWARNINGS", "default")
    before = warnings.showwarning
    apply_to_rasa_command(["rasa", "shell"])
    assert warnings.showwarning is before


def test_the_start_up_line_is_written_where_python_reads_it(tmp_path):
    path = install_hook(tmp_path)
    assert path == tmp_path / PTH_NAME and path.name.endswith(".pth")
    lines = path.read_text(encoding="utf-8").splitlines()
    # site.py runs a .pth line that starts with "import"; a "#" line is a comment
    assert [line for line in lines if not line.startswith("#")] == [PTH_LINE.strip()]


def test_the_venv_has_the_project_and_the_start_up_line():
    """`make install` did both (the same interpreter runs these tests)."""
    site_packages = Path(rasa_environment.sysconfig.get_paths()["purelib"])
    assert (site_packages / PTH_NAME).read_text(encoding="utf-8").endswith(PTH_LINE)
    editable = [path.name for path in site_packages.glob("__editable__*career_guidance_bot*.pth")]
    assert editable, "the project is not installed in the venv (pip install -e .)"
    assert sys.prefix != sys.base_prefix, "not a venv"
