"""Reading the committed data files (CSV) into domain objects."""

from __future__ import annotations

import csv
from pathlib import Path

from bot.domain.models import Center


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _float(value: str) -> float | None:
    value = value.strip()
    return float(value) if value else None


def center_from_record(record: dict[str, str]) -> Center:
    """One row of data/centers.csv as a Center."""
    lat, lon = _float(record.get("lat", "")), _float(record.get("lon", ""))
    return Center(
        id=record["id"].strip(),
        name=record["name"].strip(),
        country=record["country"].strip().upper(),
        operator=record.get("operator", "").strip(),
        network=record.get("network", "").strip(),
        city=record.get("city", "").strip(),
        admin1=record.get("admin1", "").strip(),
        address=record.get("address", "").strip(),
        phone=record.get("phone", "").strip(),
        email=record.get("email", "").strip(),
        website=record.get("website", "").strip(),
        hours=record.get("hours", "").strip(),
        lat=lat,
        lon=lon,
        coord_precision=record.get("coord_precision", "").strip() if lat is not None else "",
        service_area=_split(record.get("service_area", "")),
        service_area_inferred=record.get("service_area_basis", "").strip() == "inferred",
        services=_split(record.get("services", "")),
        services_sourced=_split(record.get("services_sourced", "")),
        source_url=record.get("source_url", "").strip(),
        source_date=record.get("source_date", "").strip(),
        verified=record.get("verified", "").strip().lower() == "yes",
        ranked=record.get("ranked", "yes").strip().lower() != "no",
        notes=record.get("notes", "").strip(),
    )


def read_centers(path: Path) -> list[Center]:
    with path.open(encoding="utf-8", newline="") as f:
        return [center_from_record(record) for record in csv.DictReader(f)]
