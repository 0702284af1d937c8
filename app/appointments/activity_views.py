"""The client's page for a course or group booked for them, and its calendar file."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from app.accounts.dependencies import CurrentClient
from app.appointments import ics
from app.appointments.activities import activity_for
from app.appointments.activity_models import Activity
from app.appointments.presenting import activity_calendar_entry
from app.core.db import SessionDep
from app.core.ids import RecordId
from app.core.templating import render
from app.delivery.outbox import settings_for
from app.people.models import DetailLevel

router = APIRouter()


def _own(session: SessionDep, client: CurrentClient, activity_id: int) -> Activity:
    assert client.profile.id is not None
    found = activity_for(session=session, client_id=client.profile.id, activity_id=activity_id)
    if found is None:
        raise HTTPException(status_code=404)
    return found


@router.get("/activities/{activity_id}", response_class=HTMLResponse)
def activity_page(
    request: Request, activity_id: RecordId, client: CurrentClient, session: SessionDep
) -> HTMLResponse:
    """What was booked, who runs it, where, when, how long, what to bring, who to ask."""
    return render(
        request, "appointments/activity.html", {"act": _own(session, client, activity_id)}
    )


def _calendar_entry(session: SessionDep, activity: Activity) -> ics.CalendarEntry:
    detailed = settings_for(session, activity.client_id).detail == DetailLevel.detailed
    return activity_calendar_entry(activity, detailed=detailed)


@router.get("/activities/{activity_id}/calendar.ics")
def activity_calendar(
    activity_id: RecordId, client: CurrentClient, session: SessionDep
) -> Response:
    """The activity as a calendar file, as discreet as an appointment's."""
    entry = _calendar_entry(session, _own(session, client, activity_id))
    return Response(
        ics.calendar([entry]),
        media_type="text/calendar; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="activity-{activity_id}.ics"',
            "Cache-Control": "no-store",
        },
    )


@router.get("/activities/{activity_id}/add-to-calendar", response_class=HTMLResponse)
def add_activity_to_calendar(
    request: Request, activity_id: RecordId, client: CurrentClient, session: SessionDep
) -> HTMLResponse:
    """The same choices as for an appointment: the file, Google, Outlook, the private link."""
    entry = _calendar_entry(session, _own(session, client, activity_id))
    return render(
        request,
        "appointments/add-to-calendar.html",
        {
            "entry": entry,
            "back_url": f"/activities/{activity_id}",
            "file_url": f"/activities/{activity_id}/calendar.ics",
            "google_link": ics.google_link(entry),
            "outlook_link": ics.outlook_link(entry),
            "may_subscribe": not client.is_supporter,
        },
    )
