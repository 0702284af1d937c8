"""welsh: Welsh names and addresses for offices and venues, and venues' entrance notes

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 05:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("offices", "venues")


def upgrade() -> None:
    with op.batch_alter_table("venues") as batch_op:
        batch_op.add_column(
            sa.Column(
                "accessible_entrance_notes_cy",
                sqlmodel.sql.sqltypes.AutoString(length=500),
                nullable=True,
            )
        )
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(
                sa.Column("name_cy", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True)
            )
            batch_op.add_column(
                sa.Column("address_cy", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True)
            )


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("address_cy")
            batch_op.drop_column("name_cy")
    with op.batch_alter_table("venues") as batch_op:
        batch_op.drop_column("accessible_entrance_notes_cy")
