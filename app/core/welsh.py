"""Welsh mutations for words dropped into a sentence: "ar ddydd Llun", "yng Nghanolfan…".

A translated sentence such as "tan %(date)s" or "yn %(place)s" cannot mutate the word that
fills it in, so `fill` does: it looks at the word just before each placeholder in the Welsh
sentence and, for the values that are Welsh phrases that mutate (a weekday or date, "dydd
Mercher 9 Rhagfyr", a `DatePhrase`; a Welsh place name, `PlaceName`), applies the rule:

- soft mutation after ar, tan, i, o, am, dros, drwy, heb, gan, at, hyd, wrth, dan
  ("tan ddydd Llun", "i Ganolfan…");
- nasal mutation after "yn" for a place, which also turns "yn" into "yng"/"ym"
  ("yng Nghanolfan Byd Gwaith", "ym Mangor");
- "dydd" in lower case anywhere but the start of a sentence ("Bob dydd Llun"), for every day
  of a list ("ar ddydd Llun, dydd Iau");
- "eich" joins the word before it as "'ch" ("â'ch cynghorydd", "gyda'ch cynghorydd");
- "â" and "a" become "ag" and "ac" before any value that starts with a vowel ("cysylltwch ag
  Eleri", "chi ac Owain"), a name typed by a person included: the words change, not the value.

English names (a venue with no Welsh name) are never mutated. The rules are those of
Gramadeg y Gymraeg (Thomas, 1996) §§ 2.1–2.3 as the review of November 2026 applied them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any


class PlaceName(str):
    """A Welsh place name that mutates in a sentence (a venue's or office's `name_cy`)."""

    __slots__ = ()


class DatePhrase(str):
    """A Welsh day or date the app wrote ("Dydd Llun 7 Rhagfyr", "dydd Llun, dydd Iau"), which
    mutates in a sentence. Anything else, such as a title a person typed that happens to read
    "Dydd Llun", is never changed."""

    __slots__ = ()


SOFT_TRIGGERS = frozenset(
    ["ar", "tan", "i", "o", "am", "dros", "drwy", "trwy", "heb", "gan", "at", "hyd", "wrth", "dan"]
)
NASAL_TRIGGERS = frozenset({"yn"})

# Longest first: "ll" and "rh" before "l" and "r" (which don't mutate).
_SOFT = (("ll", "l"), ("rh", "r"), ("p", "b"), ("t", "d"), ("c", "g"), ("b", "f"),
         ("d", "dd"), ("g", ""), ("m", "f"))  # fmt: skip
_NASAL = (("p", "mh"), ("t", "nh"), ("c", "ngh"), ("b", "m"), ("d", "n"), ("g", "ng"))

_WEEKDAY = re.compile(r"^[Dd]ydd ")
_LATER_DAY = re.compile(r"(?<=\S)(\W+)Dydd\b")
_VOWEL_START = re.compile(r"^[AEIOUYaeiouyÂÊÎÔÛŶâêîôûŷÁÉÍÓÚáéíóú]")
# Words that join "eich" into "'ch": "cysylltwch â'ch cynghorydd", "gyda'ch cynghorydd".
_JOINS_EICH = frozenset(["a", "â", "i", "o", "gyda", "na", "efo"])
# The conjunction "a" and the prepositions "â" and "gyda" before a vowel: "ac", "ag", "gydag"
# ("apwyntiad gydag Eleri").
_BEFORE_VOWEL = {"a": "ac", "A": "Ac", "â": "ag", "Â": "Ag", "gyda": "gydag", "Gyda": "Gydag"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _mutate(word: str, table: tuple[tuple[str, str], ...]) -> str:
    for radical, mutated in table:
        if word.lower().startswith(radical):
            rest = word[len(radical) :]
            if not mutated:
                return rest[:1].upper() + rest[1:] if word[:1].isupper() else rest
            if word[:1].isupper():
                return mutated[:1].upper() + mutated[1:] + rest
            return mutated + rest
    return word


def soft(phrase: str) -> str:
    """Soft mutation of a phrase's first word: "dydd Llun" -> "ddydd Llun", "Canolfan" -> "Ganolfan"."""
    return _mutate(phrase, _SOFT)


def nasal(phrase: str) -> str:
    """Nasal mutation of a phrase's first word: "Canolfan" -> "Nghanolfan", "Bangor" -> "Mangor"."""
    return _mutate(phrase, _NASAL)


def after_yn(place: str) -> str:
    """ "yn" and a place together: "yng Nghanolfan…", "ym Mangor", "yn Nhreforys", "yn Aberaeron"."""
    mutated = nasal(place)
    lower = mutated.lower()
    if lower.startswith("ng"):
        return f"yng {mutated}"
    if lower.startswith("m") and mutated != place:
        return f"ym {mutated}"
    return f"yn {mutated}"


def is_mutable(value: object) -> bool:
    """A value `fill` may change: a weekday or date phrase the app wrote (`DatePhrase`), or a
    Welsh place name (`PlaceName`); never plain text a person typed."""
    return isinstance(value, PlaceName) or (
        isinstance(value, DatePhrase) and bool(_WEEKDAY.match(value))
    )


def fill(sentence: str, values: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The Welsh `sentence` and `values`, made ready for `sentence % values` so that each
    value reads as Welsh would say it after the word before it (see the module's rules).

    Returns the (possibly changed) sentence and values; values that are not mutable phrases,
    and every placeholder not of the form %(name)s, are left alone.
    """
    changed = dict(values)
    head = ""  # the sentence up to the placeholder being looked at, as rewritten so far
    last = 0
    for match in _PLACEHOLDER.finditer(sentence):
        name = match.group(1)
        value = values.get(name)
        head += sentence[last : match.start()]
        last = match.start()
        before = re.search(r"(?:^|(?<=\W))(\w+) $", head)
        if (
            isinstance(value, str)
            and value.lower().startswith("eich ")
            and before
            and before.group(1).lower() in _JOINS_EICH
        ):
            # "â eich cynghorydd" is "â'ch cynghorydd" in Welsh.
            head = head[:-1] + "'"
            changed[name] = "ch " + value[len("eich ") :]
            continue
        if isinstance(value, str) and _VOWEL_START.match(value):
            joining = re.search(r"(?:^|(?<=\W))([aâAÂ]|[Gg]yda) $", head)
            if joining:
                head = head[: joining.start(1)] + _BEFORE_VOWEL[joining.group(1)] + " "
        if not is_mutable(value):
            continue
        text = str(value)
        previous = re.search(r"(\w+) $", head)
        word = previous.group(1) if previous else ""
        if _WEEKDAY.match(text):
            # "Dydd" starts a sentence; anywhere else it is "dydd".
            text = ("D" if not head.strip() else "d") + text[1:]
            # Every later day of a list too: "dydd Llun, dydd Iau", never ", Dydd Iau".
            text = _LATER_DAY.sub(lambda day: day.group(1) + "dydd", text)
        if word.lower() in SOFT_TRIGGERS:
            text = soft(text)
        elif word.lower() in NASAL_TRIGGERS and isinstance(value, PlaceName):
            # "yn %(place)s" becomes "yng %(place)s" with "Nghanolfan…": the "yn" changes too.
            spoken, _space, text = after_yn(text).partition(" ")
            head = (
                head[: -len(word) - 1]
                + (spoken.capitalize() if word[0].isupper() else spoken)
                + " "
            )
        changed[name] = text
    return head + sentence[last:], changed
