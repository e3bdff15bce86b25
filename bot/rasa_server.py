"""`python -m bot.rasa_server train|run|shell|test ...`: exactly Rasa's own command line (`rasa ...`).

Kept so that existing scripts keep working; it changes nothing. What the project changes in Rasa goes
through Rasa's doors, so a plain `rasa` command trains and serves the same model:
- config.yml names the graph component bot.components.SharedSpacyNLP (spaCy loaded once, light);
- the input channels of credentials.yml (bot/channels.py) hang the heap trim on the server's start;
- the one fix without a door (action-result validator, Rasa 3.6 only) is installed when bot.components is
  imported, which every Rasa command of the project does (bot/rasa_compat.py).
"""
from __future__ import annotations

import sys


def main() -> None:
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
