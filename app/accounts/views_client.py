"""Client sign-in with a code by text or email, and signing out."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts import codes, repository, sessions, throttle
from app.accounts.dependencies import CurrentUser, OptionalViewer, home_for_role
from app.accounts.forms import CodeForm, SignInForm, SignOutForm
from app.accounts.identifiers import normalise_email, normalise_phone
from app.accounts.returning import forget_return, form_was_not_saved, return_path
from app.core.config import get_settings
from app.core.db import SessionDep
from app.core.forms import FormErrors, Posted, posted
from app.core.i18n import gettext as _
from app.core.network import network_address
from app.core.templating import render
from app.people.models import Role, User

router = APIRouter()
CHALLENGE_COOKIE = "mp_challenge"
# Long enough to read a code from a text; the cookies page (app/pages/cookies.py) says so.
CHALLENGE_MINUTES = 15


def _challenge_cookie(response: Response, token: str) -> None:
    response.set_cookie(
        CHALLENGE_COOKIE,
        token,
        max_age=CHALLENGE_MINUTES * 60,
        httponly=True,
        secure=get_settings().secure_cookies,
        samesite="lax",
        path="/",
    )


def home_for(user: User) -> str:
    return home_for_role(user.role)


def sign_in_response(
    *,
    request: Request,
    session: SessionDep,
    user: User,
    keep_signed_in: bool,
    target: str | None = None,
) -> RedirectResponse:
    """A fresh session (never the one the browser had before) and a redirect: to `target`,
    else back to the page they were on when their last session ended (returning.py), else
    their home."""
    from app.accounts.sessions import find_session

    old = find_session(session=session, request=request)
    if old is not None:
        sessions.revoke(session=session, web_session=old[0])
    web_session, token = sessions.start_session(
        session=session,
        user=user,
        keep_signed_in=keep_signed_in,
        user_agent=request.headers.get("user-agent", ""),
    )
    if user.role == Role.supporter:
        assert user.id is not None
        links = repository.active_links_for_supporter(session=session, supporter_user_id=user.id)
        if links:
            # Someone helping more than one person starts with whoever added them last.
            newest = max(links, key=lambda link: link.consented_at)
            web_session.acting_for_client_id = newest.client_id
            session.add(web_session)
    back_to = target or return_path(request, Role(user.role)) or home_for(user)
    response = RedirectResponse(back_to, status_code=303)
    sessions.set_session_cookie(response, token, web_session)
    response.delete_cookie(CHALLENGE_COOKIE, path="/")
    forget_return(response)
    return response


@router.get("/sign-in", response_class=HTMLResponse)
def sign_in(request: Request, viewer: OptionalViewer) -> Response:
    if viewer is not None:
        return RedirectResponse(home_for(viewer.user), status_code=303)
    return render(
        request,
        "accounts/sign-in.html",
        {"errors": FormErrors(), "not_saved": form_was_not_saved(request)},
    )


@router.post("/sign-in", response_class=HTMLResponse)
def sign_in_post(
    request: Request,
    session: SessionDep,
    sent: Annotated[Posted[SignInForm], posted(SignInForm)],
) -> Response:
    form = sent.form or SignInForm()
    contact = form.contact
    identifier = normalise_email(contact) if "@" in contact else normalise_phone(contact)
    if identifier is None or not sent.ok:
        errors = sent.errors  # a field too long, or a forged choice, says so first
        if not contact:
            errors.add("contact", _("Enter your mobile phone number or email address"))
        else:
            errors.add(
                "contact",
                _(
                    "Enter a UK mobile number, like 07700 900 123, or an email address, like name@example.com"
                ),
            )
        return render(
            request,
            "accounts/sign-in.html",
            {
                "errors": errors,
                "contact": sent.values.get("contact", ""),
                "keep_signed_in": bool(sent.values.get("keep_signed_in")),
            },
            status_code=400,
        )
    token = codes.send_code(
        session=session, identifier=identifier, keep_signed_in=form.keep_signed_in == "yes"
    )
    response = RedirectResponse("/sign-in/code", status_code=303)
    _challenge_cookie(response, token)
    return response


@router.get("/sign-in/code", response_class=HTMLResponse)
def sign_in_code(request: Request) -> Response:
    if not request.cookies.get(CHALLENGE_COOKIE):
        return RedirectResponse("/sign-in", status_code=303)
    return render(request, "accounts/sign-in-code.html", {"errors": FormErrors()})


@router.post("/sign-in/code", response_class=HTMLResponse)
def sign_in_code_post(
    request: Request, session: SessionDep, sent: Annotated[Posted[CodeForm], posted(CodeForm)]
) -> Response:
    token = request.cookies.get(CHALLENGE_COOKIE)
    if not token:
        return RedirectResponse("/sign-in", status_code=303)
    errors = FormErrors()
    code = sent.values.get("code", "")
    cleaned = sent.form.code.replace(" ", "") if sent.form else ""
    if not (cleaned.isascii() and cleaned.isdigit() and len(cleaned) == 6):
        errors.add("code", _("Enter the 6-digit code from your message"))
    else:
        check = codes.check_code(
            session=session, token=token, code=cleaned, address=network_address(request)
        )
        if check.result == codes.CodeResult.ok and check.user is not None:
            return sign_in_response(
                request=request,
                session=session,
                user=check.user,
                keep_signed_in=check.keep_signed_in,
            )
        if check.result == codes.CodeResult.locked:
            errors.add("code", throttle.too_many_tries(check.locked_minutes))
        elif check.result == codes.CodeResult.expired:
            errors.add("code", _("This code no longer works. Ask for a new code."))
        else:
            errors.add("code", _("That code did not work. Check it and try again."))
    return render(
        request, "accounts/sign-in-code.html", {"errors": errors, "code": code}, status_code=400
    )


@router.get("/sign-out", response_class=HTMLResponse)
def sign_out(request: Request, viewer: CurrentUser) -> Response:
    return render(request, "accounts/sign-out.html")


@router.post("/sign-out")
def sign_out_post(
    session: SessionDep,
    viewer: CurrentUser,
    sent: Annotated[Posted[SignOutForm], posted(SignOutForm)],
) -> Response:
    # Signing out always works: an odd "everywhere" value signs out here only.
    if sent.form and sent.form.everywhere == "yes":
        assert viewer.user.id is not None
        sessions.revoke_all(session=session, user_id=viewer.user.id)
    else:
        sessions.revoke(session=session, web_session=viewer.web_session)
    response = RedirectResponse("/signed-out", status_code=303)
    sessions.clear_session_cookie(response)
    # Ask the browser to forget cached personal pages too (the service worker listens for this).
    response.headers["Clear-Site-Data"] = '"cache"'
    return response


@router.get("/signed-out", response_class=HTMLResponse)
def signed_out(request: Request) -> Response:
    return render(request, "accounts/signed-out.html")
