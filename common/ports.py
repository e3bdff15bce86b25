"""Who holds a local port: named in the refusal when a server cannot start there ("another `make run`?")."""
from __future__ import annotations

import contextlib


def holder(port: int) -> str | None:
    """The process listening on `port` as "pid N (command line)", or None when unknown (nothing there, psutil
    missing, or another account's process this one may not inspect)."""
    try:
        import psutil
    except ImportError:
        return None
    with contextlib.suppress(psutil.Error, OSError):
        for connection in psutil.net_connections(kind="inet"):
            if connection.status == psutil.CONN_LISTEN and connection.laddr and connection.laddr.port == port:
                if connection.pid is None:
                    return None
                command = " ".join(psutil.Process(connection.pid).cmdline())
                return f"pid {connection.pid} ({command[:120]})"
    return None


def held_by(port: int) -> str:
    """" held by pid N (…)" to append to a refusal, or "" when unknown."""
    who = holder(port)
    return f" held by {who}" if who else ""
