"""Phone numbers as people write them."""

from __future__ import annotations

import pytest

from app.core.formatting import uk_phone


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("+447700900138", "07700 900138"),
        ("+44 7700 900138", "07700 900138"),
        ("0300 000 0000", "0300 000 0000"),  # not a mobile we store: shown as written
        ("someone@example.org", "someone@example.org"),
        (None, ""),
        ("", ""),
    ],
)
def test_uk_phone_is_the_national_format(stored: str | None, shown: str) -> None:
    assert uk_phone(stored) == shown
