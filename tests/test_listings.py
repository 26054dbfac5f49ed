"""Listing fields staff may edit: validation, normalization, hostile input and Spanish errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.listings import (
    EDITABLE_FIELDS,
    PHONE_PLANS,
    ListingError,
    ListingErrorCode,
    ListingField,
    validate_email,
    validate_field,
    validate_phone,
    validate_text,
    validate_url,
)
from bot.texts import FIELD_BUTTONS, FIELD_NAMES, ask_value, esc, field_saved, listing_error

E = ListingErrorCode
ADDRESS = ListingField.ADDRESS
CITY = ListingField.CITY


def test_editable_fields_in_order() -> None:
    assert [f.value for f in EDITABLE_FIELDS] == [
        "phone",
        "email",
        "address",
        "city",
        "website",
        "hours",
    ]


# -- phones ------------------------------------------------------------------------------------

GOOD_PHONES = [
    ("HN", "2763-0000", "+504 2763-0000"),
    ("HN", "27630000", "+504 2763-0000"),
    ("HN", "2763 0000", "+504 2763-0000"),
    ("HN", "2763.0000", "+504 2763-0000"),
    ("HN", " (504) 2763-0000 ", "+504 2763-0000"),
    ("HN", "+504 2763-0000", "+504 2763-0000"),
    ("HN", "+504-2763-0000", "+504 2763-0000"),
    ("HN", "504 27630000", "+504 2763-0000"),
    ("HN", "00504 2763 0000", "+504 2763-0000"),
    ("HN", "3312-4567", "+504 3312-4567"),
    ("HN", "8812-4567", "+504 8812-4567"),
    ("HN", "9988-7766", "+504 9988-7766"),
    ("HN", "2763-0000 ext. 136", "+504 2763-0000 ext. 136"),
    ("HN", "2763-0000 Ext 136", "+504 2763-0000 ext. 136"),
    ("HN", "2763-0000, extensión 12", "+504 2763-0000 ext. 12"),
    ("HN", "2763-0000 x136", "+504 2763-0000 ext. 136"),
    ("HN", "\uff12\uff17\uff16\uff13\uff0d\uff10\uff10\uff10\uff10", "+504 2763-0000"),
    ("SV", "2661 7930", "+503 2661-7930"),
    ("SV", "2378-1500 ext. 136", "+503 2378-1500 ext. 136"),
    ("SV", "+503 7012-3456", "+503 7012-3456"),
    ("SV", "6012-3456", "+503 6012-3456"),
    ("GT", "2234-5678", "+502 2234-5678"),
    ("GT", "+502 5512 3456", "+502 5512-3456"),
    ("NI", "2255-1234", "+505 2255-1234"),
    ("NI", "505 8812 3456", "+505 8812-3456"),
    ("CR", "2222-3333", "+506 2222-3333"),
    ("CR", "+506 8888 7777", "+506 8888-7777"),
    ("PA", "223-4567", "+507 223-4567"),
    ("PA", "6123-4567", "+507 6123-4567"),
    ("PA", "+507 6123 4567", "+507 6123-4567"),
    ("BZ", "822-2345", "+501 822-2345"),
    ("BZ", "+501 610-1234", "+501 610-1234"),
    ("DO", "809-247-2000", "+1 809-247-2000"),
    ("DO", "(809) 247-2000", "+1 809-247-2000"),
    ("DO", "+1 829 555 0000", "+1 829-555-0000"),
    ("DO", "1-849-555-0000", "+1 849-555-0000"),
    ("DO", "8095550000 ext 22", "+1 809-555-0000 ext. 22"),
]


@pytest.mark.parametrize(("country", "value", "expected"), GOOD_PHONES)
def test_validate_phone(country: str, value: str, expected: str) -> None:
    assert validate_phone(value, country) == expected
    assert validate_phone(expected, country) == expected  # idempotent


BAD_PHONES = [
    ("HN", "", E.EMPTY),
    ("HN", "  ", E.EMPTY),
    ("HN", "---", E.EMPTY),
    ("HN", "2763-0000" * 5, E.TOO_LONG),
    ("HN", "2763-000", E.PHONE_LENGTH),
    ("HN", "2763-00000", E.PHONE_LENGTH),
    ("HN", "+504 2763-000", E.PHONE_LENGTH),
    ("HN", "4763-0000", E.PHONE_PREFIX),
    ("HN", "1234-5678", E.PHONE_PREFIX),
    ("HN", "7123-4567", E.PHONE_PREFIX),
    ("HN", "+503 2661-7930", E.WRONG_COUNTRY),
    ("HN", "503 2661 7930", E.WRONG_COUNTRY),
    ("HN", "+1 809 247 2000", E.WRONG_COUNTRY),
    ("HN", "+44 20 7946 0958", E.WRONG_COUNTRY),
    ("HN", "tel. 2763-0000", E.PHONE_LETTERS),
    ("HN", "dos siete seis tres", E.PHONE_LETTERS),
    ("HN", "2763-OOOO", E.PHONE_LETTERS),  # letter O instead of zero
    ("HN", "2763-0000 / 9988-7766", E.MULTIPLE),
    ("HN", "2763-0000 y 9988-7766", E.MULTIPLE),
    ("HN", "2763-0000, 9988-7766", E.MULTIPLE),
    ("HN", "2763-0000 o 9988-7766", E.MULTIPLE),
    ("HN", "2763 0000 9988 7766", E.MULTIPLE),
    ("HN", "2763-0000 ext.", E.BAD_EXTENSION),
    ("HN", "2763-0000 ext. 1234567", E.BAD_EXTENSION),
    ("HN", "<b>2763-0000</b>", E.BAD_CHARACTERS),
    ("HN", "2763-0000\x00", E.BAD_CHARACTERS),
    ("HN", "2763-0000#", E.BAD_CHARACTERS),
    ("HN", "*2763-0000", E.BAD_CHARACTERS),
    ("HN", "27+63-0000", E.BAD_CHARACTERS),
    ("SV", "3312-4567", E.PHONE_PREFIX),
    ("SV", "+504 2763-0000", E.WRONG_COUNTRY),
    ("PA", "623-4567", E.PHONE_PREFIX),  # old 7-digit mobile
    ("PA", "2234-5678", E.PHONE_PREFIX),  # 8 digits are mobiles, starting with 6
    ("PA", "22-3456", E.PHONE_LENGTH),
    ("BZ", "2234-5678", E.PHONE_LENGTH),
    ("DO", "247-2000", E.PHONE_LENGTH),  # no area code
    ("DO", "305-555-0000", E.PHONE_PREFIX),  # a US area code
    ("DO", "+1 305 555 0000", E.PHONE_PREFIX),
    ("DO", "+504 2763-0000", E.WRONG_COUNTRY),
    ("MX", "55 1234 5678", E.UNSUPPORTED_COUNTRY),
]


@pytest.mark.parametrize(("country", "value", "code"), BAD_PHONES)
def test_validate_phone_rejects(country: str, value: str, code: ListingErrorCode) -> None:
    with pytest.raises(ListingError) as caught:
        validate_phone(value, country)
    assert caught.value.code is code
    assert caught.value.field is ListingField.PHONE


# -- e-mail ------------------------------------------------------------------------------------

GOOD_EMAILS = [
    ("cdmype@univo.edu.sv", "cdmype@univo.edu.sv"),
    ("CDMYPE.UNICAES@GMAIL.COM", "CDMYPE.UNICAES@gmail.com"),
    ("  info@isa.edu.do ", "info@isa.edu.do"),
    ("mailto:Info@ISA.edu.do", "Info@isa.edu.do"),
    ("cde.region-12+mipyme@sub.dominio.hn", "cde.region-12+mipyme@sub.dominio.hn"),
    ("a_b%c@x.co", "a_b%c@x.co"),
]


@pytest.mark.parametrize(("value", "expected"), GOOD_EMAILS)
def test_validate_email(value: str, expected: str) -> None:
    assert validate_email(value) == expected


BAD_EMAILS = [
    ("", E.EMPTY),
    ("mailto:", E.EMPTY),
    ("a" * 115 + "@x.com", E.TOO_LONG),
    ("a@b", E.BAD_EMAIL),
    ("cde", E.BAD_EMAIL),
    ("@gmail.com", E.BAD_EMAIL),
    ("cde@", E.BAD_EMAIL),
    ("cde @gmail.com", E.BAD_EMAIL),
    ("juan..perez@x.com", E.BAD_EMAIL),
    (".juan@x.com", E.BAD_EMAIL),
    ("juan@-x.com", E.BAD_EMAIL),
    ("juan@x..com", E.BAD_EMAIL),
    ("juan@gmail.con", E.BAD_EMAIL),
    ("juan@gmail.c", E.BAD_EMAIL),
    ("peña@x.com", E.BAD_EMAIL),
    ("x@y.com, z@w.com", E.MULTIPLE),
    ("x@y.com z@w.com", E.MULTIPLE),
    ("<a@b.com>", E.BAD_CHARACTERS),
    ('"><script>alert(1)</script>@x.com', E.BAD_CHARACTERS),
]


@pytest.mark.parametrize(("value", "code"), BAD_EMAILS)
def test_validate_email_rejects(value: str, code: ListingErrorCode) -> None:
    with pytest.raises(ListingError) as caught:
        validate_email(value)
    assert caught.value.code is code


def test_validate_email_control_characters() -> None:
    assert validate_email("a@b.com\n") == "a@b.com"  # surrounding whitespace is trimmed
    with pytest.raises(ListingError) as caught:
        validate_email("a\u202e@b.com")  # a bidi override inside
    assert caught.value.code is E.BAD_CHARACTERS


# -- web ---------------------------------------------------------------------------------------

GOOD_URLS = [
    ("https://www.facebook.com/cdmypeunivo", "https://www.facebook.com/cdmypeunivo"),
    ("https://www.facebook.com/CDMYPEILOBASCO/", "https://www.facebook.com/CDMYPEILOBASCO/"),
    ("www.ejemplo.org", "https://www.ejemplo.org"),
    ("ejemplo.hn", "https://ejemplo.hn"),
    ("ejemplo.org.", "https://ejemplo.org"),  # the full stop of a sentence
    ("HTTP://Ejemplo.ORG/Ruta?q=1#x", "http://ejemplo.org/Ruta?q=1#x"),
    ("//ejemplo.org/a", "https://ejemplo.org/a"),
    ("ejemplo.org:8080/x", "https://ejemplo.org:8080/x"),
    ("https://cámara.hn/", "https://cámara.hn/"),
]


@pytest.mark.parametrize(("value", "expected"), GOOD_URLS)
def test_validate_url(value: str, expected: str) -> None:
    assert validate_url(value) == expected
    assert validate_url(expected) == expected


BAD_URLS = [
    ("", E.EMPTY),
    ("https://ejemplo.org/" + "a" * 200, E.TOO_LONG),
    ("ejemplo.org/" + "b" * 186, E.TOO_LONG),  # 198 typed, too long once https:// is added
    ("javascript:alert(1)", E.BAD_SCHEME),
    ("JavaScript://%0aalert(1)", E.BAD_SCHEME),
    ("data:text/html;base64,PHNjcmlwdD4=", E.BAD_SCHEME),
    ("vbscript:msgbox", E.BAD_SCHEME),
    ("file:///etc/passwd", E.BAD_SCHEME),
    ("ftp://ejemplo.org", E.BAD_SCHEME),
    ("mailto:info@ejemplo.org", E.BAD_SCHEME),
    ("<script>alert(1)</script>", E.BAD_CHARACTERS),
    ('https://ejemplo.org/"onmouseover="x', E.BAD_CHARACTERS),
    ("https://ejemplo.org/\x07", E.BAD_CHARACTERS),
    ("https://ejemplo", E.BAD_URL),
    ("ejemplo", E.BAD_URL),
    ("http://", E.BAD_URL),
    ("http://192.168.0.1/admin", E.BAD_URL),
    ("https://user:clave@ejemplo.org", E.BAD_URL),
    ("https://ejemplo.org:99999", E.BAD_URL),
    ("https://-ejemplo.org", E.BAD_URL),
    ("www.ejemplo .org", E.BAD_URL),
    ("www.a.com www.b.com", E.MULTIPLE),
]


@pytest.mark.parametrize(("value", "code"), BAD_URLS)
def test_validate_url_rejects(value: str, code: ListingErrorCode) -> None:
    with pytest.raises(ListingError) as caught:
        validate_url(value)
    assert caught.value.code is code
    assert caught.value.field is ListingField.WEBSITE


# -- free text ---------------------------------------------------------------------------------

GOOD_TEXTS = [
    (ADDRESS, "Barrio El Centro, 2 cuadras al sur del parque", None),
    (ADDRESS, "  Barrio  El Centro,\n 2 cuadras\tal sur  ", "Barrio El Centro, 2 cuadras al sur"),
    (ADDRESS, "Col. Kennedy\u200b, bloque 5", "Col. Kennedy, bloque 5"),  # zero-width space
    (ADDRESS, "Km 5, carretera a Olancho 🚌", None),
    (ADDRESS, "a" * 200, None),
    # Kept as plain text: stored verbatim, escaped with esc() wherever it is shown.
    (ADDRESS, "<script>alert(1)</script> Barrio Abajo", None),
    (ADDRESS, "Frente a <Pulpería La Bendición> & Cía", None),
    (CITY, "Danlí", None),
    (CITY, "San Pedro Sula", None),
    (CITY, "Santiago de los Caballeros", None),
    (CITY, "Dan\u0301li", "Dańli"),  # normalized to NFC
]


@pytest.mark.parametrize(("field", "value", "expected"), GOOD_TEXTS)
def test_validate_text(field: ListingField, value: str, expected: str | None) -> None:
    assert validate_text(field, value) == (expected if expected is not None else value)


BAD_TEXTS = [
    (ADDRESS, "", E.EMPTY),
    (ADDRESS, " \n\t ", E.EMPTY),
    (ADDRESS, "\u200b", E.EMPTY),
    (ADDRESS, "a" * 201, E.TOO_LONG),
    (CITY, "a" * 81, E.TOO_LONG),
    (ADDRESS, "Barrio\x00 Abajo", E.BAD_CHARACTERS),
    (ADDRESS, "Barrio \x1b[31mAbajo", E.BAD_CHARACTERS),
    (CITY, "Dan\u202eli", E.BAD_CHARACTERS),  # right-to-left override
    (CITY, "---", E.ONLY_SYMBOLS),
    (CITY, "12345", E.ONLY_SYMBOLS),
    (ADDRESS, "📍📍", E.ONLY_SYMBOLS),
    (ADDRESS, "<>", E.ONLY_SYMBOLS),
    (CITY, "N/A", E.PLACEHOLDER),
    (CITY, "no tiene", E.PLACEHOLDER),
    (ADDRESS, "Pendiente.", E.PLACEHOLDER),
]


@pytest.mark.parametrize(("field", "value", "code"), BAD_TEXTS)
def test_validate_text_rejects(field: ListingField, value: str, code: ListingErrorCode) -> None:
    with pytest.raises(ListingError) as caught:
        validate_text(field, value)
    assert caught.value.code is code
    assert caught.value.field is field


def test_hostile_address_is_safe_once_escaped() -> None:
    stored = validate_text(ADDRESS, "<script>alert(1)</script>")
    assert esc(stored) == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_validate_field_dispatches() -> None:
    assert validate_field(ListingField.PHONE, "2763-0000", "HN") == "+504 2763-0000"
    assert validate_field(ListingField.EMAIL, "A@B.ORG", "HN") == "A@b.org"
    assert validate_field(ListingField.WEBSITE, "ejemplo.org", "HN") == "https://ejemplo.org"
    assert validate_field(ListingField.CITY, " Danlí ", "HN") == "Danlí"
    assert validate_field(ListingField.ADDRESS, "Barrio Abajo", "HN") == "Barrio Abajo"
    for other in (ListingField.HOURS, ListingField.LOCATION, ListingField.SERVICES):
        with pytest.raises(ValueError, match="elsewhere"):
            validate_field(other, "x", "HN")
    with pytest.raises(ValueError, match="free-text"):
        validate_text(ListingField.PHONE, "x")


def test_listing_error_is_a_value_error() -> None:
    error = ListingError(ListingField.PHONE, E.PHONE_LENGTH)
    assert isinstance(error, ValueError)
    assert str(error) == "phone: phone_length"


@given(st.text(max_size=60), st.sampled_from(sorted(PHONE_PLANS)))
def test_validators_only_ever_raise_listing_error(value: str, country: str) -> None:
    for field in (ListingField.PHONE, ListingField.EMAIL, ListingField.WEBSITE, ADDRESS, CITY):
        result = attempt(field, value, country)
        if isinstance(result, ListingError):
            assert result.field is field
        else:
            assert result == result.strip()
            assert validate_field(field, result, country) == result  # idempotent


def attempt(field: ListingField, value: str, country: str) -> str | ListingError:
    try:
        return validate_field(field, value, country)
    except ListingError as exc:
        return exc


# -- Spanish messages --------------------------------------------------------------------------

FIELDS = [ListingField.PHONE, ListingField.EMAIL, ListingField.WEBSITE, ADDRESS, CITY]


@pytest.mark.parametrize("country", [*sorted(PHONE_PLANS), "MX"])
@pytest.mark.parametrize("code", list(ListingErrorCode))
@pytest.mark.parametrize("field", FIELDS)
def test_every_listing_error_has_a_message(
    field: ListingField, code: ListingErrorCode, country: str
) -> None:
    text = listing_error(ListingError(field, code), country)
    assert text.startswith("🤔 ")
    assert "{" not in text
    assert "None" not in text
    assert len(text) < 400
    if code is not E.UNSUPPORTED_COUNTRY:
        assert "Por ejemplo: <i>" in text


def test_phone_messages_give_the_countrys_rule_and_example() -> None:
    text = listing_error(ListingError(ListingField.PHONE, E.PHONE_PREFIX), "HN")
    assert "Honduras" in text
    assert "3, 8 o 9" in text
    assert "2763-0000" in text
    dominican = listing_error(ListingError(ListingField.PHONE, E.PHONE_LENGTH), "DO")
    assert "809, 829 u 849" in dominican
    wrong = listing_error(ListingError(ListingField.PHONE, E.WRONG_COUNTRY), "SV")
    assert "+503" in wrong
    assert "El Salvador" in wrong
    extension = listing_error(ListingError(ListingField.PHONE, E.BAD_EXTENSION), "PA")
    assert "223-0000 ext. 136" in extension


@pytest.mark.parametrize("field", list(ListingField))
def test_field_prompts(field: ListingField) -> None:
    assert FIELD_NAMES[field]
    assert FIELD_BUTTONS[field]
    assert ask_value(field, "HN").startswith("✏️ Escriba ")
    assert field_saved(field).startswith("✅ ")
