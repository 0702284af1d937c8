"""The client's appointment forms: help asked for before an appointment, and the help they keep
for every appointment (standing needs) with group or one-to-one sessions."""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator

from app.appointments.models import HelpKind, HelpRequest, SessionFormat
from app.core.forms import FormErrors, FormModel, PlainLine, limit
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext


class HelpForm(FormModel):
    """Kinds of help wanted, with the interpreter's language and the companion's name."""

    too_long: ClassVar[dict[str, str]] = {
        "interpreter_language": lazy_gettext("The language must be %(limit)s characters or fewer"),
        "companion_name": lazy_gettext("Their name must be %(limit)s characters or fewer"),
    }

    problems: ClassVar[dict[str, str]] = {"kinds": lazy_gettext("Choose from the help listed")}

    kinds: tuple[HelpKind, ...] = ()
    interpreter_language: Annotated[str, limit(HelpRequest, "detail"), PlainLine] = ""
    companion_name: Annotated[str, limit(HelpRequest, "detail"), PlainLine] = ""
    # Ticked: for this appointment only. Otherwise the help is kept for the next ones too.
    only_this_time: Literal["yes"] | None = None

    def check(self, errors: FormErrors) -> None:
        if not self.kinds:
            errors.add("kinds", _("Choose the help you would like"))
        self.check_details(errors)

    def check_details(self, errors: FormErrors) -> None:
        """A ticked interpreter or companion needs its language or name: without it the
        adviser reads "Interpreter needed" and cannot arrange one."""
        if HelpKind.interpreter in self.kinds and not self.interpreter_language:
            errors.add("interpreter_language", _("Enter the language you would like"))
        if HelpKind.companion in self.kinds and not self.companion_name:
            errors.add("companion_name", _("Enter the name of the person coming with you"))

    def detail(self, kind: HelpKind) -> str | None:
        """What goes with a kind of help: the language, the name, or nothing."""
        detail = {
            HelpKind.interpreter: self.interpreter_language,
            HelpKind.companion: self.companion_name,
        }.get(kind)
        return detail or None


_FINGERPRINT = re.compile(r"[0-9a-f]{16}")


def fingerprint_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) and _FINGERPRINT.fullmatch(value) else None


Fingerprint = Annotated[str | None, BeforeValidator(fingerprint_or_none)]


class NeedsForm(HelpForm):
    """The help a client keeps for every appointment (none is a fine answer), and whether they
    prefer group or one-to-one sessions for courses."""

    problems: ClassVar[dict[str, str]] = {
        "kinds": lazy_gettext("Choose from the help listed"),
        "session_format": lazy_gettext("Choose from the options listed"),
    }

    session_format: SessionFormat | None = None
    # What the page showed (needs.fingerprint); anything else, or nothing, counts as a page
    # that showed no needs at all, so it can never quietly replace needs it did not show.
    shown: Fingerprint = None

    def check(self, errors: FormErrors) -> None:
        """Keeping nothing is allowed: it means "no help needed"."""
        self.check_details(errors)

    def wanted(self) -> dict[HelpKind, str | None]:
        """{kind: its language or name} for each kind ticked."""
        return {kind: self.detail(kind) for kind in dict.fromkeys(self.kinds)}
