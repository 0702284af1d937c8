"""office opening days

Each office's nation (whose bank holidays apply) and its opening weekdays, so no time is
offered, booked or suggested on a day it is closed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 00:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("offices") as batch:
        batch.add_column(
            sa.Column(
                "nation",
                sqlmodel.sql.sqltypes.AutoString(length=20),
                nullable=False,
                server_default="england",
            )
        )
        batch.add_column(
            sa.Column(
                "open_weekdays",
                sqlmodel.sql.sqltypes.AutoString(length=7),
                nullable=False,
                server_default="01234",
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("offices") as batch:
        batch.drop_column("open_weekdays")
        batch.drop_column("nation")
