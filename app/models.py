"""Every domain's tables, imported so SQLModel.metadata is complete (Alembic, tests)."""

from sqlmodel import SQLModel

from app.accounts.models import User
from app.appointments.models import Appointment
from app.audit.models import AuditEvent
from app.caseload.models import Adviser, ClientProfile
from app.offices.models import Office, Venue

metadata = SQLModel.metadata

__all__ = [
    "Adviser",
    "Appointment",
    "AuditEvent",
    "ClientProfile",
    "Office",
    "User",
    "Venue",
    "metadata",
]
