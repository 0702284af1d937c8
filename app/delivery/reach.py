"""Whether a planned message can reach its person at all, by the same rule the dispatcher
sends by (dispatch.Dispatcher.decide): a page that says "a message is on its way" must not
say it about one the worker will cancel because no way of reaching them is switched on."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.delivery.models import Channel, Notification, PushSubscription
from app.delivery.outbox import settings_for
from app.people.models import ClientProfile


def has_push(session: Session, user_id: int | None) -> bool:
    """Whether this person has a phone or browser subscribed to push messages."""
    if user_id is None:
        return False
    found = session.exec(
        select(PushSubscription.id).where(col(PushSubscription.user_id) == user_id).limit(1)
    ).first()
    return found is not None


def can_reach(session: Session, message: Notification) -> bool:
    """Whether `message` has a way to go: for a client, push switched on with a subscription,
    or texts switched on with a number (an automatic message); a text or email always has its
    address. Messages to people without a client record (staff) are taken as reachable."""
    if message.channel in (Channel.sms, Channel.email):
        return bool(message.recipient)
    profile_id = (
        session.exec(
            select(ClientProfile.id).where(col(ClientProfile.user_id) == message.user_id)
        ).first()
        if message.user_id is not None
        else None
    )
    if profile_id is None:
        return True
    settings = settings_for(session, profile_id)
    pushes = settings.push_on and has_push(session, message.user_id)
    if message.channel == Channel.push:
        return pushes
    return pushes or (settings.sms_on and bool(message.recipient))


def client_can_be_reached(session: Session, profile: ClientProfile) -> bool:
    """Whether anything automatic could reach this client now (the reminder settings' test)."""
    assert profile.id is not None
    settings = settings_for(session, profile.id)
    if settings.push_on and has_push(session, profile.user_id):
        return True
    return settings.sms_on
