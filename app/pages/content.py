"""The long service pages every GOV.UK service has (accessibility statement, privacy notice),
kept as Markdown, one file per language, the way the explainers are: a Welsh reader then
reviews whole paragraphs, not sentences cut apart in a catalogue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from app.core.i18n import LANGUAGES
from app.explainers.content import ContentError, split_front_matter

CONTENT_DIR = Path(__file__).resolve().parent / "content"

# Example addresses for this beta (example.org is reserved for examples): replace them, here
# and in the content files, before the service goes live. A test holds the files to these.
FEEDBACK_EMAIL = "feedback.mypathways@example.org"
DATA_PROTECTION_EMAIL = "data.protection.officer@example.org"

# The page at /<slug> for each file; every one exists in every language.
SLUGS = ("accessibility-statement", "privacy")


@dataclass(frozen=True)
class ServicePage:
    slug: str
    language: str
    title: str
    summary: str
    last_updated: date
    body: str


def parse_page(path: Path, language: str) -> ServicePage:
    """One content file: front matter (title, summary, last_updated) and a Markdown body."""
    meta, body = split_front_matter(path.read_text(encoding="utf-8"))
    for key in ("title", "summary", "last_updated"):
        if meta.get(key) in (None, ""):
            raise ContentError(f"{path}: front matter has no '{key}'")
    updated = meta["last_updated"]
    if not isinstance(updated, date):
        raise ContentError(f"{path}: last_updated is not a date (YYYY-MM-DD)")
    return ServicePage(
        slug=path.stem,
        language=language,
        title=str(meta["title"]),
        summary=str(meta["summary"]),
        last_updated=updated,
        body=body,
    )


@lru_cache
def service_page(*, slug: str, language: str) -> ServicePage:
    """The page in this language (English for a language we do not have)."""
    if slug not in SLUGS:
        raise KeyError(slug)
    folder = CONTENT_DIR / (language if language in LANGUAGES else "en")
    return parse_page(folder / f"{slug}.md", language)
