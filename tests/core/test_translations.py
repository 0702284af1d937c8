"""Every client-facing string exists in Welsh, and the catalogue matches the code."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"%\((\w+)\)")
WELSH = ROOT / "app" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"


def _extract(tmp_path: Path) -> set[str]:
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "extract",
            "-F",
            "babel.cfg",
            "-k",
            "lazy_gettext",
            "-o",
            str(pot),
            "--no-location",
            "--omit-header",
            ".",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    with pot.open("rb") as handle:
        return {str(m.id) for m in read_po(handle) if m.id}


def test_every_string_in_the_code_has_a_welsh_translation(tmp_path: Path) -> None:
    in_code = _extract(tmp_path)
    with WELSH.open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    translated = {str(m.id) for m in catalogue if m.id and m.string and not m.fuzzy}
    missing = sorted(in_code - translated)
    assert missing == [], f"{len(missing)} strings have no Welsh yet: {missing[:10]}"


def test_welsh_translations_keep_their_placeholders() -> None:
    with WELSH.open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    for message in catalogue:
        if not message.id or not message.string:
            continue
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        welsh = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(str(english[-1]))) | set(
            PLACEHOLDER.findall(str(english[0]))
        )
        for form in welsh:
            assert set(PLACEHOLDER.findall(str(form))) <= expected, message.id
        # The singular's placeholders must all survive in the first Welsh form.
        assert set(PLACEHOLDER.findall(str(english[0]))) <= set(
            PLACEHOLDER.findall(str(welsh[0]))
        ) | {"num"}, message.id
