"""Admins add advisers (by email invitation) and move clients between caseloads."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import col, select

from app.accounts.dependencies import CurrentAdmin
from app.accounts.identifiers import normalise_email
from app.accounts.invitations import send_invitation
from app.admin.forms import AdviserForm, ReassignForm
from app.audit.service import record
from app.core.db import SessionDep
from app.core.forms import FormErrors, Posted, posted
from app.core.i18n import gettext as _
from app.core.ids import RecordId
from app.core.templating import render
from app.delivery.models import NotificationKind
from app.delivery.outbox import settings_for
from app.offices.models import Office
from app.people.models import Adviser, ClientProfile, DetailLevel, Role, User
from app.reminders.planner import tell_client
from app.reminders.wording import NEW_ADVISER, NEW_ADVISER_DETAILED

router = APIRouter(prefix="/admin")


def _advisers(session: SessionDep) -> list[tuple[Adviser, User]]:
    return list(
        session.exec(
            select(Adviser, User)
            .join(User, col(User.id) == col(Adviser.user_id))
            .order_by(col(User.full_name))
        ).all()
    )


def _page(
    request: Request,
    session: SessionDep,
    errors: FormErrors,
    form: dict[str, str],
    status_code: int = 200,
) -> HTMLResponse:
    clients = session.exec(
        select(ClientProfile, User)
        .join(User, col(User.id) == col(ClientProfile.user_id))
        .order_by(col(User.full_name))
    ).all()
    return render(
        request,
        "admin/index.html",
        {
            "advisers": _advisers(session),
            "clients": clients,
            "errors": errors,
            "form": form,
        },
        status_code=status_code,
    )


@router.get("", response_class=HTMLResponse)
def admin(request: Request, admin: CurrentAdmin, session: SessionDep) -> HTMLResponse:
    return _page(request, session, FormErrors(), {})


@router.post("/advisers", response_class=HTMLResponse)
def add_adviser(
    request: Request,
    admin: CurrentAdmin,
    session: SessionDep,
    sent: Annotated[Posted[AdviserForm], posted(AdviserForm)],
) -> Response:
    errors = sent.errors
    form = sent.form
    normalised = normalise_email(sent.values.get("email", ""))
    if normalised is None:
        errors.add("email", _("Enter a work email address"))
    elif session.exec(select(User).where(User.email == normalised)).first():  # not NULL: checked
        errors.add("email", _("Someone already uses this email address"))
    office = session.exec(select(Office).order_by(col(Office.id))).first()
    if office is None:
        errors.add("full_name", _("Add an office first"))
    if errors or form is None:
        return _page(request, session, errors, sent.values, 400)
    assert office is not None and office.id is not None
    user = User(role=Role.adviser, full_name=form.full_name, email=normalised)
    session.add(user)
    session.flush()
    assert user.id is not None
    session.add(Adviser(user_id=user.id, office_id=office.id))
    send_invitation(session=session, user=user, created_by=admin.user)
    record(
        session=session,
        action="adviser.created",
        actor_role=Role.admin,
        actor_user_id=admin.user.id,
        detail={"adviser_user_id": user.id},
    )
    return RedirectResponse("/admin", status_code=303)


@router.post("/clients/{client_id}/adviser")
def reassign_client(
    request: Request,
    client_id: RecordId,
    admin: CurrentAdmin,
    session: SessionDep,
    sent: Annotated[Posted[ReassignForm], posted(ReassignForm)],
) -> Response:
    if not sent.ok:
        return _page(request, session, sent.errors, {}, 400)
    profile = session.get(ClientProfile, client_id)
    adviser = session.get(Adviser, sent.valid().adviser_id)
    if profile is None or adviser is None:
        raise HTTPException(status_code=404)
    previous = profile.adviser_id
    profile.adviser_id = adviser.id
    session.add(profile)
    new_adviser = session.get(User, adviser.user_id)
    if previous != adviser.id and new_adviser is not None:
        # History stays with the client; they are told who they will see from now on.
        detailed = settings_for(session, client_id).detail == DetailLevel.detailed
        tell_client(
            session,
            profile,
            NEW_ADVISER_DETAILED if detailed else NEW_ADVISER,
            {"name": new_adviser.display_name},
            kind=NotificationKind.adviser_changed,
        )
    record(
        session=session,
        action="client.reassigned",
        actor_role=Role.admin,
        actor_user_id=admin.user.id,
        client_id=profile.id,
        detail={"from_adviser_id": previous, "to_adviser_id": adviser.id},
    )
    return RedirectResponse("/admin", status_code=303)
