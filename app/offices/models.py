"""Jobcentre Plus offices and the places appointments can happen."""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel


class Office(SQLModel, table=True):
    __tablename__ = "offices"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    address: str = Field(max_length=500)
    # What Welsh speakers read ("Canolfan Byd Gwaith …"); the English when not set.
    name_cy: str | None = Field(default=None, max_length=200)
    address_cy: str | None = Field(default=None, max_length=500)
    postcode: str = Field(max_length=10)
    phone: str = Field(max_length=20)
    # Whose bank holidays apply (offices/calendar.py): england, wales, scotland, northern-ireland.
    nation: str = Field(default="england", max_length=20)
    # The weekdays the office works, Monday 0 ("01234": Monday to Friday).
    open_weekdays: str = Field(default="01234", max_length=7)


class VenueKind(StrEnum):
    office = "office"
    community = "community"  # a library, community centre or GP surgery room
    home = "home"  # a home visit: the address is the client's, never stored here
    phone = "phone"


class Venue(SQLModel, table=True):
    __tablename__ = "venues"

    id: int | None = Field(default=None, primary_key=True)
    office_id: int = Field(foreign_key="offices.id", index=True)
    name: str = Field(max_length=200)
    kind: VenueKind = Field(sa_type=String(16))
    address: str | None = Field(default=None, max_length=500)
    # What Welsh speakers read; the English when not set (app/offices/names.py).
    name_cy: str | None = Field(default=None, max_length=200)
    address_cy: str | None = Field(default=None, max_length=500)
    postcode: str | None = Field(default=None, max_length=10)
    has_private_room: bool = Field(default=False)
    accessible_entrance_notes: str | None = Field(default=None, max_length=500)
    accessible_entrance_notes_cy: str | None = Field(default=None, max_length=500)
