"""Starts the action server after checking the knowledge base, so a missing base fails loudly at start."""
from __future__ import annotations

import argparse
import logging
import os
import sys

from common.settings import get_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run the action server (rasa_sdk) for the actions/ package.")
    settings = get_settings()
    parser.add_argument("--port", type=int, default=settings.actions_port)
    parser.add_argument("--host", default=settings.host)
    args = parser.parse_args(argv)

    from knowledge.queries import KnowledgeBaseUnavailable, default_repository

    try:
        counts = default_repository().check()
    except KnowledgeBaseUnavailable as error:
        print(f"Action server not started: {error}", file=sys.stderr)
        return 1
    print("Knowledge base OK: " + ", ".join(f"{job}: {n} facts" for job, n in counts.items()), flush=True)

    from rasa_sdk.endpoint import run

    logging.basicConfig(level=logging.INFO)
    from bot.log_privacy import PrivacyFilter  # exception messages shortened, no bodies, no personal fields

    for handler in logging.getLogger().handlers:
        handler.addFilter(PrivacyFilter())
    from launch.action_errors import register

    register()  # bad requests: French errors, never the request echoed (launch/action_errors.py)
    os.environ["SANIC_HOST"] = args.host  # rasa_sdk reads its bind address from here (default 0.0.0.0)
    # Sanic's access log (Sanic's own SANIC_ prefixed setting): a line per action call that said nothing here (the
    # log format has no field for it) and cost an eighth of the server's CPU per message; errors are still logged.
    os.environ.setdefault("SANIC_ACCESS_LOG", "False")
    run("actions", port=args.port, cors_origins="")  # no CORS: web pages must not call actions directly
    return 0


if __name__ == "__main__":
    sys.exit(main())
