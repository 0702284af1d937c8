"""Adviser and admin sign-in: email and password, then an authenticator code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts import passwords, staff, throttle
from app.accounts.dependencies import OptionalViewer
from app.accounts.forms import CodeForm, StaffSignInForm
from app.accounts.identifiers import normalise_email
from app.accounts.models import ChallengePurpose
from app.accounts.returning import form_was_not_saved
from app.accounts.views_client import (
    CHALLENGE_COOKIE,
    _challenge_cookie,
    home_for,
    sign_in_response,
)
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.forms import FormErrors, Posted, posted
from app.core.i18n import gettext as _
from app.core.network import network_address
from app.core.templating import render
from app.people.models import User

router = APIRouter(prefix="/adviser/sign-in")

# Marks a browser this person has fully signed in on, so a stranger guessing their password
# elsewhere cannot lock them out of it (see app/accounts/throttle.py).
KNOWN_DEVICE_COOKIE = "mp_staff_device"
KNOWN_DEVICE_DAYS = 180


def remember_device(response: Response, user: User) -> None:
    """Mark this browser as one the person signs in on (no personal data in the cookie)."""
    assert user.id is not None
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        staff.known_device_token(user.id),
        max_age=KNOWN_DEVICE_DAYS * 24 * 3600,
        httponly=True,
        secure=get_settings().secure_cookies,
        samesite="strict",
        path="/adviser/sign-in",
    )


@router.get("", response_class=HTMLResponse)
def adviser_sign_in(request: Request, viewer: OptionalViewer) -> Response:
    if viewer is not None:
        return RedirectResponse(home_for(viewer.user), status_code=303)
    return render(
        request,
        "accounts/adviser-sign-in.html",
        {"errors": FormErrors(), "not_saved": form_was_not_saved(request)},
    )


@router.post("", response_class=HTMLResponse)
def adviser_sign_in_post(
    request: Request,
    session: SessionDep,
    sent: Annotated[Posted[StaffSignInForm], posted(StaffSignInForm)],
) -> Response:
    errors = FormErrors()
    form = sent.form or StaffSignInForm()
    email, password = form.email, form.password
    normalised = normalise_email(email) if sent.ok else None
    if normalised is None:
        errors.add("email", _("Enter your work email address"))
    if not password:
        errors.add("password", _("Enter your password"))
    errors.messages.update(sent.errors.messages)  # a field too long says so
    if not errors:
        assert normalised is not None
        check = staff.check_password(
            session=session,
            email=normalised,
            password=password,
            address=network_address(request),
            device_token=request.cookies.get(KNOWN_DEVICE_COOKIE),
        )
        if check.result == staff.PasswordResult.locked:
            errors.add("email", throttle.too_many_tries(check.locked_minutes))
        elif check.result == staff.PasswordResult.wrong:
            errors.add("email", _("The email address or password is not right"))
        else:
            assert check.challenge_token is not None
            target = (
                "/adviser/sign-in/code"
                if check.result == staff.PasswordResult.needs_code
                else "/adviser/sign-in/set-up"
            )
            response = RedirectResponse(target, status_code=303)
            _challenge_cookie(response, check.challenge_token)
            return response
    return render(
        request,
        "accounts/adviser-sign-in.html",
        {"errors": errors, "email": sent.values.get("email", "")},
        status_code=400,
    )


@router.get("/code", response_class=HTMLResponse)
def adviser_sign_in_code(request: Request) -> Response:
    if not request.cookies.get(CHALLENGE_COOKIE):
        return RedirectResponse("/adviser/sign-in", status_code=303)
    return render(request, "accounts/adviser-sign-in-code.html", {"errors": FormErrors()})


@router.post("/code", response_class=HTMLResponse)
def adviser_sign_in_code_post(
    request: Request, session: SessionDep, sent: Annotated[Posted[CodeForm], posted(CodeForm)]
) -> Response:
    token = request.cookies.get(CHALLENGE_COOKIE)
    if not token:
        return RedirectResponse("/adviser/sign-in", status_code=303)
    errors = FormErrors()
    code = sent.form.code if sent.form else ""
    if not code:
        errors.add("code", _("Enter the code from your authenticator app, or a recovery code"))
    else:
        check = staff.check_second_factor(session=session, token=token, code=code)
        if check.result == staff.CodeResult.ok and check.user is not None:
            response = sign_in_response(
                request=request, session=session, user=check.user, keep_signed_in=False
            )
            remember_device(response, check.user)
            return response
        if check.result == staff.CodeResult.locked:
            errors.add("code", throttle.too_many_tries(check.locked_minutes))
        elif check.result == staff.CodeResult.expired:
            return RedirectResponse("/adviser/sign-in", status_code=303)
        elif check.result == staff.CodeResult.used:
            errors.add(
                "code", _("That code has been used already. Wait for a new code, then try again.")
            )
        else:
            errors.add("code", _("That code did not work. Check it and try again."))
    return render(
        request, "accounts/adviser-sign-in-code.html", {"errors": errors}, status_code=400
    )


@router.get("/set-up", response_class=HTMLResponse)
def adviser_sign_in_set_up(request: Request, session: SessionDep) -> Response:
    token = request.cookies.get(CHALLENGE_COOKIE)
    if (
        not token
        or staff.live_challenge(
            session=session, token=token, purpose=ChallengePurpose.staff_totp_setup
        )
        is None
    ):
        return RedirectResponse("/adviser/sign-in", status_code=303)
    return render(request, "accounts/adviser-set-up.html", _set_up_context(token, FormErrors()))


def _set_up_context(token: str, errors: FormErrors) -> dict[str, object]:
    secret = staff.setup_secret(token)
    return {
        "errors": errors,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "otpauth_uri": passwords.totp_uri(secret, "My Pathways adviser"),
    }


@router.post("/set-up", response_class=HTMLResponse)
def adviser_sign_in_set_up_post(
    request: Request, session: SessionDep, sent: Annotated[Posted[CodeForm], posted(CodeForm)]
) -> Response:
    token = request.cookies.get(CHALLENGE_COOKIE)
    if not token:
        return RedirectResponse("/adviser/sign-in", status_code=303)
    code = sent.form.code if sent.form else ""
    finished = staff.finish_setup(session=session, token=token, code=code)
    if finished is None:
        errors = FormErrors()
        errors.add("code", _("That code did not work. Check the key you typed and try again."))
        return render(
            request, "accounts/adviser-set-up.html", _set_up_context(token, errors), status_code=400
        )
    user, recovery_codes = finished
    response = sign_in_response(
        request=request,
        session=session,
        user=user,
        keep_signed_in=False,
        target="/adviser/sign-in/recovery-codes",
    )
    # Shown once, on the next page only: a short-lived cookie would leak them; render now instead.
    page = render(
        request,
        "accounts/recovery-codes.html",
        {"codes": recovery_codes, "next_url": home_for(user)},
    )
    remember_device(page, user)
    for key, value in response.headers.items():
        if key == "set-cookie":
            page.headers.append("set-cookie", value)
    return page
