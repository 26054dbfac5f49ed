"""The coordinators' command line: centers import/export, staff invites, admins.

Each test runs `main([...])` in a worker thread (the CLI runs its own event loop) against the
database of the `services` fixture, so a running bot's cache can be checked right after.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

import pytest
import yaml  # type: ignore[import-untyped]
from sqlalchemy import func, select

from bot import center_io
from bot.cli import main
from bot.config import DATA_DIR
from bot.db.models import ChangeRow, InviteRow
from bot.db.repositories import CenterRepository
from bot.domain.models import Center
from bot.services import Services
from bot.staff import CLI_ACTOR, StaffService, hash_code
from tests.conftest import ADMIN_ID

TEGUCIGALPA = "hn-cde-tegucigalpa"
EL_PARAISO = "hn-cde-el-paraiso"


@pytest.fixture(autouse=True)
def _cli_env(monkeypatch: pytest.MonkeyPatch, database_url: str) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setenv("ADMIN_USER_IDS", str(ADMIN_ID))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("LOG_LEVEL", raising=False)


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    async def __call__(self, *argv: str) -> tuple[int, str, str]:
        self.capsys.readouterr()
        code = await asyncio.to_thread(main, list(argv))
        out, err = self.capsys.readouterr()
        return code, out, err


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(capsys)


# --- helpers ------------------------------------------------------------------------------------


async def get_center(services: Services, center_id: str) -> Center | None:
    async with services.sessions() as session:
        return await CenterRepository(session).get(center_id)


async def all_centers(services: Services) -> list[Center]:
    async with services.sessions() as session:
        return await CenterRepository(session).list()


async def history(services: Services) -> list[ChangeRow]:
    async with services.sessions() as session:
        return list((await session.scalars(select(ChangeRow).order_by(ChangeRow.id))).all())


async def export_rows(cli: Cli) -> list[dict[str, str]]:
    code, out, _ = await cli("centers", "export")
    assert code == 0
    return list(csv.DictReader(io.StringIO(out)))


def write_csv(path: Path, rows: Sequence[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def by_id(rows: Sequence[dict[str, str]], center_id: str) -> dict[str, str]:
    return next(r for r in rows if r["id"] == center_id)


def new_center_row(template: dict[str, str]) -> dict[str, str]:
    row = {key: "" for key in template}
    row.update(
        id="hn-cde-prueba", country="HN", name="CDE MIPYME Prueba", city="Comayagua",
        admin1="HN.04", phone="2772-0000", email="Info@Ejemplo.HN", website="ejemplo.hn",
        lat="14.45", lon="-87.64", coord_precision="city", service_area="HN.04;HN.12",
        service_area_basis="sourced", services="asesoria;capacitacion",
        services_sourced="asesoria", verified="no", ranked="yes", closed="no",
    )  # fmt: skip
    return row


# --- import: the good file ----------------------------------------------------------------------


async def test_dry_run_shows_the_diff_and_changes_nothing(
    services: Services, cli: Cli, tmp_path: Path
) -> None:
    rows = await export_rows(cli)
    by_id(rows, TEGUCIGALPA).update(phone="2234 5678", services="asesoria;calidad")
    rows.append(new_center_row(rows[0]))
    path = write_csv(tmp_path / "centers.csv", rows)
    before = await all_centers(services)

    code, out, err = await cli("centers", "import", str(path))

    assert code == 0, err
    assert "+ hn-cde-prueba  HN  CDE MIPYME Prueba" in out
    assert f"~ {TEGUCIGALPA}" in out
    assert "phone: '' → '+504 2234-5678'" in out
    assert "→ 'asesoria;calidad'" in out
    assert "Dry run: nothing was written" in out
    assert await all_centers(services) == before
    assert await history(services) == []


async def test_apply_writes_history_versions_and_running_bots_see_it(
    services: Services, cli: Cli, tmp_path: Path
) -> None:
    cached = {c.id: c for c in await services.list_centers(include_unranked=True)}
    assert cached[TEGUCIGALPA].phone == ""
    old = await get_center(services, TEGUCIGALPA)
    assert old is not None
    rows = await export_rows(cli)
    by_id(rows, TEGUCIGALPA).update(phone="+504 2234-5678", lat="14.1", lon="-87.2")
    rows.append(new_center_row(rows[0]))
    path = write_csv(tmp_path / "centers.csv", rows)

    code, out, err = await cli("centers", "import", str(path), "--apply")

    assert code == 0, err
    assert "Applied: 1 added, 1 changed, 0 closed." in out
    # The running bot's cache reloads because the centers version changed.
    seen = {c.id: c for c in await services.list_centers(include_unranked=True)}
    assert seen[TEGUCIGALPA].phone == "+504 2234-5678"
    assert (seen[TEGUCIGALPA].lat, seen[TEGUCIGALPA].lon) == (14.1, -87.2)
    new = seen["hn-cde-prueba"]
    assert new.email == "Info@ejemplo.hn"
    assert new.website == "https://ejemplo.hn"
    assert new.phone == "+504 2772-0000"
    assert new.service_area == ("HN.04", "HN.12")
    assert new.services_sourced == ("asesoria",)
    assert seen[TEGUCIGALPA].version == old.version + 1
    changes = await history(services)
    assert {(c.center_id, c.field, c.old_value, c.new_value) for c in changes} == {
        ("hn-cde-prueba", "created", "", "CDE MIPYME Prueba"),
        (TEGUCIGALPA, "phone", "", "+504 2234-5678"),
        (TEGUCIGALPA, "location", f"{old.lat},{old.lon}", "14.1,-87.2"),
    }
    assert all(c.actor == "cli" and c.actor_id is None for c in changes)
    # A staff edit begun before the import is refused, not overwritten.
    result = await services.staff.save(
        ADMIN_ID, TEGUCIGALPA, "phone", "+504 9999-0000", old.version
    )
    assert not result.saved
    assert result.current_value == "+504 2234-5678"
    # The same file again: nothing to do, nothing written.
    code, out, _ = await cli("centers", "import", str(path), "--apply")
    assert code == 0
    assert "No changes." in out
    assert "Applied" not in out
    assert len(await history(services)) == len(changes)


async def test_the_committed_data_file_imports_as_no_changes(services: Services, cli: Cli) -> None:
    """Legacy phones ("2661 7930") equal their normalized form: not reported as changes."""
    code, out, err = await cli("centers", "import", str(DATA_DIR / "centers.csv"))
    assert code == 0, err
    assert out == "No changes.\n"


async def test_a_partial_file_updates_only_its_columns(
    services: Services, cli: Cli, tmp_path: Path
) -> None:
    path = tmp_path / "phones.csv"
    path.write_text(
        "id,name,country,phone\n"
        f"{TEGUCIGALPA},CDE MIPYME Tegucigalpa,HN,2234-5678\n"
        f"{EL_PARAISO},CDE MIPYME Región El Paraíso,HN,\n",
        encoding="utf-8",
    )
    before = await get_center(services, TEGUCIGALPA)
    code, out, err = await cli("centers", "import", str(path), "--apply")
    assert code == 0, err
    after = await get_center(services, TEGUCIGALPA)
    assert before is not None
    assert after is not None
    assert after.phone == "+504 2234-5678"
    assert (after.services, after.lat, after.notes) == (before.services, before.lat, before.notes)
    assert "kept open; --close-missing closes them" in out  # the other 31 centers


# --- import: bad files --------------------------------------------------------------------------


async def test_bad_rows_are_reported_by_line_and_nothing_changes(
    services: Services, cli: Cli, tmp_path: Path
) -> None:
    rows = await export_rows(cli)
    rows[0]["phone"] = "123"  # line 2
    rows[1]["country"] = "MX"  # line 3
    rows[2].update(lat="14.1", lon="")  # line 4
    rows[3]["service_area"] = "HN.01;SV.05"  # line 5
    rows[4]["services"] = "emprendimiento;cocina"  # line 6
    rows[5]["id"] = "CDE Mayúsculas"  # line 7
    rows[6]["id"] = rows[7]["id"]  # line 8, duplicate of line 9
    rows[9]["email"] = "info@ejemplo"  # line 11
    rows[10]["website"] = "javascript:alert(1)"  # line 12
    rows[11].update(lat="95", lon="-87")  # line 13
    rows[12]["name"] = ""  # line 14
    rows[13].update(lat="14.0", lon="-87.0", coord_precision="street")  # line 15
    path = write_csv(tmp_path / "bad.csv", rows)
    before = await all_centers(services)

    code, out, err = await cli("centers", "import", str(path), "--apply", "--close-missing")

    assert code == 1
    assert out == ""
    for expected in (
        "line 2: phone: phone_length",
        "line 3: country: not one of",
        "line 4: lon: lat and lon go together",
        "line 5: service_area: 'SV.05' is not a department of HN",
        "line 6: services: unknown service(s): cocina",
        "line 7: id: not a lowercase slug",
        "line 9: id: duplicate of line 8",
        "line 11: email: bad_email",
        "line 12: website: bad_scheme",
        "line 13: lat: out of range",
        "line 14: name: required",
        "line 15: coord_precision: expected one of city, region, exact",
        "nothing was changed",
    ):
        assert expected in err, expected
    assert "line 5: service_area: 'HN.01'" not in err
    assert await all_centers(services) == before
    assert await history(services) == []


async def test_only_the_last_row_bad_still_changes_nothing(
    services: Services, cli: Cli, tmp_path: Path
) -> None:
    rows = await export_rows(cli)
    by_id(rows, TEGUCIGALPA)["phone"] = "2234-5678"
    rows.append(new_center_row(rows[0]))
    rows[-1]["phone"] = "+503 2234-5678"  # El Salvador's code on a Honduran center
    path = write_csv(tmp_path / "last.csv", rows)
    before = await all_centers(services)

    code, _, err = await cli("centers", "import", str(path), "--apply")

    assert code == 1
    assert f"line {len(rows) + 1}: phone: wrong_country" in err
    assert err.count("line ") == 1
    assert await all_centers(services) == before
    assert await history(services) == []


async def test_a_failure_while_writing_rolls_everything_back(
    services: Services, cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = await export_rows(cli)
    for row in rows[:3]:
        row["notes"] += " (revisado)"
    path = write_csv(tmp_path / "centers.csv", rows)
    before = await all_centers(services)
    calls: list[str] = []
    real = StaffService.record_change

    def failing(session: object, center_id: str, *args: object) -> None:
        calls.append(center_id)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        real(session, center_id, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(StaffService, "record_change", staticmethod(failing))
    with pytest.raises(RuntimeError, match="disk full"):
        await cli("centers", "import", str(path), "--apply")
    assert len(calls) == 3
    assert await all_centers(services) == before
    assert await history(services) == []


async def test_unreadable_inputs(services: Services, cli: Cli, tmp_path: Path) -> None:
    code, _, err = await cli("centers", "import", str(tmp_path / "absent.csv"))
    assert code == 2
    assert "Cannot read" in err
    header_only = tmp_path / "empty.csv"
    header_only.write_text("id,name,country\n", encoding="utf-8")
    code, _, err = await cli("centers", "import", str(header_only), "--close-missing")
    assert code == 1
    assert "no centers in the file" in err
    odd = tmp_path / "odd.csv"
    odd.write_text("id,name,country,colour\nx,y,HN,red\n", encoding="utf-8")
    code, _, err = await cli("centers", "import", str(odd))
    assert code == 1
    assert "line 1: unknown column(s): colour" in err
    assert await history(services) == []


# --- import: closing missing centers ------------------------------------------------------------


async def test_close_missing_closes_but_never_deletes(
    services: Services, cli: Cli, tmp_path: Path
) -> None:
    rows = await export_rows(cli)
    kept = [r for r in rows if r["id"] not in (TEGUCIGALPA, EL_PARAISO)]
    path = write_csv(tmp_path / "centers.csv", kept)

    code, out, _ = await cli("centers", "import", str(path), "--apply")
    assert code == 0
    assert "not in the file (2, kept open; --close-missing closes them)" in out
    assert f"- {TEGUCIGALPA}" in out
    assert "No changes." in out
    center = await get_center(services, TEGUCIGALPA)
    assert center is not None
    assert not center.closed

    code, out, _ = await cli("centers", "import", str(path), "--apply", "--close-missing")
    assert code == 0
    assert "not in the file (2, closed by --close-missing)" in out
    assert "Applied: 0 added, 0 changed, 2 closed." in out
    closed = await get_center(services, TEGUCIGALPA)
    assert closed is not None
    assert closed.closed
    assert closed.version == center.version + 1
    assert len(await all_centers(services)) == len(rows)  # closed, not deleted
    assert {(c.center_id, c.field, c.old_value, c.new_value) for c in await history(services)} == {
        (TEGUCIGALPA, "closed", "no", "yes"),
        (EL_PARAISO, "closed", "no", "yes"),
    }
    # The scorer's listing drops closed centers; --all and the export keep them.
    code, out, _ = await cli("centers", "--json")
    listed = {c["id"] for c in json.loads(out)}
    assert code == 0
    assert TEGUCIGALPA not in listed
    assert "hn-cde-valle-de-sula" in listed
    code, out, _ = await cli("centers", "--json", "--all")
    assert TEGUCIGALPA in {c["id"] for c in json.loads(out)}
    assert by_id(await export_rows(cli), TEGUCIGALPA)["closed"] == "yes"
    # Closed centers are no longer "missing"; the same import has nothing left to do.
    code, out, _ = await cli("centers", "import", str(path), "--close-missing")
    assert code == 0
    assert out == "No changes.\n"


# --- import: YAML -------------------------------------------------------------------------------

YAML_FILE = """\
# Centers kept by the coordinator
- id: hn-cde-prueba
  name: CDE MIPYME Prueba
  country: HN
  city: Comayagua
  phone: 27720000
  lat: 14.45
  lon: -87.64
  coord_precision: city
  service_area: [HN.12, HN.04]
  services:
    - capacitacion
    - asesoria
  services_sourced: [asesoria, capacitacion]
  source_date: 2025-01-15
  verified: yes
- id: hn-cde-tegucigalpa
  name: CDE MIPYME Tegucigalpa
  country: HN
  email: cde@ejemplo.hn
"""


async def test_yaml_import(services: Services, cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "centers.yaml"
    path.write_text(YAML_FILE, encoding="utf-8")
    code, out, err = await cli("centers", "import", str(path), "--apply")
    assert code == 0, err
    assert "+ hn-cde-prueba" in out
    assert "email: '' → 'cde@ejemplo.hn'" in out
    new = await get_center(services, "hn-cde-prueba")
    assert new is not None
    assert new.phone == "+504 2772-0000"
    assert new.service_area == ("HN.04", "HN.12")  # a set, kept sorted
    assert new.services == ("capacitacion", "asesoria")  # a ranking: the file's order
    assert new.services_sourced == ("capacitacion", "asesoria")
    assert (new.source_date, new.verified, new.ranked) == ("2025-01-15", True, True)
    center = await get_center(services, TEGUCIGALPA)
    assert center is not None
    assert center.email == "cde@ejemplo.hn"
    code, out, _ = await cli("centers", "import", str(path))
    assert code == 0
    assert out.endswith("No changes.\n")  # the other centers are only listed as missing

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        YAML_FILE.replace("service_area: [HN.12, HN.04]", "service_area: [HN.04, GT.01]").replace(
            "email: cde@ejemplo.hn", "email: [a@b.hn, c@d.hn]\n  colour: red"
        ),
        encoding="utf-8",
    )
    code, _, err = await cli("centers", "import", str(bad), "--apply")
    assert code == 1
    assert "line 17: unknown column(s): colour" in err  # the mapping starts on line 17
    assert "line 2: service_area: 'GT.01' is not a department of HN" in err


# --- export -------------------------------------------------------------------------------------


async def test_export_in_three_formats(services: Services, cli: Cli, tmp_path: Path) -> None:
    with (DATA_DIR / "centers.csv").open(encoding="utf-8", newline="") as f:
        committed = next(csv.reader(f))
    assert list(center_io.CSV_COLUMNS) == committed
    everything = await all_centers(services)
    assert any(not c.ranked for c in everything)

    code, out, _ = await cli("centers", "export", "--format", "csv")
    assert code == 0
    header, *records = list(csv.reader(io.StringIO(out)))
    assert header == [*committed, "closed", "hours_json"]
    assert [r[0] for r in records] == [c.id for c in everything]

    target = tmp_path / "centers.json"
    code, _, err = await cli("centers", "export", "--format", "json", "--output", str(target))
    assert code == 0
    assert f"{len(everything)} centers written" in err
    as_json = json.loads(target.read_text(encoding="utf-8"))
    valle = as_json[0]
    assert valle["id"] == "hn-cde-valle-de-sula"
    assert valle["services"][0] == "emprendimiento"
    assert isinstance(valle["lat"], float)
    assert valle["closed"] is False
    assert valle["hours_json"] == ""

    code, out, _ = await cli("centers", "export", "--format", "yaml")
    assert code == 0
    assert yaml.safe_load(out) == as_json


@pytest.mark.parametrize("fmt", ["csv", "json", "yaml"])
async def test_export_then_import_is_no_change(
    services: Services, cli: Cli, tmp_path: Path, fmt: str
) -> None:
    # Staff values too: structured hours, a normalized phone, a center closed for good.
    center = await get_center(services, TEGUCIGALPA)
    assert center is not None
    days = ["08:00-16:00", "08:00-16:00", "", "", "08:00-12:00,13:00-16:00", "", ""]
    hours = json.dumps({"v": 1, "tz": "America/Tegucigalpa", "days": days}, separators=(",", ":"))
    saved = await services.staff.save(CLI_ACTOR, TEGUCIGALPA, "hours", hours, center.version)
    assert saved.saved
    await services.staff.close_for_good(CLI_ACTOR, EL_PARAISO)
    path = tmp_path / f"centers.{fmt}"
    code, _, _ = await cli("centers", "export", "--format", fmt, "--output", str(path))
    assert code == 0
    changes = len(await history(services))

    code, out, err = await cli("centers", "import", str(path), "--apply", "--close-missing")

    assert code == 0, err
    assert out == "No changes.\n"
    assert len(await history(services)) == changes
    exported = json.loads((await cli("centers", "export", "--format", "json"))[1])
    assert by_id(exported, TEGUCIGALPA)["hours_json"] == hours
    assert by_id(exported, EL_PARAISO)["closed"] is True


# --- staff and admins ---------------------------------------------------------------------------


async def test_staff_invite_redeem_list_and_revoke(services: Services, cli: Cli) -> None:
    code, out, _ = await cli("staff", "invite", TEGUCIGALPA, "--days", "3")
    assert code == 0
    code_line, instruction = out.splitlines()
    assert f"/equipo {code_line}" in instruction
    assert "valid 3 days" in instruction
    async with services.sessions() as session:
        invite = await session.scalar(select(InviteRow))
        assert invite is not None
        assert invite.code_hash == hash_code(code_line)
        assert code_line not in (invite.code_hash, invite.created_by)

    center = await services.staff.redeem_invite(5551, code_line)
    assert center.id == TEGUCIGALPA

    code, out, _ = await cli("staff", "list")
    assert code == 0
    assert out.split()[:2] == ["5551", TEGUCIGALPA]
    code, out, err = await cli("staff", "list", EL_PARAISO)
    assert code == 0
    assert out == ""
    assert "No staff linked." in err

    code, out, _ = await cli("staff", "revoke", "5551", EL_PARAISO)
    assert code == 1
    code, out, _ = await cli("staff", "revoke", "5551")
    assert code == 0
    assert "User 5551 unlinked" in out
    assert await services.staff.list_staff(CLI_ACTOR) == []
    code, _, err = await cli("staff", "revoke", "5551")
    assert code == 1
    assert "keeps no center" in err

    code, _, err = await cli("staff", "invite", "hn-no-existe")
    assert code == 1
    assert "No center with id 'hn-no-existe'" in err
    async with services.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(InviteRow)) == 1


async def test_admin_add_list_and_remove(services: Services, cli: Cli) -> None:
    code, out, _ = await cli("admin", "add", "4242")
    assert code == 0
    assert out == "User 4242 is now an admin.\n"
    code, out, _ = await cli("admin", "add", "4242")
    assert code == 0
    assert out == "User 4242 was already an admin.\n"
    assert await services.staff.is_admin(4242)

    code, out, _ = await cli("admin", "list")
    assert code == 0
    assert out.splitlines() == ["4242", f"{ADMIN_ID}  (ADMIN_USER_IDS)"]

    code, out, _ = await cli("admin", "remove", "4242")
    assert code == 0
    assert "no longer an admin" in out
    assert not await services.staff.is_admin(4242)
    code, _, err = await cli("admin", "remove", "4242")
    assert code == 1
    assert "is not an admin" in err
    code, _, err = await cli("admin", "remove", str(ADMIN_ID))
    assert code == 1
    assert "ADMIN_USER_IDS" in err


def test_user_ids_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["admin", "add", "0"])
    assert exit_info.value.code == 2
    assert "not a Telegram user id" in capsys.readouterr().err


async def test_centers_json_stays_valid_with_staff_data(services: Services, cli: Cli) -> None:
    """Confirmation times and closures (dates) are written as ISO text in the scorer's JSON."""
    await services.staff.confirm(CLI_ACTOR, TEGUCIGALPA)
    center = await get_center(services, TEGUCIGALPA)
    assert center is not None
    await services.staff.add_closure(
        CLI_ACTOR, TEGUCIGALPA, date(2030, 4, 14), date(2030, 4, 18), "Semana Santa"
    )
    code, out, _ = await cli("centers", "--json")
    assert code == 0
    listed = by_id(json.loads(out), TEGUCIGALPA)
    assert listed["closures"] == [
        {"start": "2030-04-14", "end": "2030-04-18", "message": "Semana Santa"}
    ]
    assert datetime.fromisoformat(listed["confirmed_at"]).tzinfo is not None
