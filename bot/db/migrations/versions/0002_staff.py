"""Staff keep their listings: invites, admins, history, closures, edits, reports, locking.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def _center_fk() -> sa.ForeignKey:
    return sa.ForeignKey("centers.id", ondelete="CASCADE")


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy), so rows that reference centers are left alone.
    op.add_column("centers", sa.Column("hours_json", sa.Text, nullable=False, server_default=""))
    op.add_column(
        "centers", sa.Column("timezone", sa.String(40), nullable=False, server_default="")
    )
    op.add_column(
        "centers", sa.Column("closed", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.add_column("centers", sa.Column("confirmed_at", TZ, nullable=True))
    op.add_column("centers", sa.Column("version", sa.Integer, nullable=False, server_default="1"))
    op.create_table(
        "admins",
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("added_by", sa.String(60), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "staff_links",
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("center_id", sa.String(80), _center_fk(), primary_key=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("last_reminded_at", TZ, nullable=True),
    )
    op.create_table(
        "invites",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("center_id", sa.String(80), _center_fk(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_by", sa.String(60), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.Column("used_at", TZ, nullable=True),
        sa.Column("used_by", sa.BigInteger, nullable=True),
    )
    op.create_table(
        "rate_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("at", TZ, nullable=False),
    )
    op.create_index("ix_rate_events_kind_user_at", "rate_events", ["kind", "user_id", "at"])
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("center_id", sa.String(80), _center_fk(), nullable=False),
        sa.Column("actor_id", sa.BigInteger, nullable=True),
        sa.Column("actor", sa.String(60), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("field", sa.String(30), nullable=False),
        sa.Column("old_value", sa.Text, nullable=False),
        sa.Column("new_value", sa.Text, nullable=False),
        sa.Column("reverts", sa.Integer, nullable=True),
    )
    op.create_index("ix_changes_center_id", "changes", ["center_id"])
    op.create_table(
        "closures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("center_id", sa.String(80), _center_fk(), nullable=False),
        sa.Column("start", sa.Date, nullable=False),
        sa.Column("end", sa.Date, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_index("ix_closures_center_id", "closures", ["center_id"])
    op.create_table(
        "edit_sessions",
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("center_id", sa.String(80), nullable=False),
        sa.Column("field", sa.String(30), nullable=False),
        sa.Column("step", sa.String(30), nullable=False),
        sa.Column("draft", sa.Text, nullable=False),
        sa.Column("base_version", sa.Integer, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("center_id", sa.String(80), _center_fk(), nullable=False),
        sa.Column("field", sa.String(30), nullable=False),
        sa.Column("count", sa.Integer, nullable=False),
        sa.Column("first_at", TZ, nullable=False),
        sa.Column("last_at", TZ, nullable=False),
        sa.Column("open", sa.Boolean, nullable=False),
    )
    op.create_index("ix_reports_center_id", "reports", ["center_id"])


def downgrade() -> None:
    for table in (
        "reports", "edit_sessions", "closures", "changes", "rate_events", "invites",
        "staff_links", "admins",
    ):  # fmt: skip
        op.drop_table(table)
    with op.batch_alter_table("centers") as batch:
        for column in ("version", "confirmed_at", "closed", "timezone", "hours_json"):
            batch.drop_column(column)
