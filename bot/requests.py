"""Warm handoff, the entrepreneur's side: the request flow, step by step (use cases).

«📨 Solicitar una cita» on a center's card starts a draft: name (Telegram's first name
offered), phone (shared or typed, validated for the country; skippable), what the business
does, the need (the search's offered), a preferred time; then a summary that says who will see
the data, and nothing is sent before «Enviar». The draft lives in `request_drafts` (any worker
continues it) and expires after an hour. After the feedback question the same table holds the
one step left: the optional comment.

Each call returns a `Step`: what to ask next (or what happened), with the draft's values; the
handler (bot.handlers.requests) turns it into messages.
"""

from __future__ import annotations

import json
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Settings
from bot.db.models import CenterRow, HandoffRequestRow, RequestDraftRow
from bot.domain.listings import ListingError, validate_phone
from bot.handoff import ACTIVE, OPEN, add_event, add_history, route
from bot.texts.requests import ES, for_language

DRAFT_TTL = timedelta(hours=1)
REFERENCE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"  # no 0/O, 1/I/L, 2/Z, 5/S, 8/B
MAX_NAME, MAX_BUSINESS, MAX_TIME, MAX_COMMENT = 120, 300, 120, 500
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u2060\ufeff\u00ad"))


class Kind(StrEnum):
    NAME = "name"
    PHONE = "phone"
    BUSINESS = "business"
    NEED = "need"
    TIME = "time"
    CONFIRM = "confirm"
    COMMENT = "comment"  # after the feedback question
    # what happened instead of a question
    SENT = "sent"
    CANCELLED = "cancelled"
    GONE = "gone"  # no draft (expired, cancelled) or a button of another step
    TOO_MANY = "too_many"
    NO_RECEIVER = "no_receiver"
    COMMENT_SAVED = "comment_saved"
    COMMENT_SKIPPED = "comment_skipped"


ORDER = (Kind.NAME, Kind.PHONE, Kind.BUSINESS, Kind.NEED, Kind.TIME, Kind.CONFIRM)
SKIPPABLE = frozenset({Kind.PHONE, Kind.BUSINESS, Kind.NEED, Kind.TIME, Kind.COMMENT})


@dataclass(frozen=True, slots=True)
class Draft:
    """What the flow has gathered so far (stored as JSON)."""

    center_id: str = ""
    center_name: str = ""
    country: str = ""
    admin1: str = ""
    language: str = "es"
    chat_id: int = 0
    first_name: str = ""  # Telegram's, offered for the name
    name: str = ""
    phone: str = ""
    business: str = ""
    need: str = ""
    time: str = ""  # a code of TIME_LABELS ("m", "t", "a") or "=" and the typed text
    request_id: int = 0  # the comment step: the request rated
    to_staff: bool = True  # the center's staff receive it (else the country's coordinators)


@dataclass(frozen=True, slots=True)
class Step:
    kind: Kind
    draft: Draft = field(default_factory=Draft)
    problem: str = ""  # why the last answer was refused (a BAD_TEXT key or a ListingError code)
    reference: str = ""  # SENT
    receivers: tuple[int, ...] = ()  # SENT: who must get the request now
    request_id: int = 0  # SENT
    to_staff: bool = False  # SENT: the center's staff (else the country's coordinators)
    count: int = 0  # TOO_MANY: the limit


class TextProblem(ValueError):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _has_control(text: str) -> bool:
    return any(
        unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") and ch != "\u200d"
        for ch in text
    )


def clean_text(value: str, limit: int) -> str:
    """Typed text, like staff text: one line, trimmed, no control or bidi characters, at
    most `limit` characters, with a letter or digit."""
    text = unicodedata.normalize("NFC", value).translate(_INVISIBLE)
    text = " ".join(text.split())
    if not text:
        raise TextProblem("empty")
    if _has_control(text):
        raise TextProblem("bad_characters")
    if len(text) > limit:
        raise TextProblem("too_long")
    if not any(ch.isalnum() for ch in text):
        raise TextProblem("only_symbols")
    return text


def first_name(value: str) -> str:
    """Telegram's first name, usable as a name offer: "" when it is not clean."""
    try:
        return clean_text(value, 60)
    except TextProblem:
        return ""


def new_reference() -> str:
    return "RM-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(4))


def time_text(draft: Draft, t: type[ES]) -> str:
    if draft.time.startswith("="):
        return draft.time[1:]
    return t.TIME_LABELS.get(draft.time, "")


def _next(kind: Kind) -> Kind:
    return ORDER[ORDER.index(kind) + 1]


class RequestFlow:
    def __init__(self, settings: Settings, sessions: async_sessionmaker[AsyncSession]) -> None:
        self.settings = settings
        self.sessions = sessions

    # --- the draft -----------------------------------------------------------------------

    async def _load(
        self, session: AsyncSession, user_id: int, now: datetime
    ) -> RequestDraftRow | None:
        row = await session.get(RequestDraftRow, user_id, with_for_update=True)
        if row is None:
            return None
        expires = row.expires_at if row.expires_at.tzinfo else row.expires_at.replace(tzinfo=UTC)
        if expires <= now:
            await session.delete(row)
            return None
        return row

    @staticmethod
    def _draft(row: RequestDraftRow) -> Draft:
        data = json.loads(row.data_json)
        return Draft(**{k: v for k, v in data.items() if k in Draft.__dataclass_fields__})

    async def _save(
        self, session: AsyncSession, user_id: int, kind: Kind, draft: Draft, now: datetime
    ) -> Step:
        if kind is Kind.CONFIRM:  # the summary says who will see the data: as of now
            center_id, _ = await route(session, draft.center_id, draft.country)
            draft = replace(draft, to_staff=center_id is not None)
        row = await session.get(RequestDraftRow, user_id)
        data, expires = json.dumps(asdict(draft)), now + DRAFT_TTL
        if row is None:
            session.add(RequestDraftRow(user_id=user_id, step=kind.value, data_json=data,
                                        expires_at=expires))  # fmt: skip
        else:
            row.step, row.data_json, row.expires_at = kind.value, data, expires
        return Step(kind, draft)

    async def cancel_draft(self, user_id: int) -> bool:
        """/cancelar: drop the request being written (or the comment awaited); whether there
        was one."""
        async with self.sessions() as session, session.begin():
            result = await session.execute(
                delete(RequestDraftRow).where(RequestDraftRow.user_id == user_id)
            )
        return bool(getattr(result, "rowcount", 0))

    async def purge_drafts(self, now: datetime) -> None:
        async with self.sessions() as session, session.begin():
            await session.execute(delete(RequestDraftRow).where(RequestDraftRow.expires_at <= now))

    # --- the steps -----------------------------------------------------------------------

    async def _active(self, session: AsyncSession, user_id: int) -> int:
        count = await session.scalar(
            select(func.count())
            .select_from(HandoffRequestRow)
            .where(HandoffRequestRow.user_id == user_id, HandoffRequestRow.status.in_(ACTIVE))
        )
        return int(count or 0)

    async def start(
        self, user_id: int, chat_id: int, telegram_name: str, center_id: str,
        *, admin1: str = "", need: str = "", language: str = "es", now: datetime | None = None,
        country: str = "", network: str = "",
    ) -> Step:  # fmt: skip
        """«📨 Solicitar una cita» on a center's card: a fresh draft at the first step.

        `country` instead of a center: a request to that country's coordinators, where no
        center could be offered (its `network` names them in the flow's messages).
        """
        now = now or datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            if country:
                draft = Draft(
                    center_name=network, country=country,
                    admin1=admin1 if admin1.startswith(f"{country}.") else "",
                    language=language, chat_id=chat_id, first_name=first_name(telegram_name),
                    need=need,
                )  # fmt: skip
            else:
                center = await session.get(CenterRow, center_id)
                if center is None or center.closed:
                    return Step(Kind.GONE, Draft(language=language))
                draft = Draft(
                    center_id=center.id, center_name=center.name, country=center.country,
                    admin1=admin1 if admin1.startswith(f"{center.country}.") else "",
                    language=language, chat_id=chat_id, first_name=first_name(telegram_name),
                    need=need,
                )  # fmt: skip
            if not (await route(session, draft.center_id, draft.country))[1]:
                return Step(Kind.NO_RECEIVER, draft)
            if await self._active(session, user_id) >= self.settings.max_open_requests:
                return Step(Kind.TOO_MANY, draft, count=self.settings.max_open_requests)
            return await self._save(session, user_id, Kind.NAME, draft, now)

    async def answer(
        self, user_id: int, text: str, *, match_need: Callable[[str], list[str]] | None = None,
        now: datetime | None = None,
    ) -> Step | None:  # fmt: skip
        """A typed message during a draft (None: there is none, the search goes on). The text
        handler asks only when the statement loading the user's memory saw a draft."""
        now = now or datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            row = await self._load(session, user_id, now)
            if row is None:
                return None
            kind, draft = Kind(row.step), self._draft(row)
            t = for_language(draft.language)
            word = " ".join("".join(c if c.isalpha() else " " for c in text.casefold()).split())
            if word in t.CANCEL_WORDS:
                await session.delete(row)
                return Step(Kind.CANCELLED, draft)
            if word in t.SKIP_WORDS and kind in SKIPPABLE:
                return await self._skip(session, user_id, kind, draft, now)
            try:
                return await self._typed(session, user_id, kind, draft, text, match_need, now)
            except TextProblem as problem:
                return Step(kind, draft, problem=problem.code)
            except ListingError as error:
                return Step(kind, draft, problem=error.code.value)

    async def _typed(
        self, session: AsyncSession, user_id: int, kind: Kind, draft: Draft, text: str,
        match_need: Callable[[str], list[str]] | None, now: datetime,
    ) -> Step:  # fmt: skip
        if kind is Kind.NAME:
            draft = replace(draft, name=clean_text(text, MAX_NAME))
        elif kind is Kind.PHONE:
            draft = replace(draft, phone=validate_phone(text, draft.country))
        elif kind is Kind.BUSINESS:
            draft = replace(draft, business=clean_text(text, MAX_BUSINESS))
        elif kind is Kind.NEED:
            found = match_need(clean_text(text, MAX_BUSINESS)) if match_need else []
            if not found:
                raise TextProblem("pick")
            draft = replace(draft, need=found[0])
        elif kind is Kind.TIME:
            draft = replace(draft, time="=" + clean_text(text, MAX_TIME))
        elif kind is Kind.COMMENT:
            return await self._comment(session, user_id, draft, clean_text(text, MAX_COMMENT), now)
        else:  # the summary waits for a button
            raise TextProblem("pick")
        return await self._save(session, user_id, _next(kind), draft, now)

    async def _skip(
        self, session: AsyncSession, user_id: int, kind: Kind, draft: Draft, now: datetime
    ) -> Step:
        if kind is Kind.COMMENT:
            await session.execute(
                delete(RequestDraftRow).where(RequestDraftRow.user_id == user_id)
            )
            return Step(Kind.COMMENT_SKIPPED, draft)
        blank = {
            Kind.PHONE: replace(draft, phone=""),
            Kind.BUSINESS: replace(draft, business=""),
            Kind.NEED: replace(draft, need=""),
            Kind.TIME: replace(draft, time=""),
        }[kind]
        return await self._save(session, user_id, _next(kind), blank, now)

    async def press(
        self, user_id: int, action: str, value: str = "", now: datetime | None = None
    ) -> Step:
        """A button of the flow: "name" (Telegram's), "skip" (value: the step), "need"
        (value: a slug), "time" (value: a code), "send", "cancel". A button of a step the
        draft is not at (an old message) does nothing but say so."""
        now = now or datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            row = await self._load(session, user_id, now)
            if row is None:
                return Step(Kind.GONE)
            kind, draft = Kind(row.step), self._draft(row)
            if action == "cancel":
                await session.delete(row)
                return Step(Kind.CANCELLED, draft)
            if action == "skip" and value == kind.value and kind in SKIPPABLE:
                return await self._skip(session, user_id, kind, draft, now)
            if action == "name" and kind is Kind.NAME and draft.first_name:
                return await self._save(
                    session, user_id, Kind.PHONE, replace(draft, name=draft.first_name), now
                )
            if action == "need" and kind is Kind.NEED:
                return await self._save(
                    session, user_id, Kind.TIME, replace(draft, need=value), now
                )
            if action == "time" and kind is Kind.TIME and value in ES.TIME_LABELS:
                return await self._save(
                    session, user_id, Kind.CONFIRM, replace(draft, time=value), now
                )
            if action == "send" and kind is Kind.CONFIRM:
                step = await self._submit(session, user_id, draft, now)
                if step.kind is not Kind.TOO_MANY:
                    await session.delete(row)
                return step
            return Step(Kind.GONE, draft)

    async def shared_phone(
        self, user_id: int, phone: str, now: datetime | None = None
    ) -> Step | None:
        """A contact shared with «📱 Compartir mi número» (None: no draft at the phone step)."""
        now = now or datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            row = await self._load(session, user_id, now)
            if row is None or row.step != Kind.PHONE.value:
                return None
            draft = self._draft(row)
            digits = "".join(ch for ch in phone if ch.isdigit())
            try:
                number = validate_phone("+" + digits, draft.country)
            except ListingError:
                try:
                    number = validate_phone(digits, draft.country)
                except ListingError as error:
                    return Step(Kind.PHONE, draft, problem=error.code.value)
            return await self._save(
                session, user_id, Kind.BUSINESS, replace(draft, phone=number), now
            )

    async def _submit(
        self, session: AsyncSession, user_id: int, draft: Draft, now: datetime
    ) -> Step:
        """«Enviar»: the request is stored and routed; the receivers are returned."""
        limit = self.settings.max_open_requests
        if await self._active(session, user_id) >= limit:
            return Step(Kind.TOO_MANY, draft, count=limit)
        center_id, receivers = await route(session, draft.center_id, draft.country)
        if not receivers:
            return Step(Kind.NO_RECEIVER, draft)
        fields = dict(
            user_id=user_id, chat_id=draft.chat_id, language=draft.language,
            country=draft.country, admin1=draft.admin1, center_id=center_id, need=draft.need,
            name=draft.name or None, phone=draft.phone or None, business=draft.business or None,
            preferred_time=time_text(draft, ES) or None, status=OPEN, created_at=now,
        )  # fmt: skip
        for _ in range(20):  # a collision of references is rare: try another
            row = HandoffRequestRow(reference=new_reference(), **fields)
            try:
                async with session.begin_nested():
                    session.add(row)
                    await session.flush()
                break
            except IntegrityError:
                continue
        else:
            raise RuntimeError("no free request reference")
        detail = "staff" if center_id else f"coordinators (center {draft.center_id})"
        add_history(session, row.id, now, "opened", user_id, detail)
        add_event(session, row, now, "request_opened")
        return Step(
            Kind.SENT, draft, reference=row.reference, receivers=receivers, request_id=row.id,
            to_staff=center_id is not None,
        )  # fmt: skip

    # --- the comment after the feedback question -----------------------------------------

    async def await_comment(
        self, user_id: int, request_id: int, language: str, now: datetime | None = None
    ) -> None:
        now = now or datetime.now(UTC)
        async with self.sessions() as session, session.begin():
            draft = Draft(language=language, request_id=request_id)
            await self._save(session, user_id, Kind.COMMENT, draft, now)

    async def _comment(
        self, session: AsyncSession, user_id: int, draft: Draft, text: str, now: datetime
    ) -> Step:
        row = await session.get(HandoffRequestRow, draft.request_id)
        if row is not None and row.user_id == user_id and row.personal_purged_at is None:
            row.comment = text
            add_history(session, row.id, now, "feedback", user_id, "comment")
        await session.execute(delete(RequestDraftRow).where(RequestDraftRow.user_id == user_id))
        return Step(Kind.COMMENT_SAVED, draft)
