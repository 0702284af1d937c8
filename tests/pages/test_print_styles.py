"""On paper, addresses inside the app are not printed (GOV.UK Frontend's "(/plan/steps/1)"
sat on top of step titles) and Back links are hidden; full web addresses still print."""

from __future__ import annotations

import re

from app.core.assets import asset_manifest
from app.core.config import get_settings


def _print_rules() -> str:
    css = (get_settings().assets_dir / "assets" / asset_manifest()["app.css"]).read_text()
    return "".join(re.findall(r"@media print\{(.*?\})\}", css))


def test_relative_addresses_and_back_links_are_not_printed() -> None:
    rules = _print_rules()
    assert re.search(
        r"a\[href\]:not\(\[href\^=\"?http\"?\]\)::after\{content:none !important\}", rules
    )
    assert ".govuk-back-link{display:none !important}" in rules
    assert re.search(r"a\[href\^=\"?http\"?\]::after\{content:", rules)  # full addresses print
