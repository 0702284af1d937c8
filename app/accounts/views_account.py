"""The client's own account: sessions, who has looked at their record, support people.

Downloading their data and closing the account are in `app/data_rights/views.py`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from sqlmodel import col, select

from app.accounts import repository, sessions
from app.accounts.dependencies import CurrentClientSelf
from app.accounts.forms import SupportPermissionsForm, SupportPersonForm
from app.accounts.models import Passkey
from app.accounts.support import (
    link_support_person,
    set_support_permissions,
    unlink_support_person,
)
from app.core.db import SessionDep
from app.core.done_links import redirect_saying
from app.core.forms import FormErrors, Posted, chosen, posted
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
    sent: Annotated[Posted[SupportPersonForm], posted(SupportPersonForm)],
) -> Response:
    form = sent.form
    existing = repository.user_by_phone(session=session, phone=form.phone) if form else None
    if sent.ok:
        sent.errors.add("phone", _cannot_add(session, client, existing))
    if not sent.ok or form is None:
        typed = {
            "name": sent.values.get("name", ""),
            "phone": sent.values.get("phone", ""),
            "relationship": sent.values.get("relationship", ""),
            "consent": sent.values.get("consent") == "yes",
            "can_ask": sent.values.get("can_ask") == "yes",
        }
        context = {"errors": sent.errors, **typed}
        return render(request, "account/add-support-person.html", context, status_code=400)
    assert client.profile.id is not None
    link_support_person(
        session=session,
        client_id=client.profile.id,
        name=form.name,
        phone=form.phone,
        relationship=form.relationship,
        existing=existing,
        can_ask_for_changes=form.can_ask == "yes",
        language=client.profile.language,
    )
    return redirect_saying(request, "/account", {"support": "added"})


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
    request: Request,
    link_id: RecordId,
    client: CurrentClientSelf,
    session: SessionDep,
    sent: Annotated[Posted[SupportPermissionsForm], posted(SupportPermissionsForm)],
) -> Response:
    """The client lets a support person ask for changes for them or read their messages, or
    takes either back."""
    link = _own_live_link(session, client, link_id)
    form = chosen(sent)
    set_support_permissions(
        session=session,
        link=link,
        can_ask_for_changes=None if form.can_ask is None else form.can_ask == "yes",
        can_see_messages=None if form.can_see_messages is None else form.can_see_messages == "yes",
    )
    return redirect_saying(request, "/account", {"support": "changed"})


@router.post("/support-people/{link_id}/remove")
def remove_support_person(
    request: Request, link_id: RecordId, client: CurrentClientSelf, session: SessionDep
) -> Response:
    link = _own_live_link(session, client, link_id)
    unlink_support_person(session=session, link=link)
    return redirect_saying(request, "/account", {"support": "removed"})
