"""Load explainers and stories from Markdown files with YAML front matter, once per process."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from app.core.i18n import LANGUAGES

CONTENT_DIR = Path(__file__).resolve().parent / "content"
STORIES_DIR = CONTENT_DIR / "stories"

# The contents page shows the groups in this order; their titles live in the template.
GROUPS = ("your-appointments", "before-work", "starting-work", "in-work", "health-and-support")


class ContentError(ValueError):
    """A content file is malformed: fail loudly at load time, never on a client's page."""


@dataclass(frozen=True)
class Explainer:
    slug: str
    language: str
    title: str
    summary: str
    group: str
    order: int
    last_reviewed: date
    sources: tuple[str, ...]
    related: tuple[str, ...]
    body: str


@dataclass(frozen=True)
class Story:
    slug: str
    language: str
    title: str
    summary: str
    last_reviewed: date
    body: str


def split_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split '---\\n<yaml>\\n---\\n<markdown>' into its metadata and body."""
    if not text.startswith("---\n"):
        raise ContentError("the file does not start with front matter ('---')")
    end = text.find("\n---\n", 4)
    if end == -1:
        raise ContentError("the front matter is not closed with '---'")
    meta = yaml.safe_load(text[4:end]) or {}
    if not isinstance(meta, dict):
        raise ContentError("the front matter is not a mapping")
    return meta, text[end + 5 :].lstrip("\n")


def _required(meta: dict[str, Any], key: str, path: Path) -> Any:
    if meta.get(key) in (None, ""):
        raise ContentError(f"{path}: front matter has no '{key}'")
    return meta[key]


def _date(meta: dict[str, Any], path: Path) -> date:
    value = _required(meta, "last_reviewed", path)
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise ContentError(f"{path}: last_reviewed is not a date (YYYY-MM-DD)") from error


def parse_explainer(path: Path, language: str) -> Explainer:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    group = str(_required(meta, "group", path))
    if group not in GROUPS:
        raise ContentError(f"{path}: unknown group '{group}'")
    return Explainer(
        slug=path.stem,
        language=language,
        title=str(_required(meta, "title", path)),
        summary=str(_required(meta, "summary", path)),
        group=group,
        order=int(meta.get("order", 99)),
        last_reviewed=_date(meta, path),
        sources=tuple(str(source["label"]) for source in meta.get("sources") or []),
        related=tuple(str(slug) for slug in meta.get("related") or []),
        body=body,
    )


def parse_story(path: Path, language: str) -> Story:
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    return Story(
        slug=path.stem,
        language=language,
        title=str(_required(meta, "title", path)),
        summary=str(_required(meta, "summary", path)),
        last_reviewed=_date(meta, path),
        body=body,
    )


@lru_cache
def explainers(language: str) -> dict[str, Explainer]:
    """Every explainer in a language, by slug, in contents order."""
    folder = CONTENT_DIR / (language if language in LANGUAGES else "en")
    items = [parse_explainer(path, language) for path in sorted(folder.glob("*.md"))]
    items.sort(key=lambda item: (GROUPS.index(item.group), item.order, item.title))
    return {item.slug: item for item in items}


def get_explainer(*, slug: str, language: str) -> Explainer | None:
    """The explainer with this slug in this language, if there is one."""
    return explainers(language).get(slug)


def grouped(language: str) -> list[tuple[str, list[Explainer]]]:
    """The contents page: each group that has explainers, in order."""
    by_group: dict[str, list[Explainer]] = {group: [] for group in GROUPS}
    for item in explainers(language).values():
        by_group[item.group].append(item)
    return [(group, items) for group, items in by_group.items() if items]


@lru_cache
def stories(language: str) -> dict[str, Story]:
    """Every story in a language, by slug, in title order."""
    folder = STORIES_DIR / (language if language in LANGUAGES else "en")
    items = sorted(
        (parse_story(path, language) for path in folder.glob("*.md")), key=lambda s: s.title
    )
    return {item.slug: item for item in items}


def get_story(*, slug: str, language: str) -> Story | None:
    """The story with this slug in this language, if there is one."""
    return stories(language).get(slug)
