"""the reason a client gave for moving an appointment

The client may say why they are moving a time ("I have a hospital or NHS appointment", "my
medication makes this time hard"). It was kept only when the move needed the adviser's
agreement; a move the client could make themselves dropped it, though it is the clue an
adviser needs before a pause. The history line of the move now keeps it.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03 09:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("appointment_changes") as batch:
        batch.add_column(
            sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("appointment_changes") as batch:
        batch.drop_column("reason")
