"""Parse pages the way a reader meets them: headings, links, text."""

from __future__ import annotations

from bs4 import BeautifulSoup, Tag


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def heading(html: str) -> str:
    h1 = parse(html).find("h1")
    assert h1 is not None, "page has no <h1>"
    return h1.get_text(strip=True)


def text(html: str) -> str:
    return " ".join(parse(html).get_text(" ").split())


def step_form_values(html: str, action: str) -> dict[str, str]:
    """Everything a browser would send from a plan step's edit form, as the page filled it."""
    form = parse(html).find("form", action=action)
    assert form is not None, f"no form posting to {action}"
    values = {
        str(i["name"]): str(i.get("value", ""))
        for i in form.find_all("input")
        if i.get("type") in ("hidden", "text", None, "date")
    }
    values["details"] = _found(form.find("textarea")).get_text()
    owner = _found(form.find("input", attrs={"name": "owner", "checked": True}))
    values["owner"] = str(owner["value"])
    status = _found(form.find("input", attrs={"name": "status", "checked": True}))
    values["status"] = str(status["value"])
    when = _found(form.find("input", attrs={"name": "when", "checked": True}))
    values["when"] = str(when["value"])
    return values


def _found(tag: Tag | None) -> Tag:
    assert tag is not None
    return tag
