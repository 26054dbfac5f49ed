"""The needs matcher: what an entrepreneur writes, mapped to the taxonomy's service slugs."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from bot.catalog import load_need_matcher, load_need_rules, load_needs
from bot.domain.models import Need
from bot.domain.needs import NeedMatcher, NeedRule, sound, stem

TAXONOMY = (
    "emprendimiento",
    "asesoria",
    "capacitacion",
    "financiamiento",
    "formalizacion",
    "finanzas",
    "mercadeo",
    "digital",
    "exportacion",
    "calidad",
    "propiedad_intelectual",
    "asociatividad",
)


@pytest.fixture(scope="module")
def matcher() -> NeedMatcher:
    return load_need_matcher()


def first(matcher: NeedMatcher, text: str) -> str | None:
    found = matcher.match(text)
    return found[0] if found else None


# -- the catalogue ---------------------------------------------------------------------------


def test_services_csv_has_the_twelve_taxonomy_slugs_in_order() -> None:
    needs = load_needs()
    assert tuple(need.slug for need in needs) == TAXONOMY


def test_every_service_has_a_label_a_description_and_keywords() -> None:
    for need in load_needs():
        assert need.label, need.slug
        assert need.description.endswith("."), need.slug
        assert len(need.keywords) >= 10, need.slug
        assert all(keyword == keyword.strip() and keyword for keyword in need.keywords)


def test_rules_file_loads_and_only_names_known_slugs() -> None:
    rules = load_need_rules()
    assert len(rules) > 100
    cue_slugs = {rule.slug for rule in rules if not rule.slug.startswith(("_", "@"))}
    assert cue_slugs == set(TAXONOMY)
    assert all(rule.weight in (1, 2, 3) for rule in rules if rule.slug in TAXONOMY)


def test_unknown_slug_in_rules_is_rejected() -> None:
    needs = [Need("financiamiento", "Financiamiento", "Préstamos.", ("préstamo",))]
    with pytest.raises(ValueError, match="unknown slug"):
        NeedMatcher(needs, [NeedRule("prestamos", 3, "credito")])


def test_keywords_alone_still_match_without_the_rules_file() -> None:
    bare = NeedMatcher(load_needs())
    assert first(bare, "necesito un préstamo") == "financiamiento"
    assert first(bare, "quiero sacar el registro sanitario") == "calidad"
    assert bare.match("hola, buenas tardes") == []


def test_custom_services_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "services.csv"
    path.write_text(
        "slug,label,description,keywords\n"
        'digital,Digital,"Vender en línea, pagos.",tienda en línea|página web\n',
        encoding="utf-8",
    )
    (need,) = load_needs(path)
    assert need == Need(
        "digital", "Digital", "Vender en línea, pagos.", ("tienda en línea", "página web")
    )
    assert NeedMatcher([need]).match("quiero una PAGINA WEB") == ["digital"]


# -- every slug can be reached ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("quiero emprender pero no sé por dónde empezar", "emprendimiento"),
        ("tengo una idea de negocio de comida saludable, me ayudan?", "emprendimiento"),
        ("me gustaría tener mi propio negocio de uñas", "emprendimiento"),
        ("necesito ayuda con mi plan de negocios", "emprendimiento"),
        ("necesito que me asesoren con mi negocio", "asesoria"),
        ("mi empresa está estancada y quiero un diagnóstico", "asesoria"),
        ("cómo administro mejor mi restaurante", "asesoria"),
        ("hay cursos gratis de repostería?", "capacitacion"),
        ("quisiera que capaciten a mis empleados en atención al cliente", "capacitacion"),
        ("me interesa un diplomado en administración", "capacitacion"),
        ("ocupo un préstamo para surtir la pulpería", "financiamiento"),
        ("hay capital semilla para jóvenes?", "financiamiento"),
        ("me hace falta pisto para comprar otra máquina", "financiamiento"),
        ("cómo saco el RTN de mi negocio", "formalizacion"),
        ("requisitos para el permiso de operación", "formalizacion"),
        ("queremos constituir una sociedad entre tres socios", "formalizacion"),
        ("cómo llevo las cuentas de mi tienda", "finanzas"),
        ("no sé cuánto cobrar por mis pasteles", "finanzas"),
        ("ayuda con la declaración de impuestos", "finanzas"),
        ("quiero hacer publicidad en Facebook", "mercadeo"),
        ("cómo consigo más clientes para mi barbería", "mercadeo"),
        ("quiero participar en una feria de emprendedores", "mercadeo"),
        ("quiero vender mis productos en línea", "digital"),
        ("cómo cobro con QR", "digital"),
        ("necesito un sitio web", "digital"),
        ("quiero exportar café a Alemania", "exportacion"),
        ("qué pide la aduana para sacar camarón", "exportacion"),
        ("tengo un comprador en El Salvador, cómo le mando la mercadería", "exportacion"),
        ("cómo saco el registro sanitario de mis encurtidos", "calidad"),
        ("dónde consigo código de barras para mis churros", "calidad"),
        ("quiero ponerle tabla nutricional a la salsa", "calidad"),
        ("quiero registrar mi marca de café", "propiedad_intelectual"),
        ("cómo patento un invento", "propiedad_intelectual"),
        ("me copiaron el logo, qué hago?", "propiedad_intelectual"),
        ("queremos formar una cooperativa de artesanas", "asociatividad"),
        ("quiero ser proveedor de una maquila", "asociatividad"),
        ("cómo le hago para venderle a los supermercados", "asociatividad"),
    ],
)
def test_each_service_is_reachable(matcher: NeedMatcher, text: str, slug: str) -> None:
    assert first(matcher, text) == slug


def test_all_twelve_slugs_are_covered_by_the_reachability_table() -> None:
    table = test_each_service_is_reachable.pytestmark[0].args[1]  # type: ignore[attr-defined]
    assert {slug for _, slug in table} == set(TAXONOMY)


# -- spelling: accents, case, typos, chat slang -----------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("necesito un prestamo", "financiamiento"),
        ("NECESITO UN PRÉSTAMO", "financiamiento"),
        ("nesesito un pretamo", "financiamiento"),
        ("quisiera un credto para el negocio", "financiamiento"),
        ("ando buscando financiamento", "financiamiento"),
        ("capasitaciones para emprendedores", "capacitacion"),
        ("quiero esportar mi miel", "exportacion"),
        ("quiero ecsportar", "exportacion"),
        ("ayúdenme con la contavilidad", "finanzas"),
        ("quiero registar mi marca", "propiedad_intelectual"),
        ("cómo hago publisidad en tiktok", "mercadeo"),
        ("quiero formalisar mi negocio", "formalizacion"),
        ("kiero un prestamito pa la pulpe", "financiamiento"),
        ("ocupo q me hagan una pag web", "digital"),
        ("ocupo ayuda con el face de mi tienda", "mercadeo"),
        ("me urge plata pa arrancar el negocio", "financiamiento"),
        ("Cómo me inscribo en la SAR?", "formalizacion"),
        ("ARSA me pide el sello para los encurtidos", "calidad"),
    ],
)
def test_spelling_variants_match(matcher: NeedMatcher, text: str, slug: str) -> None:
    assert first(matcher, text) == slug


@pytest.mark.parametrize(
    "text",
    [
        "escolar",  # not "escalar"
        "caridad",  # a place, not "calidad"
        "una máquina nueva",  # not "maquila"
        "la construcción",  # not "constitución"
    ],
)
def test_short_or_real_words_are_not_bent_into_cues(matcher: NeedMatcher, text: str) -> None:
    assert matcher.match(text) == []


def test_stem_joins_plurals_and_verb_forms() -> None:
    assert stem("préstamos".replace("é", "e")) == stem("prestamo")
    assert stem("capacitaciones") == stem("capacitacion") == stem("capaciten")
    assert stem("talleres") == stem("taller")
    assert stem("registrarla") == stem("registrar")
    assert stem("organizarnos") != stem("organizar")


def test_sound_folds_spanish_spelling_slips() -> None:
    assert sound("capasitasion") == sound("capacitacion")
    assert sound("esportar") == sound("exportar") == sound("ecsportar")
    assert sound("contavilidad") == sound("contabilidad")
    assert sound("rejistro") == sound("registro")


# -- negation ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no necesito préstamo sino aprender a manejar mis finanzas", ["finanzas"]),
        ("no es dinero lo que ocupo, sino que me asesoren para crecer", ["asesoria"]),
        ("no quiero crédito, lo que quiero es un curso de ventas", ["capacitacion"]),
        ("no ocupamos pisto ocupamos vender más", ["mercadeo"]),
        ("no me interesa el crédito, necesito publicidad", ["mercadeo"]),
        ("no es un credito lo que busco sino ordenar las cuentas", ["finanzas"]),
        ("ya tengo el RTN, ahora ocupo el registro sanitario", ["calidad"]),
        ("no necesito préstamo", []),
    ],
)
def test_negated_need_is_dropped(matcher: NeedMatcher, text: str, expected: list[str]) -> None:
    assert matcher.match(text) == expected


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("no quiero que me copien la marca", "propiedad_intelectual"),
        ("no sé cómo llevar la contabilidad", "finanzas"),
        ("mi negocio no está inscrito en ningún lado", "formalizacion"),
        ("no tengo clientes", "mercadeo"),
        ("no vendo nada, qué hago", "mercadeo"),
        ("la cooperativa me negó el préstamo", "financiamiento"),
    ],
)
def test_a_no_that_does_not_refuse_keeps_the_need(
    matcher: NeedMatcher, text: str, slug: str
) -> None:
    assert first(matcher, text) == slug


# -- several needs, main ask first ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "necesito un crédito y también ayuda con la contabilidad",
            ["financiamiento", "finanzas"],
        ),
        ("quiero vender más y ocupo un crédito", ["mercadeo", "financiamiento"]),
        ("ocupo el RTN y el registro sanitario", ["formalizacion", "calidad"]),
        ("ocupo sacar el RTN y registrar la marca", ["formalizacion", "propiedad_intelectual"]),
        ("hay algún curso de contabilidad?", ["capacitacion", "finanzas"]),
        ("quiero una página web y un taller para aprender a usarla", ["digital", "capacitacion"]),
        (
            "tengo la idea de una panadería y me falta el capital",
            ["emprendimiento", "financiamiento"],
        ),
    ],
)
def test_several_needs_come_main_ask_first(
    matcher: NeedMatcher, text: str, expected: list[str]
) -> None:
    assert matcher.match(text)[: len(expected)] == expected


# -- words with two meanings ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("quiero registrar la marca de mis salsas", "propiedad_intelectual"),
        ("quiero que la marca de mis salsas se vea más bonita", "mercadeo"),
        ("dan algún taller de costura?", "capacitacion"),
        ("ocupo un préstamo para mi taller de motos", "financiamiento"),
        ("quiero llevar las cuentas de mi taller", "finanzas"),
        ("dan un taller de finanzas para mujeres?", "capacitacion"),
        ("queremos organizarnos en cooperativa", "asociatividad"),
        ("me ayudan a organizar mi negocio? todo está desordenado", "asesoria"),
        ("quiero montar una tienda virtual", "digital"),
        ("quiero montar una pulpería en mi colonia", "emprendimiento"),
        ("cuánto cuesta sacar el permiso de operación", "formalizacion"),
        ("cuánto me cuesta hacer cada docena de pan", "finanzas"),
        ("quiero poner un puesto en la feria juniana", "mercadeo"),
        ("que tasa de interés cobran por un préstamo", "financiamiento"),
        ("quiero aceptar pagos con tarjeta de crédito", "digital"),
    ],
)
def test_ambiguous_words_follow_their_context(matcher: NeedMatcher, text: str, slug: str) -> None:
    assert first(matcher, text) == slug


# -- no need at all ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hola buenos días",
        "holaaaa",
        "muchas gracias, muy amable",
        "jajaja ok",
        "👍",
        "?",
        "quién creó este bot?",
        "cuál es el horario de atención?",
        "busco trabajo de vendedora",
        "necesito empleo urgente",
        "GANA DINERO FÁCIL haz clic aquí",
        "super promo en recargas!!",
        "vendo celulares baratos escríbame",
        "feliz navidad",
        "soy de Danlí",
        "ando en San Marcos",
        "vivo en puerto lempira",
        "soy de Puerto Plata",
        "estoy en Agua Caliente",
        "no necesito nada, gracias",
    ],
)
def test_message_without_business_need_gives_nothing(matcher: NeedMatcher, text: str) -> None:
    assert matcher.match(text) == []


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("soy de Danlí y ocupo un préstamo", "financiamiento"),
        ("estoy en San Marcos de Colón, quiero registrar mi marca", "propiedad_intelectual"),
        ("vivo en Puerto Lempira y necesito un curso", "capacitacion"),
        ("desde La Ceiba, quiero vender por internet", "digital"),
    ],
)
def test_place_names_are_not_needs(matcher: NeedMatcher, text: str, slug: str) -> None:
    assert matcher.match(text) == [slug]


# -- paraphrases of everyday requests ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("buenas, me urge un préstamo, tengo una tortillería en La Ceiba", "financiamiento"),
        ("alguna institución que dé microcréditos sin tanto requisito?", "financiamiento"),
        ("me negaron el crédito en el banco, hay otra opción?", "financiamiento"),
        ("hay bonos o ayudas del gobierno para emprendedores", "financiamiento"),
        ("tengo una pulpería y nunca la he registrado, qué tengo que hacer", "formalizacion"),
        ("mi negocio es informal y quiero que sea legal", "formalizacion"),
        ("cuáles son los pasos para abrir una empresa legalmente", "formalizacion"),
        ("alguien está usando el nombre de mi negocio sin permiso", "propiedad_intelectual"),
        ("cómo protego mi marca??", "propiedad_intelectual"),
        ("quiero que más gente conozca mi negocio", "mercadeo"),
        ("mis ventas están bien bajas este año", "mercadeo"),
        ("me ayudan a diseñar la imagen de mi marca?", "mercadeo"),
        ("quiero que mis clientes paguen con tarjeta", "digital"),
        ("cómo pongo mi menú en una app de delivery", "digital"),
        ("qué necesito para traer ropa de Guatemala para vender", "exportacion"),
        ("ocupo sacar mi producto a otros países", "exportacion"),
        ("cómo funciona el tratado de libre comercio", "exportacion"),
        ("quiero certificarme en buenas prácticas de manufactura", "calidad"),
        ("cómo hago para que mi producto dure más tiempo", "calidad"),
        ("quiero sacar un producto nuevo al mercado", "calidad"),
        ("quiero estudiar algo para mejorar mi negocio, tienen cursos?", "capacitacion"),
        ("cuándo es el próximo taller de emprendimiento", "capacitacion"),
        ("mi negocio va mal, ayuda", "asesoria"),
        ("quiero abrir otra sucursal pero no sé si es buen momento", "asesoria"),
        ("qué negocio puedo poner con poco dinero", "emprendimiento"),
        ("quiero empezar a vender ropa usada", "emprendimiento"),
        ("cómo nos organizamos en cooperativa", "asociatividad"),
        ("queremos hacer compras en conjunto entre varias pulperías", "asociatividad"),
        ("quisiera vender mis quesos a los supermercados", "asociatividad"),
        ("cuánto le debo ganar a cada producto", "finanzas"),
        ("no sé en qué se me va el dinero del negocio", "finanzas"),
        ("cómo separo el dinero de la casa y del negocio", "finanzas"),
        ("ocupo un contador para mi negocio", "finanzas"),
        ("tengo que pagar impuestos si vendo poco?", "finanzas"),
    ],
)
def test_everyday_paraphrases_match(matcher: NeedMatcher, text: str, slug: str) -> None:
    assert first(matcher, text) == slug


# -- speed ------------------------------------------------------------------------------------


def test_matching_is_fast(matcher: NeedMatcher) -> None:
    texts = [
        "buenas tardes mire yo tengo una pulpería en la colonia y quisiera saber si me pueden "
        f"ayudar con un préstamo y también con la contabilidad, número {i}"
        for i in range(200)
    ]
    start = time.perf_counter()
    for text in texts:
        matcher.match(text)
    per_message = (time.perf_counter() - start) / len(texts)
    assert per_message < 0.005  # well under 1 ms in practice; generous for slow CI machines


# -- the ask comes after the context ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # what the user tells before the ask verb is context, not the main ask
        ("hice un diplomado el año pasado, ahora quiero abrir mi tienda en línea", "digital"),
        (
            "gasté el capital en la boda de mi hija, ocupo que me financien la mercadería",
            "financiamiento",
        ),
        (
            "vendo atol en la feria del pueblo y ocupo el registro sanitario para vender en súper",
            "calidad",
        ),
        (
            "me aconsejaron poner publicidad pero yo lo que quiero es exportar mi miel",
            "exportacion",
        ),
        # "… ya lo tengo": what came before is done
        ("el permiso de operación ya lo tengo, me falta aprender a vender en redes", "mercadeo"),
        ("ya tomé el curso de costos, ahora necesito un crédito", "financiamiento"),
        # the stage of the business stays the main ask
        ("tengo una idea de negocio de jugos naturales y me falta el pisto", "emprendimiento"),
    ],
)
def test_the_ask_after_the_context_is_the_main_need(
    matcher: NeedMatcher, text: str, slug: str
) -> None:
    assert first(matcher, text) == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("pienso abrir un lavado de carros, será buen negocio?", "emprendimiento"),
        ("me quedé sin trabajo y quiero montar algo con lo que me dieron", "emprendimiento"),
        ("cómo convierto mi idea en un proyecto que funcione", "emprendimiento"),
        ("ocupo que alguien haga un análisis de mi empresa", "asesoria"),
        ("tenemos dos locales y no sabemos cómo administrarlos", "asesoria"),
        ("queremos un plan estratégico para la cooperativa", "asesoria"),
        ("dan clases de computación para adultos?", "capacitacion"),
        ("quiero aprender excel para el negocio", "capacitacion"),
        ("no sé si estoy ganando o perdiendo con mi venta de tacos", "finanzas"),
        ("cómo subo mis seguidores en tiktok para vender más", "mercadeo"),
        ("ideas para vender más en semana santa", "mercadeo"),
        ("necesito un sistema de punto de venta para la farmacia", "digital"),
        ("quiero que mi restaurante aparezca en google maps", "digital"),
        ("me pueden cobrar con tigo money?", "digital"),
        ("cómo le mando mis quesillos a mi hermana en Houston", "exportacion"),
        ("qué documentos piden en la aduana para sacar café", "exportacion"),
        ("cómo hago para que los supermercados reciban mis encurtidos", "asociatividad"),
        ("los cafetaleros del municipio, ¿cómo nos organizamos para vender?", "asociatividad"),
    ],
)
def test_more_everyday_paraphrases(matcher: NeedMatcher, text: str, slug: str) -> None:
    assert first(matcher, text) == slug


@pytest.mark.parametrize(
    "text",
    [
        "me mandó la receta del doctor",
        "cuál es su número de teléfono?",
        "dónde queda el hospital escuela",
    ],
)
def test_everyday_words_that_are_no_need(matcher: NeedMatcher, text: str) -> None:
    assert matcher.match(text) == []


# -- wording seen on fresh held-out messages ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # "no se" in chat is "no sé" (I don't know how), not a refusal
        ("a cuánto doy la docena de rosquillas? no se sacar costos", "finanzas"),
        # a question opens the ask like an ask verb does
        ("qué papeles ocupo para poner una barbería", "formalizacion"),
        (
            "los del súper dicen q me compran si me certifico, cómo hago pa ser proveedora",
            "asociatividad",
        ),
        ("para vender en las pulperías me piden el registro sanitario", "calidad"),
        # "ya me registré …" is done
        ("ya me inscribí en la cámara de comercio, ahora quiero más clientes", "mercadeo"),
        # words that share a stem with a cue but mean something else
        ("hay alguna forma de conseguir un crédito sin aval?", "financiamiento"),
        ("quiero que mis cajeras sepan usar el punto de venta", "capacitacion"),
        ("me subieron la renta del local y no sé si cambiarme, qué me aconsejan", "asesoria"),
        ("abrí una venta de ropa hace un mes y no llega nadie", "mercadeo"),
        ("vendo bastante pero no me salen las cuentas a fin de mes", "finanzas"),
        ("me ofrecen una franquicia de café, me conviene?", "emprendimiento"),
        ("cuánto me sale registrar el nombre de mi marca?", "propiedad_intelectual"),
        # the subject of a course
        ("quiero estudiar algo de contabilidad, hay algo los sábados?", "capacitacion"),
        ("quisiera aprender marketing digital", "capacitacion"),
        # lexicon
        ("cómo pongo mis bolsos en amazon", "digital"),
        ("queremos la denominación de origen para el café de la zona", "propiedad_intelectual"),
        ("los vecinos me deben mucho fiado y ya no me alcanza", "finanzas"),
        ("el banco no me da porque salgo en la central de riesgo", "financiamiento"),
        ("mi prima en New Jersey quiere vender mis dulces allá", "exportacion"),
        ("quiero llevar mi tortillería al siguiente nivel", "asesoria"),
        ("me piden la licencia de ARSA para los chorizos", "calidad"),
        ("cómo atraigo turistas a mi cafetería", "mercadeo"),
        ("cómo le pongo nombre a mi emprendimiento de jabones", "mercadeo"),
        ("ocupo ayuda con mi negocio", "asesoria"),
        ("no tengo negocio todavía pero quiero uno", "emprendimiento"),
    ],
)
def test_fresh_wording_finds_the_main_ask(matcher: NeedMatcher, text: str, slug: str) -> None:
    assert first(matcher, text) == slug


@pytest.mark.parametrize(
    "text",
    [
        "se me arruinó el celular, alguien sabe quién lo arregla?",
        "quién inventó este bot?",
        "cómo hago para registrarme en el bot",
        "ando buscando abogado para un divorcio",
        "me llegó un link raro para ganar dinero desde casa",
        "somos promotoras de una marca de ollas, le interesa?",
        "qué hago, me duele mucho la muela",
    ],
)
def test_fresh_off_topic_messages_have_no_need(matcher: NeedMatcher, text: str) -> None:
    assert matcher.match(text) == []


# -- dev-like messages: short questions, plain requests, slang and typos ---------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # "me interesa" is an ask, not the "interesados" of an advert
        ("me interesa una asesoría para mi negocio", "asesoria"),
        ("me interesa el mercado europeo para mis puros", "exportacion"),
        ("necesito contratar más gente para la panadería, cómo le hago?", "asesoria"),
        # a foreign country a few words after the selling verb
        ("quiero vender mis artesanías de barro en Costa Rica", "exportacion"),
        ("qué trámites piden en la frontera para pasar ganado?", "exportacion"),
        # the longer cue of one slug does not hide its shorter cue from another slug
        ("qué documentos ocupo para importar llantas de Panamá?", "exportacion"),
        # equal cues: the slug with more cues in the message wins
        ("quiero mejorar el empaque de las rosquillas para que duren más", "calidad"),
        ("como abro una tienda virtual de zapatos", "digital"),
        ("quiero vender por whatsapp con catálogo mis perfumes", "digital"),
        ("llevo todo en papel, quiero pasar las ventas a un sistema", "digital"),
        ("ocupo un programa para el inventario de la llantera", "digital"),
        ("las tortillas se ponen malas rápido, cómo las conservo mejor?", "calidad"),
        ("mi salsa tiene mucha sal, cómo la reformulo?", "calidad"),
        ("hay redes de empresarias en Olancho?", "asociatividad"),
        ("cómo formamos un grupo de ahorro con las vecinas", "asociatividad"),
        ("queremos comprar la materia prima entre varios talleres", "asociatividad"),
        ("como mejoro la atención al cliente en mi hostal", "asesoria"),
        ("mi socia y yo no sabemos cómo repartirnos las funciones", "asesoria"),
        ("cómo hago que la empresa camine sola sin que yo esté encima", "asesoria"),
        ("la ferretería de mi tío va cuesta abajo, quiero rescatarla", "asesoria"),
        ("cuándo empieza el próximo taller de repostería", "capacitacion"),
        ("me urge pisto pa pagar el alquiler del local", "financiamiento"),
        ("quiero comprar un congelador pero no me alcanza, hay créditos?", "financiamiento"),
        ("tengo deudas con los proveedores y no sé cómo pagarlas", "finanzas"),
        ("quiero crear mi propia agencia de turismo", "emprendimiento"),
        ("queremos abrir un car wash en la colonia", "emprendimiento"),
        ("ocupo mejorar la presentación de mi marca, se ve muy sencilla", "mercadeo"),
        ("cómo compito con las tiendas grandes", "mercadeo"),
        ("nadie conoce mi pupusería, como me doy a conocer", "mercadeo"),
        ("quiero que el nombre de mi cafetería sea solo mío", "propiedad_intelectual"),
        ("abrieron otra tienda con el mismo nombre que la mía", "propiedad_intelectual"),
        ("como hacer análisis microbiológico de la leche", "calidad"),
        ("kiero capasitarme en bentas", "capacitacion"),
        ("la pulpe se me va en fiado, cómo controlo lo que fío?", "finanzas"),
        # where the user lives is no foreign market
        ("necesito más clientes estoy en Guatemala", "mercadeo"),
        ("soy de Nicaragua y quiero vender mis quesos en El Salvador", "exportacion"),
    ],
)
def test_dev_like_wording_finds_the_main_ask(matcher: NeedMatcher, text: str, slug: str) -> None:
    assert first(matcher, text) == slug


@pytest.mark.parametrize(
    "text",
    [
        "necesito una receta de pollo frito",
        "cuánto cuesta el dólar hoy?",
        "busco trabajo de mesera",
        "quiero un empleo",
        "ya me ayudaron, muy amables",
    ],
)
def test_dev_like_messages_without_need(matcher: NeedMatcher, text: str) -> None:
    assert matcher.match(text) == []


def test_a_misspelt_inflection_is_read_by_the_sound_of_its_stem(matcher: NeedMatcher) -> None:
    assert first(matcher, "quiero capasitarlos") == "capacitacion"
    # ordinary words whose stem sounds like a cue's stem are left alone
    assert matcher.match("mi esposa y yo") == []
    assert matcher.match("dicen que sí") == []


# -- round 5: what kind of help, pronouns, questions to the bot ------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # a weak cue does not make a need, but it tells where a need was first asked for
        ("me gustaría aprender a sacar costos en un curso corto", "capacitacion"),
        ("queremos aprender a exportar en un seminario", "capacitacion"),
        ("aprender a usar facebook para vender, hay taller?", "capacitacion"),
        # without a course the topic is the need, and a loan for a course is a loan
        ("quiero aprender a llevar las cuentas", "finanzas"),
        ("necesito plata para pagar el diplomado", "financiamiento"),
    ],
)
def test_the_kind_of_help_asked_for_leads_its_topic(
    matcher: NeedMatcher, text: str, slug: str
) -> None:
    assert first(matcher, text) == slug


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("el logo de la panadería lo hizo mi hijo, quiero registrarlo", "propiedad_intelectual"),
        ("ya tengo nombre para mi marca, cómo la protejo", "propiedad_intelectual"),
        ("mi marca de miel es conocida en el pueblo, quiero registrarla", "propiedad_intelectual"),
        ("tengo una marca de café, ¿cómo la registro?", "propiedad_intelectual"),
        # a pronoun for something else keeps its own reading
        ("mi empresa ya existe pero quiero registrarla en la cámara", "formalizacion"),
        ("tengo un negocio de tortillas y quiero legalizarlo", "formalizacion"),
        ("tengo una marca de ropa y quiero promocionarla", "mercadeo"),
    ],
)
def test_a_pronoun_is_read_as_the_noun_it_stands_for(
    matcher: NeedMatcher, text: str, slug: str
) -> None:
    assert first(matcher, text) == slug


@pytest.mark.parametrize(
    "text",
    [
        "me pasa el número del ingeniero?",
        "cual es el telefono de la municipalidad",
        "tienen correo?",
        "me da el numero del banco?",
        "el asesor que me atendió fue muy amable, gracias",
        "que bonito jaja",
    ],
)
def test_questions_about_contacts_or_staff_have_no_need(matcher: NeedMatcher, text: str) -> None:
    assert matcher.match(text) == []


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        # a strong cue still counts in a question about a contact
        ("me dan el numero de alguien que preste dinero?", "financiamiento"),
        ("el asesor que me atendió me dijo que sacara el RTN, dónde lo saco?", "formalizacion"),
        # words whose light stem meets a cue's are not that cue
        ("vendo flores en el mercado y quiero más clientes", "mercadeo"),
        ("trabajo en la maquila y quiero empezar un negocio aparte", "emprendimiento"),
        ("tengo los papeles en orden, ahora quiero un crédito", "financiamiento"),
        ("vendo harto pero no me queda ni un centavo", "finanzas"),
        ("ocupo mandar mis quesos fuera del país", "exportacion"),
        ("la gente de Florida me pide café", "exportacion"),
        ("cómo se hace la facturación electrónica de la ferretería", "finanzas"),
        ("no tengo claro qué tipo de sociedad formar", "formalizacion"),
        ("queremos que las empacadoras nos subcontraten", "asociatividad"),
        ("se me van los empleados a cada rato, cómo hago que se queden", "asesoria"),
    ],
)
def test_round_five_wording_finds_the_main_ask(matcher: NeedMatcher, text: str, slug: str) -> None:
    assert first(matcher, text) == slug


def test_an_exact_word_in_a_group_is_not_stemmed() -> None:
    needs = [Need("exportacion", "Exportación", "", ("exportar",))]
    rules = [
        NeedRule("@lugar", 0, "=florida/texas"),
        NeedRule("exportacion", 3, "vender @lugar"),
    ]
    matcher = NeedMatcher(needs, rules)
    assert matcher.match("quiero vender en florida") == ["exportacion"]
    assert matcher.match("quiero vender flores") == []
