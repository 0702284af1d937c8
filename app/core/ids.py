"""Record ids in addresses: positive whole numbers that fit the databases' integer columns.

Declared as a path parameter's type (`appointment_id: RecordId`), an id outside that range,
or one that is not a whole number at all, is refused before the handler runs; the app answers
a person's browser with the kind "page not found" (see app/main.py), never a database error.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from fastapi import Path
from pydantic import BeforeValidator

# Both SQLite and PostgreSQL keep ids as 32-bit signed integers here (INTEGER / SERIAL).
MAX_ID = 2**31 - 1

_CANONICAL = re.compile(r"[1-9][0-9]{0,9}")


def canonical_id(value: Any) -> Any:
    """An id as written in an address must be its one canonical spelling: "17", not "17.0",
    "017", "+17" or "１７" (which int() would read as 17). One record has one address, so
    caches, audit lines and the offline copy never hold the same page twice. Forms use it
    too (`FormId`): a time chosen as "185.0" or "1_85" is not quietly read as 185.

    Raises ValueError for any other spelling; values that are already ints pass through."""
    if isinstance(value, str) and not _CANONICAL.fullmatch(value):
        raise ValueError("not a record id")
    return value


RecordId = Annotated[int, BeforeValidator(canonical_id), Path(gt=0, le=MAX_ID)]
