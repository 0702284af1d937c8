"""a call the adviser arranged: who said they would ring

Answering a request with "arrange a call" used to close the request and leave nothing to do:
the client was told their adviser would ring, and nothing reminded the adviser. Now it opens a
call on the adviser's list, like one the client asked for, and keeps who arranged it so the
record and the client's page can say so.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03 09:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("call_requests") as batch:
        batch.add_column(sa.Column("arranged_by_user_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_call_requests_arranged_by_user_id_users", "users", ["arranged_by_user_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("call_requests") as batch:
        batch.drop_constraint("fk_call_requests_arranged_by_user_id_users", type_="foreignkey")
        batch.drop_column("arranged_by_user_id")
