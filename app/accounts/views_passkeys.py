"""JSON routes for passkeys. The page works without them: a passkey is only ever a shortcut."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from app.accounts import passkeys
from app.accounts.dependencies import CurrentClientSelf
from app.accounts.views_client import CHALLENGE_COOKIE, _challenge_cookie, sign_in_response
from app.core.db import SessionDep
from app.core.forms import read_json

router = APIRouter()


async def _credential(request: Request) -> dict[str, Any] | None:
    """The browser's passkey answer: a JSON object with an id, or None for anything else."""
    body = await read_json(request)
    if not isinstance(body, dict) or not isinstance(body.get("id"), str):
        return None
    return body


UNREADABLE = {"ok": False, "error": "That was not a passkey answer we could read."}


def _json_with_cookie(body: str, token: str) -> Response:
    response = Response(body, media_type="application/json")
    _challenge_cookie(response, token)
    return response


@router.post("/account/passkeys/options")
def passkey_registration_options(
    request: Request, client: CurrentClientSelf, session: SessionDep
) -> Response:
    body, token = passkeys.registration_options(session=session, request=request, user=client.user)
    return _json_with_cookie(body, token)


@router.post("/account/passkeys")
async def add_passkey(
    request: Request, client: CurrentClientSelf, session: SessionDep
) -> JSONResponse:
    credential = await _credential(request)
    if credential is None:
        return JSONResponse(UNREADABLE, status_code=400)
    token = request.cookies.get(CHALLENGE_COOKIE, "")
    ok = passkeys.register(
        session=session, request=request, user=client.user, token=token, credential=credential
    )
    return JSONResponse({"ok": ok}, status_code=200 if ok else 400)


@router.post("/sign-in/passkey/options")
def passkey_sign_in_options(request: Request, session: SessionDep) -> Response:
    body, token = passkeys.authentication_options(session=session, request=request)
    return _json_with_cookie(body, token)


@router.post("/sign-in/passkey")
async def passkey_sign_in(request: Request, session: SessionDep) -> Response:
    credential = await _credential(request)
    if credential is None:
        return JSONResponse(UNREADABLE, status_code=400)
    token = request.cookies.get(CHALLENGE_COOKIE, "")
    user = passkeys.authenticate(
        session=session, request=request, token=token, credential=credential
    )
    if user is None:
        return JSONResponse({"ok": False}, status_code=400)
    # A passkey lives on this phone only, so keeping the person signed in here is what they expect.
    redirect = sign_in_response(request=request, session=session, user=user, keep_signed_in=True)
    response = JSONResponse({"ok": True, "redirect": redirect.headers["location"]})
    for value in redirect.headers.getlist("set-cookie"):
        response.headers.append("set-cookie", value)
    return response
