"""support people: the client may let one read their messages

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01 05:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("support_links") as batch_op:
        batch_op.add_column(
            sa.Column("can_see_messages", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("support_links") as batch_op:
        batch_op.drop_column("can_see_messages")
