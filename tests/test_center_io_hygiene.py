"""Coordinators' files are safe to open: no formula runs from a CSV export, no YAML bomb.

A CSV export is opened in a spreadsheet, where a cell that starts with `=`, `+`, `-`, `@`, a tab
or a carriage return may run as a formula (OWASP "CSV injection"); and a YAML file with aliases
can expand without bound. Both must be harmless and still round-trip.
"""

from __future__ import annotations

import asyncio
import csv
import io
from pathlib import Path

import pytest
from sqlalchemy import update

from bot import center_io
from bot.cli import main
from bot.db.models import CenterRow
from bot.services import Services
from bot.staff import CLI_ACTOR
from tests.conftest import ADMIN_ID

TEGUCIGALPA = "hn-cde-tegucigalpa"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(autouse=True)
def _cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("ADMIN_USER_IDS", str(ADMIN_ID))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("LOG_LEVEL", raising=False)


async def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = await asyncio.to_thread(main, list(argv))
    out, err = capsys.readouterr()
    return code, out, err


async def _hostile_values(services: Services) -> None:
    """Values a spreadsheet would run, and one that legitimately starts with a quote."""
    center = await services.staff.center_for(CLI_ACTOR, TEGUCIGALPA)
    saved = await services.staff.save(
        CLI_ACTOR, TEGUCIGALPA, "address", '=HYPERLINK("http://malo.example","Ver mapa")',
        center.version,
    )  # fmt: skip
    assert saved.saved
    saved = await services.staff.save(
        CLI_ACTOR, TEGUCIGALPA, "phone", "+504 2222-3333", saved.version
    )
    assert saved.saved
    async with services.sessions() as session, session.begin():
        await session.execute(
            update(CenterRow)
            .where(CenterRow.id == TEGUCIGALPA)
            .values(
                name="'La Capital' CDE MIPYME",
                operator="@cde_tegus",
                notes="-2+3 cmd|' /C calc'!A0",
                network="''doble",
            )
        )


async def test_csv_export_neutralises_formulas_and_imports_back_unchanged(
    services: Services, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    await _hostile_values(services)
    path = tmp_path / "centers.csv"
    code, _, err = await cli(capsys, "centers", "export", "--format", "csv", "--output", str(path))
    assert code == 0, err

    text = path.read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    cells = [cell for row in rows for cell in row.values() if cell]
    risky = [cell for cell in cells if cell.startswith(FORMULA_START)]
    assert risky == [], risky[:5]  # nothing a spreadsheet would evaluate
    row = next(r for r in rows if r["id"] == TEGUCIGALPA)
    assert row["address"] == '\'=HYPERLINK("http://malo.example","Ver mapa")'
    assert row["phone"] == "'+504 2222-3333"
    assert row["operator"] == "'@cde_tegus"
    assert row["notes"] == "'-2+3 cmd|' /C calc'!A0"
    assert row["name"] == "''La Capital' CDE MIPYME"  # a leading quote is doubled
    assert row["network"] == "'''doble"
    assert row["lon"].startswith("'-87.")  # negative longitudes too

    code, out, err = await cli(capsys, "centers", "import", str(path))
    assert code == 0, err
    assert out == "No changes.\n"  # every value came back exactly

    # Applying the same file writes nothing either, and the values stay as they were.
    code, out, err = await cli(capsys, "centers", "import", str(path), "--apply")
    assert (code, out) == (0, "No changes.\n"), err
    center = await services.staff.center_for(CLI_ACTOR, TEGUCIGALPA)
    assert center.phone == "+504 2222-3333"
    assert center.name == "'La Capital' CDE MIPYME"
    assert center.network == "''doble"
    assert center.lon is not None and center.lon < 0


async def test_a_hand_written_csv_keeps_its_plus_and_minus_signs(
    services: Services, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file not made by the export (no quotes) still reads "+504…" and "-87.2" as written."""
    path = tmp_path / "phones.csv"
    path.write_text(
        "id,name,country,phone,lat,lon,coord_precision\n"
        f"{TEGUCIGALPA},CDE MIPYME Tegucigalpa,HN,+504 2222-3333,14.0818,-87.2068,city\n",
        encoding="utf-8",
    )
    code, _, err = await cli(capsys, "centers", "import", str(path), "--apply")
    assert code == 0, err
    center = await services.staff.center_for(CLI_ACTOR, TEGUCIGALPA)
    assert (center.phone, center.lat, center.lon) == ("+504 2222-3333", 14.0818, -87.2068)


def test_the_escape_is_unambiguous() -> None:
    for value in ("", "'", "''", "'x", "=1+1", "+504 2222-3333", "-87.2", "@a", "\tx", "\rx",
                  "plain", "a=b", "'=x"):  # fmt: skip
        escaped = center_io.csv_escape(value)
        assert not escaped.startswith(FORMULA_START)
        assert center_io.csv_unescape(escaped) == value, value


# --- YAML aliases -------------------------------------------------------------------------------

ALIAS_OF_A_CENTER = """\
- &centro
  id: hn-cde-prueba
  name: CDE MIPYME Prueba
  country: HN
- *centro
"""

BILLION_LAUGHS = """\
- id: hn-cde-prueba
  name: CDE MIPYME Prueba
  country: HN
  notes: &a ["ja", "ja", "ja", "ja", "ja", "ja", "ja", "ja", "ja"]
  network: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
  operator: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
  city: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
  address: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
  admin1: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
  hours: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
  services: [*g, *g, *g, *g, *g, *g, *g, *g, *g]
"""

MERGE_KEY = """\
- &base
  id: hn-cde-prueba
  name: CDE MIPYME Prueba
  country: HN
- <<: *base
  id: hn-cde-otra
"""


@pytest.mark.parametrize(
    ("document", "line"),
    [(ALIAS_OF_A_CENTER, 1), (BILLION_LAUGHS, 4), (MERGE_KEY, 1)],
    ids=["alias-of-a-mapping", "billion-laughs", "merge-key"],
)
async def test_yaml_anchors_and_aliases_are_refused_with_their_line(
    services: Services, capsys: pytest.CaptureFixture[str], tmp_path: Path,
    document: str, line: int,
) -> None:  # fmt: skip
    path = tmp_path / "centers.yaml"
    path.write_text(document, encoding="utf-8")
    code, out, err = await cli(capsys, "centers", "import", str(path), "--apply")
    assert code == 1
    assert "Traceback" not in err
    assert f"line {line}: " in err and "anchors and aliases" in err, err
    assert "nothing was changed" in err
    assert out == ""
    assert await services.staff.center_for(CLI_ACTOR, TEGUCIGALPA)  # the database is intact


def test_yaml_aliases_are_refused_before_anything_is_built() -> None:
    with pytest.raises(center_io.ImportFileError) as caught:
        center_io.parse_yaml(BILLION_LAUGHS)
    (error,) = caught.value.errors
    assert error.line == 4
    assert "anchors and aliases" in error.reason
