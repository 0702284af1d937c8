"""attention: check-in answers kept for the adviser's record and attention list

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01 04:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "check_in_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client_id", sa.Integer(), nullable=False),
        sa.Column("answer", sa.String(length=16), nullable=False),
        sa.Column("answered_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("done_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("done_by_user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_user_id"],
            ["users.id"],
            name=op.f("fk_check_in_answers_answered_by_user_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["client_id"],
            ["client_profiles.id"],
            name=op.f("fk_check_in_answers_client_id_client_profiles"),
        ),
        sa.ForeignKeyConstraint(
            ["done_by_user_id"],
            ["users.id"],
            name=op.f("fk_check_in_answers_done_by_user_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_check_in_answers")),
    )
    with op.batch_alter_table("check_in_answers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_check_in_answers_client_id"), ["client_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("check_in_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_check_in_answers_client_id"))
    op.drop_table("check_in_answers")
