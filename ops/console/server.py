"""The operators' console served by Sanic (the version Rasa installs): the page and a JSON API behind a session.

The page (/, /console.js, /console.css) and a JSON API under /api/ that needs a session, obtained by POST /api/login
with the operator's name and the console token (CONSOLE_TOKEN, or one generated and printed at start). Every API call
is written to the access log (who, from where, what; never a message's text). The tracker store is only read; marks
live in the console's own table; labels go to data/nlu/; a conversation saved as a story goes to
tests/test_stories.yml or data/stories/from_console.yml (stories.py).

Where things are: state.py (sessions, login, the stores), throttle.py (wrong tokens), web.py (request checks, limits,
French errors), routes/ (one blueprint per area). This module builds the app and runs it: make_server() binds the
socket at once (a port taken fails there, and port 0 gives a free one), serve_forever() serves on its own event loop
in the calling thread (the main one for `python -m ops.console`, a daemon thread in the tests) until shutdown().
Tripwires: tests/ops/test_console_server.py, tests/ops/test_console_limits.py, tests/web/test_console*.py.
"""
from __future__ import annotations

import asyncio
import itertools
import signal
import socket
import threading

from sanic import Sanic

from ops.console.routes import advisors, messages, page, stories
from ops.console.state import Console, default_console
from ops.console.web import install

__all__ = ["Console", "ConsoleServer", "default_console", "make_app", "make_server"]

GRACE_SECONDS = 2.0  # a request under way at shutdown may finish within this; idle keep-alive connections close
_numbers = itertools.count(1)


class ConsoleSanic(Sanic):
    """Sanic, startable more than once per process (the tests start one console per module).

    Sanic 21.12 rewrites methods of its own classes (Sanic.handle_request, Http.http1_request_header…) from their
    source at each app's start ("touchup"); the second start in a process reads a rewritten one and fails with
    KeyError (and the server never answers), unless in test mode, where the originals are kept aside and rewritten
    again. Test mode does nothing else in 21.12 but allow two apps of one name (ours are numbered anyway).
    Tripwire: tests/ops/test_console_limits.py checks that plain Sanic still fails there (drop this class then).
    """

    test_mode = True

    async def _startup(self) -> None:
        """Sanic's start; when another app of this process (a plain one: Rasa's, rasa_sdk's in a test) rewrote the
        methods without keeping their originals aside, they are kept as they are (the rewrite is an optimisation)
        instead of rewritten a second time, which fails."""
        from sanic.touchup.service import TouchUp

        lost = any(getattr(target, "__touched__", False) and not hasattr(target, f"_{name}")
                   for target, name in TouchUp._registry)
        if not lost:
            await super()._startup()
            return
        run = TouchUp.run
        TouchUp.run = classmethod(lambda cls, app: None)  # type: ignore[method-assign, assignment]
        try:
            await super()._startup()
        finally:
            TouchUp.run = run  # type: ignore[method-assign]


def make_app(console: Console, bound_host: str, quiet: bool = False) -> Sanic:
    """The console's Sanic app over `console` (Sanic wants a unique name per process: numbered)."""
    app = ConsoleSanic(f"operators_console_{next(_numbers)}", configure_logging=False, strict_slashes=True)
    app.ctx.console = console
    install(app, bound_host, quiet)
    for area in (page, messages, advisors, stories):
        app.blueprint(area.blueprint())
    return app


class ConsoleServer:
    """A Sanic app on a socket bound by the constructor, with the stdlib server's methods the callers use."""

    def __init__(self, app: Sanic, host: str, port: int) -> None:
        self.app = app
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.socket = socket.create_server((host, port), family=family, backlog=100)
        self.server_address = self.socket.getsockname()[:2]
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._stopping = threading.Event()
        self._stopped = threading.Event()

    def serve_forever(self) -> None:
        """Serve until shutdown() (or SIGINT/SIGTERM when run in the main thread)."""
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)  # Sanic's create_server takes the current loop
        try:
            loop.run_until_complete(self._serve(loop))
        finally:
            self.socket.close()  # after a failed start too: connections are refused, not left waiting
            loop.close()
            self._stopped.set()

    async def _serve(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop, self._stop = loop, asyncio.Event()
        if self._stopping.is_set():  # shutdown() came before the loop ran
            self._stop.set()
        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(number, self._stop.set)
        # listening from here on (connections made earlier waited in the socket's backlog)
        server = await self.app.create_server(sock=self.socket, access_log=False, return_asyncio_server=True)
        if server is None:  # create_server returns it when asked to
            raise RuntimeError("Sanic did not return its server")
        await server.startup()
        await server.before_start()
        await server.after_start()
        try:
            await self._stop.wait()
        finally:
            await server.before_stop()
            server.close()
            await server.wait_closed()
            for connection in list(server.connections):
                connection.close_if_idle()
            for _ in range(int(GRACE_SECONDS * 10)):
                if not server.connections:
                    break
                await asyncio.sleep(0.1)
            for connection in list(server.connections):
                connection.abort()
            await server.after_stop()

    def shutdown(self) -> None:
        """Stop serve_forever() from another thread and wait for it."""
        self._stopping.set()
        if self._loop is not None and self._stop is not None and not self._stopped.is_set():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._stopped.wait(GRACE_SECONDS + 10)

    def server_close(self) -> None:
        self.socket.close()
        Sanic._app_registry.pop(self.app.name, None)  # the name may serve again; no public way in Sanic 21.12


def make_server(console: Console, host: str, port: int, quiet: bool = False) -> ConsoleServer:
    """The console bound to host:port (0: a free port, read back from server_address); OSError if it is taken."""
    return ConsoleServer(make_app(console, host, quiet), host, port)
