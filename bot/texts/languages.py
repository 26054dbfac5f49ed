"""The `Texts` protocol (what each language provides), the Spanish and English
modules that provide it (`ES`, `EN`) and `for_language`."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Protocol

from bot import texts as _spanish  # the package: every area's Spanish, re-exported
from bot import texts_en as _english
from bot.domain.hours import OpeningStatus, WeeklyHours
from bot.domain.models import Agency, Place


class Texts(Protocol):
    """The entrepreneur's path in one language. The package bot.texts (Spanish) and
    bot.texts_en (English) each provide every member; mypy checks it where `ES` and `EN`
    are bound."""

    # buttons
    LOCATION_BUTTON: str
    ANY_SERVICE_BUTTON: str
    MORE_BUTTON: str
    CHANGE_NEED_BUTTON: str
    CHANGE_PLACE_BUTTON: str
    DETAILS_BUTTON: str
    REPORT_BUTTON: str
    NONE_OF_THESE_BUTTON: str
    PREVIOUS_PAGE_BUTTON: str
    NEXT_PAGE_BUTTON: str
    # messages
    WELCOME: str
    SERVICE_MENU: str
    HELP: str
    ASK_LOCATION_ONLY: str
    THANKS: str
    BYE: str
    GREETING: str
    JOB: str
    UNCLEAR: str
    SHORT_LINK: str
    STALE_BUTTON: str
    NO_MORE: str
    PICK_LOCATION: str
    REPORT_PICK: str
    REPORT_CANCEL_BUTTON: str
    OTHER_NEED_QUESTION: str
    QUESTION_DROPPED: str
    NOTHING_TO_CANCEL: str
    REPORT_CANCELLED: str
    REPORT_THANKS: str
    REPORT_TOO_MANY: str
    REPORT_FIELD_LABELS: Mapping[str, str]
    NEED_LABELS: Mapping[str, str]  # service labels by slug ({}: the database's, Spanish)
    # the card and its lines
    SOURCE_KINDS: Mapping[str, str]
    UNOFFICIAL: str
    UNDATED: str
    FACT_YEAR: str
    FACT_YEAR_OLD: str
    FACT_LABELS: Mapping[str, str]
    CAUTIONS: Mapping[str, str]
    UNLOCATED: str
    UNLOCATED_SHORT: str
    NO_ADDRESS: str
    CITY_ONLY: str
    YOUR_LOCATION: str
    TO_THE: str
    COMPASS: tuple[str, ...]
    SERVES_SOURCED: str
    SERVES_INFERRED: str
    UNDER_1_KM: str
    ABOUT_KM: str
    DISTANCE: str
    NO_AREA_CENTER: str
    ABROAD: str
    NEED_ELSEWHERE: str
    NEED_ELSEWHERE_UNPLACED: str
    NEED_NOWHERE: str
    AREA_CENTER_LACKS: str
    FAR: str
    SERVICES_SOURCED: str
    SERVICES_ASSUMED: str
    DATA_FROM: str
    DATA_PUBLIC: str
    DATA_YEAR: str
    DATA_UNDATED: str
    DATA_NOTE: str
    DATA_NOTE_CONFIRM: str
    CONTACT_VIA: str
    NO_CONTACT_CENPROMYPE: str
    NO_CONTACT_ASK: str
    NO_CONTACT_REGION: str
    NATIONAL_AGENCY: str
    NO_CONFIRMED_CONTACT: str
    IN_THE_REGION: str
    SOURCES: str
    CENTER_LINE_KM: str
    CENTER_LINE_SERVES: str
    CENTER_LINE_SERVES_INFERRED: str
    CENTER_LINE_ASSUMED: str
    NO_CENTER: str
    FOLLOW_UP_NO_CENTER: str
    FOLLOW_UP_ASK_AGENCY: str
    NATIONAL_AGENCY_OF: str
    NO_AGENCY_CONTACT: str
    REGIONAL_AGENCY: str
    SUPPORT_POINTS: str
    SUPPORT_SOURCE_YEAR: str
    SUPPORT_SOURCE_UNDATED: str
    SUPPORT_POINT: str
    APPROXIMATE: str
    CITY_CENTER: str
    # answers to a question about the center just shown
    FOLLOW_UP_NO_PHONE: str
    FOLLOW_UP_NO_EMAIL: str
    FOLLOW_UP_NO_ADDRESS: str
    FOLLOW_UP_NO_HOURS: str
    FOLLOW_UP_NO_SERVICES: str
    FOLLOW_UP_NO_OTHER: str
    FOLLOW_UP_MAP: str
    FOLLOW_UP_ASK_CENTER: str
    FOLLOW_UP_REPORT: str

    # what depends on the language's grammar
    def country_name(self, code: str) -> str: ...
    def division(self, country: str, admin1: str = "") -> str: ...
    def km(self, distance: float) -> str: ...
    def month_year(self, value: str) -> str: ...
    def format_status(self, status: OpeningStatus, today: date | None = None) -> str: ...
    def format_hours(self, hours: WeeklyHours) -> str: ...
    def freshness(self, confirmed_at: datetime | None, now: datetime) -> str: ...
    def what_to_bring(self, country: str) -> str: ...
    def ambiguous(self, query: str) -> str: ...
    def not_found(self, query: str) -> str: ...
    def not_found_in(self, query: str, country: str) -> str: ...
    def departments_question(self, country: str, first: int, last: int, total: int) -> str: ...
    def outside_region(self, query: str, regional: Agency | None, today: date) -> str: ...
    def ask_location(self, need_labels: list[str]) -> str: ...
    def ask_need(self, place: Place) -> str: ...
    def unclear_need(self, answer: str) -> str: ...
    def understood_need(self, label: str) -> str: ...
    def more_centers(self, lines: list[str], shown_from: int) -> str: ...


# --- Languages ------------------------------------------------------------------------------

ES: Texts = _spanish
EN: Texts = _english


def for_language(language: str) -> Texts:
    """The texts of a language code (bot.language): English for "en", else Spanish."""
    return EN if language == "en" else ES
