"""who asked for an appointment change

When the adviser moves or books a time because the client (or their support person) asked
for it, the history line keeps whose request it was, so the adviser's record can say "by you,
as the client asked" instead of passing the client's choice off as the adviser's.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01 05:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("appointment_changes") as batch:
        batch.add_column(
            sa.Column("asked_by_role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True)
        )
        batch.add_column(sa.Column("asked_by_user_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("appointment_changes") as batch:
        batch.drop_column("asked_by_user_id")
        batch.drop_column("asked_by_role")
