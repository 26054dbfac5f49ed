"""Sourced facts: agencies' contacts, and the source, date and kind of each fact.

The agencies get their contact fields (phone, e-mail, address, city) and their main source's
date and kind; `agency_facts` and `center_facts` keep, per fact, its source, date, kind of
source (official, news, third-party) and label, and the cautions of a center (status).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

AGENCY_COLUMNS = (
    ("phone", sa.String(60)),
    ("email", sa.String(200)),
    ("address", sa.Text()),
    ("city", sa.String(120)),
    ("source_date", sa.String(10)),
    ("confidence", sa.String(20)),
)


def _fact_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("position", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("field", sa.String(20), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("label", sa.String(40), nullable=False),
        sa.Column("source_url", sa.Text, nullable=False),
        sa.Column("source_date", sa.String(10), nullable=False),
        sa.Column("confidence", sa.String(20), nullable=False),
    ]


def upgrade() -> None:
    # Plain ADD COLUMN (no table copy): the rows stay; the next seed fills the new fields.
    for name, type_ in AGENCY_COLUMNS:
        op.add_column("agencies", sa.Column(name, type_, nullable=False, server_default=""))
    op.create_table(
        "agency_facts",
        sa.Column(
            "country",
            sa.String(8),
            sa.ForeignKey("agencies.country", ondelete="CASCADE"),
            primary_key=True,
        ),
        *_fact_columns(),
    )
    op.create_table(
        "center_facts",
        sa.Column(
            "center_id",
            sa.String(80),
            sa.ForeignKey("centers.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        *_fact_columns(),
    )


def downgrade() -> None:
    op.drop_table("center_facts")
    op.drop_table("agency_facts")
    with op.batch_alter_table("agencies") as batch:
        for name, _ in reversed(AGENCY_COLUMNS):
            batch.drop_column(name)
