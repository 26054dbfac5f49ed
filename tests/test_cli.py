"""The command line as the scorer and a coordinator use it: JSON contracts and exit codes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import load_settings
from bot.demo import run_demo

TAXONOMY = {
    "emprendimiento", "asesoria", "capacitacion", "financiamiento", "formalizacion", "finanzas",
    "mercadeo", "digital", "exportacion", "calidad", "propiedad_intelectual", "asociatividad",
}  # fmt: skip


@pytest.fixture(autouse=True)
def _embedded_db(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    db = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    return db


def json_lines(out: str) -> list[dict]:  # type: ignore[type-arg]
    return [json.loads(line) for line in out.split("\n") if line.strip()]


def test_ask_answers_one_message_as_one_json_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "soy de Danlí y ocupo un préstamo"]) == 0
    out = capsys.readouterr().out
    (answer,) = json_lines(out)
    assert out.count("\n") == 1
    assert answer["location"]["status"] == "found"
    assert answer["location"]["name"] == "Danlí"
    assert answer["location"]["country"] == "HN"
    assert answer["needs"][0] == "financiamiento"
    assert answer["centers"][0]["id"] == "hn-cde-el-paraiso"
    assert answer["centers"][0]["matches_needs"] is True
    assert "CDE MIPYME Región El Paraíso" in answer["reply"]


def test_ask_reads_one_message_per_line_without_memory(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = "soy de Danlí\nocupo un préstamo\nhola\n"
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert main(["ask", "--json"]) == 0
    first, second, third = json_lines(capsys.readouterr().out)
    assert first["location"]["status"] == "found" and first["needs"] == []
    assert first["centers"], "a place alone still lists the centers"
    assert second["location"]["status"] == "missing" and second["centers"] == []
    assert third["needs"] == [] and third["location"]["status"] == "missing"


def test_ask_with_a_shared_location(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "--lat", "15.5", "--lon", "-88.02", "ocupo capacitación"]) == 0
    (answer,) = json_lines(capsys.readouterr().out)
    assert answer["location"]["status"] == "found"
    assert answer["location"]["admin_area"] == "Cortés"
    assert answer["centers"][0]["id"] == "hn-cde-valle-de-sula"


def test_ask_reports_ambiguous_places_with_candidates(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ask", "--json", "ando en San Marcos"]) == 0
    (answer,) = json_lines(capsys.readouterr().out)
    assert answer["location"]["status"] == "ambiguous"
    assert 2 <= len(answer["location"]["candidates"]) <= 8
    assert answer["centers"] == []


def test_centers_json_lists_every_ranked_center(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["centers", "--json"]) == 0
    centers = json.loads(capsys.readouterr().out)
    assert centers[0]["country"] == "HN"
    for c in centers:
        assert {"id", "name", "country", "city", "lat", "lon", "service_area", "services"} <= set(
            c
        )
        assert set(c["services"]) <= TAXONOMY
        assert c["ranked"] is True
    assert main(["centers", "--json", "--all"]) == 0
    everything = json.loads(capsys.readouterr().out)
    assert len(everything) > len(centers)


def test_run_without_a_token_explains_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run"]) == 2
    assert "TELEGRAM_BOT_TOKEN" in capsys.readouterr().err


def test_a_malformed_setting_stops_with_its_name(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME_COUNTRY", "Honduras")
    assert main(["ask", "--json", "hola"]) == 2
    assert "HOME_COUNTRY" in capsys.readouterr().err


async def test_demo_answers_piped_messages_and_presses_buttons(tmp_path: Path) -> None:
    settings = load_settings({"DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"})
    out = io.StringIO()
    script = "soy de Danlí y ocupo un préstamo\n1\n/ubicacion 15.5 -88.02\n"
    assert await run_demo(settings, io.StringIO(script), out) == 0
    shown = out.getvalue()
    assert "CDE MIPYME Región El Paraíso" in shown
    assert "Más centros" in shown  # button 1 was "Ver más centros"
    assert "Valle de Sula" in shown  # the shared location in Cortés
    assert shown.rstrip().endswith("¡Hasta pronto!")


def test_ask_names_the_national_agency_with_its_known_contacts(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = (
        "soy de Quetzaltenango y quiero vender más\n"
        "soy de Estelí y ocupo un préstamo\n"
        "vivo en Liberia, Costa Rica y quiero formalizar mi negocio\n"
    )
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert main(["ask", "--json"]) == 0
    guatemala, nicaragua, costa_rica = json_lines(capsys.readouterr().out)

    assert guatemala["centers"] == []  # no center of Guatemala can be ranked, none abroad
    gt = guatemala["agency"]
    assert gt["country"] == "GT" and "MINECO" in gt["name"]
    assert gt["address"] == "Delegación del MINECO en Quetzaltenango (Xela)"
    assert gt["sources"]["address"] == {
        "url": "https://dca.gob.gt/index.php/2020/02/20/quetzaltecos-contaran-con-fondo-para-emprendedores",
        "date": "2020-02-20",
        "confidence": "official",
    }
    assert "CENPROMYPE" in guatemala["reply"]

    assert nicaragua["centers"] == []
    ni = nicaragua["agency"]
    assert ni["country"] == "NI"
    assert "MIFIC" in ni["name"] and "Promoción de Emprendimientos" in ni["name"]
    assert "MEFCCA" not in json.dumps(nicaragua, ensure_ascii=False)
    assert not {"website", "phone", "email", "address"} & set(ni)  # none is known

    assert costa_rica["centers"][0]["id"] == "cr-creapyme-liberia"
    cr = costa_rica["agency"]
    assert (cr["country"], cr["email"], cr["city"]) == ("CR", "siec@meic.go.cr", "Tibás")
    assert cr["sources"]["email"]["confidence"] == "third-party"
    assert cr["sources"]["email"]["date"] is None  # an undated guide
    assert "website" not in cr  # no source gives MEIC's website


def test_no_answer_offers_a_center_abroad(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    places = [
        "Danlí", "Choluteca", "San Miguel, El Salvador", "Ilobasco", "Quetzaltenango",
        "Ciudad de Guatemala", "Estelí", "Managua", "Bluefields", "Puntarenas",
        "San José, Costa Rica", "Chitré", "David, Panamá", "Santo Domingo, República Dominicana",
        "Santiago de los Caballeros", "Belmopan", "Belize City", "Ocotepeque",
    ]  # fmt: skip
    lines = "".join(f"soy de {p} y ocupo un préstamo\n" for p in places)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(lines.encode())))
    assert main(["ask", "--json"]) == 0
    answers = json_lines(capsys.readouterr().out)
    assert len(answers) == len(places)
    assert main(["centers", "--json", "--all"]) == 0
    country_of = {c["id"]: c["country"] for c in json.loads(capsys.readouterr().out)}
    found = 0
    for answer in answers:
        if answer["location"]["status"] != "found":
            continue
        found += 1
        country = answer["location"]["country"]
        assert {country_of[c["id"]] for c in answer["centers"]} <= {country}, answer["query"]
        assert answer["agency"]["country"] == country
    assert found >= len(places) - 3
