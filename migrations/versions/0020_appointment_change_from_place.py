"""where a moved appointment was: its mode and venue before the move

A message about a moved appointment says every change the client must act on (the time, the
place, phone or in person). The history line of a move keeps where the appointment was, so
the words written when a message goes can compare it with where it is now.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("appointment_changes") as batch:
        batch.add_column(
            sa.Column("from_mode", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch.add_column(sa.Column("from_venue_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appointment_changes") as batch:
        batch.drop_column("from_venue_id")
        batch.drop_column("from_mode")
