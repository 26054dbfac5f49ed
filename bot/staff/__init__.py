"""Staff and admin use cases: invites, listing edits, history, closures, reports, reminders.

Every method that changes something takes the acting Telegram user id and checks, here in the
service layer, that this user may do it — whatever button, command or forged callback led here.
The command line acts as `CLI_ACTOR`, a coordinator on the server.

`StaffService` gathers the use cases of each area (every public name is re-exported here):

- `model`: fields, refusals and the records the use cases return
- `permissions`: who may do what (`StaffBase`), and the history row every change writes
- `admins`: admins, new centers, closing a center for good
- `invites`: invite codes and the staff they link
- `listings`: saving values, confirming, closures, reopening, history, reverting
- `edits`: the listing-edit conversation's state (one row per user, any worker continues it)
- `edit_flow`: its steps, one call per message (validation, dates, preview, save)
- `reports`: reports of a wrong detail, monthly reminders
"""

from __future__ import annotations

from bot.staff.admins import AdminCases as AdminCases
from bot.staff.edit_flow import EditFlow as EditFlow
from bot.staff.edits import EditCases as EditCases
from bot.staff.invites import InviteCases as InviteCases
from bot.staff.listings import ListingCases as ListingCases
from bot.staff.listings import closure_message as closure_message
from bot.staff.model import *  # noqa: F403
from bot.staff.permissions import StaffBase as StaffBase
from bot.staff.reports import ReportCases as ReportCases


class StaffService(AdminCases, InviteCases, EditFlow, ReportCases):
    """Every staff and admin use case (`StaffBase` holds the settings and sessions)."""
