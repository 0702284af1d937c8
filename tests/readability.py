"""The readability gate for client-facing pages: GOV.UK aims at a reading age of about 9."""

from __future__ import annotations

import textstat

MIN_READING_EASE = 60  # Flesch reading ease: 60-70 is plain English
MAX_SENTENCE_WORDS = 20


def prose(blocks: list[str]) -> str:
    """Headings and list items are sentences to a reader, so end each block like one."""
    ended = [
        block if block.rstrip("\"'’”").endswith((".", "!", "?")) else block + "."
        for block in blocks
    ]
    return " ".join(ended)


def reads_easily(text: str) -> bool:
    """Whether the text passes the gate."""
    ease: float = textstat.flesch_reading_ease(text)
    sentence_words: float = textstat.avg_sentence_length(text)
    return ease >= MIN_READING_EASE and sentence_words < MAX_SENTENCE_WORDS
