"""notify rate limit: send slots shared by every worker, and texts waiting for one

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # The rows (one per message the window allows) are added by the workers, as many as the
    # limit setting says (app/delivery/send_slots.py).
    op.create_table(
        "notify_send_slots",
        sa.Column("slot", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("free_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("slot", name=op.f("pk_notify_send_slots")),
    )
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.add_column(
            sa.Column("waiting_for_slot", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("notifications") as batch_op:
        batch_op.drop_column("waiting_for_slot")
    op.drop_table("notify_send_slots")
