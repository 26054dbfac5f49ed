"""Center staff and admins in the bot: onboarding, the listing editor, history, admin tools.

The handlers only translate Telegram to the use cases of bot.staff.StaffService (which checks
who may do what) and back: the edit conversation's steps are bot.staff.edit_flow, its state
lives in the database (`edit_sessions`), so any worker can continue it; see
bot/handlers/staff_flow.mmd.

Staff commands and buttons act in private chats only: in a group, whatever they would show
(history with colleagues' ids, the listing editor, invite codes) would reach everyone there, so
the group gets a short word to use the private chat instead.

- `common`: the private-chat check and small helpers
- `invites`: /equipo (joining a team), /invitar and the open invites
- `admin`: /personal, /centros_id, /nuevo_centro
- `listings`: /mi_centro, /historial, /cancelar, the listing editor and its edit flow
- `buttons`: every staff and admin button
- `reminders`: the monthly reminder job
"""

from __future__ import annotations

from bot.handlers.staff.admin import cmd_center_ids as cmd_center_ids
from bot.handlers.staff.admin import cmd_new_center as cmd_new_center
from bot.handlers.staff.admin import cmd_staff_list as cmd_staff_list
from bot.handlers.staff.buttons import on_staff_button as on_staff_button
from bot.handlers.staff.invites import cmd_invite as cmd_invite
from bot.handlers.staff.invites import cmd_team as cmd_team
from bot.handlers.staff.listings import cmd_cancel as cmd_cancel
from bot.handlers.staff.listings import cmd_history as cmd_history
from bot.handlers.staff.listings import cmd_my_center as cmd_my_center
from bot.handlers.staff.listings import on_edit_location as on_edit_location
from bot.handlers.staff.listings import on_edit_text as on_edit_text
from bot.handlers.staff.reminders import remind_staff as remind_staff
