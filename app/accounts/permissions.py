"""What each person may do with a client's record: the one permission model.

Every client route is bound to one of these permissions by its dependency
(`app/accounts/dependencies.py`), and adviser and admin routes by theirs; a test walks every
route as every role against the table in tests/accounts/test_permission_table.py.

A support person is someone the client has linked (a support worker, a relative). The consent
they give is to *see* appointments and the plan; they may ask for changes only when the client
has also ticked "can ask for changes for me", and every such action is recorded as theirs.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from app.people.models import Role

if TYPE_CHECKING:
    from app.accounts.dependencies import ClientContext


class ClientPermission(StrEnum):
    view = "view"  # see appointments, the plan, explainers
    ask_for_changes = "ask-for-changes"  # ask for another time, say "not well enough", ask for help
    read_messages = "read-messages"  # read the message thread with the adviser
    manage = "manage"  # edit the plan, settings, sign-in details, support people, data, closing


def client_may(context: ClientContext, permission: ClientPermission) -> bool:
    """Whether the person signed in may do `permission` to the client's record.

    The client may do anything to their own record. A support person may view while their
    link is live (a revoked link never reaches here), ask for changes or read the messages
    only if the client allowed that, and never manage.
    """
    if context.user.role == Role.client:
        return True
    if context.user.role != Role.supporter or context.link is None:
        return False
    if permission == ClientPermission.view:
        return True
    if permission == ClientPermission.ask_for_changes:
        return context.link.can_ask_for_changes
    if permission == ClientPermission.read_messages:
        return context.link.can_see_messages
    return False
