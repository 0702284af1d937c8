"""Forms for signing in, accepting an invitation, and choosing support people.

Sign-in fields are bounded so a forged body cannot make the server hash a megabyte; what a
field means (an email, a phone number, a code) is judged by the flows in this package, which
give the kind messages.
"""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from app.accounts.identifiers import normalise_phone
from app.core.forms import FormModel, PlainLine, limit
from app.core.i18n import lazy_gettext
from app.people.models import SupportLink, User

MAX_PASSWORD_CHARS = 200  # a passphrase fits; longer is a forged body, not a person
Yes = Literal["yes"]


def _uk_mobile(value: str) -> str:
    phone = normalise_phone(value)
    if phone is None:
        raise PydanticCustomError("phone_number", "not a UK mobile number")
    return phone


UkMobile = Annotated[str, Field(max_length=30), AfterValidator(_uk_mobile)]
"""A UK mobile number as typed (07700 900 123, +44 7700…), parsed to the stored form +447…."""


class SignInForm(FormModel):
    """A client's phone number or email address, and "keep me signed in"."""

    too_long: ClassVar[dict[str, str]] = {
        "contact": lazy_gettext(
            "Your phone number or email address must be %(limit)s characters or fewer"
        ),
    }

    problems: ClassVar[dict[str, str]] = {
        "contact": lazy_gettext("Enter your mobile phone number or email address"),
    }

    contact: Annotated[str, limit(User, "email"), PlainLine] = ""
    keep_signed_in: Yes | None = None


class CodeForm(FormModel):
    """A code from a text message, an authenticator app, or a recovery code."""

    too_long: ClassVar[dict[str, str]] = {
        "code": lazy_gettext("The code must be %(limit)s characters or fewer"),
    }

    problems: ClassVar[dict[str, str]] = {
        "code": lazy_gettext("Enter the code from your message"),
    }

    code: Annotated[str, Field(max_length=40)] = ""


class SignOutForm(FormModel):
    """Sign out here, or everywhere."""

    everywhere: Yes | None = None


class StaffSignInForm(FormModel):
    """An adviser's or administrator's work email and password."""

    too_long: ClassVar[dict[str, str]] = {
        "email": lazy_gettext("Your email address must be %(limit)s characters or fewer"),
        "password": lazy_gettext("Your password must be %(limit)s characters or fewer"),
    }

    problems: ClassVar[dict[str, str]] = {
        "email": lazy_gettext("Enter your work email address"),
        "password": lazy_gettext("Enter your password"),
    }

    email: Annotated[str, limit(User, "email"), PlainLine] = ""
    password: Annotated[str, Field(max_length=MAX_PASSWORD_CHARS)] = ""


class InvitationForm(FormModel):
    """Accepting an invitation: a client's name and contact, or a staff member's password."""

    too_long: ClassVar[dict[str, str]] = {
        "preferred_name": lazy_gettext(
            "The name you would like us to use must be %(limit)s characters or fewer"
        ),
        "email": lazy_gettext("Your email address must be %(limit)s characters or fewer"),
        "password": lazy_gettext("Your password must be %(limit)s characters or fewer"),
    }

    problems: ClassVar[dict[str, str]] = {
        "contact": lazy_gettext("Choose how we contact you"),
        "password": lazy_gettext("Enter a password of 200 characters or fewer"),
    }

    preferred_name: Annotated[str, limit(User, "preferred_name"), PlainLine] = ""
    contact: Literal["text", "email"] = "text"
    email: Annotated[str, limit(User, "email"), PlainLine] = ""
    password: Annotated[str, Field(max_length=MAX_PASSWORD_CHARS)] = ""


class SupportPersonForm(FormModel):
    """Someone the client lets see their appointments and plan."""

    too_long: ClassVar[dict[str, str]] = {
        "name": lazy_gettext("Their name must be %(limit)s characters or fewer"),
        "phone": lazy_gettext("The phone number must be %(limit)s characters or fewer"),
        "relationship": lazy_gettext("How they help you must be %(limit)s characters or fewer"),
    }

    problems: ClassVar[dict[str, str]] = {
        "name": lazy_gettext("Enter their name"),
        "phone": lazy_gettext("Enter a UK mobile number, like 07700 900 123"),
        "relationship": lazy_gettext("Enter how they help you, like support worker or sister"),
        "consent": lazy_gettext("Tick the box if you are happy for them to see these things"),
        "can_ask": lazy_gettext("Choose from the options listed"),
    }

    name: Annotated[str, limit(User, "full_name"), Field(min_length=1), PlainLine]
    phone: UkMobile
    relationship: Annotated[str, limit(SupportLink, "relationship"), Field(min_length=1), PlainLine]
    consent: Yes
    can_ask: Yes | None = None


class SupportPermissionsForm(FormModel):
    """What a support person may do beyond looking: each button sends one of these."""

    can_ask: Literal["yes", "no"] | None = None
    can_see_messages: Literal["yes", "no"] | None = None
