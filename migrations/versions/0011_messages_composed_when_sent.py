"""messages composed when sent

Appointment messages are written again when they are sent, so "today" and "tomorrow" are true
when they arrive: which words, about which version of the appointment, and what was meant.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 02:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.add_column(
            sa.Column("wording", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )
        batch.add_column(sa.Column("subject_version", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column("meaning", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch:
        batch.drop_column("meaning")
        batch.drop_column("subject_version")
        batch.drop_column("wording")
