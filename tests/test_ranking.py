"""The ranking rule of the eval README: country, main need, service area, distance."""

from __future__ import annotations

from bot.domain.models import Center, SearchQuery
from bot.domain.ranking import rank_centers

CORE = ("asesoria", "financiamiento", "formalizacion")

# Danlí, El Paraíso (HN.07)
DANLI = SearchQuery(lat=14.03, lon=-86.58, country="HN", admin1="HN.07", needs=("financiamiento",))


def center(cid: str, **kw: object) -> Center:
    fields: dict[str, object] = {"name": cid, "country": "HN", "services": CORE}
    fields.update(kw)
    return Center(id=cid, **fields)  # type: ignore[arg-type]


def ids(query: SearchQuery, centers: list[Center]) -> list[str]:
    return [m.center.id for m in rank_centers(query, centers)]


def test_center_serving_the_department_beats_a_nearer_one() -> None:
    centers = [
        center("near", lat=14.08, lon=-87.2),  # Tegucigalpa, ~70 km
        center("area", service_area=("HN.07",)),  # no pin, serves El Paraíso
    ]
    assert ids(DANLI, centers) == ["area", "near"]


def test_main_need_beats_service_area() -> None:
    centers = [
        center("area", service_area=("HN.07",), services=("asesoria",)),
        center("offers", lat=14.08, lon=-87.2, services=("exportacion",)),
    ]
    query = SearchQuery(14.03, -86.58, "HN", "HN.07", needs=("exportacion", "asesoria"))
    ranked = rank_centers(query, centers)
    assert [m.center.id for m in ranked] == ["offers", "area"]
    assert ranked[0].offers_need and not ranked[1].offers_need
    assert ranked[1].matched_needs == ("asesoria",)


def test_own_country_first_then_other_countries_nearest_first() -> None:
    centers = [
        center("sv-near", country="SV", lat=13.48, lon=-88.18),
        center("hn-far", lat=15.5, lon=-88.02),
        center("ni", country="NI", lat=13.63, lon=-86.48),
    ]
    assert ids(DANLI, centers) == ["hn-far", "ni", "sv-near"]


def test_user_abroad_gets_nearest_foreign_centers() -> None:
    managua = SearchQuery(12.13, -86.25, "NI", "NI.10", needs=("financiamiento",))
    centers = [center("tegus", lat=14.08, lon=-87.2), center("sps", lat=15.5, lon=-88.02)]
    ranked = rank_centers(managua, centers)
    assert [m.center.id for m in ranked] == ["tegus", "sps"]
    assert not ranked[0].same_country


def test_center_without_location_or_the_users_department_is_not_ranked() -> None:
    centers = [center("nowhere"), center("elsewhere", service_area=("HN.01",))]
    assert ids(DANLI, centers) == []


def test_unranked_support_offices_are_never_proposed() -> None:
    centers = [
        center("office", lat=14.03, lon=-86.58, ranked=False),
        center("cde", lat=15.5, lon=-88.0),
    ]
    assert ids(DANLI, centers) == ["cde"]


def test_nearest_first_among_centers_that_do_not_serve_the_department() -> None:
    centers = [center("sps", lat=15.5, lon=-88.02), center("tegus", lat=14.08, lon=-87.2)]
    ranked = rank_centers(DANLI, centers)
    assert [m.center.id for m in ranked] == ["tegus", "sps"]
    assert ranked[0].distance_km is not None and 60 < ranked[0].distance_km < 80


def test_without_a_need_the_area_and_distance_decide() -> None:
    query = SearchQuery(14.03, -86.58, "HN", "HN.07")
    centers = [
        center("tegus", lat=14.08, lon=-87.2, services=()),
        center("area", service_area=("HN.07",)),
    ]
    ranked = rank_centers(query, centers)
    assert [m.center.id for m in ranked] == ["area", "tegus"]
    assert all(m.offers_need for m in ranked)


def test_ties_break_on_name_so_the_order_is_stable() -> None:
    centers = [
        center("b", name="Beta", service_area=("HN.07",)),
        center("a", name="Alfa", service_area=("HN.07",)),
    ]
    assert ids(DANLI, centers) == ["a", "b"]
