"""Search the explainers in one language: simple word matching, ranked by where words appear."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from app.explainers.content import Explainer, explainers
from app.explainers.rendering import plain_text

MAX_QUERY_LENGTH = 200
MAX_TERMS = 10
# A word in the title counts for more than one in the summary, which counts more than the body.
WEIGHTS = {"title": 6, "summary": 3, "body": 1}
BODY_CAP = 5  # so one long page that repeats a word does not drown a page about it
PHRASE_BONUS = {"title": 20, "summary": 10}  # the whole query, word for word

# Words too common to tell pages apart.
STOP_WORDS = frozenset(
    {
        # English
        "a", "an", "and", "are", "as", "at", "be", "can", "do", "does", "for", "from", "how",
        "i", "if", "in", "is", "it", "me", "my", "of", "on", "or", "the", "to", "what", "when",
        "where", "who", "why", "will", "with", "you", "your",
        # Welsh
        "a'r", "ac", "am", "ar", "beth", "ble", "dw", "fy", "gyda", "mae", "mewn", "o", "oes",
        "os", "pam", "pwy", "sut", "y", "yn", "yr", "ydw", "yw",
    }
)  # fmt: skip
_WORD = re.compile(r"[\w']+")


def normalise(text: str) -> str:
    """Lower case, curly apostrophes made straight, accents removed (ŵ → w, â → a)."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))


def _words(text: str) -> list[str]:
    return [word.strip("'") for word in _WORD.findall(normalise(text)) if word.strip("'")]


def terms(query: str) -> list[str]:
    """The words of a query worth searching for, without repeats."""
    found: list[str] = []
    for word in _words(query[:MAX_QUERY_LENGTH]):
        if word not in STOP_WORDS and word not in found and (len(word) > 1 or word.isdigit()):
            found.append(word)
    return found[:MAX_TERMS]


@dataclass(frozen=True)
class _Indexed:
    explainer: Explainer
    fields: dict[str, list[str]]


@lru_cache
def _index(language: str) -> tuple[_Indexed, ...]:
    return tuple(
        _Indexed(
            explainer=item,
            fields={
                "title": _words(item.title),
                "summary": _words(item.summary),
                "body": _words(plain_text(item.body)),
            },
        )
        for item in explainers(language).values()
    )


def _hits(term: str, words: list[str]) -> int:
    # A word starting with the term counts ("credit" finds "credits"), and a plural term finds
    # the singular ("credits" finds "credit").
    stems = (term, term[:-1]) if len(term) > 3 and term.endswith("s") else (term,)
    return sum(1 for word in words if word.startswith(stems))


@dataclass(frozen=True)
class Result:
    explainer: Explainer
    matched: int
    score: int


def search(*, query: str, language: str) -> list[Result]:
    """Explainers that match any word of the query; those matching the most words come first."""
    wanted = terms(query)
    phrase = " ".join(_words(query[:MAX_QUERY_LENGTH]))
    results: list[Result] = []
    for entry in _index(language):
        matched = score = 0
        for term in wanted:
            counts = {name: _hits(term, words) for name, words in entry.fields.items()}
            counts["body"] = min(counts["body"], BODY_CAP)
            if any(counts.values()):
                matched += 1
                score += sum(WEIGHTS[name] * count for name, count in counts.items())
        for name, bonus in PHRASE_BONUS.items():
            if matched and f" {phrase} " in f" {' '.join(entry.fields[name])} ":
                score += bonus
        if matched:
            results.append(Result(explainer=entry.explainer, matched=matched, score=score))
    # A stable sort: equal results keep the contents page order.
    results.sort(key=lambda result: (-result.matched, -result.score))
    return results
