"""HTML forms: typed form classes, errors by field in the person's language, input kept."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Annotated, Any, ClassVar, Generic, TypeVar, get_args, get_origin

from fastapi import Depends, HTTPException, Request
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError
from sqlmodel import SQLModel
from starlette.datastructures import FormData
from starlette.requests import ClientDisconnect

from app.core.clock import london_today
from app.core.form_nul import UNREADABLE, nul_as_unreadable
from app.core.i18n import gettext as _
from app.core.i18n import lazy_gettext
from app.core.ids import MAX_ID, canonical_id

FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def is_form(request: Request) -> bool:
    """Whether the request's body is an HTML form (media types are case-insensitive)."""
    return request.headers.get("content-type", "").strip().lower().startswith(FORM_CONTENT_TYPES)


@dataclass
class FormErrors:
    """Field name -> message, in the order the fields appear on the page."""

    messages: dict[str, str] = field(default_factory=dict)

    def add(self, name: str, message: str) -> None:
        """Record the first problem with a field (an empty message records nothing)."""
        if message:
            self.messages.setdefault(name, message)

    def __bool__(self) -> bool:
        return bool(self.messages)


# The longest answer any form takes is 5,000 characters; even in 4-byte characters, sent
# percent-encoded, with every other field, a real form is far below this. The same bound holds
# for every body (a passkey answer or a push subscription is a few kilobytes).
MAX_FORM_BYTES = 256 * 1024


async def refuse_oversized_forms(request: Request) -> None:
    """Refuse any request body over `MAX_FORM_BYTES` before anything reads it (HTTPException
    413: the kind "too long" page, which says so and sends the person back to what they typed).

    Browsers always say how long a body is; a body without a length (chunked) is refused
    (411) rather than read into memory without a bound.
    """
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    length = request.headers.get("content-length")
    if length is None:
        if "transfer-encoding" in request.headers:
            raise HTTPException(status_code=411, detail="unreadable")
        return  # no body at all
    if not (length.isascii() and length.isdigit()):
        raise HTTPException(status_code=411, detail="unreadable")
    if int(length) > MAX_FORM_BYTES:
        raise HTTPException(status_code=413, detail="too-long")
    try:
        await request.body()  # bounded now; kept for the form and JSON readers after this
    except ClientDisconnect:  # the sender gave up before the length it promised
        raise HTTPException(status_code=400, detail="unreadable") from None


def column_limit(model: type[SQLModel], field: str) -> int:
    """The most characters a field's column holds: the one place a length limit is set, read
    by the forms so they refuse what a database would (PostgreSQL enforces it, SQLite not)."""
    column_type = model.__table__.columns[field].type  # type: ignore[attr-defined]
    length = getattr(column_type, "length", None)  # String, or SQLModel's AutoString
    assert isinstance(length, int) and length > 0, f"{field} has no length"
    return length


# --- Typed forms -------------------------------------------------------------------------
#
# Every form is a `FormModel`: a pydantic class that parses, bounds and checks each field.
# A handler takes one `Posted[TheForm]` (via `posted(TheForm)`), which holds the parsed form
# when it is good, the errors in the person's language when it is not, and what they typed so
# the page can show it again. Nothing in a handler parses a raw string.

F = TypeVar("F", bound="FormModel")
M = TypeVar("M", bound=BaseModel)

FIRST_YEAR, LAST_YEAR = 2000, 2100  # dates outside these are typing slips, not plans
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
CLOCK_TIME = re.compile(r"[0-9]{2}:[0-9]{2}(:[0-9]{2})?")
# Characters no one types into a form: control characters (a line break is one only where a
# field is a single line) and the bidirectional overrides that can make text read backwards.
# Zero-width joiners (U+200C, U+200D) stay: emoji and some scripts are made with them.
HIDDEN_CHARACTERS = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f"
    "\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)
LINE_BREAKS = re.compile("[\r\n\u2028\u2029]")


# Categories that draw nothing on their own: spaces, separators, format and control
# characters (U+200D), and marks with nothing to sit on (a lone variation selector).
_INVISIBLE_CATEGORIES = ("Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me")


def has_visible_characters(value: str) -> bool:
    """Whether any character of `value` shows on a screen (not just spaces or joiners)."""
    return any(unicodedata.category(char) not in _INVISIBLE_CATEGORIES for char in value)


def _shown_and_readable(value: str) -> None:
    if UNREADABLE in value:
        raise PydanticCustomError("unreadable_characters", "garbled characters")
    if value and not has_visible_characters(value):
        raise PydanticCustomError("no_visible_characters", "nothing visible")


def _plain_line(value: str) -> str:
    if HIDDEN_CHARACTERS.search(value) or LINE_BREAKS.search(value) or "\t" in value:
        raise PydanticCustomError("hidden_characters_line", "hidden characters")
    _shown_and_readable(value)
    return value


def _plain_text(value: str) -> str:
    if HIDDEN_CHARACTERS.search(value):
        raise PydanticCustomError("hidden_characters", "hidden characters")
    _shown_and_readable(value)
    return value


PlainLine = AfterValidator(_plain_line)
"""One line of text (a name, a title): no line breaks, control or direction characters."""

PlainText = AfterValidator(_plain_text)
"""Text that may run over lines (details, a note): no control or direction characters."""


def _iso_date(value: object) -> object:
    if isinstance(value, str):
        if not ISO_DATE.fullmatch(value.strip()):  # not 20261205 or 2026-W49-1 either
            raise PydanticCustomError("date_parsing", "not a date")
        try:
            parsed = date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("date_parsing", "not a date") from None
        if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
            raise PydanticCustomError("date_parsing", "not a likely date")
        return parsed
    return value


def _clock_time(value: object) -> object:
    if isinstance(value, str):
        text = value.strip()
        # "10:00" or "10:00:00", nothing else: not seconds since midnight (pydantic alone),
        # nor "1000Z", "T1000" or "10:00+01" (Python's fromisoformat).
        if not CLOCK_TIME.fullmatch(text):
            raise PydanticCustomError("time_parsing", "not a time")
        try:
            return time.fromisoformat(text)
        except ValueError:
            raise PydanticCustomError("time_parsing", "not a time") from None
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A date typed as 2026-12-01 (what `<input type=date>` sends), between 2000 and 2100."""

# Day, month and year as people write them: "23 12 2026", "23/12/2026", "23-12-2026".
DAY_MONTH_YEAR = re.compile(r"([0-9]{1,2})\s*[ /.-]\s*([0-9]{1,2})\s*[ /.-]\s*([0-9]{4})")


def _day_month_year(value: object) -> object:
    if isinstance(value, str):
        found = DAY_MONTH_YEAR.fullmatch(value.strip())
        if found:
            day, month, year = (int(part) for part in found.groups())
            try:
                value = date(year, month, day).isoformat()
            except ValueError:
                raise PydanticCustomError("date_parsing", "not a date") from None
    return _iso_date(value)


DayDate = Annotated[date, BeforeValidator(_day_month_year)]
"""A date typed as day, month and year ("23 12 2026", the GOV.UK way to write one), or as
2026-12-23 (what a date picker or an older page sends), between 2000 and 2100."""


def read_day(text: str) -> date | None:
    """A `DayDate` read from text, or None when it is not a real date."""
    try:
        day = _day_month_year(text)
    except PydanticCustomError:
        return None
    return day if isinstance(day, date) else None


EXAMPLE_DAYS_AHEAD = 30


def example_iso_day() -> str:
    """A real date a month from today as a date picker sends one: "2027-01-02"."""
    return (london_today() + timedelta(days=EXAMPLE_DAYS_AHEAD)).isoformat()


def example_day() -> str:
    """A real date a month from today written as a person types one: "1 1 2027" (an example
    that is already past, or in a format no one writes, would confuse more than help)."""
    day = london_today() + timedelta(days=EXAMPLE_DAYS_AHEAD)
    return f"{day.day} {day.month} {day.year}"


def typed_day(value: str) -> str:
    """A stored 2026-12-23 as the field shows it ("23 12 2026"); anything else as it is."""
    try:
        day = date.fromisoformat(value) if ISO_DATE.fullmatch(value) else None
    except ValueError:
        day = None
    return f"{day.day} {day.month} {day.year}" if day else value


ClockTime = Annotated[time, BeforeValidator(_clock_time)]
"""A time of day typed as 10:00 (what `<input type=time>` and our time lists send)."""

FormId = Annotated[int, BeforeValidator(canonical_id), Field(gt=0, le=MAX_ID)]
"""A record id sent in a form (a chosen slot, adviser, ...): a positive 32-bit integer in its
one canonical spelling ("185", never "185.0", "0185", "+185" or "1_85"), as in addresses."""


def limit(model: type[SQLModel], column: str) -> Any:
    """A one-line text field's bound: as many characters as the database column holds
    (`column_limit`)."""
    return Field(max_length=column_limit(model, column))


class FormModel(BaseModel):
    """A form's fields, typed and bounded.

    `problems` maps a field to the message shown for any problem with it except length (a
    date field's may say "%(example)s": a real date a month ahead, as the field takes one),
    `too_long` to the message for a length over the limit, and `missing` to the message for
    one left empty (all marked with `lazy_gettext`, translated when shown). A date that does
    not exist (29 2 2027) is said to be one, whatever the field. Strings are trimmed; an empty field that
    is not text counts as not given, so its default applies. `check` adds rules that join
    fields (an end after a start) once every field has parsed.
    """

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, frozen=True)

    problems: ClassVar[dict[str, str]] = {}
    # Field -> "<what it is> must be %(limit)s characters or fewer": the limit said by name,
    # so the error summary tells which answer is too long.
    too_long: ClassVar[dict[str, str]] = {}
    # Field -> the message when it was left empty ("Enter the date"), where `problems`' words
    # (about its format or range) would not fit an empty answer.
    missing: ClassVar[dict[str, str]] = {}

    def check(self, errors: FormErrors) -> None:
        """Rules across fields; add to `errors`. Runs only when every field parsed."""


@dataclass
class Posted(Generic[F]):
    """A sent form: `form` when every field is good, else `errors`; `values` as typed."""

    values: dict[str, Any]
    errors: FormErrors
    form: F | None = None

    @property
    def ok(self) -> bool:
        return self.form is not None and not self.errors

    def valid(self) -> F:
        """The parsed form; call only after checking `ok` (AssertionError otherwise)."""
        assert self.form is not None and not self.errors
        return self.form


def _is_list(annotation: object) -> bool:
    return get_origin(annotation) in (list, tuple, set) or annotation in (list, tuple, set)


def _is_text(annotation: object) -> bool:
    return annotation is str or (
        get_origin(annotation) is Annotated and get_args(annotation)[0] is str
    )


_CHECK_THIS = lazy_gettext("Check this answer")
_ENTER_FEWER = lazy_gettext("Enter %(limit)s characters or fewer")
_GENERIC_PROBLEMS: dict[str, str] = {
    "missing": lazy_gettext("Answer this question"),
    "string_too_short": lazy_gettext("Answer this question"),
    "literal_error": lazy_gettext("Choose one of the options"),
    "enum": lazy_gettext("Choose one of the options"),
    "time_parsing": lazy_gettext("Enter a real time, like 10:00"),
}


def within(earliest: int, latest: int) -> Any:
    """A date field's window in days from today (London): `within(-730, 90)` is two years
    ago to three months ahead. A date outside is a typing slip (2020 for 2026), refused with
    the field's message before it can show as "Wednesday 1 January" next to real dates."""

    def check(day: date | None) -> date | None:
        if day is not None:
            offset = (day - london_today()).days
            if not earliest <= offset <= latest:
                raise PydanticCustomError("date_window", "not a likely date")
        return day

    return AfterValidator(check)


def _date_example(model: type[FormModel], name: str) -> str:
    """A real date a month ahead, written as the field `name` takes one: "2 1 2027" for a
    day-month-year field (DayDate), "2027-01-02" for a date picker's (IsoDate)."""
    field = model.model_fields.get(name)
    metadata = field.metadata if field is not None else []
    typed_by_people = any(
        getattr(item, "func", None) is _day_month_year for item in metadata
    ) or "_day_month_year" in repr(field.annotation if field else "")
    return example_day() if typed_by_people else example_iso_day()


def _message(model: type[FormModel], name: str, error: ErrorDetails) -> str:
    kind = error["type"]
    context = error.get("ctx", {})
    if kind == "hidden_characters_line":  # one line: a line break is a problem here
        return _("Remove line breaks and hidden formatting characters")
    if kind == "hidden_characters":  # text over lines: line breaks are fine
        return _("Remove hidden formatting characters")
    if kind == "unreadable_characters":
        return _("Some of the characters could not be read. Check the words and type them again")
    if kind == "no_visible_characters":
        if name in model.problems:
            return _(model.problems[name])
        return _("Type some words, or leave this empty")
    if kind == "string_too_long":
        message = model.too_long.get(name, _ENTER_FEWER)
        return _(message) % {"limit": f"{context['max_length']:,}"}
    if kind == "date_parsing":  # 29 2 2027, 31 4, or not a date at all: not "out of range"
        return _("Enter a real date, like %(example)s") % {"example": _date_example(model, name)}
    if kind == "missing" and name in model.missing:
        return _(model.missing[name])
    if name in model.problems:
        # A date's example is a month ahead of the day it is shown, never one gone by.
        return _(model.problems[name]) % {"example": _date_example(model, name)}
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _("Enter a number in the range allowed")
    if kind.startswith(("int_", "float_")):
        return _("Enter a whole number, like 4")
    return _(_GENERIC_PROBLEMS.get(kind, _CHECK_THIS))


def parse_form(model: type[F], raw: FormData) -> Posted[F]:
    """Parse a sent form (`request.form()`) into `model`: never raises for any input.

    A field sent twice counts once (its first value); a list field takes every value; files
    are ignored (no form here takes one).
    """
    data: dict[str, Any] = {}
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        sent = [v for v in raw.getlist(name) if isinstance(v, str)]
        if _is_list(info.annotation):
            data[name] = values[name] = sent
            continue
        if not sent:
            continue
        values[name] = sent[0]
        if sent[0].strip() or _is_text(info.annotation):
            data[name] = sent[0]
    errors = FormErrors()
    try:
        form = model.model_validate(data)
    except ValidationError as problem:
        for error in problem.errors():
            name = str(error["loc"][0]) if error["loc"] else ""
            errors.add(name, _message(model, name, error))
        return Posted(values=values, errors=errors)
    form.check(errors)
    return Posted(values=values, errors=errors, form=form)


def posted(model: type[F]) -> Any:
    """A route parameter's `Depends`: the request's form parsed into `model` (a `Posted`).

    The form was already read for the CSRF check, so this costs no second read. The guard test
    over every route finds a route's form class through `form_model` on the dependency.
    """

    async def read(request: Request) -> Posted[F]:
        return parse_form(model, nul_as_unreadable(await request.form()))

    read.form_model = model  # type: ignore[attr-defined]
    return Depends(read)


def form_model_of(route: object) -> type[FormModel] | None:
    """The form class a route reads through `posted()`, if it reads one."""
    dependant = getattr(route, "dependant", None)
    pending = list(dependant.dependencies) if dependant is not None else []
    while pending:
        dependency = pending.pop()
        model = getattr(dependency.call, "form_model", None)
        if model is not None:
            return model  # type: ignore[no-any-return]
        pending.extend(dependency.dependencies)
    return None


def longest_answer(route: object) -> int | None:
    """The most characters any answer a person types on a route's form may have (its
    `too_long` fields, else every bounded one), or None if the route reads no form: what the
    "too long" page says, so it never states another form's limit."""
    model = form_model_of(route)
    if model is None:
        return None
    typed = set(model.too_long) or set(model.model_fields)
    limits = [
        rule.max_length
        for name, info in model.model_fields.items()
        if name in typed
        for rule in info.metadata
        if isinstance(getattr(rule, "max_length", None), int)
    ]
    return max(limits, default=None)


def chosen(sent: Posted[F]) -> F:
    """The parsed form of a form made only of buttons and fixed choices (no typing).

    Such a form can only be wrong if it was forged or is out of date, so there is nothing to
    show again: a wrong one is the kind 400 page (HTTPException 400), and nothing changes.
    """
    if not sent.ok:
        raise HTTPException(status_code=400, detail="unreadable")
    return sent.valid()


# --- JSON bodies (the few fetch-only routes) ----------------------------------------------


async def read_json(request: Request) -> Any:
    """The request's JSON body, or None if it is not JSON the app can use: not sent as JSON,
    not well formed, nested too deeply to read, or holding text no database can store (a lone
    surrogate). Read here, after the size, CSRF and sign-in checks, never by FastAPI before them.
    """
    media_type = request.headers.get("content-type", "").strip().lower()
    if not media_type.startswith("application/json"):
        return None
    try:
        body = await request.json()
        json.dumps(body, ensure_ascii=False).encode("utf-8")
    except (ValueError, RecursionError, UnicodeError):
        return None
    return body


def json_of(model: type[M]) -> Any:
    """A route parameter's `Depends`: the JSON body parsed into `model` (HTTPException 400,
    a JSON or page answer by the caller's Accept, if it is anything else)."""

    async def read(request: Request) -> M:
        try:
            return model.model_validate(await read_json(request))
        except ValidationError:
            raise HTTPException(status_code=400, detail="unreadable") from None

    return Depends(read)
