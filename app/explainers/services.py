"""The services directory: community, voluntary and national services, read from services.yaml."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import yaml

from app.explainers.content import CONTENT_DIR, ContentError

SERVICES_FILE = CONTENT_DIR / "services.yaml"

# The filter shows categories in this order; their names live in the template.
CATEGORIES = (
    "counselling",
    "talking-therapies",
    "peer-support",
    "debt-and-budgeting",
    "housing",
    "carers",
)


@dataclass(frozen=True)
class Service:
    slug: str
    names: dict[str, str]
    category: str
    area: str
    phone: str
    website: str | None
    hours: dict[str, str]
    descriptions: dict[str, str]
    national: bool

    @property
    def tel(self) -> str:
        """The phone number for a tel: link: digits only."""
        return "".join(character for character in self.phone if character.isdigit())

    def name(self, language: str) -> str:
        return self.names.get(language) or self.names["en"]

    def hours_in(self, language: str) -> str:
        return self.hours.get(language) or self.hours["en"]

    def description(self, language: str) -> str:
        return self.descriptions.get(language) or self.descriptions["en"]


def _service(entry: dict[str, object]) -> Service:
    try:
        category = str(entry["category"])
        if category not in CATEGORIES:
            raise ContentError(f"service {entry.get('slug')}: unknown category '{category}'")
        return Service(
            slug=str(entry["slug"]),
            names={"en": str(entry["name_en"]), "cy": str(entry["name_cy"])},
            category=category,
            area=str(entry["area"]),
            phone=str(entry["phone"]),
            website=str(entry["website"]) if entry.get("website") else None,
            hours={"en": str(entry["hours_en"]), "cy": str(entry["hours_cy"])},
            descriptions={"en": str(entry["description_en"]), "cy": str(entry["description_cy"])},
            national=bool(entry.get("national", False)),
        )
    except KeyError as error:
        raise ContentError(f"service {entry.get('slug')}: missing {error}") from error


@lru_cache
def all_services() -> tuple[Service, ...]:
    """Every service in the file, in file order (the national lines come first)."""
    entries = yaml.safe_load(SERVICES_FILE.read_text(encoding="utf-8")) or []
    return tuple(_service(entry) for entry in entries)


def areas() -> list[str]:
    """The local areas that have services, in alphabetical order."""
    return sorted({service.area for service in all_services() if not service.national})


@dataclass(frozen=True)
class Directory:
    local: list[Service]
    national: list[Service]


def find_services(*, category: str | None = None, area: str | None = None) -> Directory:
    """Local services matching the filters, and the national lines in the category.

    National lines serve every area, so the area filter never hides them.
    """
    matches = [s for s in all_services() if category is None or s.category == category]
    return Directory(
        local=[s for s in matches if not s.national and (area is None or s.area == area)],
        national=[s for s in matches if s.national],
    )
