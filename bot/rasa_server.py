"""Runs Rasa's command line (`python -m bot.rasa_server run ...`) with one measured speed fix.

Rasa 3.6 checks every action server reply with `jsonschema.validate(result, schema)`, which rebuilds a
validator for the large events schema on each call (~23 ms of a ~41 ms reply, profiled with py-spy,
see docs/performance.md). Here the validator is built once; replies are checked exactly as before.
"""
from __future__ import annotations

import sys


def install_cached_action_validator() -> None:
    """Replace RemoteAction._validate_action_result with an equivalent that reuses one validator."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator = validator_for(schema)(schema)
    original_docs_hint = ". Failed to validate Action server response from API"

    def validate_action_result(self, result) -> bool:  # noqa: ANN001 - same signature as Rasa's
        try:
            validator.validate(result)
            return True
        except ValidationError as error:
            error.message += f"{original_docs_hint}, make sure your response from the Action endpoint is valid."
            raise

    RemoteAction._validate_action_result = validate_action_result


def main() -> None:
    install_cached_action_validator()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
