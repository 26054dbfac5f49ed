"""The listing-edit conversation, step by step: one use-case call per message or button.

The handler (bot.handlers.staff.listings) only turns a Telegram message into one of these calls
and the `EditReply` it returns into messages: validating a typed value, reading the dates of a
closure, keeping the draft and saving it happen here. State diagram: bot/handlers/staff_flow.mmd.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.domain import hours as hours_mod
from bot.domain import listings
from bot.domain.models import Center
from bot.staff.edits import EditCases
from bot.staff.listings import center_today, closure_message
from bot.staff.model import EditSession, NotAllowed, field_value

log = logging.getLogger(__name__)

TEXT_STEP = "value"
LOCATION_STEP = "location"
TOGGLE_STEP = "toggle"
CONFIRM_STEP = "confirm"
UNTIL_STEP = "until"
MESSAGE_STEP = "message"
TOGGLED_FIELDS = ("service_area", "services")
MAX_TYPED = 500  # longer typed values are cut before validation
_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_PERIOD_WORDS = re.compile(r"^(?:del?|desde)?\s*$|^\s*(?:al|a|hasta|-|–)\s*$", re.IGNORECASE)

# The keys a field's toggles offer (services, departments): the caller knows them.
ToggleOptions = Callable[[Center, str], Collection[str]]


class EditReplyKind(StrEnum):
    """What the edit flow answers to one message or button (the handler words it)."""

    ASK = "ask"  # the edit began: ask for the value of `field`
    TOGGLES = "toggles"  # show the choices of `field`, `selected` marked
    PREVIEW = "preview"  # `old` → `new` (stored forms), to save or cancel
    INVALID = "invalid"  # a typed value refused: `error` (ListingError, HoursError; None: other)
    BAD_DATE = "bad_date"  # a closure's dates not understood, or past
    ASK_MESSAGE = "ask_message"  # the closure's dates kept: ask for its message
    BAD_MESSAGE = "bad_message"  # the closure's message refused: `error` (ListingError)
    NEED_LOCATION = "need_location"  # text where a shared location is expected
    PICK_TOGGLES = "pick_toggles"  # text while the toggles wait for a button
    PENDING = "pending"  # text while a value waits (`new`; buttons when `step` is CONFIRM_STEP)
    REFUSED = "refused"  # access revoked meanwhile (the edit ended), or a location not asked for
    EMPTY_SELECTION = "empty_selection"  # «Listo» with nothing selected
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # no edit in progress any more
    STALE = "stale"  # a button of an earlier edit or step
    SAVED = "saved"
    CONFLICT = "conflict"  # someone saved this field first: `old` is their value (stored form)


@dataclass(frozen=True, slots=True)
class EditReply:
    kind: EditReplyKind
    field: str = ""
    center: Center | None = None
    old: str = ""
    new: str = ""
    selected: tuple[str, ...] = ()
    error: ValueError | None = None
    step: str = ""


class EditFlow(EditCases):
    """The steps of the listing edit: begin, a typed text, a shared location, a button."""

    async def begin_edit(self, actor: int, center_id: str, field: str) -> EditReply:
        """«Editar» a field: a new edit (any other of the user's ends) at its first step."""
        center = await self.center_for(actor, center_id)  # authorization first
        if field in TOGGLED_FIELDS:
            selected = list(center.service_area if field == "service_area" else center.services)
            await self.start_edit(actor, center_id, field, TOGGLE_STEP, {"selected": selected})
            return EditReply(EditReplyKind.TOGGLES, field, center, selected=tuple(selected))
        step = {"location": LOCATION_STEP, "closure": UNTIL_STEP}.get(field, TEXT_STEP)
        await self.start_edit(actor, center_id, field, step)
        return EditReply(EditReplyKind.ASK, field, center)

    async def edit_text(self, actor: int, edit: EditSession, text: str) -> EditReply:
        """A typed message while an edit is in progress."""
        raw = text[:MAX_TYPED]
        try:
            center = await self.center_for(actor, edit.center_id)
        except NotAllowed:  # access revoked meanwhile
            await self.end_edit(actor)
            return EditReply(EditReplyKind.REFUSED, edit.field)
        if edit.step == TEXT_STEP:
            try:
                value = stored_value(edit.field, raw, center)
            except (listings.ListingError, hours_mod.HoursError) as error:
                return EditReply(EditReplyKind.INVALID, edit.field, center, error=error)
            except ValueError:  # e.g. a time zone the system does not know
                return EditReply(EditReplyKind.INVALID, edit.field, center)
            return await self._preview(actor, edit, value)
        if edit.step == UNTIL_STEP:
            period = parse_period(raw, center_today(center))
            if period is None:
                return EditReply(EditReplyKind.BAD_DATE, edit.field, center)
            first, until = period
            draft: dict[str, object] = {
                **edit.draft,
                "start": first.isoformat(),
                "until": until.isoformat(),
            }
            await self.update_edit(actor, MESSAGE_STEP, draft)
            return EditReply(EditReplyKind.ASK_MESSAGE, edit.field, center)
        if edit.step == MESSAGE_STEP:
            try:
                note = closure_message(raw)
            except listings.ListingError as error:
                return EditReply(EditReplyKind.BAD_MESSAGE, edit.field, center, error=error)
            begins = str(edit.draft.get("start") or center_today(center).isoformat())
            value = f"{begins}|{edit.draft.get('until', '')}|{note}"
            return await self._preview(actor, edit, value)
        if edit.step == LOCATION_STEP:
            return EditReply(EditReplyKind.NEED_LOCATION, edit.field, center)
        if edit.step == TOGGLE_STEP:  # waiting for a button
            return EditReply(EditReplyKind.PICK_TOGGLES, edit.field, center)
        pending = str(edit.draft.get("value", ""))
        return EditReply(EditReplyKind.PENDING, edit.field, center, new=pending, step=edit.step)

    async def edit_location(
        self, actor: int, edit: EditSession, lat: float, lon: float
    ) -> EditReply:
        """A location shared while an edit is in progress."""
        if edit.step != LOCATION_STEP or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return EditReply(EditReplyKind.REFUSED, edit.field)
        return await self._preview(actor, edit, f"{lat:.5f},{lon:.5f}")

    async def edit_button(
        self, actor: int, action: str, value: str, options: ToggleOptions
    ) -> EditReply:
        """Buttons that act on the edit in progress: "tg" (toggle `value`), "done", "save"
        (`value`: the field the button was shown for), "cancel"."""
        edit = await self.current_edit(actor)
        if action == "cancel":
            await self.end_edit(actor)
            return EditReply(EditReplyKind.CANCELLED)
        if edit is None:
            return EditReply(EditReplyKind.EXPIRED)
        center = await self.center_for(actor, edit.center_id)
        if action == "tg" and edit.step == TOGGLE_STEP:
            if value not in options(center, edit.field):
                return EditReply(EditReplyKind.STALE, edit.field, center)
            selected = [str(v) for v in edit.draft.get("selected", [])]  # type: ignore[attr-defined]
            selected = [v for v in selected if v != value] if value in selected else [
                *selected, value]  # fmt: skip
            await self.update_edit(actor, TOGGLE_STEP, {**edit.draft, "selected": selected})
            return EditReply(EditReplyKind.TOGGLES, edit.field, center, selected=tuple(selected))
        if action in ("done", "save") and value != edit.field:
            return EditReply(EditReplyKind.STALE, edit.field, center)  # under an earlier edit
        if action == "done" and edit.step == TOGGLE_STEP:
            selected = [str(v) for v in edit.draft.get("selected", [])]  # type: ignore[attr-defined]
            if not selected:
                return EditReply(EditReplyKind.EMPTY_SELECTION, edit.field, center)
            return await self._preview(actor, edit, ";".join(selected))
        if action == "save" and edit.step == CONFIRM_STEP:
            return await self._save(actor, edit, center)
        return EditReply(EditReplyKind.STALE, edit.field, center)

    async def _preview(self, actor: int, edit: EditSession, new: str) -> EditReply:
        """Keep the new value in the draft and show it beside the current one."""
        center = await self.center_for(actor, edit.center_id)
        old = field_value(center, edit.field) if edit.field != "closure" else ""
        await self.update_edit(actor, CONFIRM_STEP, {**edit.draft, "value": new})
        return EditReply(EditReplyKind.PREVIEW, edit.field, center, old=old, new=new)

    async def _save(self, actor: int, edit: EditSession, center: Center) -> EditReply:
        value = str(edit.draft.get("value", ""))
        await self.end_edit(actor)
        if edit.field == "closure":
            start, until, note = ([*value.split("|", 2), "", ""])[:3]
            await self.add_closure(
                actor, edit.center_id, date.fromisoformat(start), date.fromisoformat(until), note
            )
            return EditReply(EditReplyKind.SAVED, edit.field, center)
        original = edit.draft.get("original")
        result = await self.save(
            actor,
            edit.center_id,
            edit.field,
            value,
            edit.base_version,
            expected=str(original) if original is not None else None,
        )
        if result.saved:
            log.info("listing edited: center=%s field=%s", edit.center_id, edit.field)
            return EditReply(EditReplyKind.SAVED, edit.field, center)
        return EditReply(EditReplyKind.CONFLICT, edit.field, center, old=result.current_value)


def stored_value(field: str, raw: str, center: Center) -> str:
    """The stored form of a typed value; raises ListingError / HoursError."""
    if field == "phone":
        return listings.validate_phone(raw, center.country)
    if field == "email":
        return listings.validate_email(raw)
    if field == "website":
        return listings.validate_url(raw)
    if field == "hours":
        zone = center.timezone or hours_mod.timezone_for(center.country)
        return hours_mod.to_json(hours_mod.parse_hours(raw, zone))
    return listings.validate_text(listings.ListingField(field), raw)


def parse_period(raw: str, today: date) -> tuple[date, date] | None:
    """One date (closed from today until then) or two ("24/12/2026 al 26/12/2026")."""
    matches = list(_DATE.finditer(raw))
    if not 1 <= len(matches) <= 2:
        return None
    pieces = [raw[: matches[0].start()], raw[matches[-1].end() :]]
    if len(matches) == 2:
        pieces.append(raw[matches[0].end() : matches[1].start()])
    if not all(_PERIOD_WORDS.match(piece) for piece in pieces):
        return None  # words we do not understand around the dates
    days = []
    for match in matches:
        day, month, year = (int(g) for g in match.groups())
        try:
            days.append(date(year, month, day))
        except ValueError:
            return None
    start, end = (today, days[0]) if len(days) == 1 else (days[0], days[1])
    if start < today or end < start or (end - start).days > 366:
        return None
    return start, end
