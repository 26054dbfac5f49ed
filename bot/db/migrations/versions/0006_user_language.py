"""The language a user writes in (Spanish, or English for Belize), remembered with the rest.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-10
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy): every remembered user keeps their memory, in Spanish.
    op.add_column(
        "user_states",
        sa.Column("language", sa.String(8), nullable=False, server_default="es"),
    )


def downgrade() -> None:
    with op.batch_alter_table("user_states") as batch:
        batch.drop_column("language")
