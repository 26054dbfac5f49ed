"""Every Spanish string a user sees, and small render helpers, by area.

All values that come from the database or from the user go through `esc` (HTML parse mode).
The register is "usted", as Honduran public services and advisors use.

The entrepreneur's path is also written in English, for Belize (`bot.texts_en`): the members
of `Texts` exist, with the same names, in both modules, and the render helpers here take the
language's module as `lang` (Spanish when None). `for_language` picks the module. Staff tools
and commands other than /start and /help stay in Spanish.

The areas (every public name is re-exported here: `texts.X`, `from bot.texts import X`):

- `languages`: the `Texts` protocol, `ES`, `EN`, `for_language`
- `common`: `esc`, country names and divisions, place labels, choice buttons
- `search`: the search's buttons and questions, a place not found or outside the region
- `help`: welcome, help, privacy, small talk, generic answers, the demo
- `sources`: source kinds and labels, cautions, dates, the data note, freshness
- `agencies`: national agencies and CENPROMYPE, whom to ask when a center has no contact
- `card`: the card of a center and its «Detalles», opening lines, what to bring
- `lists`: «Ver más centros», no center for a place, the directory of centers
- `followups`: answers to a question about the center just shown
- `hours`: opening hours and status
- `staff_listings`: the staff's listing editor; `listing_errors`: what is wrong with a value
- `staff_invites`: invites, joining a team, admin commands
- `reports`: reports of a wrong detail, reminders, the QR poster

Two areas have their own namespace (not re-exported, as their names would clash):
- `requests`: the appointment request, its receivers' side, feedback (Spanish and English:
  `from bot.texts import requests`)
- `stats`: /estadisticas and `python -m bot stats` (`from bot.texts import stats`)
"""

from __future__ import annotations

from bot.texts.agencies import *  # noqa: F403
from bot.texts.card import *  # noqa: F403
from bot.texts.common import *  # noqa: F403
from bot.texts.followups import *  # noqa: F403
from bot.texts.help import *  # noqa: F403
from bot.texts.hours import *  # noqa: F403
from bot.texts.languages import *  # noqa: F403
from bot.texts.listing_errors import *  # noqa: F403
from bot.texts.lists import *  # noqa: F403
from bot.texts.reports import *  # noqa: F403
from bot.texts.search import *  # noqa: F403
from bot.texts.sources import *  # noqa: F403
from bot.texts.staff_invites import *  # noqa: F403
from bot.texts.staff_listings import *  # noqa: F403
