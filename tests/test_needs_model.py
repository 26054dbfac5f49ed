"""Needs as an advisor reads them: the rules and the learned model together (bot.domain.needs
.reader), for each kind of miss the keyword rules alone made, and the model reproduced from its
corpus by its script."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

from bot.catalog import load_need_matcher
from bot.domain.needs.features import features
from bot.domain.needs.model import MODEL_PATH, NONE_CLASS, NeedModel
from bot.domain.needs.reader import NeedReader

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def reader() -> NeedReader:
    return NeedReader(load_need_matcher(), NeedModel.load())


def _main(reader: NeedReader, text: str) -> str | None:
    needs = reader.read(text).needs
    return needs[0] if needs else None


@pytest.mark.parametrize(
    ("text", "main"),
    [
        # the main ask, not its context or first step
        ("quiero abrir otra sucursal pero antes necesito registrar el nombre de mi marca",
         "propiedad_intelectual"),
        ("cómo empiezo a vender por internet mis artesanías", "digital"),
        ("me piden llevar la contabilidad para la SAR y no sé cómo", "finanzas"),
        ("tengo un vivero y quiero saber cómo calcular el precio de mis plantas", "finanzas"),
    ],
)  # fmt: skip
def test_the_main_ask_comes_before_its_context(reader: NeedReader, text: str, main: str) -> None:
    assert _main(reader, text) == main


@pytest.mark.parametrize(
    ("text", "main", "refused"),
    [
        ("ni préstamo ni capacitación, lo que quiero es registrar mi marca",
         "propiedad_intelectual", {"financiamiento", "capacitacion"}),
        ("no busco crédito, busco clientes", "mercadeo", {"financiamiento"}),
        ("ya tengo el permiso de operación, ahora quiero exportar", "exportacion",
         {"formalizacion"}),
        ("capacitación no, un préstamo sí", "financiamiento", {"capacitacion"}),
        ("no es un logo lo que ocupo, es el registro sanitario", "calidad", {"mercadeo"}),
        ("no es exportar, es conseguir la certificación orgánica", "calidad", {"exportacion"}),
    ],
)  # fmt: skip
def test_negation_in_its_usual_forms_refuses_a_need(
    reader: NeedReader, text: str, main: str, refused: set[str]
) -> None:
    read = reader.read(text)
    assert read.needs[0] == main
    assert refused.isdisjoint(read.needs) and refused.isdisjoint(read.alternatives)


@pytest.mark.parametrize(
    "text",
    [
        "tengo una fonda",
        "tengo una banca de lotería",
        "vendo ropa de marca",
        "soy de santa rosa de copan",
        "trabajo en una exportadora de melón",
        "soy mecánico, tengo mi taller en Comayagua",
    ],
)
def test_a_business_a_trade_or_a_place_is_no_need(reader: NeedReader, text: str) -> None:
    assert reader.read(text).needs == ()


@pytest.mark.parametrize(
    ("text", "main"),
    [
        ("el dinero no me alcanza a fin de mes y no sé en qué se me va", "finanzas"),
        ("los clientes ya no vienen desde que abrieron el supermercado", "mercadeo"),
        ("la alcaldía me puso una multa por no tener permiso", "formalizacion"),
        ("el banco no me quiere prestar porque no tengo fiador", "financiamiento"),
        ("otra señora está usando el mismo nombre de mi negocio", "propiedad_intelectual"),
        ("el supermercado me pide código de barras para recibir mis productos", "calidad"),
        ("somos cinco apicultores y queremos vender juntos", "asociatividad"),
    ],
)
def test_a_need_told_as_a_problem_is_read(reader: NeedReader, text: str, main: str) -> None:
    assert _main(reader, text) == main


def test_an_uncertain_need_offers_the_likeliest_others(reader: NeedReader) -> None:
    clear = reader.read("necesito un préstamo para comprar un horno")
    assert clear.needs[0] == "financiamiento" and clear.alternatives == ()
    classes = [*sorted(reader.model.classes)]
    k = classes.index
    torn = NeedReader(
        reader.matcher,
        NeedModel(
            {
                "classes": classes,
                "bias": [0.0] * len(classes),
                "weights": {
                    "w:feri": [[k("mercadeo"), 3.0]],
                    "w:credit": [[k("financiamiento"), 2.8]],
                    "w:capacit": [[k("capacitacion"), 2.0]],
                },
            }
        ),
    ).read("me interesa lo de las ferias, los créditos y la capacitación")
    assert torn.needs[0] == "mercadeo"
    assert torn.alternatives[:2] == ("financiamiento", "capacitacion")
    assert NONE_CLASS not in torn.alternatives and len(torn.alternatives) <= 3


def test_the_shipped_model_doubts_some_messages_and_not_clear_ones(reader: NeedReader) -> None:
    vague = [
        "quiero que mi negocio crezca",
        "ayuda para mi pulpería",
        "me interesa lo de las ferias y los créditos",
        "quiero mejorar mis productos y venderlos mejor",
        "ocupo apoyo para mi emprendimiento",
    ]
    assert any(reader.read(text).alternatives for text in vague)
    for clear in ("quiero registrar mi marca", "necesito el registro sanitario"):
        assert reader.read(clear).alternatives == ()


def test_features_ignore_names_and_mark_negated_words(reader: NeedReader) -> None:
    named = features(reader.matcher.read("soy de Marcala"))
    assert "w:soy" in named and not any("marc" in f for f in named)
    refused = features(reader.matcher.read("no necesito un préstamo"))
    assert any(f.startswith("n:prest") for f in refused)
    assert not any(f.startswith("w:prest") for f in refused)


def test_the_shipped_model_is_what_its_script_learns_from_the_corpus() -> None:
    """Retrained from data/needs_corpus*.jsonl, the model decides as the shipped one does (a
    tolerance for floating point differences between machines, not for a stale file)."""
    pytest.importorskip("sklearn")
    spec = importlib.util.spec_from_file_location("train_needs", ROOT / "scripts/train_needs.py")
    assert spec is not None and spec.loader is not None
    train = importlib.util.module_from_spec(spec)
    sys.modules["train_needs"] = train
    spec.loader.exec_module(train)
    matcher = load_need_matcher()
    rows = train.load_corpus()
    feats = [features(train.reading(matcher, text)) for text, _ in rows]
    fresh = NeedModel(train.fit(feats, [needs for _, needs in rows]))
    shipped = NeedModel(json.loads(MODEL_PATH.read_text(encoding="utf-8")))
    same = sum(fresh.ranked(f)[0][0] == shipped.ranked(f)[0][0] for f in feats)
    assert same >= 0.995 * len(feats)
    assert fresh.classes == shipped.classes
