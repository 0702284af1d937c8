"""The client's own account: sessions, who has looked at their record, support people.

Downloading their data and closing the account are in `app/data_rights/views.py`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from app.accounts import repository, sessions
from app.accounts.dependencies import CurrentClientSelf
from app.accounts.identifiers import normalise_phone
from app.accounts.models import Passkey
from app.accounts.support import (
    link_support_person,
    set_support_permissions,
    unlink_support_person,
)
from app.core.db import SessionDep
from app.core.forms import FormErrors, check_length, column_limit
from app.core.i18n import gettext as _
from app.core.ids import RecordId
from app.core.templating import render
from app.people.models import AdviserTask, Role, SupportLink, TaskKind, User

router = APIRouter(prefix="/account")


@router.get("", response_class=HTMLResponse)
def account(request: Request, client: CurrentClientSelf, session: SessionDep) -> HTMLResponse:
    assert client.user.id is not None and client.profile.id is not None
    closing = session.exec(
        select(AdviserTask).where(
            AdviserTask.client_id == client.profile.id,
            AdviserTask.kind == TaskKind.close_account,
            col(AdviserTask.done_at).is_(None),
        )
    ).first()
    return render(
        request,
        "account/index.html",
        {
            "client": client,
            "live_sessions": sessions.list_live(session=session, user_id=client.user.id),
            "support_people": repository.active_links_for_client(
                session=session, client_id=client.profile.id
            ),
            "closing_requested": closing is not None,
            "passkey_count": len(
                session.exec(select(Passkey).where(Passkey.user_id == client.user.id)).all()
            ),
        },
    )


@router.get("/who-has-looked", response_class=HTMLResponse)
def who_has_looked(
    request: Request, client: CurrentClientSelf, session: SessionDep
) -> HTMLResponse:
    assert client.profile.id is not None
    visits = repository.visits_to_record(session=session, client_id=client.profile.id)
    return render(request, "account/who-has-looked.html", {"visits": visits})


@router.get("/support-people/add", response_class=HTMLResponse)
def add_support_person(request: Request, client: CurrentClientSelf) -> HTMLResponse:
    return render(request, "account/add-support-person.html", {"errors": FormErrors()})


@router.post("/support-people/add", response_class=HTMLResponse)
def add_support_person_post(
    request: Request,
    client: CurrentClientSelf,
    session: SessionDep,
    name: Annotated[str, Form()] = "",
    phone: Annotated[str, Form()] = "",
    relationship: Annotated[str, Form()] = "",
    consent: Annotated[str | None, Form()] = None,
    can_ask: Annotated[str | None, Form()] = None,
) -> Response:
    errors = FormErrors()
    if not name.strip():
        errors.add("name", _("Enter their name"))
    normalised = normalise_phone(phone)
    if normalised is None:
        errors.add("phone", _("Enter a UK mobile number, like 07700 900 123"))
    if not relationship.strip():
        errors.add("relationship", _("Enter how they help you, like support worker or sister"))
    check_length(errors, "name", name, column_limit(User, "full_name"))
    check_length(errors, "relationship", relationship, column_limit(SupportLink, "relationship"))
    if consent != "yes":
        errors.add("consent", _("Tick the box if you are happy for them to see these things"))
    typed = {
        "name": name,
        "phone": phone,
        "relationship": relationship,
        "consent": consent == "yes",
        "can_ask": can_ask == "yes",
    }
    existing = repository.user_by_phone(session=session, phone=normalised) if normalised else None
    if not errors:
        errors.add("phone", _cannot_add(session, client, existing))
    if errors:
        context = {"errors": errors, **typed}
        return render(request, "account/add-support-person.html", context, status_code=400)
    assert normalised is not None and client.profile.id is not None
    link_support_person(
        session=session,
        client_id=client.profile.id,
        name=name.strip(),
        phone=normalised,
        relationship=relationship.strip(),
        existing=existing,
        can_ask_for_changes=can_ask == "yes",
        language=client.profile.language,
    )
    return RedirectResponse("/account?support=added", status_code=303)


def _cannot_add(session: SessionDep, client: CurrentClientSelf, existing: User | None) -> str:
    """Why this number cannot be added as a support person ("" if it can). The words never
    say whose number it is: someone else's use of the service is theirs to tell."""
    if existing is None:
        return ""
    if existing.id == client.user.id:
        return _("This is your own number. Enter the mobile number of the person who helps you.")
    if existing.role != Role.supporter:
        return _("We cannot add this number as a support person. Your adviser can help.")
    assert existing.id is not None and client.profile.id is not None
    already = repository.live_link(
        session=session, supporter_user_id=existing.id, client_id=client.profile.id
    )
    return _("You have already added this person.") if already else ""


def _own_live_link(
    session: SessionDep, client: CurrentClientSelf, link_id: RecordId
) -> SupportLink:
    link = session.get(SupportLink, link_id)
    if link is None or link.client_id != client.profile.id or link.revoked_at is not None:
        raise HTTPException(status_code=404)
    return link


@router.post("/support-people/{link_id}/permissions")
def change_support_permissions(
    link_id: RecordId,
    client: CurrentClientSelf,
    session: SessionDep,
    can_ask: Annotated[str, Form()] = "",
) -> Response:
    """The client lets a support person ask for changes for them, or only look."""
    link = _own_live_link(session, client, link_id)
    if can_ask in ("yes", "no"):
        set_support_permissions(session=session, link=link, can_ask_for_changes=can_ask == "yes")
    return RedirectResponse("/account?support=changed", status_code=303)


@router.post("/support-people/{link_id}/remove")
def remove_support_person(
    link_id: RecordId, client: CurrentClientSelf, session: SessionDep
) -> Response:
    link = _own_live_link(session, client, link_id)
    unlink_support_person(session=session, link=link)
    return RedirectResponse("/account?support=removed", status_code=303)
