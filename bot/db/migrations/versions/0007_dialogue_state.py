"""What the bot last asked or showed a user (the dialogue state), remembered with the rest.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN: a remembered user keeps their memory, with nothing asked.
    op.add_column(
        "user_states",
        sa.Column("asked", sa.String(16), nullable=False, server_default=""),
    )


def downgrade() -> None:
    with op.batch_alter_table("user_states") as batch:
        batch.drop_column("asked")
