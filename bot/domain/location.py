"""Where is the user? Coordinates, map links and place names in free Spanish text (pure core)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from geopy.distance import distance as geo_distance  # type: ignore[import-untyped]
from rapidfuzz import process
from rapidfuzz.distance import OSA

from bot.domain.gazetteer import Gazetteer, NameMatches
from bot.domain.models import LocationResult, LocationSource, LocationStatus, Place
from bot.domain.text import fold

MAX_CANDIDATES = 8
DOMINANCE = 10  # a namesake this many times larger than the next one is the one meant
NAMELESS_KM = 100.0  # a shared point farther than this from any known place gets no name
_MAX_SPAN = 8  # longest place name (in words) looked up in free text

# ---------------------------------------------------------------- coordinates and map links

_NUM = r"[-+\u2212]?\d{1,3}(?:[.,]\d+)?"
_URL_PAIRS = (
    re.compile(r"@(-?\d+(?:\.\d+)?),\s*(-?\d+(?:\.\d+)?)"),  # google .../@14.08,-87.2,15z
    re.compile(r"!3d(-?\d+(?:\.\d+)?)!4d(-?\d+(?:\.\d+)?)"),  # google data= blobs
    re.compile(
        r"[?&;](?:q|query|ll|sll|center|daddr|saddr|destination|loc)="
        r"(?:loc:)?\s*(-?\d+(?:\.\d+)?)\s*(?:,|%2C)\s*(?:\+|%20)*(-?\d+(?:\.\d+)?)",
        re.IGNORECASE,
    ),
    re.compile(r"#map=\d+(?:\.\d+)?/(-?\d+(?:\.\d+)?)/(-?\d+(?:\.\d+)?)"),  # openstreetmap
    re.compile(r"\bgeo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)", re.IGNORECASE),
)
_URL_PARAMS = (("mlat", "mlon"), ("lat", "lon"), ("lat", "lng"), ("latitude", "longitude"))
_DECIMAL_PAIR = re.compile(
    r"(?<![\w.,])([-+\u2212]?\d{1,2}(?:\.\d+)?)\s*°?\s*([NSns])?\s*[,;/\s]\s*"
    r"([-+\u2212]?\d{1,3}(?:\.\d+)?)\s*°?\s*([EWOewo])?(?![\w.])"
)
_DMS = re.compile(
    r"(\d{1,2})\s*°\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['\u2032\u2019]\s*)?"
    r"(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:\"|\u2033|''|\u2019\u2019)\s*)?"
    r"([NSns])\W{0,3}(\d{1,3})\s*°\s*(?:(\d{1,2}(?:[.,]\d+)?)\s*['\u2032\u2019]\s*)?"
    r"(?:(\d{1,2}(?:[.,]\d+)?)\s*(?:\"|\u2033|''|\u2019\u2019)\s*)?([EWOewo])"
)
_LABELLED = re.compile(
    r"\blat(?:itud)?\s*[:=]?\s*(" + _NUM + r")\W{1,4}lo?ng?(?:itud)?\s*[:=]?\s*(" + _NUM + ")",
    re.IGNORECASE,
)
_DECIMALS = re.compile(r"\.\d\d")
_SHORT_LINK = re.compile(
    r"\b(?:maps\.app\.goo\.gl|goo\.gl/maps|g\.co/kgs|maps\.google\.[a-z.]+/\?cid=|"
    r"osm\.org/go/|waze\.com/ul/h)",
    re.IGNORECASE,
)
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)


def _valid(lat: float, lon: float) -> bool:
    return math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180


def _float(text: str) -> float:
    return float(text.replace("\u2212", "-").replace(",", "."))


def _dms(deg: str, minutes: str | None, seconds: str | None) -> float:
    return _float(deg) + _float(minutes or "0") / 60 + _float(seconds or "0") / 3600


def _raw_point(text: str) -> tuple[float, float] | None:
    """The first coordinate pair written in the text, valid or not."""
    for pattern in _URL_PAIRS:
        m = pattern.search(text)
        if m:
            return float(m.group(1)), float(m.group(2))
    for url in _URL.findall(text):
        for lat_key, lon_key in _URL_PARAMS:
            la = re.search(rf"[?&;#]{lat_key}=(-?\d+(?:\.\d+)?)", url, re.IGNORECASE)
            lo = re.search(rf"[?&;#]{lon_key}=(-?\d+(?:\.\d+)?)", url, re.IGNORECASE)
            if la and lo:
                return float(la.group(1)), float(lo.group(1))
    m = _LABELLED.search(text)
    if m:
        return _float(m.group(1)), _float(m.group(2))
    m = _DMS.search(text)
    if m:
        lat = _dms(m.group(1), m.group(2), m.group(3))
        lon = _dms(m.group(5), m.group(6), m.group(7))
        lat = -lat if m.group(4).upper() == "S" else lat
        lon = -lon if m.group(8).upper() in "WO" else lon
        return lat, lon
    body = _URL.sub(" ", text)
    for m in _DECIMAL_PAIR.finditer(body):
        a, ns, b, ew = m.groups()
        has_marks = bool(ns or ew or "°" in m.group(0))
        precise = bool(_DECIMALS.search(a) and _DECIMALS.search(b))
        signed = "." in a and "." in b and b[:1] in "-\u2212"
        if not (has_marks or precise or signed):
            continue
        lat, lon = _float(a), _float(b)
        if ns and ns.upper() == "S":
            lat = -abs(lat)
        if ew and ew.upper() in "WO":
            lon = -abs(lon)
        elif not ew and 5 <= lat <= 21 and 59 <= lon <= 93:  # the region is west of Greenwich
            lon = -lon
        return lat, lon
    return None


def parse_point(text: str) -> tuple[float, float] | None:
    """Coordinates typed as text or inside a Google Maps / OpenStreetMap link, if valid.

    Plain decimal pairs need two decimals each, a negative longitude, degree signs or
    hemisphere letters (so "tengo 2.5 3.5" is not a point). A pair typed without the minus
    sign of the western longitude, inside Central America's latitudes, is read as west.
    """
    point = _raw_point(text)
    return point if point is not None and _valid(*point) else None


def is_short_link(text: str) -> bool:
    """A shortened maps link (maps.app.goo.gl, goo.gl/maps…) that only the network can open."""
    return bool(_SHORT_LINK.search(text))


def locate_point(lat: float, lon: float, gazetteer: Gazetteer) -> LocationResult:
    """A point (shared or typed): FOUND at exactly that point, named after the nearest place."""
    if not _valid(lat, lon):
        return LocationResult(LocationStatus.NOT_FOUND, source=LocationSource.COORDINATES)
    near = gazetteer.nearest(lat, lon)
    if near is not None and geo_distance((lat, lon), (near.lat, near.lon)).km > NAMELESS_KM:
        near = None
    place = Place(
        id=near.id if near else 0,
        name=near.name if near else "",
        country=near.country if near else "",
        admin1=near.admin1 if near else "",
        admin_name=near.admin_name if near else "",
        lat=lat,
        lon=lon,
        population=near.population if near else 0,
    )
    return LocationResult(LocationStatus.FOUND, place=place, source=LocationSource.COORDINATES)


# ---------------------------------------------------------------- words

_T = tuple[str, ...]


def _words(text: str) -> frozenset[str]:
    """Space-separated words as a set."""
    return frozenset(text.split())


def _phrases(text: str) -> tuple[_T, ...]:
    """Comma-separated phrases as tuples of words."""
    return tuple(tuple(p.split()) for p in text.split(",") if p.strip())


# Said right before where the user is or is from.
_ORIGIN_CUES = _phrases(
    "soy de, somos de, soy originario de, soy originaria de, originario de, originaria de, "
    "vengo de, venimos de, vivo en, vivimos en, vivo por, estoy en, estamos en, ando en, "
    "andamos en, ando por, andamos por, estoy por, estamos por, me encuentro en, "
    "nos encontramos en, desde, resido en, residimos en, radico en, radicamos en, queda en, "
    "quedamos en, esta en, estan en, ubicado en, ubicada en, ubicados en, ubicadas en, "
    "localizado en, localizada en, situado en, situada en, trabajo en, trabajamos en, "
    "aqui en, aca en, aqui por, aca por, de aqui de, de aca de, mi casa es en, vivo alla en, "
    "operamos en, opero en, tengo mi negocio en, mi negocio en, mi pulperia en, "
    "mi tienda en, soy del, somos del, vengo del, venimos del, originario del, originaria del, "
    "vivo en el, vivimos en el, estoy en el, estamos en el"
)
# "en" / "de" alone before a name say less, but still point to a place.
_WEAK_CUES = _phrases("en, de, del, por, zona de, cerca de")
# Said right before a destination or a market, not where the user is.
_DEST_WORDS = _phrases("a, al, hacia, hasta, para, pa")
_DEST_PHRASES = _phrases(
    "vender en, venderle en, vendo a, exportar en, clientes en, cliente en, mercado de, "
    "mercado en, ir a, viajar a, llegar a, enviar a, mandar a, llevar a, vender a, "
    "entregas en, envios a, envios en, compradores en, distribuir en, exportamos a"
)
# Intentions about a market: "quiero vender mi café en ..." points to a destination.
_DEST_VERBS = _words(
    "vender venderle venderles exportar exportarle enviar mandar llevar distribuir comercializar "
    "ofrecer colocar expandir expandirme expandirnos viajar ir entregar envio envios exportacion"
)
_ORIGIN_VERBS = _words("vivo vivimos estoy estamos soy somos ando queda tengo")
# Said before a person's name: "soy Victoria", "me llamo Mercedes".
_NAME_CUES = _phrases(
    "soy, me llamo, se llama, llamado, llamada, nombre es, mi nombre, marca, somos, "
    "atentamente, atte, senora, senor, sra, sr, don, dona, licenciado, licenciada, "
    "ingeniero, ingeniera"
)
# Between a cue and the name: "vivo en la aldea de ...", "soy del municipio de ...".
_FILLERS = _phrases(
    "la ciudad de, ciudad de, el municipio de, municipio de, la aldea de, la aldea, "
    "aldea de, aldea, el pueblo de, pueblo de, la comunidad de, comunidad de, el caserio de, "
    "el caserio, caserio, la colonia, el barrio, el sector de, sector de, mero, mera, "
    "la zona de, lo que es, puro"
)
_DEPT_FILLERS = _phrases(
    "el departamento de, departamento de, el depto de, depto de, depto, dpto de, dpto, "
    "la provincia de, provincia de, departamento, el departamento"
)
_QUALIFIER_LEAD = frozenset(
    {"depto", "departamento", "dpto", "provincia", "de", "del", "en", "municipio", "pais"}
)

# Whole messages that are small talk, never a place ("gracias" is also a town in Lempira).
_CHAT = _words(
    "gracias muchas hola buenas buenos buen dia dias tardes noches ok okay oki listo bien si no "
    "dale bueno claro perfecto excelente vale ya adios chao saludos info ayuda amen bendiciones "
    "mil gracia porfa porfavor favor jaja jajaja ja xd hey alo que como quien cuando donde muy "
    "genial super"
)

# Where a span after a cue stops: "soy de Danlí y quiero ..." -> "Danlí".
_SPAN_STOP = _words(
    "y pero que quiero queremos ocupo ocupamos necesito necesitamos busco buscamos ando tengo "
    "tenemos con para porque pues donde me mi mis es estoy soy a al por en ahorita ahora "
    "actualmente hace desde vendo vendemos quisiera quisieramos deseo solicito como cuando ya "
    "tambien pa no si ok gracias hola buenas"
)

# Ordinary Spanish words (folded) that are also (part of) place names of the region, plus
# common words of the messages people send. A name made only of these words ("La Paz",
# "Tela", "El Porvenir", "Concordia") is taken as a place only when a cue, capital letters,
# a department or the whole message says so. Person names (Pedro, Ana) are not listed:
# "San Pedro" is not an ordinary phrase.
_ORDINARY = _words(
    "a al ante bajo con contra de del desde e el en entre hacia hasta la las lo los mas mi mis "
    "muy nuestro nuestra o para pero por que se sin sobre su sus te tu un una uno unos unas y ya "
    "yo este esta esto estos estas ese esa eso todo todos toda todas otro otra otros otras poco "
    "poca mucho mucha dos tres cuatro cinco seis siete ocho nueve diez cien mil miles han ha he "
    "da dan dar gracias nuevo nueva nuevos nuevas casa casas ciudad nacional mayor general nombre "
    "dios partido medio media buena bueno buenas buenos buen familia pueblo guerra agua aguas san "
    "santa santo santos claro clara claras centro tras real sociedad paso grande grandes padre "
    "segundo largo larga alto alta altos altas zona sitio salud paz ojo ojos calle libre capital "
    "rey sur libertad vista norte plan campo consejo pena penas plaza iglesia iglesias central "
    "mar civil red provincia sol blanco blanca blancos blancas plata oro baja bajos bajas arriba "
    "puerto banco viejo vieja boca bocas costa entrada banda aires abajo isla islas chica chico "
    "rico rica victoria victorias pie fe democracia mesa silencio reforma cama verde "
    "independencia esperanza cruz cruces parque barrio barrios amo marco flores flor azul planes "
    "reina alcalde villa antiguo antigua piedra piedras distrito frontera corto playa cuesta rosa "
    "puente dulce hermosa lindo linda viento valle valles estrella bonito bonita roja rojo oeste "
    "labor cristo punta caliente calientes adentro castillo castillos alianza virgen minas mina "
    "caballo caballos caballero caballeros oriente oriental canales arena arenas triunfo cortes "
    "mata matas progreso colonia bella bello bellas sierra monte montes hacienda factor rio rios "
    "obispo diablo retiro gordo gorda gordas salto palo paja emperador soledad numero duque canto "
    "hermanas arco fortuna cerro cerros indio india cabezas bravo amarillo amarilla amarillas "
    "palma palmas limpio barra aldea rama pastor pastores toro campamento milagro linea conquista "
    "noble alegre canta virtud vega vegas mercedes pozo pozos ola tela estancia colonial amanecer "
    "golfo asientos miel caridad vaca seca seco unida unido trinidad tigre laguna lagunas damas "
    "ave angeles sombrero sucio jardines jardin corredor polo orilla orillas arroyo arroyos "
    "tablas mora ruinas curva coco leal pesa socorro salinas salina rancho leones leon leona "
    "leonas finca prado consuelo colorado colorada chupa union matanza matanzas barreras gallina "
    "campana pino pinos honda hondo escondido crucero cabina brujas raya pintado pintada pimienta "
    "cordillera cabecera muelle cuevas cueva cayo area mango carril cabra cabras remedios flecha "
    "perla maquina bodega adelanto silvestre salvado llano llanos ingenio coral manto corteza "
    "corral cacao lomas loma lomitas lomita rana monjas chiquito chiquita quebrada quebradas "
    "providencia estero calzada pollos pollo cumbres cumbre casillas laurel ceniza caldera salado "
    "salada quemada quemado cresta encantada roble barranco barranca barrancas tinto sabana "
    "sabanas pantano esmeralda cacique olivos olivo delicias loro gobernadora ensenada porvenir "
    "lotes lote ermita guante cana ahogado yuca pelado fria frio rabo montana ejido oca "
    "candelaria puerco conchas concha carnicero portillo pinar naranjo naranjos naranjito "
    "naranjal caleta mosquito yegua tijeras tijera meseta mareas venado trio ollas olla manantial "
    "estacion balsa sauce perico durazno bahia limon limones sereno renacer candela bonanza "
    "animas canoa canoas pita praderas pradera culebra transito cercado cedro cedros tambo tambos "
    "herradura palenque angostura ruidosa bueyes buey galera pueblito chiles chile espino brea "
    "negrito cascabel garrote fundacion ensanche oratorio higo higos atalaya rincon pampas pampa "
    "margarita margaritas ceiba arado pina olivar empalme charcas potrero idolo tapias lirio "
    "pedregal junco dalia contadora prieta pajaro guias canton membrillo canilla lajas laja "
    "arenoso arenosa algarrobo caminito caminos camino penca hatillo martir granado trancas "
    "volcan chiche almendro maguey aserradero barriales criba guayabo juncal ciruelo granadilla "
    "cerrillos ocote platano picador zapote terrero granja granjas concordia concepcion rosario "
    "carmen dolores florida trojas troja mercado plantel planta cafe tienda negocio negocios "
    "empresa marca cooperativa feria taller curso credito prestamo cuentas ventas ropa comida pan "
    "queso quesos leche mariscos carne carnes pulperia farmacia panaderia hotel restaurante "
    "turismo internet web pagina dinero fondo fondos apoyo ayuda asesoria registro permiso "
    "sanitario contabilidad clientes cliente proveedores productos producto servicio servicios "
    "trabajo empleo hogar local oficina escuela colegio universidad hospital alcaldia "
    "municipalidad gobierno bancos mexico francia espana europa china canada colombia peru lima "
    "paris berlin roma miami armenia guinea suiza palestina cuba argentina brasil venezuela "
    "ecuador estados unidos usa texas york california alemania italia japon londres madrid "
    "jerusalen belen siberia africa asia america caribe pacifico atlantico centroamerica ano anos "
    "mes meses semana semanas dia dias pasado proximo busca problemas problema proceso espera "
    "contacto quiebra crisis deuda deudas apuros tramite tramites duda dudas necesidad etapa fase "
    "idea marcha desarrollo crecimiento venta opinion instituto facebook instagram whatsapp "
    "tiktok google youtube redes cero nada pandemia carretera avenida esquina cosas cosa momento "
    "verdad serio juntas junta corinto jerico egipto galilea nazaret betania libano suyapa"
)


@dataclass(frozen=True, slots=True)
class _Tok:
    fold: str
    start: int
    end: int
    text: str


_ARTICLES = frozenset({"la", "el", "los", "las", "de", "del"})
_WORD = re.compile(r"[^\W_]+")
_HARD_BREAK = re.compile(r"[,;:!?¿¡()\[\]\n]|\.(?:\s|$)")
_SENTENCE_BREAK = re.compile(r"[.!?¿¡\n]")


# Abbreviations people write in place names: "Pto. Cortés", "Sta. Rosa", "Fco. Morazán".
_ABBREVIATIONS = {
    "pto": "puerto",
    "sta": "santa",
    "sto": "santo",
    "sn": "san",
    "cd": "ciudad",
    "fco": "francisco",
    "nva": "nueva",
    "nvo": "nuevo",
}


_ABBREVIATED = frozenset({*_ABBREVIATIONS, "depto", "dpto", "dep", "mun"})


def _tokenize(text: str) -> list[_Tok]:
    out = []
    for m in _WORD.finditer(text):
        for piece in fold(m.group()).split():
            out.append(_Tok(_ABBREVIATIONS.get(piece, piece), m.start(), m.end(), m.group()))
    return out


@dataclass(frozen=True, slots=True)
class _Mention:
    start: int  # token index
    end: int  # token index after the name
    stop: int  # token index after the name and its qualifiers
    key: str
    matches: NameMatches
    strength: int  # 3 said to be where the user is / whole message / qualified, 2, 1
    admin1s: tuple[str, ...] = ()  # department qualifier
    country: str = ""  # country qualifier
    departments_only: bool = False  # "el departamento de X"


class _Message:
    """One tokenised message and what is known about its words."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.toks = _tokenize(text)
        self.folds = [t.fold for t in self.toks]
        letters = [ch for ch in text if ch.isalpha()]
        upper = sum(ch.isupper() for ch in letters)
        # capital letters tell something only in mixed-case text
        self.case_informative = 0 < upper < len(letters) and upper / max(len(letters), 1) < 0.6

    def gap(self, i: int) -> str:
        """The text between token i-1 and token i (the start of the text for i == 0)."""
        if i <= 0:
            return self.text[: self.toks[0].start] if self.toks else self.text
        if i >= len(self.toks):
            return self.text[self.toks[-1].end :]
        return self.text[self.toks[i - 1].end : self.toks[i].start]

    def broken(self, i: int, j: int) -> bool:
        """Whether punctuation separates tokens i..j-1 (the dot of "Pto. Cortés" does not)."""
        for k in range(i + 1, j):
            gap = self.gap(k)
            if not _HARD_BREAK.search(gap):
                continue
            if gap.strip() == "." and self.toks[k - 1].text.casefold() in _ABBREVIATED:
                continue
            return True
        return False

    def ends_with(self, k: int, phrase: _T) -> bool:
        n = len(phrase)
        return k - n >= 0 and tuple(self.folds[k - n : k]) == phrase and not self.broken(k - n, k)

    def source(self, i: int, j: int) -> str:
        return self.text[self.toks[i].start : self.toks[j - 1].end] if j > i else ""

    def capitalised(self, i: int, j: int) -> bool:
        """Written with a capital (not only because it starts a sentence)."""
        if not self.case_informative:
            return False
        words = [t for t in self.toks[i:j] if t.fold not in {"la", "el", "los", "las", "de"}]
        caps = [t.text[:1].isupper() for t in words]
        if not any(caps):
            return False
        sentence_start = i == 0 or bool(_SENTENCE_BREAK.search(self.gap(i)))
        return not sentence_start or sum(caps) >= 2


# ---------------------------------------------------------------- the resolver


def _skip_back(msg: _Message, k: int, phrases: Sequence[_T]) -> int:
    for _ in range(3):
        for p in phrases:
            if msg.ends_with(k, p):
                k -= len(p)
                break
        else:
            return k
    return k


def _cue(msg: _Message, i: int) -> tuple[str, bool]:
    """The kind of words before token i: origin, weak, dest, name or ""; and 'department'."""
    k = _skip_back(msg, i, _DEPT_FILLERS)
    departments_only = k != i
    k = _skip_back(msg, k, _FILLERS)
    if k > 1 and msg.folds[k - 1] in _ARTICLES - {"de", "del"} and not msg.broken(k - 1, k + 1):
        k -= 1  # "en la Ciudad de Guatemala": the article is not part of the name here
    for kind, phrases in (
        ("dest", _DEST_PHRASES),  # first: "vender en" is not "en"
        ("origin", _ORIGIN_CUES),
        ("dest", _DEST_WORDS),
        ("name", _NAME_CUES),
        ("weak", _WEAK_CUES),
    ):
        if any(msg.ends_with(k, p) for p in phrases):
            if kind == "weak" and _selling_clause(msg, k):
                return "dest", departments_only  # "quiero vender mi café en Tegucigalpa"
            return kind, departments_only
    if departments_only:
        return "weak", True
    return "", departments_only


def _selling_clause(msg: _Message, k: int) -> bool:
    """Whether the clause before token k is about selling or sending somewhere."""
    for j in range(k - 1, max(-1, k - 8), -1):
        if msg.folds[j] in _DEST_VERBS:
            return True
        if msg.folds[j] in _ORIGIN_VERBS or _HARD_BREAK.search(msg.gap(j)):
            return False
    return False


def _wordlike(key: str) -> bool:
    return all(w in _ORDINARY for w in key.split())


def _qualifiers(msg: _Message, j: int, gazetteer: Gazetteer) -> tuple[int, tuple[str, ...], str]:
    """Department / country named right after a place: ", Cortés", "de Yoro", "depto. de X"."""
    admin1s: tuple[str, ...] = ()
    country = ""
    stop = j
    for _ in range(2):
        k = stop
        while k < len(msg.folds) and msg.folds[k] in _QUALIFIER_LEAD and k - stop < 3:
            k += 1
        found = None
        for length in range(min(5, len(msg.folds) - k), 0, -1):
            key = " ".join(msg.folds[k : k + length])
            m = gazetteer.lookup(key)
            if (m.departments or m.country) and not msg.broken(k, k + length):
                found = (k + length, m)
                break
        if found is None:
            break
        end, m = found
        if m.country and not country:
            country = m.country
        elif m.departments and not admin1s:
            admin1s = m.departments
        else:
            break
        stop = end
    return stop, admin1s, country


def _tiers(m: NameMatches, gazetteer: Gazetteer, departments_only: bool) -> list[list[Place]]:
    capitals = [c for c in (gazetteer.capital(a) for a in m.departments) if c is not None]
    if departments_only:
        return [capitals]
    return [list(m.aliases), list(m.names), capitals, list(m.alternates)]


def _by_size(places: Iterable[Place]) -> list[Place]:
    unique = {p.id: p for p in places}
    return sorted(unique.values(), key=lambda p: (-p.population, p.id))


def _choose(
    mention: _Mention, gazetteer: Gazetteer, home: str, prefer: str
) -> tuple[Place | None, tuple[Place, ...]]:
    """The place a mention means, or the candidates when it is ambiguous."""
    tiers = _tiers(mention.matches, gazetteer, mention.departments_only)
    if mention.admin1s:
        keys = set(mention.admin1s)
        narrowed = [[p for p in t if p.admin1 in keys] for t in tiers]
        if any(narrowed):
            tiers = narrowed
    country = mention.country or prefer
    scopes: list[set[str] | None] = [{country}] if country else [{home}, None]
    for scope in scopes:
        in_scope = [
            [p for p in t if (p.country in scope if scope else p.country != home)] for t in tiers
        ]
        for n, tier in enumerate(in_scope):
            if not tier:
                continue
            first = _by_size(tier)
            if len(first) == 1 or (
                first[0].population > 0 and first[0].population >= DOMINANCE * first[1].population
            ):
                return first[0], ()
            rest = [p for p in _by_size(p for t in in_scope[n + 1 :] for p in t) if p not in first]
            return None, tuple(_by_size((first + rest)[:MAX_CANDIDATES]))
    return None, ()


def _wordwise(query: str, key: str) -> bool:
    """Whether each word of a name of as many words is only slightly misspelled.

    The edits of a long name must not pile up in one word: "villa ficticia" is not a typo of
    "villa victoria" (three slips in one word of eight letters).
    """
    typed = [w for w in query.split() if w not in _ARTICLES]
    known = [w for w in key.split() if w not in _ARTICLES]
    if len(typed) != len(known):
        return True
    return all(_close_word(a, b) for a, b in zip(typed, known, strict=True))


def _close_word(typed: str, known: str) -> bool:
    """One slip per word, two from eight letters when the word still ends the same way."""
    edits = OSA.distance(typed, known)
    if edits <= 1:
        return True
    return edits <= len(known) // 4 and typed[-1:] == known[-1:]


def _fuzzy(query: str, gazetteer: Gazetteer) -> NameMatches | None:
    """The names within a small edit distance of query (typos), merged; None when none."""
    n = len("".join(w for w in query.split() if w not in _ARTICLES))
    if n < 4:
        return None
    max_edits = 1 if n <= 7 else 2 if n <= 12 else 3
    hits = process.extract(
        query, gazetteer.keys, scorer=OSA.distance, score_cutoff=max_edits, limit=20
    )
    hits = [h for h in hits if h[0][:1] == query[:1] and len(h[0]) >= 4 and _wordwise(query, h[0])]
    if not hits:
        return None
    best = min(h[1] for h in hits)
    keys = [h[0] for h in hits if h[1] == best]
    found = [gazetteer.lookup(k) for k in keys]
    return NameMatches(
        aliases=tuple(p for m in found for p in m.aliases),
        names=tuple(p for m in found for p in m.names),
        alternates=tuple(p for m in found for p in m.alternates),
        departments=tuple(d for m in found for d in m.departments),
        country=next((m.country for m in found if m.country), ""),
    )


def _cue_span(msg: _Message, k: int) -> int:
    """End (exclusive) of the words after a cue that could be a place name."""
    j = k
    while j < len(msg.folds) and j - k < 5:
        if msg.folds[j] in _SPAN_STOP or (j > k and msg.broken(j - 1, j + 1)):
            break
        j += 1
    return j


def _looks_like_name(msg: _Message, i: int, j: int) -> bool:
    words = [w for w in msg.folds[i:j] if w not in {"la", "el", "los", "las"}]
    if not words or not words[0].isalpha() or len(words[0]) < 3:
        return False
    if any(w in _ORDINARY or w in _CHAT or w in _SPAN_STOP for w in words[:1]):
        return False
    return len(msg.folds) <= 4 or msg.capitalised(i, j)


def _mentions(msg: _Message, gazetteer: Gazetteer, home_country: str) -> list[_Mention]:
    """Every place, department or country name in the message, with how sure we are."""
    out: list[_Mention] = []
    n = len(msg.folds)
    longest = min(_MAX_SPAN, gazetteer.max_key_tokens)
    i = 0
    while i < n:
        hit = None
        for length in range(min(longest, n - i), 0, -1):
            if length > 1 and msg.broken(i, i + length):
                continue
            key = " ".join(msg.folds[i : i + length])
            if i > 0 and msg.folds[i - 1] == "del" and not msg.broken(i - 1, i + 1):
                # "soy del Porvenir" is "soy de El Porvenir"
                m = gazetteer.lookup("el " + key)
                if m and not m.country:
                    hit = (i + length, "el " + key, m)
                    break
            if len(key) < 3 and key not in gazetteer:
                continue
            m = gazetteer.lookup(key)
            if m:
                hit = (i + length, key, m)
                break
        if hit is None:
            i += 1
            continue
        end, key, m = hit
        stop, admin1s, country = _qualifiers(msg, end, gazetteer)
        cue, departments_only = _cue(msg, i)
        strength = _strength(
            msg, i, end, stop, key, m, cue, admin1s, country, departments_only, home_country
        )
        out.append(_Mention(i, end, stop, key, m, strength, admin1s, country, departments_only))
        i = stop
    return out


def _strength(
    msg: _Message,
    i: int,
    end: int,
    stop: int,
    key: str,
    m: NameMatches,
    cue: str,
    admin1s: tuple[str, ...],
    country: str,
    departments_only: bool,
    home_country: str,
) -> int:
    """3: surely where the user is; 2: probably a place; 1: a bare name; 0: not taken."""
    if cue in ("dest", "name"):
        return 0
    if departments_only and not m.departments:
        return 0
    home = [p for p in (*m.aliases, *m.names) if p.country == home_country]
    home_departments = [d for d in m.departments if d.split(".")[0] == home_country]
    if (
        _wordlike(key)
        and not (home or home_departments or admin1s or country)
        and not msg.capitalised(i, end)
    ):
        return 0  # "estoy en el centro": an alternate name of a foreign village
    if cue == "origin" or departments_only:
        return 3
    others = [w for k, w in enumerate(msg.folds) if not i <= k < stop]
    whole = all(w in _CHAT or w in {"en", "de", "desde", "por", "aqui", "aca"} for w in others)
    if whole:
        return 0 if key in _CHAT and not (admin1s or country) else 3
    if (admin1s or country) and not _wordlike(key):
        return 3
    if _wordlike(key) or m.country:
        return 2 if msg.capitalised(i, end) else 0
    if cue == "weak" or msg.capitalised(i, end):
        return 2
    # a bare lower-case word in a sentence: only a name of the home country's places
    return 1 if home or home_departments else 0


def _fuzzy_mention(
    msg: _Message,
    gazetteer: Gazetteer,
    k: int,
    j: int,
    shortest: int,
    departments_only: bool,
    home: str,
) -> _Mention | None:
    """The longest span k..end (shortest < end <= j) that is a misspelled name, if any."""
    for end in range(j, max(k, shortest), -1):
        key = " ".join(msg.folds[k:end])
        if _wordlike(key):
            continue  # "desde la casa" is not a typo of a town
        found = _fuzzy(key, gazetteer)
        if found and _plausible_typo(msg, found, gazetteer, home):
            stop, admin1s, country = _qualifiers(msg, end, gazetteer)
            return _Mention(k, end, stop, key, found, 3, admin1s, country, departments_only)
    return None


def _plausible_typo(msg: _Message, found: NameMatches, gazetteer: Gazetteer, home: str) -> bool:
    """A misspelling stands for a place abroad only when the message names a country.

    "soy de Utila" (a Honduran island missing from the gazetteer) is not Utirá in Panamá.
    """
    if any(p.country == home for p in (*found.aliases, *found.names, *found.alternates)):
        return True
    if any(d.split(".")[0] == home for d in found.departments):
        return True
    n = len(msg.folds)
    return any(
        gazetteer.lookup(" ".join(msg.folds[i : i + length])).country
        for i in range(n)
        for length in (1, 2, 3)
        if i + length <= n
    )


def _after_cues(
    msg: _Message, gazetteer: Gazetteer, mentions: list[_Mention], home: str
) -> tuple[list[_Mention], tuple[int, int] | None]:
    """Typos and unknown names right after "soy de", "estoy en"...

    A name found exactly but shorter than the words after the cue may be the start of a
    misspelled longer name ("san juan d eflores"): the longer fuzzy match then wins.
    """
    out = list(mentions)
    unknown: tuple[int, int] | None = None
    for k in range(len(msg.folds)):
        cue, departments_only = _cue(msg, k)
        if cue != "origin" and not departments_only:
            continue
        inside = [m for m in out if m.start < k < m.stop]
        if inside:
            continue
        exact = next((m for m in out if m.start == k), None)
        j = _cue_span(msg, k)
        if exact is not None:
            if j > exact.stop:
                longer = _fuzzy_mention(msg, gazetteer, k, j, exact.stop, departments_only, home)
                if longer is not None:
                    out[out.index(exact)] = longer
            continue
        found = _fuzzy_mention(msg, gazetteer, k, j, k, departments_only, home)
        if found is not None:
            out.append(found)
        elif unknown is None and j > k and _looks_like_name(msg, k, j):
            unknown = (k, j)
    return out, unknown


def _short_message(
    msg: _Message, gazetteer: Gazetteer, mentions: list[_Mention], home: str
) -> tuple[list[_Mention], tuple[int, int] | None]:
    """A message of a few words that is only a (misspelled or unknown) name."""
    words = msg.folds
    known = [w in _CHAT or w in _SPAN_STOP or w in _ORDINARY for w in words]
    if len(words) > 4 or all(known) or any(w in _CHAT for w in words):
        return mentions, None
    found = _fuzzy(" ".join(words), gazetteer)
    if found and _plausible_typo(msg, found, gazetteer, home):
        return [*mentions, _Mention(0, len(words), len(words), " ".join(words), found, 3)], None
    if len(words) <= 2 and not any(known) and _looks_like_name(msg, 0, len(words)):
        return mentions, (0, len(words))
    return mentions, None


def resolve_location(text: str, gazetteer: Gazetteer, home_country: str = "HN") -> LocationResult:
    """Where the user says they are: a point, a place, candidates, or nothing."""
    point = _raw_point(text)
    if point is not None:  # invalid coordinates are NOT_FOUND, from locate_point
        return locate_point(point[0], point[1], gazetteer)
    if is_short_link(text):
        return LocationResult(
            LocationStatus.NOT_FOUND, source=LocationSource.COORDINATES, short_link=True
        )
    msg = _Message(_URL.sub(" ", text))
    if not msg.folds:
        return LocationResult(LocationStatus.MISSING)
    mentions = _mentions(msg, gazetteer, home_country)
    mentions, unknown = _after_cues(msg, gazetteer, mentions, home_country)
    if unknown is None and not any(m.strength for m in mentions):
        mentions, unknown = _short_message(msg, gazetteer, mentions, home_country)
    taken = sorted((m for m in mentions if m.strength > 0), key=lambda m: (-m.strength, m.start))
    countries = [m.matches.country for m in taken if m.matches.country and m.strength >= 2]
    prefer = countries[0] if countries else ""
    for mention in taken:
        if mention.matches.country:  # "Guatemala" is about the country, not a town
            continue
        place, candidates = _choose(mention, gazetteer, home_country, prefer)
        query = msg.source(mention.start, mention.end)
        if place is not None:
            return LocationResult(
                LocationStatus.FOUND, place=place, query=query, source=LocationSource.GAZETTEER
            )
        if candidates:
            return LocationResult(
                LocationStatus.AMBIGUOUS,
                candidates=candidates,
                query=query,
                source=LocationSource.GAZETTEER,
            )
    if unknown is not None:
        return LocationResult(LocationStatus.NOT_FOUND, query=msg.source(*unknown))
    return LocationResult(LocationStatus.MISSING)
