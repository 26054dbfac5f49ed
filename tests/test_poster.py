"""The door poster: a valid PNG of the page size whose QR code holds the deep link, whatever
the texts; and deep links that Telegram accepts."""

from __future__ import annotations

import io
from collections.abc import Iterator

import pytest
import segno
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from bot import poster
from bot.poster import PAGE_SIZE, QrPlacement, deep_link, make_poster, render_poster

HEADLINE = "¿Tiene un negocio? Le orientamos gratis"
INSTRUCTIONS = "Escanee con la cámara de su teléfono para abrir Ruta MIPYME en Telegram"
LINK = "https://t.me/RutaMipymeBot?start=hn-cde-valle-de-sula"
LONGEST_LINK = deep_link("B" * 32, "z" * 64)
LONG_NAME = (
    "CEFODEMIPYMES, centro de apoyo al desarrollo de micro, pequeñas y medianas empresas de Estelí"
)
HOSTILE_NAMES = [
    "",
    "<b>Centro & Cía</b> <script>alert(1)</script> &amp; \"'",
    "Ñandú\n\r\t\x00\x1b[31m\u2028línea\u200b\u200d\ufeff",
    "🏪🇭🇳 Tienda 中小企业服务中心 مركز 👩🏽‍💼",
    "\ud800 lone surrogate \U0010fffd private use",
    "W" * 5_000,
    "Centro de Desarrollo Empresarial " * 200,
]


def _poster(name: str, link: str = LINK, headline: str = HEADLINE) -> bytes:
    return make_poster(name, link, headline=headline, instructions=INSTRUCTIONS)


def _open(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def _placement(name: str, link: str = LINK, headline: str = HEADLINE) -> QrPlacement:
    return render_poster(name, link, headline=headline, instructions=INSTRUCTIONS)[1]


def _assert_qr_matches(image: Image.Image, link: str, at: QrPlacement) -> None:
    """The pasted region is segno's matrix of `link`, pixel for pixel, at an integer scale."""
    qr = segno.make(link, error=poster.QR_ERROR, micro=False, boost_error=False)
    matrix = [[bool(module) for module in row] for row in qr.matrix_iter(border=poster.QR_BORDER)]
    assert len(matrix) == at.modules
    expected = Image.new("L", (at.modules, at.modules))
    expected.putdata([0 if dark else 255 for row in matrix for dark in row])
    expected = expected.resize((at.side, at.side), Image.Resampling.NEAREST)
    region = image.convert("L").crop((at.left, at.top, at.left + at.side, at.top + at.side))
    assert ImageChops.difference(region, expected).getbbox() is None


def _assert_ink_inside_page(image: Image.Image, at: QrPlacement) -> None:
    """Text stays within the margins and off the QR code and its surroundings."""
    grey = image.convert("L")
    guard = 12  # px kept clear around the QR code
    grey.paste(
        255, (at.left - guard, at.top - guard, at.left + at.side + guard, at.top + at.side + guard)
    )
    ink = ImageChops.invert(grey).getbbox()
    assert ink is not None
    left, top, right, bottom = ink
    width, height = PAGE_SIZE
    slack = 6  # anti-aliasing and glyph overhang
    assert left >= poster.MARGIN - slack
    assert right <= width - poster.MARGIN + slack
    assert top >= poster.MARGIN - slack
    assert bottom <= height - poster.MARGIN + slack


def _decode(image: Image.Image) -> list[str]:
    zxingcpp = pytest.importorskip("zxingcpp")
    return [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]


@pytest.fixture
def builtin_font(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No TrueType font on the machine: Pillow's built-in font is used."""
    monkeypatch.setattr(poster, "_REGULAR_FONTS", ("no-such-font.ttf",))
    monkeypatch.setattr(poster, "_BOLD_FONTS", ("no-such-font-bold.ttf",))
    poster._font_file.cache_clear()
    poster._font.cache_clear()
    yield
    poster._font_file.cache_clear()
    poster._font.cache_clear()


def test_poster_is_a_small_png_of_the_page_size() -> None:
    png = _poster("CDE MIPYME Valle de Sula")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    Image.open(io.BytesIO(png)).verify()
    image = _open(png)
    assert image.format == "PNG"
    assert image.size == PAGE_SIZE
    assert image.mode in ("L", "P", "1")
    assert len(png) < 150_000


@pytest.mark.parametrize(
    ("name", "link"),
    [("CDE MIPYME Valle de Sula", LINK), (LONG_NAME, LONGEST_LINK), (HOSTILE_NAMES[3], LINK)],
)
def test_qr_is_segnos_matrix_crisp_and_large(name: str, link: str) -> None:
    image = _open(_poster(name, link))
    at = _placement(name, link)
    _assert_qr_matches(image, link, at)
    assert at.side >= PAGE_SIZE[0] // 2  # about 10 cm wide on A4
    _assert_ink_inside_page(image, at)


@pytest.mark.parametrize("link", [LINK, LONGEST_LINK])
def test_qr_decodes_to_the_deep_link(link: str) -> None:
    assert _decode(_open(_poster(LONG_NAME, link))) == [link]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_long_and_hostile_names_stay_on_the_page(name: str) -> None:
    png = _poster(name, headline=HEADLINE * 4)
    image = _open(png)
    assert image.size == PAGE_SIZE
    assert len(png) < 150_000
    at = _placement(name, headline=HEADLINE * 4)
    _assert_qr_matches(image, LINK, at)
    _assert_ink_inside_page(image, at)


@pytest.mark.usefixtures("builtin_font")
def test_works_without_truetype_fonts() -> None:
    assert poster._font_file(poster._BOLD_FONTS) is None
    image = _open(_poster(LONG_NAME, LONGEST_LINK))
    at = _placement(LONG_NAME, LONGEST_LINK)
    assert image.size == PAGE_SIZE
    _assert_qr_matches(image, LONGEST_LINK, at)
    _assert_ink_inside_page(image, at)


@pytest.mark.usefixtures("builtin_font")
def test_qr_decodes_with_builtin_font() -> None:
    assert _decode(_open(_poster(LONG_NAME, LONGEST_LINK))) == [LONGEST_LINK]


def test_builtin_font_text_drops_accents() -> None:
    assert poster._fold_for_builtin("¿Cámara Ñandú — Straße? 中") == "Camara Nandu - Strasse? 中"


def test_headline_line_breaks_are_kept() -> None:
    font = poster._font(poster._BOLD_FONTS, 84)
    lines = poster._wrap(
        poster._clean("¿Tiene un negocio?\nLe orientamos gratis", keep_newlines=True), font, 1060
    )
    assert lines == ["¿Tiene un negocio?", "Le orientamos gratis"]
    assert poster._clean("a\nb") == "a b"


@settings(max_examples=60, deadline=None)
@given(text=st.text(max_size=300), width=st.integers(min_value=80, max_value=1060))
def test_wrapped_lines_fit_the_width(text: str, width: int) -> None:
    font = poster._font(poster._REGULAR_FONTS, 44)
    cleaned = poster._clean(text, keep_newlines=True)
    lines = poster._wrap(cleaned, font, width)
    assert all(font.getlength(line) <= width for line in lines)
    assert "".join(lines).replace(" ", "") == cleaned.replace(" ", "").replace("\n", "")


def test_deep_link() -> None:
    assert deep_link("RutaMipymeBot", "hn-cde-valle-de-sula") == LINK
    assert deep_link("@RutaMipymeBot", "hn-cde-valle-de-sula") == LINK
    assert deep_link("RutaMipymeBot", "A_z-09" + "x" * 58).endswith("?start=A_z-09" + "x" * 58)


@pytest.mark.parametrize(
    "center_id",
    ["", "x" * 65, "has space", "peña", "a/b", "a.b", "a+b", "a?b", "a&b=c", "abc\n", "<b>"],
)
def test_deep_link_rejects_bad_center_ids(center_id: str) -> None:
    with pytest.raises(ValueError, match="start parameter"):
        deep_link("RutaMipymeBot", center_id)


@pytest.mark.parametrize("username", ["", "bot", "Ruta-Mipyme", "1RutaBot", "x" * 33, "a b_bot"])
def test_deep_link_rejects_bad_usernames(username: str) -> None:
    with pytest.raises(ValueError, match="username"):
        deep_link(username, "hn-cde-valle-de-sula")


@pytest.mark.parametrize("link", ["", "   ", "https://t.me/x y", "https://t.me/\x00", "h" * 300])
def test_poster_rejects_unusable_links(link: str) -> None:
    with pytest.raises(ValueError, match="deep link"):
        _poster("Centro", link)
