"""Warm handoff (issue 11): coordinators, appointment requests, their history, drafts, events.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "coordinators",
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("country", sa.String(2), primary_key=True),
        sa.Column("granted_by", sa.BigInteger, nullable=True),
        sa.Column("granted_at", TZ, nullable=False),
    )
    op.create_table(
        "handoff_requests",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("reference", sa.String(12), nullable=False, unique=True),
        sa.Column("user_id", sa.BigInteger, nullable=False),
        sa.Column("chat_id", sa.BigInteger, nullable=False),
        sa.Column("language", sa.String(8), nullable=False, server_default="es"),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("admin1", sa.String(20), nullable=False, server_default=""),
        sa.Column("center_id", sa.String(60), nullable=True),
        sa.Column("need", sa.String(40), nullable=False, server_default=""),
        sa.Column("name", sa.String(120), nullable=True),
        sa.Column("phone", sa.String(40), nullable=True),
        sa.Column("business", sa.Text, nullable=True),
        sa.Column("preferred_time", sa.String(120), nullable=True),
        sa.Column("comment", sa.Text, nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("taken_at", TZ, nullable=True),
        sa.Column("closed_at", TZ, nullable=True),
        sa.Column("reminded_at", TZ, nullable=True),
        sa.Column("feedback_asked_at", TZ, nullable=True),
        sa.Column("personal_purged_at", TZ, nullable=True),
        sa.Column("taken_by", sa.BigInteger, nullable=True),
        sa.Column("taken_by_name", sa.String(60), nullable=True),
        sa.Column("rating", sa.SmallInteger, nullable=True),
    )
    op.create_index("ix_handoff_requests_user_id", "handoff_requests", ["user_id"])
    op.create_index("ix_handoff_requests_status", "handoff_requests", ["status"])
    op.create_table(
        "request_history",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "request_id",
            sa.Integer,
            sa.ForeignKey("handoff_requests.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor_user_id", sa.BigInteger, nullable=True),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("detail", sa.String(120), nullable=False, server_default=""),
    )
    op.create_index("ix_request_history_request_id", "request_history", ["request_id"])
    op.create_table(
        "request_drafts",
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("step", sa.String(20), nullable=False),
        sa.Column("data_json", sa.Text, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
    )
    op.create_index("ix_request_drafts_expires_at", "request_drafts", ["expires_at"])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("at", TZ, nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("country", sa.String(2), nullable=False, server_default=""),
        sa.Column("admin1", sa.String(20), nullable=False, server_default=""),
        sa.Column("need", sa.String(40), nullable=False, server_default=""),
        sa.Column("center_id", sa.String(60), nullable=False, server_default=""),
        sa.Column("served", sa.Boolean, nullable=True),
        sa.Column("served_sourced", sa.Boolean, nullable=True),
        sa.Column("offered_nearby", sa.Boolean, nullable=True),
        sa.Column("value", sa.Integer, nullable=True),
    )
    op.create_index("ix_events_at", "events", ["at"])


def downgrade() -> None:
    op.drop_index("ix_events_at", table_name="events")
    op.drop_table("events")
    op.drop_index("ix_request_drafts_expires_at", table_name="request_drafts")
    op.drop_table("request_drafts")
    op.drop_index("ix_request_history_request_id", table_name="request_history")
    op.drop_table("request_history")
    op.drop_index("ix_handoff_requests_status", table_name="handoff_requests")
    op.drop_index("ix_handoff_requests_user_id", table_name="handoff_requests")
    op.drop_table("handoff_requests")
    op.drop_table("coordinators")
