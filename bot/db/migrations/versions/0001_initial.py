"""The schema of the entrepreneur's path (before Alembic was adopted).

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "services",
        sa.Column("slug", sa.String(40), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("label", sa.String(120), nullable=False),
        sa.Column("description", sa.Text, nullable=False),
        sa.Column("keywords", sa.Text, nullable=False),
    )
    op.create_table(
        "centers",
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("country", sa.String(2), nullable=False),
        sa.Column("network", sa.String(120), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("operator", sa.Text, nullable=False),
        sa.Column("city", sa.String(120), nullable=False),
        sa.Column("admin1", sa.String(10), nullable=False),
        sa.Column("address", sa.Text, nullable=False),
        sa.Column("phone", sa.String(60), nullable=False),
        sa.Column("email", sa.String(200), nullable=False),
        sa.Column("website", sa.String(300), nullable=False),
        sa.Column("hours", sa.Text, nullable=False),
        sa.Column("lat", sa.Float, nullable=True),
        sa.Column("lon", sa.Float, nullable=True),
        sa.Column("coord_precision", sa.String(10), nullable=False),
        sa.Column("service_area_inferred", sa.Boolean, nullable=False),
        sa.Column("source_url", sa.Text, nullable=False),
        sa.Column("source_date", sa.String(10), nullable=False),
        sa.Column("verified", sa.Boolean, nullable=False),
        sa.Column("ranked", sa.Boolean, nullable=False),
        sa.Column("notes", sa.Text, nullable=False),
    )
    op.create_index("ix_centers_country", "centers", ["country"])
    op.create_table(
        "center_areas",
        sa.Column(
            "center_id",
            sa.String(80),
            sa.ForeignKey("centers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("admin1", sa.String(10), primary_key=True),
    )
    op.create_index("ix_center_areas_admin1", "center_areas", ["admin1"])
    op.create_table(
        "center_services",
        sa.Column(
            "center_id",
            sa.String(80),
            sa.ForeignKey("centers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("service_slug", sa.String(40), sa.ForeignKey("services.slug"), primary_key=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("sourced", sa.Boolean, nullable=False),
    )
    op.create_table(
        "agencies",
        sa.Column("country", sa.String(8), primary_key=True),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("website", sa.String(300), nullable=False),
        sa.Column("source_url", sa.Text, nullable=False),
    )
    op.create_table(
        "user_states",
        sa.Column("user_id", sa.BigInteger, primary_key=True, autoincrement=False),
        sa.Column("place_json", sa.Text, nullable=False),
        sa.Column("needs", sa.String(400), nullable=False),
        sa.Column("candidates_json", sa.Text, nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_user_states_expires_at", "user_states", ["expires_at"])
    op.create_table(
        "meta",
        sa.Column("key", sa.String(60), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in (
        "meta", "user_states", "agencies", "center_services", "center_areas", "centers",
        "services",
    ):  # fmt: skip
        op.drop_table(table)
