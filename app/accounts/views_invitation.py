"""Accepting an invitation: clients confirm their details; staff choose a password."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import select

from app.accounts import passwords
from app.accounts.forms import InvitationForm
from app.accounts.identifiers import normalise_email
from app.accounts.invitations import find_open_invitation
from app.accounts.models import Invitation
from app.accounts.views_client import sign_in_response
from app.core.clock import utcnow
from app.core.db import SessionDep
from app.core.forms import FormErrors, Posted, posted
from app.core.i18n import gettext as _
from app.core.templating import render
from app.people.models import ClientProfile, Role, User

router = APIRouter(prefix="/invitation")


def _open(session: SessionDep, token: str) -> tuple[Invitation, User]:
    invitation = find_open_invitation(session=session, token=token)
    user = session.get(User, invitation.user_id) if invitation else None
    if invitation is None or user is None:
        raise HTTPException(status_code=404)
    return invitation, user


@router.get("/{token}", response_class=HTMLResponse)
def invitation(request: Request, token: str, session: SessionDep) -> HTMLResponse:
    _invitation, user = _open(session, token)
    return render(
        request,
        "accounts/invitation.html",
        {
            "errors": FormErrors(),
            "person": user,
            "token": token,
            "form": {"preferred_name": user.preferred_name or "", "contact": "text"},
        },
    )


def _email_problem(session: SessionDep, user: User, email: str) -> str:
    """What is wrong with the email a client chose ("" if nothing). Another account's address
    is refused without saying whose it is."""
    normalised = normalise_email(email)
    if normalised is None:
        return _("Enter an email address, like name@example.com")
    taken = session.exec(select(User).where(User.email == normalised, User.id != user.id)).first()
    if taken is not None:
        return _("We cannot use this email address. Choose text messages, or another address.")
    return ""


@router.post("/{token}", response_class=HTMLResponse)
def invitation_post(
    request: Request,
    token: str,
    session: SessionDep,
    sent: Annotated[Posted[InvitationForm], posted(InvitationForm)],
) -> Response:
    invitation, user = _open(session, token)
    errors = sent.errors
    form = sent.form or InvitationForm()
    staff_member = user.role in (Role.adviser, Role.admin)
    if staff_member and len(form.password) < passwords.MIN_PASSWORD_LENGTH:
        errors.add("password", _("Enter a password of at least 12 characters"))
    elif not staff_member and form.contact == "email":
        errors.add("email", _email_problem(session, user, form.email))
    if errors:
        return render(
            request,
            "accounts/invitation.html",
            {
                "errors": errors,
                "person": user,
                "token": token,
                "form": {
                    "preferred_name": sent.values.get("preferred_name", ""),
                    "contact": sent.values.get("contact", "text"),
                    "email": sent.values.get("email", ""),
                },
            },
            status_code=400,
        )
    invitation.accepted_at = utcnow()
    session.add(invitation)
    if user.role in (Role.adviser, Role.admin):
        user.password_hash = passwords.hash_password(form.password)
        session.add(user)
        return RedirectResponse("/adviser/sign-in", status_code=303)
    user.preferred_name = form.preferred_name or None
    if form.contact == "email":
        user.email = normalise_email(form.email)
    session.add(user)
    profile = session.exec(select(ClientProfile).where(ClientProfile.user_id == user.id)).first()
    if profile is not None:
        profile.preferred_contact = form.contact
        session.add(profile)
    # The link came to the client's own phone, so opening it is proof enough to sign in once.
    return sign_in_response(request=request, session=session, user=user, keep_signed_in=False)
