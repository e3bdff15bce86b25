"""`python -m bot.rasa_server train|run|shell|test ...`: exactly Rasa's own command line (`rasa ...`).

Kept so that existing scripts keep working; it changes one thing: `--enable-api` takes its `--auth-token` from
RASA_API_TOKEN inside the process, so the token is never on a command line. What the project changes in Rasa goes
through Rasa's doors, so a plain `rasa` command trains and serves the same model:
- config.yml names the graph component bot.components.SharedSpacyNLP (spaCy loaded once, light);
- the input channels of credentials.yml (bot/channels.py) hang the heap trim on the server's start;
- the one fix without a door (action-result validator, Rasa 3.6 only) is installed when bot.components is
  imported, which every Rasa command of the project does (bot/rasa_compat.py).
"""
from __future__ import annotations

import os
import sys


def with_api_token(argv: list[str], token: str | None) -> list[str]:
    """`--enable-api` gets `--auth-token` from RASA_API_TOKEN, added inside the process: never on a command line."""
    if token and "--enable-api" in argv and not any(arg.split("=")[0] in ("--auth-token", "-t") for arg in argv):
        return [*argv, f"--auth-token={token}"]  # one argument: a generated token may start with '-'
    return argv


def main() -> None:
    from rasa.__main__ import main as rasa_main

    sys.argv = with_api_token(["rasa", *sys.argv[1:]], os.environ.get("RASA_API_TOKEN") or None)
    rasa_main()


if __name__ == "__main__":
    main()
