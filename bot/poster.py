"""Printable door poster for a center: a PNG with a QR code of the center's deep link.

`make_poster` lays out, on a white portrait page of `PAGE_SIZE` pixels (A4 at about 150 dpi,
which also prints on Letter), from top to bottom: the headline, the center's name, a large QR
code of the deep link, the instructions and the link itself in small print. All wording comes
from the caller (the Spanish lives in `bot/texts.py`); this module only draws.

The QR code is rendered by segno at an integer scale with a 4-module quiet zone and pasted
as is, so every module is a crisp square of pure black or white. Text uses DejaVu Sans when
the system has it and otherwise Pillow's built-in scalable font, so the poster renders on any
machine. The image is written in greyscale (4-bit palette) to stay small, typically well
under 100 KB.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import segno
from PIL import Image, ImageDraw, ImageFont

__all__ = [
    "PAGE_SIZE",
    "QrPlacement",
    "deep_link",
    "make_poster",
    "render_poster",
]

PAGE_SIZE = (1240, 1754)  # A4 portrait at ~150 dpi
MARGIN = 90
QR_BORDER = 4  # quiet zone, in modules (the standard's minimum; the white page adds more)
QR_ERROR = "q"
MAX_LINK_CHARS = 256  # deep_link() makes at most 116; longer would shrink the QR's modules
MAX_QR_SIDE = 1000  # px; larger adds nothing when scanning from a door

# Telegram's rules: a start parameter is at most 64 chars of A-Z, a-z, 0-9, _ and -;
# a username is 5-32 chars of letters, digits and underscores, starting with a letter.
_START_PARAM_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_USERNAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")

_MAX_INPUT_CHARS = 400  # longer text is cut before layout; it could not be shown anyway
_ELLIPSIS = "…"

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont

_FONT_DIRS = (
    "/usr/share/fonts/truetype/dejavu/",  # Debian, Ubuntu
    "/usr/share/fonts/dejavu/",  # Fedora, Arch
    "/usr/share/fonts/TTF/",
    "/usr/local/share/fonts/",
)
# Tried in order: absolute paths first, then bare names (Pillow searches the system's font
# folders, including Windows' and macOS'). The last resort is Pillow's built-in font.
_REGULAR_FONTS: tuple[str, ...] = (
    *(d + "DejaVuSans.ttf" for d in _FONT_DIRS),
    "DejaVuSans.ttf",
    "LiberationSans-Regular.ttf",
    "arial.ttf",
    "Arial.ttf",
)
_BOLD_FONTS: tuple[str, ...] = (
    *(d + "DejaVuSans-Bold.ttf" for d in _FONT_DIRS),
    "DejaVuSans-Bold.ttf",
    "LiberationSans-Bold.ttf",
    "arialbd.ttf",
    "Arial Bold.ttf",
)

_BLACK = 0
_TEXT_GREY = 40  # body text: near black, prints well
_LINK_GREY = 70
_RULE_GREY = 190


class QrPlacement(NamedTuple):
    """Where the QR code sits on the page, in pixels (the box includes the quiet zone)."""

    left: int
    top: int
    scale: int  # pixels per module
    modules: int  # symbol side in modules, quiet zone included

    @property
    def side(self) -> int:
        return self.scale * self.modules


class _Block(NamedTuple):
    """Wrapped lines of text in one font, ready to draw centered."""

    lines: tuple[str, ...]
    font: Font
    line_height: int
    fill: int

    @property
    def height(self) -> int:
        return self.line_height * len(self.lines)


def deep_link(bot_username: str, center_id: str) -> str:
    """The t.me link that opens the bot on `center_id`'s card (`/start <center_id>`).

    Raises ValueError when `center_id` breaks Telegram's start-parameter rules (1-64 chars of
    A-Z, a-z, 0-9, _ and -) or `bot_username` is not a Telegram username (a leading "@" is
    accepted and dropped).
    """
    username = bot_username.removeprefix("@")
    if not _USERNAME_RE.fullmatch(username):
        raise ValueError(f"not a Telegram bot username: {bot_username!r}")
    if not _START_PARAM_RE.fullmatch(center_id):
        raise ValueError(
            f"center id {center_id!r} is not a valid Telegram start parameter "
            "(1-64 characters of A-Z, a-z, 0-9, _ and -)"
        )
    return f"https://t.me/{username}?start={center_id}"


def make_poster(center_name: str, deep_link: str, *, headline: str, instructions: str) -> bytes:
    """The poster as PNG bytes (`PAGE_SIZE`, greyscale palette). See the module docstring."""
    image, _ = render_poster(center_name, deep_link, headline=headline, instructions=instructions)
    # Anti-aliased text needs only a few grey levels: 16 keep it smooth at 4 bits per pixel.
    # Black and white stay exact, so the QR code's pixels are unchanged.
    levels = image.point(lambda v: (v + 8) // 17)  # 0..15
    indexed = Image.frombytes("P", levels.size, levels.tobytes())
    indexed.putpalette([v * 17 for v in range(16) for _ in range(3)])
    out = io.BytesIO()
    indexed.save(out, format="PNG", optimize=True, bits=4, dpi=(150, 150))
    return out.getvalue()


def render_poster(
    center_name: str, deep_link: str, *, headline: str, instructions: str
) -> tuple[Image.Image, QrPlacement]:
    """The poster as a greyscale ("L") image, and where its QR code is.

    Raises ValueError when `deep_link` is empty, longer than `MAX_LINK_CHARS` or not printable
    (a space or a control character); the texts may be anything.
    """
    link = deep_link.strip()
    if not link or len(link) > MAX_LINK_CHARS or not link.isprintable() or " " in link:
        raise ValueError(f"not a usable deep link: {deep_link[:MAX_LINK_CHARS]!r}")
    width, height = PAGE_SIZE
    text_width = width - 2 * MARGIN

    blocks_top = [
        _fit(_clean(headline, keep_newlines=True), _BOLD_FONTS, text_width, (84, 44), 3, _BLACK),
        _fit(_clean(center_name), _BOLD_FONTS, text_width, (60, 32), 3, _TEXT_GREY),
    ]
    blocks_bottom = [
        _fit(
            _clean(instructions, keep_newlines=True),
            _REGULAR_FONTS,
            text_width,
            (44, 28),
            3,
            _TEXT_GREY,
        ),
        _fit(link, _REGULAR_FONTS, text_width, (30, 20), 2, _LINK_GREY, is_link=True),
    ]
    gap_after_headline = 56  # holds a thin rule between headline and name
    gap_around_qr = 40

    qr = segno.make(link, error=QR_ERROR, micro=False, boost_error=False)
    modules = len(qr.matrix) + 2 * QR_BORDER
    text_height = sum(b.height for b in (*blocks_top, *blocks_bottom))
    room = height - 2 * MARGIN - text_height - gap_after_headline - 2 * gap_around_qr
    room -= 24  # between instructions and link
    scale = max(1, min(room, text_width, MAX_QR_SIDE) // modules)
    side = scale * modules
    # Spread what is left over: the QR code keeps its spacing, the page its margins.
    slack = max(0, room - side)
    y = MARGIN + slack // 3

    image = Image.new("L", PAGE_SIZE, 255)
    draw = ImageDraw.Draw(image)
    headline_block, name_block = blocks_top
    y = _draw_block(draw, headline_block, y, width)
    if headline_block.lines:
        rule_y = y + gap_after_headline // 2 - 2
        draw.rectangle((width // 2 - 120, rule_y, width // 2 + 120, rule_y + 3), fill=_RULE_GREY)
    y += gap_after_headline
    y = _draw_block(draw, name_block, y, width)
    y += gap_around_qr + slack // 3

    placement = QrPlacement(left=(width - side) // 2, top=y, scale=scale, modules=modules)
    image.paste(_qr_image(qr, scale), (placement.left, placement.top))
    y += side + gap_around_qr

    instructions_block, link_block = blocks_bottom
    y = _draw_block(draw, instructions_block, y, width)
    y += 24
    _draw_block(draw, link_block, y, width)
    return image, placement


def _qr_image(qr: segno.QRCode, scale: int) -> Image.Image:
    """The QR code rendered by segno as PNG in memory, at `scale` px per module."""
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=scale, border=QR_BORDER, dark="black", light="white")
    buffer.seek(0)
    with Image.open(buffer) as png:
        return png.convert("L")


def _clean(text: str, *, keep_newlines: bool = False) -> str:
    """`text` made safe to lay out: NFC, control characters turned into spaces, runs of spaces
    collapsed; line breaks are kept (as single "\\n") only with `keep_newlines`."""
    text = unicodedata.normalize("NFC", text[: _MAX_INPUT_CHARS * 2])
    text = re.sub(r"\r\n?|[\u2028\u2029\x0b\x0c\x85]", "\n", text)
    if not keep_newlines:
        text = text.replace("\n", " ")
    kept = "".join(
        ch if ch == "\n" or unicodedata.category(ch) != "Cc" else " "
        for ch in text
        if unicodedata.category(ch) not in ("Cs", "Co", "Cn")
    )
    lines = (" ".join(line.split()) for line in kept.split("\n"))
    cleaned = "\n".join(line for line in lines if line)
    if len(cleaned) > _MAX_INPUT_CHARS:
        cleaned = cleaned[: _MAX_INPUT_CHARS - 1].rstrip() + _ELLIPSIS
    return cleaned


@lru_cache(maxsize=8)
def _font_file(candidates: tuple[str, ...]) -> str | None:
    """The first of `candidates` that Pillow can open, or None (use Pillow's built-in font)."""
    for name in candidates:
        try:
            ImageFont.truetype(name, 12)
        except OSError:
            continue
        return name
    return None


@lru_cache(maxsize=64)
def _font(candidates: tuple[str, ...], size: int) -> Font:
    name = _font_file(candidates)
    if name is None:
        return ImageFont.load_default(size=size)
    return ImageFont.truetype(name, size)


# Pillow's built-in font has ASCII and only these: © « ° ± acute · » quotes … and angle quotes.
_BUILTIN_EXTRA = frozenset(
    "\u00a9\u00ab\u00b0\u00b1\u00b4\u00b7\u00bb\u2018\u2019\u201c\u201d\u2026\u2039\u203a"
)
_ASCII_FOLDS = str.maketrans(
    {
        "¿": "",
        "¡": "",
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u00d7": "x",  # multiplication sign
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
    }
)


def _fold_for_builtin(text: str) -> str:
    """`text` with accents dropped (á -> a, ñ -> n) and a few signs replaced, for the built-in
    font; characters without an ASCII form are kept (they show as boxes)."""

    def fold(ch: str) -> str:
        if ch.isascii() or ch in _BUILTIN_EXTRA:
            return ch
        base = "".join(
            c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
        )
        return base if base.isascii() else ch

    return "".join(fold(ch) for ch in text.translate(_ASCII_FOLDS))


def _fit(
    text: str,
    candidates: tuple[str, ...],
    width: int,
    sizes: tuple[int, int],
    max_lines: int,
    fill: int,
    *,
    is_link: bool = False,
) -> _Block:
    """`text` wrapped to `width` in the largest size (from `sizes[0]` down to `sizes[1]`)
    that needs at most `max_lines` lines; at the smallest size, cut with an ellipsis.

    A link prefers one line: it shrinks to the smallest size before taking a second line."""
    if _font_file(candidates) is None:
        text = _fold_for_builtin(text)
    largest, smallest = sizes
    wanted_lines = 1 if is_link else max_lines
    size = largest
    while True:
        font = _font(candidates, size)
        lines = _wrap(text, font, width, is_link=is_link) if text else []
        if len(lines) <= wanted_lines:
            break
        if size <= smallest:
            if len(lines) <= max_lines or wanted_lines == max_lines:
                break
            wanted_lines, size = max_lines, largest + 4  # start over, allowing more lines
        size = max(smallest, size - 4)
    if len(lines) > max_lines:
        lines = [
            *lines[: max_lines - 1],
            _ellipsize(" ".join(lines[max_lines - 1 :]), font, width),
        ]
    return _Block(tuple(lines), font, round(size * 1.28), fill)


def _wrap(text: str, font: Font, width: int, *, is_link: bool = False) -> list[str]:
    """`text` in lines no wider than `width`, each "\\n" starting a new one.

    Prose breaks at spaces, into lines of balanced length (the narrowest width that needs no
    more lines than a greedy fill); a link breaks after its "?". A word wider than a whole
    line is split by characters."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        if is_link:
            lines += _greedy(re.split(r"(?<=\?)", paragraph), "", font, width)
            continue
        words = paragraph.split(" ")
        greedy = _greedy(words, " ", font, width)
        low, high = 1, width  # the narrowest width that keeps len(greedy) lines
        while low < high:
            mid = (low + high) // 2
            if len(_greedy(words, " ", font, mid)) <= len(greedy):
                high = mid
            else:
                low = mid + 1
        lines += _greedy(words, " ", font, high) if high < width else greedy
    return lines


def _greedy(words: Sequence[str], sep: str, font: Font, width: int) -> list[str]:
    """Greedy line fill of `words` joined by `sep`; a too-wide word is split by characters."""
    lines: list[str] = []
    current = ""
    for word in words:
        if not word:
            continue
        candidate = f"{current}{sep}{word}" if current else word
        if font.getlength(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for ch in word:  # only a word wider than a whole line gets here with more than one char
            if current and font.getlength(current + ch) > width:
                lines.append(current)
                current = ""
            current += ch
    if current:
        lines.append(current)
    return lines


def _ellipsize(text: str, font: Font, width: int) -> str:
    """`text` cut so that it plus an ellipsis fits in `width`."""
    while text and font.getlength(text + _ELLIPSIS) > width:
        text = text[:-1]
    return text.rstrip(" ,;:-") + _ELLIPSIS


def _draw_block(draw: ImageDraw.ImageDraw, block: _Block, top: int, page_width: int) -> int:
    """Draw `block` centered from `top`; return the y just below it."""
    y = top
    for line in block.lines:
        line_width = draw.textlength(line, font=block.font)
        x = (page_width - line_width) / 2
        draw.text((x, y), line, font=block.font, fill=block.fill)
        y += block.line_height
    return y
