"""Every domain's tables, imported so SQLModel.metadata is complete (Alembic, tests)."""

from sqlmodel import SQLModel

from app.accounts.models import (
    Invitation,
    RecoveryCode,
    SignInChallenge,
    SupportLink,
    User,
    WebSession,
)
from app.appointments.models import Appointment
from app.audit.models import AuditEvent
from app.caseload.models import Adviser, AdviserTask, ClientProfile
from app.notifications.models import DevOutboxMessage
from app.offices.models import Office, Venue

metadata = SQLModel.metadata

__all__ = [
    "Adviser",
    "AdviserTask",
    "Appointment",
    "AuditEvent",
    "ClientProfile",
    "DevOutboxMessage",
    "Invitation",
    "Office",
    "RecoveryCode",
    "SignInChallenge",
    "SupportLink",
    "User",
    "Venue",
    "WebSession",
    "metadata",
]
