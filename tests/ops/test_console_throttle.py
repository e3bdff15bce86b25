"""Wrong console tokens (ops/console/throttle.py) on a fake clock: per address and per name, a back-off doubling from
2 to 64 s after 10 failures, forgotten after 10 quiet minutes, a bounded table."""
from __future__ import annotations

import pytest

from ops.console import throttle as module
from ops.console.throttle import FREE_FAILURES, LONGEST_WAIT, Throttle


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock():
    return Clock()


def test_ten_failures_are_free_then_the_wait_doubles_up_to_64_seconds(clock):
    throttle = Throttle(clock)
    assert [throttle.failed("Mallory", "203.0.113.9") for _ in range(FREE_FAILURES)] == [0.0] * FREE_FAILURES
    waits = []
    for _ in range(8):
        waits.append(throttle.wait("Mallory", "203.0.113.9"))
        clock.now += waits[-1]  # the script waits as told, then tries again
        assert throttle.wait("Mallory", "203.0.113.9") == 0.0
        assert throttle.failed("Mallory", "203.0.113.9") == 0.0  # not in back-off when sent: a plain refusal
    assert waits == [2, 4, 8, 16, 32, 64, 64, 64] and max(waits) == LONGEST_WAIT


def test_a_wrong_token_sent_during_the_back_off_is_told_to_wait(clock):
    throttle = Throttle(clock)
    for _ in range(FREE_FAILURES):
        throttle.failed("Mallory", "203.0.113.9")
    clock.now += 1
    assert throttle.failed("Mallory", "203.0.113.9") == pytest.approx(1.0)
    assert throttle.wait("Mallory", "203.0.113.9") == pytest.approx(4.0)  # and it counted: the next step


def test_the_address_and_the_name_each_count(clock):
    throttle = Throttle(clock)
    for _ in range(FREE_FAILURES):
        throttle.failed("Mallory", "203.0.113.9")
    assert throttle.wait("Eve", "203.0.113.9") > 0  # that address, whatever the name
    assert throttle.wait("MALLORY", "198.51.100.4") > 0  # that name (folded), whatever the address
    assert throttle.wait("Anne", "198.51.100.4") == 0.0


def test_ten_quiet_minutes_forget_the_failures(clock):
    throttle = Throttle(clock)
    for _ in range(FREE_FAILURES + 3):
        throttle.failed("Mallory", "203.0.113.9")
    clock.now += module.FORGET_AFTER + 1
    assert throttle.wait("Mallory", "203.0.113.9") == 0.0
    assert [throttle.failed("Mallory", "203.0.113.9") for _ in range(FREE_FAILURES)] == [0.0] * FREE_FAILURES
    assert throttle.wait("Mallory", "203.0.113.9") == 2.0  # counted from zero again


def test_a_flood_of_new_names_keeps_the_table_bounded_and_the_flooder_in_back_off(clock, monkeypatch):
    monkeypatch.setattr(module, "MAX_KEYS", 50)
    throttle = Throttle(clock)
    for number in range(500):
        clock.now += 0.01
        throttle.failed(f"name-{number}", "203.0.113.9")
    assert len(throttle.keys["name"]) <= 50 and len(throttle.keys["client"]) == 1
    assert throttle.wait("anyone", "203.0.113.9") == LONGEST_WAIT
