"""The ranking rule of the eval README (version 2): the user's country only, then main need,
service area, distance; the country's centers that cannot be placed come last."""

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


def test_a_center_abroad_is_never_ranked_however_near() -> None:
    centers = [
        center("sv-near", country="SV", lat=13.48, lon=-88.18),
        center("hn-far", lat=15.5, lon=-88.02),
        center("ni", country="NI", lat=13.63, lon=-86.48),
    ]
    assert ids(DANLI, centers) == ["hn-far"]


def test_a_user_whose_country_has_no_center_gets_none() -> None:
    managua = SearchQuery(12.13, -86.25, "NI", "NI.10", needs=("financiamiento",))
    centers = [center("tegus", lat=14.08, lon=-87.2), center("sps", lat=15.5, lon=-88.02)]
    assert rank_centers(managua, centers) == []


def test_the_countrys_centers_without_a_location_follow_the_located_ones() -> None:
    centers = [
        center("nowhere", name="A sin lugar", services=("asesoria",)),
        center("elsewhere", name="B otro depto", service_area=("HN.01",)),
        center("tegus", name="Z Tegucigalpa", lat=14.08, lon=-87.2, services=("asesoria",)),
    ]
    ranked = rank_centers(DANLI, centers)
    # located first (even without the need); then the unlocated, offering the need first
    assert [m.center.id for m in ranked] == ["tegus", "elsewhere", "nowhere"]
    assert ranked[1].distance_km is None and not ranked[1].serves_area


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


def test_a_sourced_offer_of_the_need_comes_before_an_assumed_one_in_the_area() -> None:
    centers = [
        center("assumed", name="A asumido", service_area=("HN.07",), lat=14.03, lon=-86.58),
        center(
            "sourced",
            name="Z con fuente",
            service_area=("HN.07",),
            lat=14.9,
            lon=-86.0,
            services_sourced=("financiamiento",),
        ),
    ]
    # both serve El Paraíso, where the rule orders no further: the sourced one first,
    # although farther and later by name
    assert ids(DANLI, centers) == ["sourced", "assumed"]


def test_sourced_offers_never_break_nearest_first() -> None:
    centers = [
        center("far-sourced", lat=15.5, lon=-88.02, services_sourced=("financiamiento",)),
        center("near-assumed", name="Z", lat=14.08, lon=-87.2),
        center("same-city-sourced", name="Zz", lat=14.08, lon=-87.2, services_sourced=CORE),
    ]
    # nearest first; at the same distance (one city's centroid), the sourced offer first
    assert ids(DANLI, centers) == ["same-city-sourced", "near-assumed", "far-sourced"]


def test_among_centers_that_cannot_be_placed_the_sourced_offer_comes_first() -> None:
    centers = [
        center("a", name="A", services=("financiamiento",)),
        center("b", name="B", services=("financiamiento",), services_sourced=("financiamiento",)),
        center("c", name="C", services=("asesoria",), services_sourced=("asesoria",)),
        center("near", name="Z", lat=14.08, lon=-87.2),
    ]
    assert ids(DANLI, centers) == ["near", "b", "a", "c"]


def test_without_a_need_sourcing_does_not_reorder() -> None:
    query = SearchQuery(14.03, -86.58, "HN", "HN.07")
    centers = [
        center("a", name="A", service_area=("HN.07",)),
        center("b", name="B", service_area=("HN.07",), services_sourced=CORE),
    ]
    assert ids(query, centers) == ["a", "b"]


def test_the_first_center_offering_the_need_is_found_even_at_the_end() -> None:
    from bot.domain.ranking import first_need_match, rank

    centers = (
        center("near", lat=14.08, lon=-87.2, services=("asesoria",)),
        center("nowhere", name="Exporta", services=("exportacion",)),
    )
    query = SearchQuery(14.03, -86.58, "HN", "HN.07", needs=("exportacion",))
    lazy = rank(query, centers)
    assert [m.center.id for m in lazy] == ["near", "nowhere"]  # the located one first
    found = first_need_match(lazy)
    assert found is not None and found.center.id == "nowhere"
    assert first_need_match(list(lazy)) == found


def test_the_lazy_ranking_is_the_full_sort_of_rule_version_2() -> None:
    import random

    from bot.domain.ranking import _rank_plainly, first_area_match, first_need_match, rank

    rng = random.Random(7)
    countries, areas = ("HN", "SV", "GT"), ("HN.07", "HN.08", "SV.10", "GT.01")
    needs = ("asesoria", "financiamiento", "exportacion")
    cities = [(rng.uniform(12, 16), rng.uniform(-90, -85)) for _ in range(6)]
    for trial in range(300):
        made = []
        for i in range(rng.randint(0, 14)):
            services = tuple(rng.sample(needs, rng.randint(0, 3)))
            # several centers share a city's centroid: ties in distance are common
            lat, lon = rng.choice(cities) if rng.random() < 0.5 else cities[0]
            made.append(
                center(
                    f"c{trial}-{i}",
                    name=rng.choice("ABCDE"),
                    country=rng.choice(countries),
                    lat=lat if rng.random() < 0.7 else None,
                    lon=lon,
                    service_area=tuple(rng.sample(areas, rng.randint(0, 2))),
                    services=services,
                    services_sourced=tuple(s for s in services if rng.random() < 0.5),
                )
            )
        centers = tuple(made)
        query = SearchQuery(
            rng.uniform(12, 16),
            rng.uniform(-90, -85),
            rng.choice(countries),
            rng.choice(areas),
            needs=(rng.choice(needs),) if rng.random() < 0.9 else (),
        )
        plain = _rank_plainly(query, centers)
        assert list(rank(query, centers)) == plain
        assert all(m.center.country == query.country for m in rank(query, centers))
        assert first_area_match(rank(query, centers)) == first_area_match(plain)
        assert first_need_match(rank(query, centers)) == first_need_match(plain)
