"""One Jinja2 environment: our templates, GOV.UK Frontend macros, i18n and date filters."""

from __future__ import annotations

from collections.abc import MutableMapping
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    pass_context,
)
from jinja2.runtime import Context
from markupsafe import Markup
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import HTMLResponse

from app.core import formatting, i18n
from app.core.assets import asset_url
from app.core.clock import london_today, utcnow
from app.core.config import PROJECT_ROOT, get_settings
from app.core.csrf import csrf_token_for
from app.core.done_links import said
from app.core.forms import example_day, example_iso_day, typed_day
from app.core.idempotency import new_form_token
from app.core.navigation import navigation_for
from app.core.welsh import DatePhrase

TEMPLATES_DIR = PROJECT_ROOT / "app" / "templates"


def error_for(errors: object, name: str) -> dict[str, str] | None:
    """A field's `errorMessage` for a GOV.UK macro (`{"text": ...}`), or None if it has none.

    `errors` is a `FormErrors`, a plain dict of messages, or nothing (a page without a form).
    """
    messages = getattr(errors, "messages", errors)
    message = messages.get(name) if isinstance(messages, dict) else None
    # The hidden word before the message, in the page's language ("Gwall" in Welsh).
    hidden = i18n.gettext("Error:").rstrip(":")
    return {"text": message, "visuallyHiddenText": hidden} if message else None


class _SafeDatePhrase(Markup, DatePhrase):
    """A Welsh weekday's name from a template's `_("Tuesday")`: safe markup that is still a
    phrase Welsh mutates when it is dropped into a sentence ("Bob dydd Mawrth"); as plain
    Markup it lost that and read "Bob Dydd Mawrth"."""

    __slots__ = ()


def _filled(context: Context, sentence: str, variables: dict[str, Any]) -> str:
    # Always a format string, even with no variables, as Jinja's own newstyle gettext does.
    ready, values = i18n.fill(sentence, variables)
    if context.eval_ctx.autoescape:
        # The sentence is ours (the catalogue); the values are escaped by Markup.__mod__.
        filled = Markup(ready) % values  # noqa: S704
        if not variables and isinstance(sentence, DatePhrase):
            return _SafeDatePhrase(filled)
        return filled
    return ready % values


@pass_context
def _template_gettext(context: Context, message: str, **variables: Any) -> str:
    return _filled(context, i18n.gettext(message), variables)


@pass_context
def _template_ngettext(
    context: Context, singular: str, plural: str, num: int, **variables: Any
) -> str:
    variables.setdefault("num", num)
    return _filled(context, i18n.ngettext(singular, plural, num), variables)


@pass_context
def _template_pgettext(
    context: Context, message_context: str, message: str, **variables: Any
) -> str:
    return _filled(context, i18n.pgettext(message_context, message), variables)


class _PageEnvironment(Environment):
    """Jinja's Environment, with each template's globals in one plain dict.

    Every GOV.UK macro imports another template when it is called, and each such import
    compares the page's globals with the imported template's (jinja2's
    Template._get_default_module): against Jinja's ChainMap that comparison was a fifteenth
    of a client's home page. A dict gives the same answers faster. The catch (why Jinja
    chains them) is that a global added to the environment after a template is loaded
    would not reach it: every global here is set when the environment is built."""

    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        return {**self.globals, **(d or {})}


def _build_environment() -> Environment:
    env = _PageEnvironment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(str(TEMPLATES_DIR)),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=get_settings().template_reload,
    )
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    # Jinja's own newstyle callables fill placeholders with a plain `%`; ours first let Welsh
    # mutate the words dropped into a sentence ("tan ddydd Llun", "yng Nghanolfan…").
    env.globals["gettext"] = _template_gettext
    env.globals["ngettext"] = _template_ngettext
    env.globals["pgettext"] = _template_pgettext
    env.globals["asset_url"] = asset_url
    env.globals["new_form_token"] = new_form_token
    env.globals["error_for"] = error_for
    env.globals["service_name"] = get_settings().service_name
    env.globals["example_day"] = example_day  # a real date a month ahead, "1 1 2027"
    env.globals["example_iso_day"] = example_iso_day  # the same, as a date picker sends it
    env.globals["said"] = said  # what the redirect here says was just done (done_links)
    env.filters["typed_day"] = typed_day
    env.globals["london_today"] = london_today  # "you start work on…" versus "you started"
    env.filters["human_date"] = formatting.human_date
    env.filters["human_time"] = formatting.human_time
    env.filters["human_datetime"] = formatting.human_datetime
    env.filters["human_datetimes"] = formatting.human_datetimes
    env.filters["iso_day"] = formatting.iso_day
    env.filters["hour_label"] = formatting.hour_label
    env.filters["phone"] = formatting.uk_phone
    env.filters["weekday_list"] = formatting.weekday_list
    return env


@lru_cache
def get_templates() -> Jinja2Templates:
    return Jinja2Templates(env=_build_environment())


def _nav_counts(request: Request) -> dict[str, int]:
    """Numbers for header links, from a callable a request dependency left on the request
    (app/caseload/inbox.py: unread messages). Worked out now, after the handler's changes; an
    error page drawn once the database session has gone shows none."""
    counter = getattr(request.state, NAV_COUNTS, None)
    if not callable(counter):
        return {}
    try:
        counts: dict[str, int] = counter()
    except SQLAlchemyError:
        return {}
    return counts


# The request.state attribute holding that callable.
NAV_COUNTS = "nav_counts"


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """Render a page with what every layout needs: language, current path, language switch."""
    language = i18n.current_language()
    viewer = getattr(request.state, "viewer", None)
    full = {
        "lang": language,
        "current_path": request.url.path,
        "csrf_token": csrf_token_for(request),
        "viewer": viewer,
        "nav_items": navigation_for(viewer, _nav_counts(request)),
        "is_development": get_settings().is_development,
        # When this copy was made: the "last updated" time if it is later shown offline.
        "now": utcnow(),
        **(context or {}),
    }
    return get_templates().TemplateResponse(request, template, full, status_code=status_code)
