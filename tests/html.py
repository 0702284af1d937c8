"""Parse pages the way a reader meets them: headings, links, text."""

from __future__ import annotations

from bs4 import BeautifulSoup


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def heading(html: str) -> str:
    h1 = parse(html).find("h1")
    assert h1 is not None, "page has no <h1>"
    return h1.get_text(strip=True)


def text(html: str) -> str:
    return " ".join(parse(html).get_text(" ").split())
