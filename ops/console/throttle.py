"""Wrong console tokens, counted per client address and per operator name, with an exponential back-off.

Only failures count, and only a wrong token is ever answered "too many tries": the login checks the right token first
(constant-time) and opens a session whatever this throttle says, so a flood of wrong tokens — from any address, under
any name, the operator's own included — locks nobody out. The price: the throttle alone cannot stop a guesser (it
never refuses the right token); the token's length does (`python -m ops.console` refuses a CONSOLE_TOKEN under
MIN_TOKEN_CHARS characters; the generated one has 144 bits). What the back-off gives: a person or a script that keeps
typing a wrong token is told to wait, and the access log shows it (`login_throttled`).
Tripwires: tests/ops/test_console_throttle.py.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

FREE_FAILURES = 10      # wrong tokens from one address or under one name before the back-off starts
FIRST_WAIT = 2.0        # seconds of back-off after the FREE_FAILURES-th; doubled at each further failure
LONGEST_WAIT = 64.0
FORGET_AFTER = 600.0    # a key with no failure for this long starts again from zero
MAX_KEYS = 10_000       # per kind; names are the client's choice, so the table must not grow without end
MIN_TOKEN_CHARS = 16


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0
    until: float = 0.0  # the back-off ends then


class Throttle:
    """Failures per client address and per operator name (folded), each with its own back-off."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.keys: dict[str, dict[str, _Failures]] = {"client": {}, "name": {}}
        self.lock = threading.Lock()

    def wait(self, name: str, client: str) -> float:
        """Seconds before a wrong token from `client` or under `name` is answered "wrong" again rather than "wait"
        (0: neither is in back-off)."""
        with self.lock:
            now = self.clock()
            return max(0.0, *(entry.until - now for entry in self._entries(name, client, create=False)))

    def failed(self, name: str, client: str) -> float:
        """Count a wrong token; returns the back-off it was sent in (0: none, so the answer is a plain refusal)."""
        with self.lock:
            now = self.clock()
            entries = self._entries(name, client, create=True)
            waiting = max(0.0, *(entry.until - now for entry in entries))
            for entry in entries:
                if now - entry.last > FORGET_AFTER:
                    entry.count, entry.until = 0, 0.0
                entry.count, entry.last = entry.count + 1, now
                if entry.count >= FREE_FAILURES:
                    step = min(FIRST_WAIT * 2 ** (entry.count - FREE_FAILURES), LONGEST_WAIT)
                    entry.until = max(entry.until, now + step)
            return waiting

    def clear(self) -> None:
        with self.lock:
            for table in self.keys.values():
                table.clear()

    def _entries(self, name: str, client: str, create: bool) -> list[_Failures]:
        found = []
        for kind, key in (("client", client), ("name", name.casefold())):
            table = self.keys[kind]
            if key not in table and create:
                if len(table) >= MAX_KEYS:
                    self._forget(table)
                table[key] = _Failures()
            found.append(table.get(key, _Failures()))
        return found

    def _forget(self, table: dict[str, _Failures]) -> None:
        """Keys quiet for FORGET_AFTER go; in a flood of new names, the least recent half (a key still failing stays
        recent, so the flooding address keeps its back-off)."""
        now = self.clock()
        for key in [key for key, entry in table.items() if now - entry.last > FORGET_AFTER]:
            del table[key]
        if len(table) >= MAX_KEYS:
            for key, _ in sorted(table.items(), key=lambda item: item[1].last)[: len(table) // 2]:
                del table[key]
