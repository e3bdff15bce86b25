"""The environment every Rasa command of the project runs with: `make run`'s children and a plain `rasa ...`.

endpoints.yml reads Rasa's `${VAR}`s (the action server's URL, the tracker and lock stores). They are derived from
the settings (common/settings.py, documented in .env.example), so no address or password is written on disk. `make
run` gives them to every child it starts (launch/stack.py `child_env`). A person typing Rasa's own commands in the
project folder (`rasa shell`, `rasa interactive`, `rasa run actions`, ...) gets the same values through
`apply_to_rasa_command`, which the venv runs at interpreter start: `make install` writes one line into the venv's
site-packages (`career_guidance_rasa.pth`, beside the project's editable install), as coverage and setuptools do
for their start-up hooks. It only acts when the program is Rasa's command line, fills only the variables that are
not set (a value in the environment wins: `make run-scaled` passes its replicas' own), starts `rasa shell` without
Rasa's INFO lines (its LOG_LEVEL; `-v` shows them), and leaves out the deprecation warnings Rasa 3.6's
dependencies print at start (the launcher's children get `PYTHONWARNINGS=ignore` for the same reason; a
PYTHONWARNINGS of one's own keeps them all).
"""
from __future__ import annotations

import os
import sys
import sysconfig
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from common.settings import PROJECT_DIR, Settings, get_settings

LOCK_STORES = ("bot.lock_store.WakingInMemoryLockStore", "bot.lock_store.WakingRedisLockStore")  # bot/lock_store.py
# Settings that endpoints.yml reads directly (the others are derived in endpoints_environment)
ENDPOINTS_SETTINGS = ("TRACKER_STORE_TYPE", "TRACKER_DB_URL", "TRACKER_CACHE_SIZE", "LOCK_STORE_URL")
# Before any import: TensorFlow's C++ logs, SQLAlchemy 2.0 migration notes from Rasa's code, no telemetry
QUIET = {"TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "RASA_TELEMETRY_ENABLED": "false"}
PTH_NAME = "career_guidance_rasa.pth"
# site.py runs a .pth line starting with "import": the module is imported only when the program's name says rasa
PTH_LINE = ("import sys; 'rasa' in (sys.argv[0] if sys.argv else '') and "
            "__import__('common.rasa_environment').rasa_environment.apply_to_rasa_command()\n")


def endpoints_environment(settings: Settings) -> dict[str, str]:
    """Every variable endpoints.yml reads (Rasa's `${VAR}` substitution), from these settings."""
    environment = settings.environment()
    derived = {"ACTION_ENDPOINT_URL": settings.actions_url,
               "LOCK_STORE_TYPE": LOCK_STORES[bool(settings.lock_store_url)]}
    return {**{name: environment[name] for name in ENDPOINTS_SETTINGS}, **derived}


# Shown by Rasa 3.6's dependencies at every start; Rasa's own warnings (data validation, ...) stay visible
DEPRECATIONS = (DeprecationWarning, PendingDeprecationWarning, FutureWarning)


def without_deprecations(show: Callable[..., None]) -> Callable[..., None]:
    """`warnings.showwarning` (the warnings module's documented door) that leaves out deprecation notices.

    Filters cannot do it: Sanic and Rasa put their own "once" filters in front of any set at start, and
    pyparsing's deprecations are also UserWarnings."""
    def showwarning(message: Warning | str, category: type[Warning], filename: str, lineno: int,
                    file: TextIO | None = None, line: str | None = None) -> None:
        if not issubclass(category, DEPRECATIONS):
            show(message, category, filename, lineno, file, line)
    return showwarning


def is_rasa_command(argv: list[str]) -> bool:
    """Rasa's own command line: `rasa ...`, `python -m rasa ...`, or the Makefile's `python -m bot.rasa_server`."""
    if not argv:
        return False
    program = Path(argv[0])
    return program.name == "rasa" or program.parts[-2:] in (("rasa", "__main__.py"), ("bot", "rasa_server.py"))


def apply_to_rasa_command(argv: list[str] | None = None) -> bool:
    """At interpreter start: when the program is Rasa's CLI, fill the unset variables. True when it did."""
    argv = list(sys.argv if argv is None else argv)
    if not is_rasa_command(argv):
        return False
    for name, value in QUIET.items():
        os.environ.setdefault(name, value)
    if argv[1:2] == ["shell"]:
        os.environ.setdefault("LOG_LEVEL", "WARNING")  # Rasa's own variable: no INFO lines before the prompt
    for name, value in endpoints_environment(get_settings()).items():
        if not os.environ.get(name):
            os.environ[name] = value
    if "PYTHONWARNINGS" not in os.environ:
        warnings.showwarning = without_deprecations(warnings.showwarning)
    return True


def install_hook(site_packages: Path | None = None) -> Path:
    """Write the start-up line into the venv's site-packages (called by `make install`)."""
    folder = site_packages or Path(sysconfig.get_paths()["purelib"])
    path = folder / PTH_NAME
    path.write_text(f"# written by `make install` ({PROJECT_DIR}): common/rasa_environment.py\n{PTH_LINE}",
                    encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f">> plain `rasa` commands get the project's settings: {install_hook()}")
