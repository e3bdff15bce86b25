"""python -m ops.console [--port N] [--host H]: serve the operators' console (what `make console` runs)."""
from __future__ import annotations

import argparse
import secrets
import sys

from common.ports import held_by
from common.private_files import keep_private
from common.settings import get_settings, with_internal_token
from ops.console.server import default_console, make_server
from ops.console.throttle import MIN_TOKEN_CHARS


def main(argv: list[str] | None = None) -> int:
    settings = get_settings()
    parser = argparse.ArgumentParser(prog="python -m ops.console", description=__doc__.split(":")[1].strip())
    parser.add_argument("--port", type=int, default=settings.console_port)
    parser.add_argument("--host", default=settings.host)
    args = parser.parse_args(argv)
    if settings.console_token is not None and len(settings.console_token) < MIN_TOKEN_CHARS:
        # a right token always gets in (a flood of wrong ones locks nobody out): guessing is stopped by its length
        print(f"Console not started: CONSOLE_TOKEN has {len(settings.console_token)} characters, at least "
              f"{MIN_TOKEN_CHARS} are needed (unset it and one is generated).", file=sys.stderr)
        return 1
    keep_private()
    token = settings.console_token or secrets.token_urlsafe(18)
    console = default_console(with_internal_token(settings), token)  # the token `make run` gave Rasa's API
    try:
        server = make_server(console, args.host, args.port)
    except OSError as error:
        print(f"Console not started: cannot listen on {args.host}:{args.port} ({error}){held_by(args.port)}. "
              "Stop it, or choose another port (CONSOLE_PORT=...).", file=sys.stderr)
        return 1
    print(f"Operators' console on http://{args.host}:{args.port}/ (conversations: {settings.tracker_db_url}, "
          f"training data: {console.training.nlu_dir})", flush=True)
    if settings.console_token:
        print("Log in with your name and the token of CONSOLE_TOKEN.", flush=True)
    else:
        print(f"Log in with your name and this token (set CONSOLE_TOKEN to choose it): {token}", flush=True)
    print(f"Every access is logged to {console.access.path}. Ctrl-C stops the console.", flush=True)
    try:
        server.serve_forever()  # Ctrl-C or SIGTERM: requests under way finish, then it stops
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
