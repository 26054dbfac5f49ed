"""SQLAlchemy 2 typed models."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
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
    # Kept by staff (revision 0002): structured hours, closure for good, freshness, locking.
    hours_json: Mapped[str] = mapped_column(Text, default="", server_default="")
    timezone: Mapped[str] = mapped_column(String(40), default="", server_default="")
    closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    # Optimistic locking: every staff change sets version+1, and the UPDATE only matches the
    # version it read, so a concurrent save is detected instead of overwritten.
    __mapper_args__ = {"version_id_col": version, "version_id_generator": False}  # noqa: RUF012

    areas: Mapped[list[CenterAreaRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CenterAreaRow.admin1"
    )
    services: Mapped[list[CenterServiceRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CenterServiceRow.position"
    )
    closures: Mapped[list[ClosureRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ClosureRow.start"
    )
    facts: Mapped[list[CenterFactRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="CenterFactRow.position"
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


class _FactColumns:
    """What a sourced fact holds (bot.domain.models.Fact), for centers and agencies alike."""

    field: Mapped[str] = mapped_column(String(20))
    value: Mapped[str] = mapped_column(Text, default="")
    label: Mapped[str] = mapped_column(String(40), default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    source_date: Mapped[str] = mapped_column(String(10), default="")
    confidence: Mapped[str] = mapped_column(String(20), default="")


class CenterFactRow(_FactColumns, Base):
    """Where one fact of a center comes from (revision 0005): a field's source, date, kind of
    source and label, a caution ("status"), or the row's main source ("source")."""

    __tablename__ = "center_facts"

    center_id: Mapped[str] = mapped_column(
        ForeignKey("centers.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class AgencyRow(Base):
    """A country's national MSME agency (or CENPROMYPE, "SICA"): the fallback contact.

    The contact fields, the main source's date and kind, and one fact per sourced field
    (revision 0005).
    """

    __tablename__ = "agencies"

    country: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    website: Mapped[str] = mapped_column(String(300), default="")
    source_url: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(60), default="", server_default="")
    email: Mapped[str] = mapped_column(String(200), default="", server_default="")
    address: Mapped[str] = mapped_column(Text, default="", server_default="")
    city: Mapped[str] = mapped_column(String(120), default="", server_default="")
    source_date: Mapped[str] = mapped_column(String(10), default="", server_default="")
    confidence: Mapped[str] = mapped_column(String(20), default="", server_default="")

    facts: Mapped[list[AgencyFactRow]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="AgencyFactRow.position"
    )


class AgencyFactRow(_FactColumns, Base):
    """Where one fact of an agency comes from: source, date, kind of source (revision 0005)."""

    __tablename__ = "agency_facts"

    country: Mapped[str] = mapped_column(
        ForeignKey("agencies.country", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class UserStateRow(Base):
    """What the bot remembers of one user between messages (expires; /olvidar deletes it)."""

    __tablename__ = "user_states"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    place_json: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[str] = mapped_column(String(400), default="")
    candidates_json: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(8), default="es", server_default="es")
    # what the bot last asked or showed (bot.domain.models.Asked): how to read the next message
    asked: Mapped[str] = mapped_column(String(16), default="", server_default="")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class MetaRow(Base):
    """Key/value facts about the database itself (seed hash, data version)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")


class AdminRow(Base):
    """A network admin created from the command line (ADMIN_USER_IDS adds more)."""

    __tablename__ = "admins"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    added_by: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StaffLinkRow(Base):
    """A Telegram user who keeps a center's listing."""

    __tablename__ = "staff_links"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    center_id: Mapped[str] = mapped_column(
        ForeignKey("centers.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class InviteRow(Base):
    """A single-use, expiring code that links a staff member to a center (stored hashed)."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[str] = mapped_column(ForeignKey("centers.id", ondelete="CASCADE"))
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_by: Mapped[str] = mapped_column(String(60), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    used_by: Mapped[int | None] = mapped_column(BigInteger)


class RateEventRow(Base):
    """One attempt of a rate-limited action (wrong invite codes, reports) by a user."""

    __tablename__ = "rate_events"
    __table_args__ = (Index("ix_rate_events_kind_user_at", "kind", "user_id", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChangeRow(Base):
    """Every change to a listing: who, when, which field, old and new value."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[str] = mapped_column(
        ForeignKey("centers.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[int | None] = mapped_column(BigInteger)
    actor: Mapped[str] = mapped_column(String(60), default="")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    field: Mapped[str] = mapped_column(String(30))
    old_value: Mapped[str] = mapped_column(Text, default="")
    new_value: Mapped[str] = mapped_column(Text, default="")
    reverts: Mapped[int | None] = mapped_column(Integer)


class ClosureRow(Base):
    """Days a center is closed (holidays, temporary closures), overriding its hours."""

    __tablename__ = "closures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[str] = mapped_column(
        ForeignKey("centers.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[date] = mapped_column(Date)
    end: Mapped[date] = mapped_column(Date)
    message: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EditSessionRow(Base):
    """A staff member's edit in progress: the conversation state lives here, not in memory."""

    __tablename__ = "edit_sessions"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    center_id: Mapped[str] = mapped_column(String(80))
    field: Mapped[str] = mapped_column(String(30))
    step: Mapped[str] = mapped_column(String(30))
    draft: Mapped[str] = mapped_column(Text, default="")
    base_version: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReportRow(Base):
    """Entrepreneurs' reports of a wrong field, grouped per center and field until handled."""

    __tablename__ = "reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    center_id: Mapped[str] = mapped_column(
        ForeignKey("centers.id", ondelete="CASCADE"), index=True
    )
    field: Mapped[str] = mapped_column(String(30))
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    open: Mapped[bool] = mapped_column(Boolean, default=True)


class ProcessedUpdateRow(Base):
    """Every update taken in (the durable inbox): stored before Telegram is told it arrived.

    The row is the duplicate check (Telegram retries; workers must not repeat), the shared
    per-user flood counter (recent rows of one user are its recent updates) and, until the
    update is processed, its raw JSON (`payload`, personal data: cleared once done). `holder`
    and `lease_until` say which worker is processing it; a row not done whose lease expired
    (a dead worker) is picked up by another. `waiter` is set by a worker that deferred a later
    update of the same user, so that whoever finishes this one hands that one on.
    """

    __tablename__ = "processed_updates"
    __table_args__ = (
        Index("ix_processed_updates_user_at", "user_id", "at"),
        Index("ix_processed_updates_user_update", "user_id", "update_id"),
    )

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    user_id: Mapped[int | None] = mapped_column(BigInteger)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    payload: Mapped[str | None] = mapped_column(Text, nullable=True)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    holder: Mapped[str | None] = mapped_column(String(64), nullable=True)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    waiter: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # The flood verdict given when it was taken in, for an update processed later (deferred).
    verdict: Mapped[str] = mapped_column(String(12), default="pass", server_default="pass")


class LeaseRow(Base):
    """A named lease, so that exactly one worker runs a job (or calls a rate-limited API)."""

    __tablename__ = "leases"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CoordinatorRow(Base):
    """A Telegram user who receives a country's requests and sees its statistics (0008)."""

    __tablename__ = "coordinators"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    country: Mapped[str] = mapped_column(String(2), primary_key=True)
    granted_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class HandoffRequestRow(Base):
    """An entrepreneur's request for an appointment (warm handoff, revision 0008).

    `center_id` NULL: addressed to the country's coordinators. The personal fields (name,
    phone, business, preferred_time, comment) are nulled by /olvidar and after the retention
    period (`personal_purged_at`); the rest stays for the counts.
    """

    __tablename__ = "handoff_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    language: Mapped[str] = mapped_column(String(8), default="es", server_default="es")
    country: Mapped[str] = mapped_column(String(2))
    admin1: Mapped[str] = mapped_column(String(20), default="", server_default="")
    center_id: Mapped[str | None] = mapped_column(String(60), nullable=True)
    need: Mapped[str] = mapped_column(String(40), default="", server_default="")
    name: Mapped[str | None] = mapped_column(String(120), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    business: Mapped[str | None] = mapped_column(Text, nullable=True)
    preferred_time: Mapped[str | None] = mapped_column(String(120), nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(12), index=True)  # open taken closed cancelled
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    feedback_asked_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    personal_purged_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), nullable=True
    )
    taken_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    taken_by_name: Mapped[str | None] = mapped_column(String(60), nullable=True)
    rating: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)


class RequestHistoryRow(Base):
    """Every status change of a request: who, when, what (revision 0008)."""

    __tablename__ = "request_history"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("handoff_requests.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_user_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # opened taken reassigned closed reminded contact_sent feedback cancelled purged
    action: Mapped[str] = mapped_column(String(20))
    detail: Mapped[str] = mapped_column(String(120), default="", server_default="")


class RequestDraftRow(Base):
    """A request being written: the flow's state lives here, so any worker continues it."""

    __tablename__ = "request_drafts"

    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    step: Mapped[str] = mapped_column(String(20))
    data_json: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class EventRow(Base):
    """An anonymous event for the statistics: no user id, no text (revision 0008).

    kind: search, request_opened, request_taken, request_closed, feedback. `served`: a center
    of the country has the user's department in its service area; `served_sourced`: that area
    is sourced, not inferred; `offered_nearby`: the first-ranked center offers the need;
    `value`: a rating 1-5, or the seconds from opened to taken.
    """

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2), default="", server_default="")
    admin1: Mapped[str] = mapped_column(String(20), default="", server_default="")
    need: Mapped[str] = mapped_column(String(40), default="", server_default="")
    center_id: Mapped[str] = mapped_column(String(60), default="", server_default="")
    served: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    served_sourced: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    offered_nearby: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    value: Mapped[int | None] = mapped_column(Integer, nullable=True)
