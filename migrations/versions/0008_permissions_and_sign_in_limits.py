"""permissions_and_sign_in_limits

Support people may ask for changes only with the client's say-so, and a request says who
asked; authenticator codes work
once; wrong sign-in guesses are counted per email, network address and account in one table
(replacing the per-account lock that told strangers which staff emails were real).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 20:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("limit_name", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("key_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("failed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_sign_in_failures_limit_key_at",
        "sign_in_failures",
        ["limit_name", "key_hash", "failed_at"],
        unique=False,
    )
    with op.batch_alter_table("support_links") as batch:
        batch.add_column(
            sa.Column(
                "can_ask_for_changes", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )
    with op.batch_alter_table("reschedule_requests") as batch:
        batch.add_column(sa.Column("asked_by_user_id", sa.Integer(), nullable=True))
        batch.add_column(
            sa.Column(
                "asked_by_role",
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default="client",
            )
        )
        batch.create_foreign_key(
            "fk_reschedule_requests_asked_by_user_id_users", "users", ["asked_by_user_id"], ["id"]
        )
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("totp_last_step", sa.Integer(), nullable=True))
        batch.drop_column("failed_sign_ins")
        batch.drop_column("locked_until")


def downgrade() -> None:
    with op.batch_alter_table("reschedule_requests") as batch:
        batch.drop_constraint("fk_reschedule_requests_asked_by_user_id_users", type_="foreignkey")
        batch.drop_column("asked_by_role")
        batch.drop_column("asked_by_user_id")
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch.add_column(
            sa.Column("failed_sign_ins", sa.Integer(), nullable=False, server_default="0")
        )
        batch.drop_column("totp_last_step")
    with op.batch_alter_table("support_links") as batch:
        batch.drop_column("can_ask_for_changes")
    op.drop_index("ix_sign_in_failures_limit_key_at", table_name="sign_in_failures")
    op.drop_table("sign_in_failures")
