"""The entrepreneur's path in English, for Belize: the members of `bot.texts.Texts`, with the
same names as their Spanish originals in bot.texts (mypy checks that none is missing).

Only what differs by language is here; the render helpers of bot.texts build the card and the
lists from these strings. Values from the database (names, addresses, free-text hours) stay as
they are; `esc` is applied by the helpers, as in Spanish.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from bot import texts as es
from bot.domain.hours import DAY_MINUTES, OpeningStatus, StatusKind, TimeRange, WeeklyHours
from bot.domain.models import Agency, Confidence, Place

# --- Buttons --------------------------------------------------------------------------------

LOCATION_BUTTON = "📍 Share my location"
ANY_SERVICE_BUTTON = "🔎 Any service"
MORE_BUTTON = "➕ See more centers"
CHANGE_NEED_BUTTON = "🔁 Change service"
CHANGE_PLACE_BUTTON = "📍 Change location"
DETAILS_BUTTON = "ℹ️ Details"
REPORT_BUTTON = "🚩 Report a wrong detail"
NONE_OF_THESE_BUTTON = "🤷 None of these"
PREVIOUS_PAGE_BUTTON = "⬅️ Previous"
NEXT_PAGE_BUTTON = "More ➡️"

# --- Messages -------------------------------------------------------------------------------

WELCOME = (
    "👋 Welcome to <b>Ruta MIPYME</b>!\n"
    "I help you find the nearest small-business support center that offers what your "
    "business needs: advice, training, loans, paperwork, sales and more. The centers' "
    "services are free or low-cost.\n\n"
    "Write to me in your own words, for example: <i>«I live in Belize City and need a "
    "loan»</i>, or tap <b>📍 Share my location</b>."
)
SERVICE_MENU = "What does your business need? Pick an option or write it in your own words:"
HELP = (
    "ℹ️ <b>How to use Ruta MIPYME</b>\n"
    "• Tell me where you are (town, village, district) or share your location.\n"
    "• Tell me what you need: a loan, registering your business, a trademark, selling more…\n"
    "• I answer with the center that serves you, its contact and how to get there.\n\n"
    "Commands: /servicios to pick a service, /ubicacion to share your location, /centros to "
    "see the centers, /privacidad and /olvidar for your data."
)
ASK_LOCATION_ONLY = (
    "📍 Which town, district or department are you in? Write it or tap <b>Share my location</b>."
)
THANKS = "You're very welcome! 😊 If your business needs anything else, I'm here."
BYE = "Goodbye! 👋 All the best with your business. Write to me whenever you need."
GREETING = (
    "Hello! 👋 Tell me where you are and what your business needs, for example: "
    "<i>«I'm in Orange Walk and want to register my business»</i>."
)
JOB = (
    "The small-business support centers help people who have a business or want to start "
    "one; they do not offer jobs. If you want to start a business, tell me your idea and where "
    "you are, and I will tell you where to get advice."
)
UNCLEAR = (
    "Sorry, I did not quite understand. 🙏 Tell me where you are and what your business "
    "needs, or tap /servicios to see the options."
)
SHORT_LINK = (
    "I cannot open short map links. 🙏 Tap <b>📍 Share my location</b> or write the name of "
    "your town."
)
STALE_BUTTON = (
    "That button is no longer valid. Please tell me again where you are and what you need. 🙏"
)
NO_MORE = "There are no more centers to show for this search."
PICK_LOCATION = (
    "All right. 📍 Tap <b>Share my location</b> or write the name of your district, "
    "department or province (and, if you like, of your town)."
)
REPORT_PICK = "Which detail of this center is wrong? We will let the center know."
REPORT_CANCEL_BUTTON = "✖️ Cancel"
REPORT_CANCELLED = "All right, no report was sent. Ask me anything whenever you like."
REPORT_THANKS = "🙏 Thank you! We have told the center so they can check it."
REPORT_TOO_MANY = (
    "We have already received several reports from you today. Thank you for your help!"
)
REPORT_FIELD_LABELS: Mapping[str, str] = {
    "phone": "📞 Phone",
    "email": "✉️ E-mail",
    "address": "📍 Address",
    "city": "🏙️ City",
    "location": "📌 Map position",
    "hours": "🕘 Opening hours",
    "website": "🌐 Website",
    "service_area": "🗺️ Areas it serves",
    "services": "🧰 Services",
    "closure": "⛔ Temporary closure",
}
# The twelve services of data/services.csv, in English.
NEED_LABELS: Mapping[str, str] = {
    "emprendimiento": "Starting a business and business ideas",
    "asesoria": "Business advice and assessment",
    "capacitacion": "Training and workshops",
    "financiamiento": "Access to finance",
    "formalizacion": "Registration and paperwork",
    "finanzas": "Accounting, costs and taxes",
    "mercadeo": "Marketing and sales",
    "digital": "Technology and e-commerce",
    "exportacion": "Exporting and foreign trade",
    "calidad": "Quality, health permits and standards",
    "propiedad_intelectual": "Trademarks and intellectual property",
    "asociatividad": "Cooperatives and value chains",
}

# --- Places ---------------------------------------------------------------------------------

COUNTRY_NAMES: Mapping[str, str] = {
    "HN": "Honduras",
    "SV": "El Salvador",
    "GT": "Guatemala",
    "NI": "Nicaragua",
    "CR": "Costa Rica",
    "PA": "Panama",
    "BZ": "Belize",
    "DO": "the Dominican Republic",
}
DIVISIONS = {
    "HN": "department",
    "GT": "department",
    "SV": "department",
    "NI": "department",
    "CR": "province",
    "PA": "province",
    "DO": "province",
    "BZ": "district",
}
DIVISIONS_BY_KEY = {
    "NI.17": "autonomous region",
    "NI.18": "autonomous region",
    "PA.09": "comarca",
    "PA.11": "comarca",
    "PA.12": "comarca",
    "DO.34": "district",
}
DIVISION_QUESTIONS = {
    "PA": "province or comarca",
    "NI": "department or autonomous region",
}
YOUR_LOCATION = "your location"
TO_THE = "{side}"
COMPASS: tuple[str, ...] = (
    "north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest"
)  # fmt: skip
REGION_COUNTRIES = (
    "Belize, Costa Rica, El Salvador, Guatemala, Honduras, Nicaragua, Panama and the "
    "Dominican Republic"
)


def country_name(code: str) -> str:
    return COUNTRY_NAMES.get(code, code)


def division(country: str, admin1: str = "") -> str:
    """«department», «province», «comarca», «autonomous region» or «district»."""
    return DIVISIONS_BY_KEY.get(admin1) or DIVISIONS.get(country, "department")


def km(distance: float) -> str:
    return f"{distance:.0f}" if distance >= 10 else f"{distance:.1f}"


def _where(query: str, fallback: str) -> str:
    return f"«{es.esc(query)}»" if query else fallback


def ambiguous(query: str) -> str:
    return f"🤔 There are several places called {_where(query, 'that')}. Which one is yours?"


def not_found(query: str) -> str:
    return (
        f"🔍 I do not know {_where(query, 'that place')}: it is not in my list of places. "
        "Write the name of your district, department or province, or tap "
        "<b>📍 Share my location</b>."
    )


def not_found_in(query: str, country: str) -> str:
    where = es.esc(country_name(country))
    name = _where(query, "that place")
    return f"🔍 I do not know {name}: it is not in my list of places in {where}."


def departments_question(country: str, first: int, last: int, total: int) -> str:
    word = DIVISION_QUESTIONS.get(country) or division(country)
    where = es.esc(country_name(country))
    return (
        f"🗺️ Which {word} of {where} are you in? Pick yours ({first}–{last} of {total}) and "
        "I will tell you the center that serves it. You can also write the name of your town."
    )


def outside_region(query: str, regional: Agency | None, today: date) -> str:
    where = f"«{es.esc(query)}» is" if query else "That place is"
    lines = [
        "🌎 Ruta MIPYME guides people who have or want to start a business in Central "
        f"America and the Dominican Republic: {REGION_COUNTRIES}. {where} outside those "
        "countries, so I do not have a center that serves it."
    ]
    if regional is not None:
        lines.append(
            "You can contact the regional small-business support body, "
            f"<b>{es.esc(regional.name)}</b>:"
        )
        lines.extend(es.agency_contact_lines(regional, today, lang=es.EN))
    lines.append(
        "If your business is in one of those countries, tell me your town or district, or "
        "share your location. 🙏"
    )
    return "\n".join(lines)


def ask_location(need_labels: list[str]) -> str:
    what = f" with <b>{es.esc(need_labels[0])}</b>" if need_labels else ""
    return f"👍 I will gladly help you{what}. {ASK_LOCATION_ONLY}"


def ask_need(place: Place) -> str:
    return f"📍 Got it: {es.place_label(place, lang=es.EN)}.\n{SERVICE_MENU}"


def understood_need(label: str) -> str:
    return (
        f"🔎 I understood you need <b>{es.esc(label)}</b>. If it was something else, tap it below."
    )


QUESTION_DROPPED = (
    "All right, we leave it there. Whenever you like, tell me where you are and what your "
    "business needs."
)
NOTHING_TO_CANCEL = "Nothing is pending. Tell me where you are and what your business needs."
OTHER_NEED_QUESTION = "Or were you looking for one of these? Tap it:"


def unclear_need(answer: str) -> str:
    return (
        f"I did not recognise «{es.esc(answer[:60])}» as a service. "
        "Pick the closest one, or tell me in other words what your business needs:"
    )


def more_centers(lines: list[str], shown_from: int) -> str:
    return f"More centers ({shown_from + 1}–{shown_from + len(lines)}):\n\n" + "\n\n".join(lines)


# --- The card -------------------------------------------------------------------------------

SOURCE_KINDS: Mapping[str, str] = {
    Confidence.OFFICIAL: "an official source",
    Confidence.NEWS: "the press",
    Confidence.THIRD_PARTY: "an unofficial source",
}
UNOFFICIAL = "unofficial source"
UNDATED = "undated"
FACT_YEAR = "from {year}"
FACT_YEAR_OLD = "from {year}: please confirm"
FACT_LABELS: Mapping[str, str] = {
    "host_switchboard": "switchboard of the host institution, not of the center",
    "host_email": "general e-mail of the host institution",
    "host_campus": "campus of the host institution",
    "host_office": "its office used to be there",
    "delegation": "one of its offices, not the head office",
    "agency_office": "office of the national institution",
}
CAUTIONS: Mapping[str, str] = {
    "funding_cuts_2025": (
        "⚠️ After the 2025 funding cuts we do not know whether it is still open: confirm "
        "before you go."
    ),
    "announced": "⚠️ Announced in {when}: we do not know whether it has opened yet.",
    "status_unknown": "⚠️ We do not know whether it is still working: confirm before you go.",
}
UNLOCATED = (
    "📌 Location not confirmed: we do not know how far it is from you, and no source says "
    "it serves your {division}."
)
UNLOCATED_SHORT = "location not confirmed"
NO_ADDRESS = "📍 Address not confirmed."
CITY_ONLY = "📍 {city} (exact address not available){note}"
SERVES_SOURCED = "✅ Serves your {division}{name}."
SERVES_INFERRED = "🧭 By its region, it probably serves your {division}{name}."
UNDER_1_KM = "less than 1"
ABOUT_KM = "about {km}"
DISTANCE = "📏 {far} km from you."
NO_AREA_CENTER = " No source says which center serves your {division}{name}."
ABROAD = (
    "⚠️ We have no center registered in {country} that can serve you; this is the nearest "
    "one, in {center_country}."
)
NEED_ELSEWHERE = (
    "⚠️ This center does not list «{need}»; {center} does{where}: see it under «See more centers»."
)
NEED_ELSEWHERE_UNPLACED = ", but we do not know where it is"
NEED_NOWHERE = (
    "⚠️ No registered center of your country lists «{need}»; here is the one that serves "
    "you: ask them, they can point you in the right direction."
)
AREA_CENTER_LACKS = (
    "ℹ️ The center of your {division} ({center}) does not list «{need}»; this one offers it."
)
FAR = "🚌 It is far from you: call or write before you travel."
SERVICES_SOURCED = "🧰 Offers, according to its sources: "
SERVICES_ASSUMED = "🧩 Usual in the network, not confirmed at this center: "
DATA_FROM = "Data from {kind}"
DATA_PUBLIC = "Data from public sources"
DATA_YEAR = ", {year}"
DATA_UNDATED = ", undated"
DATA_NOTE = "🗓️ {what}{when}."
DATA_NOTE_CONFIRM = "🗓️ {what}{when}. <b>Confirm before you go.</b>"
CONTACT_VIA = "☎️ To contact them, ask {agency}: {contact}"
NO_CONTACT_CENPROMYPE = "☎️ No published contact: ask CENPROMYPE: {website}."
NO_CONTACT_ASK = "☎️ No published contact: ask {agency}"
NO_CONTACT_REGION = " or, in the region, CENPROMYPE: {website}"
NATIONAL_AGENCY = "🏛️ National institution: {name}"
NO_CONFIRMED_CONTACT = " (no confirmed contact)"
IN_THE_REGION = "🌎 In the region: {name}"
SOURCES = "📚 Sources: "
CENTER_LINE_KM = "{km} km away"
CENTER_LINE_SERVES = "serves your {division}"
CENTER_LINE_SERVES_INFERRED = "probably serves your {division}"
CENTER_LINE_ASSUMED = " (usual in the network, not confirmed)"
NO_CENTER = "😔 We do not have a registered small-business support center that serves {place} yet."
NATIONAL_AGENCY_OF = "🏛️ National small-business support institution in {country}:"
FOLLOW_UP_NO_CENTER = (
    "We do not have a registered center for {place} yet, so I do not have that detail."
)
FOLLOW_UP_ASK_AGENCY = "🏛️ The nearest help I know of is <b>{name}</b>:"
NO_AGENCY_CONTACT = "We have no confirmed contact (phone, e-mail or website)."
REGIONAL_AGENCY = "🌎 In the region (SICA): <b>{name}</b>"
SUPPORT_POINTS = (
    "📌 Other support points in your {division}, not confirmed as centers of the network:"
)
SUPPORT_SOURCE_YEAR = "source from {year}"
SUPPORT_SOURCE_UNDATED = "undated source"
SUPPORT_POINT = "• {name}{where} ({when}: confirm before you go)"
APPROXIMATE = " (approximate location)"
CITY_CENTER = "{place} — city center, not the office"
FOLLOW_UP_NO_PHONE = "📞 We have no published phone number for this center."
FOLLOW_UP_NO_EMAIL = "✉️ We have no published e-mail for this center."
FOLLOW_UP_NO_ADDRESS = "📍 We do not have this center's exact address."
FOLLOW_UP_NO_HOURS = "🕘 We have no published opening hours: confirm before you go."
FOLLOW_UP_NO_SERVICES = "🧰 We have no published list of this center's services."
FOLLOW_UP_NO_OTHER = "🏢 We have no other center registered for your search."
FOLLOW_UP_MAP = "🗺️ The pin on the map is below{approximate}."
FOLLOW_UP_ASK_CENTER = "You can ask the center: {contact}"
FOLLOW_UP_REPORT = "If you know the right detail, tap «🚩 Report a wrong detail»."

# The identity document to bring, named where the card has a basis for it (see bot.texts).
DOCUMENTS: Mapping[str, str] = {
    "HN": "your DNI and, if you have one, your RTN",
    "SV": "your DUI",
    "DO": "your cédula",
}
ANY_DOCUMENT = "your ID document"
WHAT_TO_BRING = (
    "🎒 Bring {document} basic facts about your business (what you sell, monthly sales)."
)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def what_to_bring(country: str) -> str:
    document = DOCUMENTS.get(country, ANY_DOCUMENT)
    joined = f"{document}, and" if "," in document else f"{document} and"
    return WHAT_TO_BRING.format(document=joined)


def month_year(value: str) -> str:
    """ "2025-12-14" -> "December 2025"; "2011" -> "2011"; "" -> "an unknown date"."""
    head = value[:4]
    if len(head) != 4 or not head.isdigit():
        return "an unknown date"
    month = value[5:7]
    if month.isdigit() and 1 <= int(month) <= 12:
        return f"{MONTHS[int(month) - 1]} {head}"
    return head


def freshness(confirmed_at: datetime | None, now: datetime) -> str:
    if confirmed_at is None:
        return "🗓️ The center has not confirmed these details yet."
    days = (now - confirmed_at).days
    when = "today" if days <= 0 else "yesterday" if days == 1 else f"{days} days ago"
    return f"🗓️ Details confirmed by the center {when}."


# --- Opening hours --------------------------------------------------------------------------


def format_time(minutes: int) -> str:
    """8:00 a.m., 12:00 noon, 1:30 p.m., 12:00 a.m. (midnight)."""
    hour, minute = divmod(minutes % DAY_MINUTES, 60)
    if (hour, minute) == (12, 0):
        return "12:00 noon"
    suffix = "a.m." if hour < 12 else "p.m."
    return f"{(hour - 1) % 12 + 1}:{minute:02d} {suffix}"


def format_range(r: TimeRange) -> str:
    if (r.start, r.end) == (0, DAY_MINUTES):
        return "24 hours"
    end = "midnight" if r.end == DAY_MINUTES else format_time(r.end)
    return f"{format_time(r.start)} {es.EN_DASH} {end}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _days_label(first: int, last: int) -> str:
    if last - first == 6:
        return "Every day"
    if first == last:
        return WEEKDAYS[first]
    link = " and " if last == first + 1 else " to "
    return WEEKDAYS[first] + link + WEEKDAYS[last]


def format_hours(hours: WeeklyHours) -> str:
    """One line per run of consecutive days with the same hours; closed days are left out."""
    lines = []
    day = 0
    while day < 7:
        ranges = hours.days[day]
        last = day
        while last + 1 < 7 and hours.days[last + 1] == ranges:
            last += 1
        if ranges:
            lines.append(f"{_days_label(day, last)}: {_join([format_range(r) for r in ranges])}")
        day = last + 1
    return "\n".join(lines)


def format_date(day: date, today: date) -> str:
    """ "January 5", with the year when it is not this year's."""
    text = f"{MONTHS[day.month - 1]} {day.day}"
    return text if day.year == today.year else f"{text}, {day.year}"


def _at_time(moment: datetime) -> str:
    return f"at {format_time(moment.hour * 60 + moment.minute)}"


def _when(moment: datetime, today: date) -> str:
    """ "today at 8:00 a.m.", "tomorrow…", "on Monday…", "on Monday, January 6…"."""
    day = moment.date()
    ahead = (day - today).days
    if ahead == 0:
        label = "today"
    elif ahead == 1:
        label = "tomorrow"
    elif 1 < ahead < 7:
        label = f"on {WEEKDAYS[day.weekday()]}"
    else:
        label = f"on {WEEKDAYS[day.weekday()]}, {format_date(day, today)}"
    return f"{label} {_at_time(moment)}"


def format_status(status: OpeningStatus, today: date | None = None) -> str:
    """ "Open now · closes at 5:00 p.m.", "Closed · opens tomorrow at…"…; "" when unknown."""
    today = today or status.now.date()
    if status.kind is StatusKind.OPEN:
        closes = status.closes_at
        if closes is None:
            return "Open now"
        if closes.date() == today:
            return f"Open now · closes {_at_time(closes)}"
        if closes.date() == today + timedelta(days=1) and (closes.hour, closes.minute) == (0, 0):
            return "Open now · closes at midnight"
        return f"Open now · closes {_when(closes, today)}"
    if status.kind is StatusKind.CLOSED:
        if status.opens_at is None:
            return "Closed"
        return f"Closed · opens {_when(status.opens_at, today)}"
    if status.kind is StatusKind.CLOSURE:
        until = status.closed_until
        if until is None or until == today:
            text = "Closed today"
        else:
            text = f"Temporarily closed until {format_date(until, today)}"
        message = status.closure.message.strip() if status.closure else ""
        return f"{text} · {es.esc(message)}" if message else text
    return ""
