"""The durable inbox: an update's raw JSON is kept until it is processed, with a lease.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.add_column("processed_updates", sa.Column("payload", sa.Text, nullable=True))
    op.add_column("processed_updates", sa.Column("done_at", TZ, nullable=True))
    op.add_column("processed_updates", sa.Column("holder", sa.String(64), nullable=True))
    op.add_column("processed_updates", sa.Column("lease_until", TZ, nullable=True))
    op.add_column(
        "processed_updates",
        sa.Column("waiter", sa.Boolean, nullable=False, server_default="0"),
    )
    op.add_column(
        "processed_updates",
        sa.Column("verdict", sa.String(12), nullable=False, server_default="pass"),
    )
    # Updates taken before this revision were processed (or lost) already: not pending.
    op.execute("UPDATE processed_updates SET done_at = at")
    op.create_index(
        "ix_processed_updates_user_update", "processed_updates", ["user_id", "update_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_processed_updates_user_update", table_name="processed_updates")
    with op.batch_alter_table("processed_updates") as batch:
        for column in ("verdict", "waiter", "lease_until", "holder", "done_at", "payload"):
            batch.drop_column(column)
