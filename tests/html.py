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


def step_form_values(html: str, action: str) -> dict[str, str]:
    """Everything a browser would send from a plan step's edit form, as the page filled it."""
    form = parse(html).find("form", action=action)
    assert form is not None, f"no form posting to {action}"
    values = {
        i["name"]: i.get("value", "")
        for i in form.find_all("input")
        if i.get("type") in ("hidden", "text", None, "date")
    }
    values["details"] = form.find("textarea").get_text()
    values["owner"] = form.find("select", id="owner").find("option", selected=True)["value"]
    values["status"] = form.find("input", attrs={"name": "status", "checked": True})["value"]
    values["when"] = form.find("input", attrs={"name": "when", "checked": True})["value"]
    return values
