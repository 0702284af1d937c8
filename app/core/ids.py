"""Record ids in addresses: positive whole numbers that fit the databases' integer columns.

Declared as a path parameter's type (`appointment_id: RecordId`), an id outside that range,
or one that is not a whole number at all, is refused before the handler runs; the app answers
a person's browser with the kind "page not found" (see app/main.py), never a database error.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

# Both SQLite and PostgreSQL keep ids as 32-bit signed integers here (INTEGER / SERIAL).
MAX_ID = 2**31 - 1

RecordId = Annotated[int, Path(gt=0, le=MAX_ID)]
