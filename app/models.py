"""Every domain's tables, imported so SQLModel.metadata is complete (Alembic, tests)."""

from sqlmodel import SQLModel

from app.accounts.models import (
    Invitation,
    Passkey,
    RecoveryCode,
    SignInChallenge,
    SignInFailure,
    WebSession,
)
from app.action_plans.models import ActionPlan, PlanChange, PlanStep
from app.appointments.models import (
    Appointment,
    AppointmentChange,
    AvailabilitySlot,
    CalendarFeed,
    HelpRequest,
    SessionPreference,
    StandingNeed,
)
from app.audit.models import AuditEvent
from app.caseload.models import ClientService, PrivateNote
from app.core.idempotency import FormSubmission
from app.delivery.models import Notification, NotifySendSlot, PushSubscription
from app.messages.check_ins import CheckInReply
from app.messages.models import CallRequest, Message, MessageThread
from app.offices.models import Office, Venue
from app.people.models import (
    Adviser,
    AdviserTask,
    ClientProfile,
    ReminderSettings,
    SupportLink,
    User,
)
from app.rescheduling.models import BusyTime, RescheduleRequest, TimePreference

metadata = SQLModel.metadata

__all__ = [
    "ActionPlan",
    "Adviser",
    "AdviserTask",
    "Appointment",
    "AppointmentChange",
    "AuditEvent",
    "AvailabilitySlot",
    "BusyTime",
    "CalendarFeed",
    "CallRequest",
    "CheckInReply",
    "ClientProfile",
    "ClientService",
    "FormSubmission",
    "HelpRequest",
    "Invitation",
    "Message",
    "MessageThread",
    "Notification",
    "NotifySendSlot",
    "Office",
    "Passkey",
    "PlanChange",
    "PlanStep",
    "PrivateNote",
    "PushSubscription",
    "RecoveryCode",
    "ReminderSettings",
    "RescheduleRequest",
    "SessionPreference",
    "SignInChallenge",
    "SignInFailure",
    "StandingNeed",
    "SupportLink",
    "TimePreference",
    "User",
    "Venue",
    "WebSession",
    "metadata",
]
