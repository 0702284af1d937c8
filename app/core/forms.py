"""Small helpers for HTML forms: collect errors by field, keep what the person typed."""

from __future__ import annotations

from dataclasses import dataclass, field


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
