"""Ports and origins (issues 22, 23), no servers needed: a port already taken is refused by `make run` and avoided
by `make shell` (its own servers on free ports, said); the web origins allowed to call the Rasa server."""
from __future__ import annotations

import dataclasses
import os
import socket

import psutil
import pytest

from common.ports import held_by, holder
from common.settings import get_settings
from launch.shell import own_ports
from launch.stack import Stack, free_port, port_free


@pytest.fixture()
def taken_port():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield listener.getsockname()[1]
    listener.close()


def test_a_listening_port_is_not_free(taken_port):
    assert not port_free("127.0.0.1", taken_port)


def test_run_refuses_a_taken_port_before_starting_anything(taken_port):
    stack = Stack(dataclasses.replace(get_settings(), rasa_port=taken_port), with_web=False, with_actions=False,
                  quiet=True)
    with pytest.raises(RuntimeError, match=f"port {taken_port} .* already in use held by pid {os.getpid()} "):
        stack.start_one("rasa")
    assert stack.processes == {}


def test_the_holder_of_a_port_is_named_and_a_free_port_has_none(taken_port):
    assert holder(taken_port) == f"pid {os.getpid()} ({' '.join(psutil.Process().cmdline())[:120]})"
    assert holder(free_port("127.0.0.1")) is None and held_by(free_port("127.0.0.1")) == ""


def test_the_shell_takes_free_ports_when_its_own_are_taken(taken_port, capsys):
    settings = dataclasses.replace(get_settings(), rasa_port=taken_port, actions_port=free_port("127.0.0.1"))
    chosen = own_ports(settings)
    assert chosen.rasa_port != taken_port and port_free("127.0.0.1", chosen.rasa_port)
    assert chosen.actions_port == settings.actions_port
    assert "Ports déjà pris" in capsys.readouterr().out
    assert own_ports(chosen) == chosen  # nothing taken: nothing changed, nothing said


def test_allowed_origins_come_after_the_pages_own(monkeypatch):
    monkeypatch.setenv("WEB_PORT", "8000")
    monkeypatch.setenv("BOT_HOST", "127.0.0.1")
    monkeypatch.setenv("ALLOWED_ORIGINS", "https://www.lycee.fr/, https://orientation.example  https://www.lycee.fr")
    assert get_settings().origins == ("http://127.0.0.1:8000", "http://localhost:8000", "https://www.lycee.fr",
                                      "https://orientation.example")
    monkeypatch.delenv("ALLOWED_ORIGINS")
    assert get_settings().origins == ("http://127.0.0.1:8000", "http://localhost:8000")


def test_rasa_gives_up_a_request_after_two_minutes_not_an_hour():
    """A body shorter than its Content-Length held Rasa's connection for its default 3,600 s (measured: closed with
    a 503 after 120 s with this setting)."""
    from launch.stack import RESPONSE_TIMEOUT_S

    command = Stack(get_settings(), quiet=True).service("rasa").command
    assert command[command.index("--response-timeout") + 1] == str(RESPONSE_TIMEOUT_S) == "120"
