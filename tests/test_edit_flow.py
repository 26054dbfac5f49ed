"""The listing-edit flow's pure steps (bot.staff.edit_flow): reading a closure's dates and the
stored form of a typed value, without Telegram."""

from __future__ import annotations

from datetime import date

import pytest

from bot.domain.hours import HoursError
from bot.domain.listings import ListingError
from bot.domain.models import Center
from bot.staff.edit_flow import parse_period, stored_value

TODAY = date(2026, 12, 20)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("24/12/2026", (TODAY, date(2026, 12, 24))),
        ("24/12/2026 al 26/12/2026", (date(2026, 12, 24), date(2026, 12, 26))),
        ("del 24-12-2026 hasta 26.12.2026", (date(2026, 12, 24), date(2026, 12, 26))),
        ("19/12/2026", None),  # past
        ("26/12/2026 al 24/12/2026", None),  # backwards
        ("31/02/2027", None),  # no such day
        ("cerrado el 24/12/2026 por inventario", None),  # words around the dates
        ("mañana", None),
    ],
)
def test_parse_period(raw: str, expected: tuple[date, date] | None) -> None:
    assert parse_period(raw, TODAY) == expected


def test_stored_value_validates_by_field() -> None:
    center = Center(id="hn-x", country="HN", name="X")
    assert stored_value("email", " CDE@Ejemplo.org ", center).lower() == "cde@ejemplo.org"
    with pytest.raises(ListingError):
        stored_value("phone", "llámenos", center)
    with pytest.raises(HoursError):
        stored_value("hours", "cuando se pueda", center)
