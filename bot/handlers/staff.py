"""Center staff and admins in the bot: onboarding, the listing editor, history, admin tools.

The edit conversation is a small state machine whose state lives in the database
(`edit_sessions`), so any worker can continue it; see staff_flow.mmd beside this file.
Every action goes through bot.staff.StaffService, which checks who may do what.

Staff commands and buttons act in private chats only: in a group, whatever they would show
(history with colleagues' ids, the listing editor, invite codes) would reach everyone there, so
the group gets a short word to use the private chat instead.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, date, datetime

from telegram import Chat, InputFile, Update

from bot import callbacks, texts
from bot.domain import hours as hours_mod
from bot.domain import listings
from bot.domain.models import Center
from bot.domain.text import fold
from bot.guard import JOB_LEASE, acquire_lease
from bot.handlers.context import BotContext
from bot.handlers.keyboards import inline_markup, send_replies
from bot.poster import deep_link, make_poster
from bot.replies import Button, Reply, center_view
from bot.services import Services
from bot.staff import (
    INVITE_DAYS,
    REVERTIBLE,
    EditSession,
    InviteError,
    NotAllowed,
    closure_message,
    field_value,
)
from bot.texts import format_hours, hours_error, listing_error

log = logging.getLogger(__name__)

TEXT_STEP = "value"
LOCATION_STEP = "location"
TOGGLE_STEP = "toggle"
CONFIRM_STEP = "confirm"
UNTIL_STEP = "until"
MESSAGE_STEP = "message"
_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_PERIOD_WORDS = re.compile(r"^(?:del?|desde)?\s*$|^\s*(?:al|a|hasta|-|–)\s*$", re.IGNORECASE)


def _services(context: BotContext) -> Services:
    return context.services


def _args(update: Update) -> list[str]:
    message = update.effective_message
    return (message.text or "").split()[1:] if message else []


async def _say(chat: Chat, text: str, buttons: tuple[tuple[Button, ...], ...] = ()) -> None:
    await send_replies(chat, [Reply(text, buttons=buttons)])


async def _in_private(update: Update, context: BotContext) -> bool:
    """True in a private chat; elsewhere, the chat is told to use the private chat instead."""
    chat = update.effective_chat
    if chat is None or update.effective_user is None:
        return False
    if chat.type == Chat.PRIVATE:
        return True
    await chat.send_message(texts.STAFF_PRIVATE_ONLY.format(bot=texts.esc(context.bot.username)))
    return False


# --- onboarding and entry points ---------------------------------------------------------------


async def cmd_team(update: Update, context: BotContext) -> None:
    """/equipo CODE: a staff member redeems an invite."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    args = _args(update)
    if chat.type != Chat.PRIVATE:
        if len(args) == 1 and len(args[0]) <= 40:  # the code is no secret any more: void it
            await _services(context).staff.discard_exposed_invite(args[0])
            await chat.send_message(
                texts.STAFF_CODE_IN_GROUP.format(bot=texts.esc(context.bot.username))
            )
            return
        await _in_private(update, context)
        return
    if len(args) != 1 or len(args[0]) > 40:
        await _say(chat, texts.STAFF_INVITE_USAGE)
        return
    try:
        center = await _services(context).staff.redeem_invite(user.id, args[0])
    except InviteError as error:
        await _say(chat, texts.STAFF_INVITE_PROBLEMS[error.problem.value])
        return
    log.info("staff linked: user=%s center=%s", user.id, center.id)
    await _say(chat, texts.staff_linked(center.name))


async def cmd_my_center(update: Update, context: BotContext) -> None:
    """/mi_centro [ID]: the listing as entrepreneurs see it, with the editor."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    staff = _services(context).staff
    args = _args(update)
    if args and callbacks.CENTER_ID.match(args[0]):
        await _open(chat, context, user.id, args[0])
        return
    centers = await staff.centers_of(user.id)
    if not centers:
        await _say(chat, texts.STAFF_NOT_STAFF)
        return
    if len(centers) == 1:
        await _open(chat, context, user.id, centers[0].id)
        return
    rows = tuple((Button(c.name[:60], callbacks.staff("open", c.id)),) for c in centers[:20])
    await _say(chat, texts.STAFF_PICK_CENTER, rows)


async def cmd_history(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    args = _args(update)
    centers = await _services(context).staff.centers_of(user.id)
    center_id = args[0] if args else (centers[0].id if len(centers) == 1 else "")
    if not center_id:
        if not centers:
            await _say(chat, texts.STAFF_NOT_STAFF)
            return
        rows = tuple((Button(c.name[:60], callbacks.staff("hist", c.id)),) for c in centers[:20])
        await _say(chat, texts.STAFF_PICK_CENTER, rows)
        return
    await _history(chat, context, user.id, center_id)


async def cmd_cancel(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    services = _services(context)
    if await services.staff.end_edit(user.id):
        await _say(chat, texts.STAFF_CANCELLED)
        return
    # an entrepreneur: the question or list the bot last put to them is dropped
    dropped, language = await services.drop_question(user.id)
    t = texts.for_language(language)
    await _say(chat, t.QUESTION_DROPPED if dropped else t.NOTHING_TO_CANCEL)


# --- admin commands --------------------------------------------------------------------------


async def cmd_invite(update: Update, context: BotContext) -> None:
    """/invitar ID: an admin creates a single-use invite code for a center."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    args = _args(update)
    staff = _services(context).staff
    if len(args) != 1 or not callbacks.CENTER_ID.match(args[0]):
        await _say(chat, texts.ADMIN_INVITE_USAGE)
        if not args and await staff.is_admin(user.id):
            await _open_invites(chat, context, user.id)
        return
    try:
        invite_id, code = await staff.issue_invite(user.id, args[0])
        center = await staff.center_for(user.id, args[0])
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
        return
    except KeyError:
        await _say(chat, texts.ADMIN_UNKNOWN_CENTER)
        return
    revoke = ((Button(texts.ADMIN_INVITE_REVOKE_BUTTON, callbacks.staff("ri", invite_id)),),)
    await _say(chat, texts.staff_invite(center.name, code, INVITE_DAYS), revoke)


async def _open_invites(chat: Chat, context: BotContext, user_id: int) -> None:
    """The unused invites, each with a button that revokes it (admins)."""
    pending = await _services(context).staff.open_invites(user_id)
    if not pending:
        return
    rows = tuple(
        (
            Button(
                texts.ADMIN_OPEN_INVITE_BUTTON.format(
                    id=i.id, center=i.center_id, expires=i.expires_at
                )[:60],
                callbacks.staff("ri", i.id),
            ),
        )
        for i in pending[-20:]
    )
    await _say(chat, texts.ADMIN_OPEN_INVITES, rows)


async def cmd_staff_list(update: Update, context: BotContext) -> None:
    """/personal [ID]: an admin lists staff, with a button to revoke each."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    args = _args(update)
    center_id = args[0] if args and callbacks.CENTER_ID.match(args[0]) else None
    try:
        members = await _services(context).staff.list_staff(user.id, center_id)
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
        return
    if not members:
        await _say(chat, texts.ADMIN_NO_STAFF)
        return
    rows = tuple(
        (
            Button(
                texts.ADMIN_REVOKE_BUTTON.format(user=m.user_id, center=m.center_id)[:60],
                callbacks.staff("rk", m.user_id, m.center_id),
            ),
        )
        for m in members[:30]
    )
    await _say(chat, "👥", rows)


async def cmd_center_ids(update: Update, context: BotContext) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    services = _services(context)
    if not await services.staff.is_admin(user.id):
        await _say(chat, texts.STAFF_REFUSED)
        return
    await _say(chat, texts.center_ids(await services.list_centers(include_unranked=True)))


async def cmd_new_center(update: Update, context: BotContext) -> None:
    """/nuevo_centro HN.08 Name: an admin adds a center serving that department."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    services = _services(context)
    args = _args(update)
    department = args[0] if args else ""
    name = " ".join(args[1:]).strip()[:120]
    if not re.match(r"^[A-Z]{2}\.\w{1,3}$", department) or len(name) < 3:
        await _say(chat, texts.ADMIN_NEW_CENTER_USAGE)
        return
    if not services.gazetteer.department_name(department):
        await _say(chat, texts.ADMIN_NEW_CENTER_USAGE)
        return
    try:  # a name is free text like any other: no control, bidi or invisible characters
        name = listings.validate_text(listings.ListingField.ADDRESS, name)
    except listings.ListingError:
        await _say(chat, texts.ADMIN_NEW_CENTER_USAGE)
        return
    slug = re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")[:34] or "centro"
    center_id = f"{department[:2].lower()}-{slug}"
    try:
        center = await services.staff.add_center(
            user.id, center_id, name, department[:2], department
        )
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
        return
    except ValueError:
        await _say(chat, texts.ADMIN_UNKNOWN_CENTER)
        return
    await _open(chat, context, user.id, center.id)


# --- the listing and its editor ------------------------------------------------------------------


def _editor_buttons(center: Center, admin: bool) -> tuple[tuple[Button, ...], ...]:
    fields = list(texts.STAFF_FIELD_LABELS)
    rows: list[tuple[Button, ...]] = []
    for i in range(0, len(fields), 2):
        rows.append(
            tuple(
                Button(texts.STAFF_FIELD_LABELS[f], callbacks.staff("edit", center.id, f))
                for f in fields[i : i + 2]
            )
        )
    rows.append((Button(texts.STAFF_CONFIRM_BUTTON, callbacks.staff("ok", center.id)),))
    rows.append(
        (
            Button(texts.STAFF_HISTORY_BUTTON, callbacks.staff("hist", center.id)),
            Button(texts.STAFF_POSTER_BUTTON, callbacks.staff("qr", center.id)),
        )
    )
    if center.closure_on(_today(center)):
        rows.append((Button(texts.STAFF_REOPEN_BUTTON, callbacks.staff("reopen", center.id)),))
    if admin:
        rows.append(
            (Button(texts.STAFF_CLOSE_FOREVER_BUTTON, callbacks.staff("kill", center.id)),)
        )
    return tuple(rows)


async def _open(chat: Chat, context: BotContext, user_id: int, center_id: str) -> None:
    services = _services(context)
    try:
        center = await services.staff.center_for(user_id, center_id)
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
        return
    admin = await services.staff.is_admin(user_id)
    view = center_view(center, services.needs, services.agency_for(center.country), staff=True)
    link = deep_link(context.bot.username, center.id)
    view[0] = Reply(
        f"{view[0].text}\n\n{texts.staff_deep_link(link)}",
        view[0].buttons,
        view[0].location_keyboard,
        view[0].venue,
    )
    last = view[-1]
    view[-1] = Reply(last.text, buttons=_editor_buttons(center, admin), venue=last.venue)
    await send_replies(chat, view)


async def _history(chat: Chat, context: BotContext, user_id: int, center_id: str) -> None:
    staff = _services(context).staff
    try:
        changes = await staff.history(user_id, center_id)
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
        return
    if not changes:
        await _say(chat, texts.STAFF_HISTORY_EMPTY)
        return
    lines = [texts.history_line(c.id, c.at, c.field, c.old_value, c.new_value) for c in changes]
    buttons: tuple[tuple[Button, ...], ...] = ()
    if await staff.is_admin(user_id):
        revertible = [c for c in changes if c.field in REVERTIBLE][:5]
        buttons = tuple(
            (Button(texts.STAFF_REVERT_BUTTON.format(id=c.id), callbacks.staff("rv", c.id)),)
            for c in revertible
        )
    await _say(chat, "\n".join(lines), buttons)


async def _start_edit(
    chat: Chat, context: BotContext, user_id: int, center_id: str, field: str
) -> None:
    services = _services(context)
    staff = services.staff
    if field in ("service_area", "services"):
        center = await staff.center_for(user_id, center_id)
        selected = list(center.service_area if field == "service_area" else center.services)
        await staff.start_edit(user_id, center_id, field, TOGGLE_STEP, {"selected": selected})
        await _show_toggles(chat, context, center, field, selected)
        return
    step = {"location": LOCATION_STEP, "closure": UNTIL_STEP}.get(field, TEXT_STEP)
    await staff.start_edit(user_id, center_id, field, step)
    ask = texts.STAFF_ASK["closure_until" if field == "closure" else field]
    await send_replies(
        chat,
        [Reply(ask + texts.STAFF_CANCEL_HINT, location_keyboard=field == "location")],
    )


def _toggle_options(context: BotContext, center: Center, field: str) -> list[tuple[str, str]]:
    services = _services(context)
    if field == "services":
        return [(n.slug, n.label) for n in services.needs]
    departments = services.gazetteer.departments(center.country)
    return [(key, services.gazetteer.department_name(key)) for key in sorted(departments)]


async def _show_toggles(
    chat: Chat, context: BotContext, center: Center, field: str, selected: list[str]
) -> None:
    options = _toggle_options(context, center, field)
    buttons = [
        Button(("✅ " if key in selected else "▫️ ") + label[:28], callbacks.staff("tg", key))
        for key, label in options
    ]
    rows = [tuple(buttons[i : i + 2]) for i in range(0, len(buttons), 2)]
    rows.append(
        (
            Button(texts.STAFF_DONE_BUTTON, callbacks.staff("done", field)),
            Button(texts.STAFF_CANCEL_BUTTON, callbacks.staff("cancel")),
        )
    )
    header = f"{texts.STAFF_FIELD_LABELS[field]}\n{texts.STAFF_PICK_TOGGLES}"
    await _say(chat, header, tuple(rows))


def _confirm_buttons(field: str) -> tuple[tuple[Button, ...], ...]:
    return (
        (
            Button(texts.STAFF_SAVE_BUTTON, callbacks.staff("save", field)),
            Button(texts.STAFF_CANCEL_BUTTON, callbacks.staff("cancel")),
        ),
    )


def _display(field: str, stored: str, context: BotContext, center: Center) -> str:
    """A stored value as staff read it in a preview."""
    if field == "hours" and stored:
        try:
            return format_hours(hours_mod.from_json(stored))
        except ValueError:
            return stored
    if field in ("service_area", "services"):
        labels = dict(_toggle_options(context, center, field))
        return ", ".join(labels.get(k, k) for k in stored.split(";") if k)
    if field == "closure" and stored:
        start, end, message = ([*stored.split("|", 2), "", ""])[:3]
        return f"{start} → {end} {message}".strip()
    return stored


async def _preview(
    chat: Chat, context: BotContext, user_id: int, edit: EditSession, new: str
) -> None:
    staff = _services(context).staff
    center = await staff.center_for(user_id, edit.center_id)
    old = field_value(center, edit.field) if edit.field != "closure" else ""
    await staff.update_edit(user_id, CONFIRM_STEP, {**edit.draft, "value": new})
    text = texts.staff_preview(
        edit.field,
        _display(edit.field, old, context, center),
        _display(edit.field, new, context, center),
    )
    await _say(chat, text, _confirm_buttons(edit.field))


def _validate(field: str, raw: str, center: Center) -> str:
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


async def on_edit_text(update: Update, context: BotContext, edit: EditSession) -> None:
    """A typed message while an edit is in progress."""
    user, chat, message = update.effective_user, update.effective_chat, update.effective_message
    if user is None or chat is None or message is None:
        return
    raw = (message.text or "")[:500]
    staff = _services(context).staff
    try:
        center = await staff.center_for(user.id, edit.center_id)
    except NotAllowed:  # access revoked meanwhile
        await staff.end_edit(user.id)
        await _say(chat, texts.STAFF_REFUSED)
        return
    if edit.step == TEXT_STEP:
        try:
            value = _validate(edit.field, raw, center)
        except listings.ListingError as error:
            await _say(chat, listing_error(error, center.country) + texts.STAFF_CANCEL_HINT)
            return
        except hours_mod.HoursError as error:
            await _say(chat, hours_error(error) + texts.STAFF_CANCEL_HINT)
            return
        except ValueError:  # e.g. a time zone the system does not know
            await _say(chat, texts.STAFF_REFUSED + texts.STAFF_CANCEL_HINT)
            return
        await _preview(chat, context, user.id, edit, value)
    elif edit.step == UNTIL_STEP:
        period = _parse_period(raw, _today(center))
        if period is None:
            await _say(chat, texts.STAFF_BAD_DATE + texts.STAFF_CANCEL_HINT)
            return
        first, until = period
        draft: dict[str, object] = {
            **edit.draft,
            "start": first.isoformat(),
            "until": until.isoformat(),
        }
        await staff.update_edit(user.id, MESSAGE_STEP, draft)
        await _say(chat, texts.STAFF_ASK["closure_message"] + texts.STAFF_CANCEL_HINT)
    elif edit.step == MESSAGE_STEP:
        try:
            note = closure_message(raw)
        except listings.ListingError as error:
            await _say(chat, texts.closure_message_error(error) + texts.STAFF_CANCEL_HINT)
            return
        begins = str(edit.draft.get("start") or _today(center).isoformat())
        value = f"{begins}|{edit.draft.get('until', '')}|{note}"
        await _preview(chat, context, user.id, edit, value)
    elif edit.step == LOCATION_STEP:
        await _say(chat, texts.STAFF_NEED_LOCATION + texts.STAFF_CANCEL_HINT)
    else:  # waiting for a button
        await _say(chat, texts.STAFF_PICK_TOGGLES if edit.step == TOGGLE_STEP else
                   texts.staff_preview(edit.field, "", str(edit.draft.get("value", ""))),
                   _confirm_buttons(edit.field) if edit.step == CONFIRM_STEP else ())  # fmt: skip


async def on_edit_location(
    update: Update, context: BotContext, edit: EditSession, lat: float, lon: float
) -> None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    if edit.step != LOCATION_STEP or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        await _say(chat, texts.STAFF_REFUSED)
        return
    await _preview(chat, context, user.id, edit, f"{lat:.5f},{lon:.5f}")


def _parse_period(raw: str, today: date) -> tuple[date, date] | None:
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


def _today(center: Center) -> date:
    from zoneinfo import ZoneInfo

    zone = center.timezone or hours_mod.timezone_for(center.country)
    return datetime.now(ZoneInfo(zone)).date()


async def on_staff_button(
    update: Update, context: BotContext, action: callbacks.StaffAction
) -> None:
    """Every staff/admin button; the service layer refuses what the user may not do.

    In a group (a forged button: the bot never shows staff buttons there) nothing is done.
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or not await _in_private(update, context):
        return
    try:
        await _staff_button(chat, context, user.id, action)
    except NotAllowed:
        await _say(chat, texts.STAFF_REFUSED)
    except KeyError:
        await _say(chat, texts.STALE_BUTTON)


async def _staff_button(
    chat: Chat, context: BotContext, user_id: int, action: callbacks.StaffAction
) -> None:
    services = _services(context)
    staff = services.staff
    name = action.action
    if name == "open":
        await _open(chat, context, user_id, action.center_id)
    elif name == "edit":
        await staff.center_for(user_id, action.center_id)  # authorization first
        await _start_edit(chat, context, user_id, action.center_id, action.value)
    elif name == "ok":
        await staff.confirm(user_id, action.center_id)
        await _say(chat, texts.STAFF_CONFIRMED)
    elif name == "hist":
        await _history(chat, context, user_id, action.center_id)
    elif name == "rv":
        result = await staff.revert(user_id, int(action.value))
        current = texts.esc(result.current_value)
        await _say(
            chat,
            texts.STAFF_REVERTED if result.saved else texts.STAFF_CONFLICT.format(current=current),
        )
    elif name == "qr":
        center = await staff.center_for(user_id, action.center_id)
        link = deep_link(context.bot.username, center.id)
        png = make_poster(
            center.name,
            link,
            headline=texts.POSTER_HEADLINE,
            instructions=texts.POSTER_INSTRUCTIONS,
        )
        await chat.send_document(
            InputFile(png, filename=f"cartel-{center.id}.png"), caption=texts.POSTER_CAPTION
        )
    elif name == "reopen":
        center = await staff.center_for(user_id, action.center_id)
        reopened = await staff.end_closures(user_id, center.id, _today(center))
        await _say(chat, texts.STAFF_REOPENED if reopened else texts.STAFF_NOT_CLOSED)
    elif name == "kill":
        if not await staff.is_admin(user_id):
            raise NotAllowed
        confirm = (
            (
                Button(
                    texts.STAFF_CLOSE_FOREVER_BUTTON, callbacks.staff("killok", action.center_id)
                ),
                # Back to the listing: "cancel" would end an edit in progress.
                Button(texts.STAFF_CANCEL_BUTTON, callbacks.staff("open", action.center_id)),
            ),
        )
        await _say(chat, texts.STAFF_CLOSE_FOREVER_CONFIRM, confirm)
    elif name == "killok":
        await staff.close_for_good(user_id, action.center_id)
        await _say(chat, texts.STAFF_CLOSED_FOREVER)
    elif name == "rk":
        if await staff.revoke_staff(user_id, int(action.value), action.center_id):
            await _say(chat, texts.ADMIN_REVOKED)
        else:
            await _say(chat, texts.STALE_BUTTON)
    elif name == "ri":
        revoked = await staff.revoke_invite(user_id, int(action.value))
        await _say(chat, texts.ADMIN_INVITE_REVOKED if revoked else texts.ADMIN_INVITE_NOT_OPEN)
    else:
        await _edit_button(chat, context, user_id, action)


async def _edit_button(
    chat: Chat, context: BotContext, user_id: int, action: callbacks.StaffAction
) -> None:
    """Buttons that act on the edit in progress: toggles, done, save, cancel."""
    staff = _services(context).staff
    edit = await staff.current_edit(user_id)
    if action.action == "cancel":
        await staff.end_edit(user_id)
        await _say(chat, texts.STAFF_CANCELLED)
        return
    if edit is None:
        await _say(chat, texts.STAFF_EXPIRED)
        return
    center = await staff.center_for(user_id, edit.center_id)
    if action.action == "tg" and edit.step == TOGGLE_STEP:
        allowed = {key for key, _ in _toggle_options(context, center, edit.field)}
        if action.value not in allowed:
            await _say(chat, texts.STALE_BUTTON)
            return
        selected = [str(v) for v in edit.draft.get("selected", [])]  # type: ignore[attr-defined]
        selected = [v for v in selected if v != action.value] if action.value in selected else [
            *selected, action.value]  # fmt: skip
        await staff.update_edit(user_id, TOGGLE_STEP, {**edit.draft, "selected": selected})
        await _show_toggles(chat, context, center, edit.field, selected)
    elif action.action in ("done", "save") and action.value != edit.field:
        await _say(chat, texts.STALE_BUTTON)  # a button under an earlier edit
    elif action.action == "done" and edit.step == TOGGLE_STEP:
        selected = [str(v) for v in edit.draft.get("selected", [])]  # type: ignore[attr-defined]
        if not selected:
            await _say(chat, texts.STAFF_EMPTY_SELECTION)
            return
        await _preview(chat, context, user_id, edit, ";".join(selected))
    elif action.action == "save" and edit.step == CONFIRM_STEP:
        await _save(chat, context, user_id, edit, center)
    else:
        await _say(chat, texts.STALE_BUTTON)


async def _save(
    chat: Chat, context: BotContext, user_id: int, edit: EditSession, center: Center
) -> None:
    staff = _services(context).staff
    value = str(edit.draft.get("value", ""))
    await staff.end_edit(user_id)
    if edit.field == "closure":
        start, until, note = ([*value.split("|", 2), "", ""])[:3]
        await staff.add_closure(
            user_id, edit.center_id, date.fromisoformat(start), date.fromisoformat(until), note
        )
        await _say(chat, texts.staff_saved(edit.field))
        return
    original = edit.draft.get("original")
    result = await staff.save(
        user_id,
        edit.center_id,
        edit.field,
        value,
        edit.base_version,
        expected=str(original) if original is not None else None,
    )
    if result.saved:
        log.info("listing edited: center=%s field=%s", edit.center_id, edit.field)
        await _say(chat, texts.staff_saved(edit.field))
    else:
        current = _display(edit.field, result.current_value, context, center)
        await _say(chat, texts.STAFF_CONFLICT.format(current=texts.esc(current or "—")))


async def remind_staff(context: BotContext) -> None:
    """JobQueue: the monthly reminder to confirm or correct a listing (one worker only)."""
    if not await acquire_lease(_services(context).sessions, "reminders", JOB_LEASE):
        return
    for user_id, center in await _services(context).staff.due_reminders(datetime.now(UTC)):
        buttons = (
            (Button(texts.STAFF_CONFIRM_BUTTON, callbacks.staff("ok", center.id)),),
            (Button(texts.STAFF_EDIT_BUTTON, callbacks.staff("open", center.id)),),
        )
        try:
            await context.bot.send_message(
                user_id,
                texts.REMINDER.format(center=texts.esc(center.name)),
                reply_markup=inline_markup(buttons),
            )
        except Exception:  # blocked the bot, network: try again next month
            log.warning("reminder not delivered to a staff member of %s", center.id)
