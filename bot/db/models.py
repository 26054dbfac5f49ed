"""SQLAlchemy 2 typed models."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class ServiceRow(Base):
    __tablename__ = "services"

    slug: Mapped[str] = mapped_column(String(40), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")


class CenterRow(Base):
    __tablename__ = "centers"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    country: Mapped[str] = mapped_column(String(2), index=True)
    network: Mapped[str] = mapped_column(String(120), default="")
    name: Mapped[str] = mapped_column(String(300))
    operator: Mapped[str] = mapped_column(Text, default="")
    city: Mapped[str] = mapped_column(String(120), default="")
    admin1: Mapped[str] = mapped_column(String(10), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    hours: Mapped[str] = mapped_column(Text, default="")
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    coord_precision: Mapped[str] = mapped_column(String(10), default="")
    service_area_inferred: Mapped[bool] = mapped_column(Boolean, default=False)
    source_url: Mapped[str] = mapped_column(Text, default="")
    source_date: Mapped[str] = mapped_column(String(10), default="")
    verified: Mapped[bool] = mapped_column(Boolean, default=False)
    ranked: Mapped[bool] = mapped_column(Boolean, default=True)
    notes: Mapped[str] = mapped_column(Text, default="")

    areas: Mapped[list[CenterAreaRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CenterAreaRow.admin1"
    )
    services: Mapped[list[CenterServiceRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CenterServiceRow.position"
    )


class CenterAreaRow(Base):
    """A department (GeoNames admin1 key) that a center serves."""

    __tablename__ = "center_areas"

    center_id: Mapped[str] = mapped_column(
        ForeignKey("centers.id", ondelete="CASCADE"), primary_key=True
    )
    admin1: Mapped[str] = mapped_column(String(10), primary_key=True, index=True)


class CenterServiceRow(Base):
    """A service a center offers; `sourced` is False when assumed from its network."""

    __tablename__ = "center_services"

    center_id: Mapped[str] = mapped_column(
        ForeignKey("centers.id", ondelete="CASCADE"), primary_key=True
    )
    service_slug: Mapped[str] = mapped_column(ForeignKey("services.slug"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    sourced: Mapped[bool] = mapped_column(Boolean, default=False)


class AgencyRow(Base):
    """The national agency of a country's network: the contact that always works."""

    __tablename__ = "agencies"

    country: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    website: Mapped[str] = mapped_column(String(300), default="")
    source_url: Mapped[str] = mapped_column(Text, default="")


class UserStateRow(Base):
    """What the bot remembers of one user between messages (expires; /olvidar deletes it)."""

    __tablename__ = "user_states"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    place_json: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(String(400), default="")
    candidates_json: Mapped[str] = mapped_column(Text, default="")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MetaRow(Base):
    """Key/value facts about the database itself (seed hash, data version)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
