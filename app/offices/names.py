"""An office's or venue's name and address in the reader's language.

Welsh speakers read the Welsh name ("Canolfan Byd Gwaith Glan-yr-afon") where one is stored;
it comes back as a `PlaceName`, so a Welsh sentence mutates it ("yng Nghanolfan…"). With no
Welsh name the English one is shown as it is, never mutated.
"""

from __future__ import annotations

from app.core.i18n import current_language
from app.core.welsh import PlaceName
from app.offices.models import Office, Venue


def place_name(english: str, welsh: str | None) -> str:
    """The name to show now: the Welsh (a `PlaceName`) in Welsh when there is one."""
    if current_language() == "cy" and welsh:
        return PlaceName(welsh)
    return english


def venue_name(venue: Venue) -> str:
    """The venue's name in the current language."""
    return place_name(venue.name, venue.name_cy)


def venue_address(venue: Venue) -> str | None:
    """The venue's address in the current language (None for a phone call or home visit)."""
    if current_language() == "cy" and venue.address_cy:
        return venue.address_cy
    return venue.address


def venue_entrance_notes(venue: Venue) -> str | None:
    """How to get in without steps, in the current language (the English when no Welsh)."""
    if current_language() == "cy" and venue.accessible_entrance_notes_cy:
        return venue.accessible_entrance_notes_cy
    return venue.accessible_entrance_notes


def office_name(office: Office) -> str:
    """The office's name in the current language."""
    return place_name(office.name, office.name_cy)


def office_address(office: Office) -> str:
    """The office's address in the current language."""
    if current_language() == "cy" and office.address_cy:
        return office.address_cy
    return office.address
