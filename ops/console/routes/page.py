"""The page's files and the session: POST /api/login (name and token) and /api/logout.

A right token always opens a session; a wrong one is answered 401, or 429 while its address or name is in back-off
(state.Console.login, throttle.py). The session is an HttpOnly SameSite=Strict cookie of 8 hours.
"""
from __future__ import annotations

from math import ceil
from pathlib import Path

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse

from ops.console.routes import blueprint as api_blueprint
from ops.console.state import SESSION_SECONDS, TooManyTries
from ops.console.web import COOKIE, BadBody, Call, answer, client_of, console_of, json_object, refuse

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
STATIC = {"/": ("index.html", "text/html; charset=utf-8"),
          "/console.js": ("console.js", "text/javascript; charset=utf-8"),
          "/console.css": ("console.css", "text/css; charset=utf-8"),
          "/favicon.svg": ("favicon.svg", "image/svg+xml")}


def _file(name: str, content_type: str):
    async def page_file(request: Request) -> HTTPResponse:
        return HTTPResponse((STATIC_DIR / name).read_bytes(), content_type=content_type)

    page_file.__name__ = page_file.__qualname__ = "file_" + name.replace(".", "_")
    return page_file


async def login(request: Request) -> HTTPResponse:
    console, client = console_of(request), client_of(request)
    try:
        body = json_object(request)
    except BadBody:
        body = {}
    name = " ".join(str(body.get("name") or "").split())[:60]
    token = str(body.get("token") or "")
    if not name:
        return refuse(400, "Indiquez votre nom.")
    try:
        session = console.login(name, token, client)
    except TooManyTries as wait:
        console.access.write(name, client, "login_throttled")
        seconds = ceil(wait.seconds)
        return refuse(429, f"Trop d'essais : réessayez dans {seconds} s.", headers={"Retry-After": str(seconds)})
    if session is None:
        console.access.write(name, client, "login_refused")
        return refuse(401, "Jeton refusé.")
    console.access.write(name, client, "login")
    return answer({"name": name}, cookie=f"{COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/; "
                                         f"Max-Age={SESSION_SECONDS}")


def logout(call: Call, body: dict) -> HTTPResponse:
    call.console.logout(call.session)
    call.log("logout")
    return answer({}, cookie=f"{COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0")


def blueprint() -> Blueprint:
    area = api_blueprint("page", [("POST", "/api/logout", logout)])
    for path, (name, content_type) in STATIC.items():
        area.add_route(_file(name, content_type), path, methods=["GET", "HEAD"])
    area.add_route(login, "/api/login", methods=["POST"])
    return area
