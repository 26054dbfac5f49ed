"""The word lists of the place finder: cues before a place, fillers, and ordinary words.

Folded words and phrases (see ``bot.domain.text.fold``) that tell whether what follows is
where the user is ("soy de"), a destination ("vender en"), a person's name ("me llamo") or no
place at all, plus the ordinary Spanish words that are also place names ("La Paz", "Tela").
"""

from __future__ import annotations

Phrase = tuple[str, ...]  # a cue or filler, as folded words


def _words(text: str) -> frozenset[str]:
    """Space-separated words as a set."""
    return frozenset(text.split())


def _phrases(text: str) -> tuple[Phrase, ...]:
    """Comma-separated phrases as tuples of words."""
    return tuple(tuple(p.split()) for p in text.split(",") if p.strip())


# Said right before where the user is or is from.
ORIGIN_CUES = _phrases(
    "soy de, somos de, soy originario de, soy originaria de, originario de, originaria de, "
    "vengo de, venimos de, vivo en, vivimos en, vivo por, desde, resido en, residimos en, "
    "radico en, radicamos en, aqui en, aca en, aqui por, aca por, de aqui de, de aca de, "
    "mi casa es en, vivo alla en, soy del, somos del, vengo del, venimos del, originario del, "
    "originaria del, vivo en el, vivimos en el"
)
# Said right before where the user (or their business) is now: also before ordinary places
# ("estoy en el banco", "trabajo en el campo"), so a phrase of ordinary words abroad needs more.
SITUATION_CUES = _phrases(
    "estoy en, estamos en, ando en, andamos en, ando por, andamos por, estoy por, estamos por, "
    "me encuentro en, nos encontramos en, queda en, quedamos en, esta en, estan en, "
    "ubicado en, ubicada en, ubicados en, ubicadas en, localizado en, localizada en, "
    "situado en, situada en, trabajo en, trabajamos en, operamos en, opero en, "
    "tengo mi negocio en, mi negocio en, mi pulperia en, mi tienda en, estoy en el, "
    "estamos en el"
)
# "en" / "de" alone before a name say less, but still point to a place.
WEAK_CUES = _phrases("en, de, del, por, zona de, cerca de")
# Said right before a destination or a market, not where the user is.
DEST_WORDS = _phrases("a, al, hacia, hasta, para, pa")
DEST_PHRASES = _phrases(
    "vender en, venderle en, vendo a, exportar en, clientes en, cliente en, mercado de, "
    "mercado en, ir a, viajar a, llegar a, enviar a, mandar a, llevar a, vender a, "
    "entregas en, envios a, envios en, compradores en, distribuir en, exportamos a"
)
# Intentions about a market: "quiero vender mi café en ..." points to a destination.
DEST_VERBS = _words(
    "vender venderle venderles exportar exportarle enviar mandar llevar distribuir comercializar "
    "ofrecer colocar expandir expandirme expandirnos viajar ir entregar envio envios exportacion"
)
ORIGIN_VERBS = _words("vivo vivimos estoy estamos soy somos ando queda tengo")
# Said before a person's name: "soy Victoria", "me llamo Mercedes".
NAME_CUES = _phrases(
    "soy, me llamo, se llama, llamado, llamada, nombre es, mi nombre, marca, somos, "
    "atentamente, atte, senora, senor, sra, sr, don, dona, licenciado, licenciada, "
    "ingeniero, ingeniera"
)
# Between a cue and the name: "vivo en la aldea de ...", "soy del municipio de ...".
FILLERS = _phrases(
    "la ciudad de, ciudad de, el municipio de, municipio de, la aldea de, la aldea, "
    "aldea de, aldea, el pueblo de, pueblo de, la comunidad de, comunidad de, el caserio de, "
    "el caserio, caserio, la colonia, el barrio, el sector de, sector de, mero, mera, "
    "la zona de, lo que es, puro"
)
DEPT_FILLERS = _phrases(
    "el departamento de, departamento de, el depto de, depto de, depto, dpto de, dpto, "
    "la provincia de, provincia de, departamento, el departamento"
)
QUALIFIER_LEAD = frozenset(
    {"depto", "departamento", "dpto", "provincia", "de", "del", "en", "municipio", "pais"}
)
# After a department's name: "Belize District", "Cayo district" (Belize's divisions).
DEPT_AFTER = frozenset({"district", "department", "province", "departamento", "provincia"})

# Verbs that open the next clause when a name stands first: "Patzité quiero vender por
# internet", "Managua necesito un crédito": the name before them is the whole clause.
CLAUSE_VERBS = _words(
    "quiero queremos quisiera quisieramos ocupo ocupamos necesito necesitamos busco buscamos "
    "deseo deseamos solicito solicitamos tengo tenemos vendo vendemos me hago hacemos produzco "
    "producimos cultivo cultivamos fabrico fabricamos estoy estamos soy somos"
)

# Ordinary phrases that name a few villages abroad: after "estoy en", "trabajo en" they are
# where the user is ("estoy en el banco", "trabajo en el puerto"), not the village, unless
# capital letters, a department or country, or the whole message or clause say otherwise.
COMMON_PHRASES = frozenset(
    " ".join(phrase)
    for phrase in _phrases(
        "el banco, el puerto, la mesa, el alto, la pesa, el factor, el silencio, la maquina, "
        "la arena, arenas, la mina, las minas, los minas, la playa, el centro, el campo, "
        "el mercado, la calle, la casa, la plaza, el cerro, la loma, las lomas, el llano, "
        "la cruz, el rancho, la labor, la curva, el milagro, la reina, la union, union, "
        "la libertad, libertad, esperanza, la victoria, victoria, la concordia, "
        "concordia, progreso, la laguna, laguna, la sabana, la reforma, "
        "la democracia, la alianza, la fortuna, el triunfo, la conquista, el retiro, el prado, "
        "la estancia, el potrero, la granja, la finca, el rincon, el espino, la entrada, "
        "la salud, salud, sociedad, la sociedad, independencia, juntas, la ermita"
    )
)

# Given names that are also places: alone before a comma or a need, a person signing or
# being addressed ("Victoria, quiero un préstamo"), not a place.
GIVEN_NAMES = _words(
    "victoria mercedes dolores concepcion esperanza rosario trinidad carmen lourdes guadalupe "
    "soledad consuelo milagro caridad paz luz angeles pilar remedios socorro florida gracia "
    "fe candelaria asuncion belen cruz reina"
)

# Ordinary words that begin many place names: "San Emigdio" looks like a name, "casa X" not.
NAME_STARTERS = _words(
    "san santa santo villa puerto ciudad nueva nuevo valle cerro rio llano agua boca punta "
    "isla monte loma sabana playa quebrada paso palo piedra laguna barra bahia"
)

# Words that may follow a place name in a sentence without being part of a longer name:
# "vivo en San Juan cerca del río", "soy de Santa Ana, hace años". A found name followed
# by any other name-like word is the start of a longer name the gazetteer lacks.
NOT_NAME = _words(
    "aqui aca alla alli ahi cerca lejos hoy manana ayer siempre todavia aun solo sola solamente "
    "hay les le lo los se nos usted ustedes alguien algo nadie tambien tampoco entonces luego "
    "mas menos bien mal casi ahorita urge urgente necesita quiere tiene trabaja vive busca ocupa "
    "vende hago hacemos cultivo cultivamos siembro sembramos produzco producimos fabrico "
    "fabricamos elaboro elaboramos crio criamos trabajo trabajamos vivo vivimos estamos somos "
    "soy estoy tenemos podria podrian pueden puede puedo podemos ayudan ayudarme ayudenme "
    "xfa porfa gracias saludos atentamente bendiciones hola buenas buenos buen favor ok okay "
    "pls please info informacion sobre acerca respecto cual cuales cuanto cuanta cuantos "
    "cuantas cuesta vale sera seria era fue departamento depto dpto provincia municipio "
    "distrito district comunidad caserio aldea colonia barrio sector canton"
)

# Whole messages that are small talk, never a place ("gracias" is also a town in Lempira).
CHAT = _words(
    "gracias muchas hola buenas buenos buen dia dias tardes noches ok okay oki listo bien si no "
    "dale bueno claro perfecto excelente vale ya adios chao saludos info ayuda amen bendiciones "
    "mil gracia porfa porfavor favor jaja jajaja ja xd hey alo que como quien cuando donde muy "
    "genial super"
)

# Where a span after a cue stops: "soy de Danlí y quiero ..." -> "Danlí".
SPAN_STOP = _words(
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
ORDINARY = _words(
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
