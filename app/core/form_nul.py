"""NUL characters in a form.

No person types one, PostgreSQL cannot store one in text and SQLite can. A typed form hears
of it as garbled characters, which its field says kindly, with the page and what was typed
kept (#18 outside-in: a NUL once drew a bare "could not read that" page and the form was
gone). Routes without a typed form refuse it outright, so both databases judge the same
input the same way and nothing is saved (app/guards.py).
"""

from __future__ import annotations

from starlette.datastructures import FormData

NUL = "\x00"
# What a browser sends for bytes that were not UTF-8: the text was garbled on the way.
UNREADABLE = "\ufffd"


def nul_as_unreadable(form: FormData) -> FormData:
    """`form` with every NUL in its text values turned into U+FFFD, the character a browser
    sends for bytes it could not read (files are left as they are). The same object back if
    there is none."""
    if not any(isinstance(value, str) and NUL in value for _name, value in form.multi_items()):
        return form
    return FormData(
        [
            (name, value.replace(NUL, UNREADABLE) if isinstance(value, str) else value)
            for name, value in form.multi_items()
        ]
    )
