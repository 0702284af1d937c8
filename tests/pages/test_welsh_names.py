"""A Welsh page never shows a service by its English name (issue #19, the Welsh review of
November 2026): Canolfan Byd Gwaith, GIG 111 Cymru, y Samariaid, CThEF, Fy Llwybrau; no
English acronyms (CMP, DEA); an office or venue by its Welsh name. Every client-facing page
is walked in Welsh as each role a client-side person can have."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.appointments.models import Appointment
from app.offices.models import Office, Venue, VenueKind
from tests.accounts.test_permission_table import STREAMS
from tests.accounts.world import build_world, every_route, fill, sign_in_as

# English names with an official Welsh one, and English acronyms the Welsh copy spells out.
ENGLISH_NAMES = (
    re.compile(r"Jobcentre"),
    re.compile(r"\bNHS\b"),
    re.compile(r"Samaritans"),
    re.compile(r"\bHMRC\b"),
    re.compile(r"My Pathways"),
    # "Llwybrau at Waith"; an explainer may gloss it once: "Llwybrau at Waith (Pathways to Work)".
    re.compile(r"(?<!\()Pathways to Work(?!\))"),
    re.compile(r"\bCMP\b"),
    re.compile(r"\bDEAs?\b"),
    re.compile(r"Personal Adviser"),
    re.compile(r"Millbrook"),  # the test venue's English name: Welsh speakers read "Nant y Felin"
)

# Words that were dropped in without the mutation Welsh needs (app/core/welsh.py), and times
# in the wrong clock: "yh" means evening.
MUTATION_SLIPS = (
    re.compile(r"\b(ar|tan|i|o|am) [Dd]ydd\b"),
    re.compile(r"\b[Yy]n (Canolfan|Caerdydd|Pont|Tre|Bangor|Dinas|Gwaun)"),
    # (Not "10am": the messages a client was sent show in their own language.)
    re.compile(r"\d(yh|yb)\b"),
    # A day after the first of a list, or a generic reply mid-sentence, keeps no capital.
    re.compile(r"\b[Dd]ydd \w+, Dydd\b"),
    re.compile(r"\b(Bydd|gall|a|â) Eich\b"),
    re.compile(r"\b(â|a) eich\b"),
)


def _welsh_names(db: Session, appointment_id: int) -> None:
    """The office and the appointment's venue get English names that must not show in Welsh."""
    office = db.exec(select(Office)).first()
    assert office is not None and office.id is not None
    office.name, office.name_cy = "Millbrook Jobcentre Plus", "Canolfan Byd Gwaith Nant y Felin"
    office.address, office.address_cy = "1 Millbrook Street", "1 Stryd Nant y Felin"
    venue = Venue(
        office_id=office.id,
        name="Millbrook Jobcentre Plus",
        name_cy="Canolfan Byd Gwaith Nant y Felin",
        kind=VenueKind.office,
        address="1 Millbrook Street",
        address_cy="1 Stryd Nant y Felin",
        postcode="RV1 1AA",
        accessible_entrance_notes="Step-free entrance on Millbrook Lane.",
        accessible_entrance_notes_cy="Mynedfa heb risiau ar Lôn Nant y Felin.",
    )
    db.add_all([office, venue])
    db.flush()
    appointment = db.get(Appointment, appointment_id)
    assert appointment is not None
    appointment.venue_id = venue.id
    db.add(appointment)
    db.flush()


def _visible_text(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["script", "style", "template"]):
        hidden.decompose()
    # The language switch says "English" in English on purpose.
    return soup.get_text(" ", strip=True)


@pytest.mark.parametrize("role", ["anonymous", "client", "supporter-read-only"])
def test_no_welsh_page_shows_an_english_service_name(
    role: str, client: TestClient, db: Session
) -> None:
    world = build_world(db)
    _welsh_names(db, int(world.ids["appointment_id"]))
    db.commit()
    sign_in_as(client, db, world, role)
    client.cookies.set("lang", "cy")
    pages, wrong = 0, []
    for method, path in every_route():
        if method != "GET" or path in STREAMS or path.startswith(("/adviser", "/admin", "/dev")):
            continue
        response = client.get(fill(path, world))
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        pages += 1
        words = _visible_text(response.text)
        for name in ENGLISH_NAMES + MUTATION_SLIPS:
            for found in name.finditer(words):
                context = words[max(0, found.start() - 40) : found.end() + 40]
                wrong.append(f"{path}: {name.pattern!r} in …{context}…")
    assert pages > 15
    assert wrong == [], "\n".join(wrong)


def test_no_welsh_adviser_page_drops_a_word_in_unmutated(client: TestClient, db: Session) -> None:
    world = build_world(db)
    _welsh_names(db, int(world.ids["appointment_id"]))
    db.commit()
    sign_in_as(client, db, world, "adviser")
    client.cookies.set("lang", "cy")
    pages, wrong = 0, []
    for method, path in every_route():
        if method != "GET" or path in STREAMS or not path.startswith("/adviser"):
            continue
        response = client.get(fill(path, world))
        if "text/html" not in response.headers.get("content-type", ""):
            continue
        pages += 1
        words = _visible_text(response.text)
        for slip in MUTATION_SLIPS:
            for found in slip.finditer(words):
                context = words[max(0, found.start() - 40) : found.end() + 40]
                wrong.append(f"{path}: {slip.pattern!r} in …{context}…")
    assert pages > 10
    assert wrong == [], "\n".join(wrong)


def test_the_list_catches_an_english_name(client: TestClient, db: Session) -> None:
    """The walk can fail: a Welsh page with an English service name is caught."""
    page = "<main><p>Ffoniwch NHS 111 neu Samaritans, neu eich swyddfa Jobcentre Plus.</p></main>"
    caught = [n.pattern for n in ENGLISH_NAMES if n.search(_visible_text(page))]
    assert caught == [r"Jobcentre", r"\bNHS\b", r"Samaritans"]
    slips = "<p>Wedi gohirio tan Dydd Llun am 2:30yh, yn Canolfan Byd Gwaith.</p>"
    assert len([s for s in MUTATION_SLIPS if s.search(_visible_text(slips))]) == 3


def test_a_welsh_client_reads_the_venue_and_office_in_welsh(
    client: TestClient, db: Session
) -> None:
    world = build_world(db)
    _welsh_names(db, int(world.ids["appointment_id"]))
    db.commit()
    sign_in_as(client, db, world, "client")
    client.cookies.set("lang", "cy")
    page = _visible_text(client.get(f"/appointments/{world.ids['appointment_id']}").text)
    assert "Canolfan Byd Gwaith Nant y Felin, 1 Stryd Nant y Felin" in page
    assert "Mynedfa heb risiau ar Lôn Nant y Felin." in page
    contact = _visible_text(client.get("/contact").text)
    assert "Canolfan Byd Gwaith Nant y Felin" in contact
    client.cookies.set("lang", "en")
    page = _visible_text(client.get(f"/appointments/{world.ids['appointment_id']}").text)
    assert "Millbrook Jobcentre Plus, 1 Millbrook Street" in page
    assert "Step-free entrance on Millbrook Lane." in page
