"""What the benchmarks feed the bot: eval messages, a mix of updates, synthetic data.

Everything is deterministic (seeded), so two runs measure the same work.
"""

from __future__ import annotations

import csv
import itertools
import json
import os
import random
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
# the eval sets beside the project, as `make score` expects them (BENCH_EVAL_DIR overrides)
EVAL_DIR = Path(os.environ.get("BENCH_EVAL_DIR") or ROOT.parent / "shared" / "eval").resolve()

# Rough bounding boxes (lat_min, lat_max, lon_min, lon_max) of the eight countries.
BOXES: dict[str, tuple[float, float, float, float]] = {
    "HN": (13.0, 16.5, -89.4, -83.2),
    "SV": (13.2, 14.4, -90.1, -87.7),
    "GT": (13.8, 17.8, -92.2, -88.2),
    "NI": (10.7, 15.0, -87.7, -83.2),
    "CR": (8.1, 11.2, -85.9, -82.6),
    "PA": (7.2, 9.6, -83.0, -77.2),
    "BZ": (15.9, 18.5, -89.2, -87.8),
    "DO": (17.6, 19.9, -71.9, -68.4),
}


@dataclass(frozen=True)
class EvalSet:
    places: list[dict[str, Any]]  # locations_dev: text, lat, lon, ...
    needs: list[dict[str, Any]]  # needs_dev: text, needs
    combined: list[dict[str, Any]]  # combined_dev: text, lat, lon, need
    slugs: list[str] = field(default_factory=list)

    def texts(self) -> list[str]:
        """Every eval message, in file order."""
        return [r["text"] for r in (*self.combined, *self.places, *self.needs)]

    def points(self) -> list[tuple[str, float, float]]:
        """Messages that carry a true point (for asks with a shared location)."""
        return [
            (r["text"], r["lat"], r["lon"])
            for r in (*self.combined, *self.places)
            if r.get("lat") is not None and r.get("lon") is not None
        ]


def _jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def load_eval(eval_dir: Path = EVAL_DIR) -> EvalSet:
    places = _jsonl(eval_dir / "locations_dev.jsonl")
    needs = _jsonl(eval_dir / "needs_dev.jsonl")
    combined = _jsonl(eval_dir / "combined_dev.jsonl")
    if not (places or needs or combined):
        raise SystemExit(f"no eval messages in {eval_dir} (*.jsonl)")
    return EvalSet(places, needs, combined, service_slugs())


def service_slugs() -> list[str]:
    with (DATA_DIR / "services.csv").open(encoding="utf-8", newline="") as f:
        return [r["slug"] for r in csv.DictReader(f) if r.get("slug")]


# --------------------------------------------------------------------------- update mix


BOT_CHAT_USER = {"is_bot": False, "first_name": "Ana", "language_code": "es"}


class UpdateFactory:
    """Raw Telegram updates (dicts, as getUpdates returns them) for many users."""

    def __init__(self, first_update_id: int = 1) -> None:
        self._update_ids = itertools.count(first_update_id)
        self._message_ids = itertools.count(1)

    def _message(self, user_id: int, **fields: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Ana"},
            "from": {"id": user_id, **BOT_CHAT_USER},
            **fields,
        }

    def text(self, user_id: int, body: str) -> dict[str, Any]:
        fields: dict[str, Any] = {"text": body}
        if body.startswith("/"):
            command = body.split()[0]
            fields["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return {"update_id": next(self._update_ids), "message": self._message(user_id, **fields)}

    def location(self, user_id: int, lat: float, lon: float) -> dict[str, Any]:
        loc = {"latitude": lat, "longitude": lon}
        return {
            "update_id": next(self._update_ids),
            "message": self._message(user_id, location=loc),
        }

    def venue(self, user_id: int, lat: float, lon: float, title: str) -> dict[str, Any]:
        loc = {"latitude": lat, "longitude": lon}
        venue = {"location": loc, "title": title, "address": "Calle principal"}
        message = self._message(user_id, location=loc, venue=venue)
        return {"update_id": next(self._update_ids), "message": message}

    def callback(self, user_id: int, data: str) -> dict[str, Any]:
        update_id = next(self._update_ids)
        query = {
            "id": str(update_id),
            "from": {"id": user_id, **BOT_CHAT_USER},
            "chat_instance": "ci",
            "data": data,
            "message": self._message(user_id, text="…"),
        }
        return {"update_id": update_id, "callback_query": query}


def conversation_mix(
    ev: EvalSet, users: int, seed: int = 2024, first_user: int = 810_000_000
) -> list[dict[str, Any]]:
    """Three updates per user, users interleaved (step 1 of everyone, then step 2, ...).

    Scripts, chosen in turn: a place then the service button then "more"; a need then a shared
    location then "more"; place and need in one message then "more" then another service; a
    greeting or /start then place and need then a venue; small talk then a place then "any
    service". About 45 % texts with a place, need or both, 10 % shared locations or venues,
    40 % button presses, 5 % greetings and commands.
    """
    rng = random.Random(seed)
    factory = UpdateFactory()
    needs_only = [r for r in ev.needs if r.get("needs")]
    small_talk = [r for r in ev.needs if not r.get("needs")] or [{"text": "hola"}]
    with_point = [r for r in (*ev.places, *ev.combined) if r.get("lat") is not None]
    slugs = ev.slugs or ["financiamiento"]
    scripts: list[list[dict[str, Any]]] = []
    for n in range(users):
        uid = first_user + n
        kind = n % 5
        if kind == 0:
            steps = [
                factory.text(uid, rng.choice(ev.places)["text"]),
                factory.callback(uid, f"need:{rng.choice(slugs)}"),
                factory.callback(uid, "more:1"),
            ]
        elif kind == 1:
            p = rng.choice(with_point)
            steps = [
                factory.text(uid, rng.choice(needs_only)["text"]),
                factory.location(uid, p["lat"], p["lon"]),
                factory.callback(uid, "more:1"),
            ]
        elif kind == 2:
            steps = [
                factory.text(uid, rng.choice(ev.combined)["text"]),
                factory.callback(uid, "more:1"),
                factory.callback(uid, f"need:{rng.choice(slugs)}"),
            ]
        elif kind == 3:
            p = rng.choice(with_point)
            steps = [
                factory.text(uid, "/start" if n % 10 == 3 else rng.choice(small_talk)["text"]),
                factory.text(uid, rng.choice(ev.combined)["text"]),
                factory.venue(uid, p["lat"], p["lon"], "Mercado municipal"),
            ]
        else:
            steps = [
                factory.text(uid, rng.choice(needs_only)["text"]),
                factory.text(uid, rng.choice(ev.places)["text"]),
                factory.callback(uid, "need:*"),
            ]
        scripts.append(steps)
    mix = [script[i] for i in range(3) for script in scripts]
    # increasing in delivery order, as Telegram's, and new for every set of users (the bot's
    # intake answers an update id once)
    for update_id, update in enumerate(mix, start=first_user * 3 + 1):
        update["update_id"] = update_id
    return mix


def update_kind(update: dict[str, Any]) -> str:
    if "callback_query" in update:
        return "button"
    if "location" in update["message"]:
        return "location"
    return "command" if update["message"]["text"].startswith("/") else "text"


def describe_mix(updates: list[dict[str, Any]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for u in updates:
        kind = update_kind(u)
        counts[kind] = counts.get(kind, 0) + 1
    return counts


# --------------------------------------------------------------------------- synthetic data


def _admin1_by_country() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    with (DATA_DIR / "admin1.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["country_code"], []).append(r["geonames_key"])
    return out


_SYLLABLES = (
    "ta",
    "mo",
    "xi",
    "lu",
    "pe",
    "co",
    "ri",
    "na",
    "zu",
    "ba",
    "que",
    "til",
    "man",
    "go",
    "ya",
)


def made_up_word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def synthetic_centers(count: int, seed: int = 7) -> list[dict[str, str]]:
    """Plausible centers: in the eight countries' boxes, service areas from admin1.csv, 3 to 10
    of the twelve services; one in ten has no coordinates (reached through its area only)."""
    rng = random.Random(seed)
    slugs = service_slugs()
    areas = _admin1_by_country()
    countries = [c for c in BOXES if areas.get(c)]
    rows = []
    for n in range(count):
        country = countries[n % len(countries)]
        lat0, lat1, lon0, lon1 = BOXES[country]
        located = rng.random() >= 0.1
        area = rng.sample(areas[country], min(len(areas[country]), rng.randint(1, 3)))
        services = rng.sample(slugs, rng.randint(3, min(10, len(slugs))))
        rows.append(
            {
                "id": f"syn-{country.lower()}-{n:05d}",
                "country": country,
                "network": "Red sintética",
                "name": f"Centro MIPYME {made_up_word(rng)} {n}",
                "operator": "Benchmark",
                "city": made_up_word(rng) if located else "",
                "admin1": area[0],
                "lat": f"{rng.uniform(lat0, lat1):.5f}" if located else "",
                "lon": f"{rng.uniform(lon0, lon1):.5f}" if located else "",
                "coord_precision": "city" if located else "",
                "service_area": ";".join(area),
                "service_area_basis": "inferred",
                "services": ";".join(services),
                "services_sourced": ";".join(services[: len(services) // 2]),
                "source_url": "https://example.org/benchmark",
                "source_date": "2025-01",
                "verified": "no",
                "ranked": "no" if rng.random() < 0.03 else "yes",
                "notes": "synthetic (benchmark)",
            }
        )
    return rows


def write_data_dir(
    target: Path, centers: int | None, gazetteer_factor: int = 1, seed: int = 7
) -> dict[str, int]:
    """A data/ directory for `ensure_database` and `load_gazetteer`.

    centers=None keeps the real centers.csv; gazetteer_factor=k keeps places.tsv and adds k-1
    copies of every row with a made-up word after each name (and after each alternate name),
    coordinates moved by up to 0.1 degree, a tenth of the population, and no curated alias.
    """
    target.mkdir(parents=True, exist_ok=True)
    for name in (
        "services.csv",
        "agencies.csv",
        "admin1.csv",
        "place_aliases.csv",
        "needs_rules.csv",
    ):
        if (DATA_DIR / name).exists():
            shutil.copy(DATA_DIR / name, target / name)
    with (DATA_DIR / "centers.csv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        header = list(reader.fieldnames or [])
        real = list(reader)
    rows = real if centers is None else synthetic_centers(centers, seed)
    with (target / "centers.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=header, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    with (DATA_DIR / "places.tsv").open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        pheader = list(reader.fieldnames or [])
        places = list(reader)
    rng = random.Random(seed + 1)
    out = list(places)
    for k in range(1, gazetteer_factor):
        for r in places:
            word = made_up_word(rng)
            copy = dict(r)
            copy["id"] = str(int(r["id"]) + k * 100_000_000)
            copy["name"] = f"{r['name']} {word}"
            copy["lat"] = f"{float(r['lat']) + rng.uniform(-0.1, 0.1):.5f}"
            copy["lon"] = f"{float(r['lon']) + rng.uniform(-0.1, 0.1):.5f}"
            copy["population"] = str(int(r["population"] or 0) // 10)
            copy["capital"] = ""
            copy["aliases"] = ""
            alternates = [a for a in (r.get("alternates") or "").split("|") if a]
            copy["alternates"] = "|".join(f"{a} {word}" for a in alternates)
            out.append(copy)
    with (target / "places.tsv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(
            f, fieldnames=pheader, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(out)
    return {"centers": len(rows), "places": len(out)}


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]
