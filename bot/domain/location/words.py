"""The word lists of the place finder: cues before a place, fillers, and ordinary words.

Folded words and phrases (see ``bot.domain.text.fold``) that tell whether what follows is
where the user is ("soy de", "I live in"), a destination ("vender en", "export to"), a
person's name ("me llamo", "my name is") or no place at all, plus the ordinary Spanish and
English words that are also place names ("La Paz", "Tela", "Orange Walk"). English is read
alongside Spanish: Belize speaks it, and so do many people elsewhere in the region. An
apostrophe splits a word ("I'm" is ``i m``), so both spellings are listed.
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
    "originaria del, vivo en el, vivimos en el, me mude a, nos mudamos a, "
    # English
    "i live in, i live on, we live in, we live on, i m living in, im living in, "
    "i am living in, we are living in, living in, i m from, im from, i am from, we are from, "
    "we re from, were from, i come from, we come from, i m originally from, im originally from, "
    "i am originally from, originally from, i reside in, we reside in, residing in, "
    "born in, i was born in, born and raised in, raised in, i grew up in, home is, "
    "my home is in, our home is in, i moved to, we moved to, moved to, here in, over here in"
)
# Said right before where the user (or their business) is now: also before ordinary places
# ("estoy en el banco", "trabajo en el campo"), so a phrase of ordinary words abroad needs more.
SITUATION_CUES = _phrases(
    "estoy en, estamos en, ando en, andamos en, ando por, andamos por, estoy por, estamos por, "
    "me encuentro en, nos encontramos en, queda en, quedamos en, esta en, estan en, "
    "ubicado en, ubicada en, ubicados en, ubicadas en, localizado en, localizada en, "
    "situado en, situada en, trabajo en, trabajamos en, operamos en, opero en, "
    "tengo mi negocio en, mi negocio en, mi pulperia en, mi tienda en, estoy en el, "
    "estamos en el, "
    # English: "my shop is in", "our farm is located in", "based in"
    "i am in, i m in, im in, we are in, we re in, were in, i am at, i m at, im at, we are at, "
    "i am on, i m on, im on, we are on, we re on, i stay in, i stay on, we stay in, "
    "i m staying in, im staying in, i am staying in, i m currently in, im currently in, "
    "i am currently in, currently in, currently living in, currently based in, "
    "i work in, we work in, i m working in, im working in, i operate in, we operate in, "
    "operating in, is in, are in, is on, are on, is located in, are located in, located in, "
    "located at, is based in, are based in, based in, based out of, based on, situated in, "
    "i have a shop in, i have a store in, i have a business in, i have a farm in, "
    "we have a shop in, we have a store in, we have a business in, i own a shop in, "
    "i run a shop in, i run a business in, i sell in, we sell in"
)
# "en" / "de" alone before a name say less, but still point to a place.
WEAK_CUES = _phrases(
    "en, de, del, por, zona de, cerca de, in, from, near, around, close to, outside of, area of"
)
# Said right before a destination or a market, not where the user is.
DEST_WORDS = _phrases("a, al, hacia, hasta, para, pa")
DEST_PHRASES = _phrases(
    "vender en, venderle en, vendo a, exportar en, clientes en, cliente en, mercado de, "
    "mercado en, ir a, viajar a, llegar a, enviar a, mandar a, llevar a, vender a, "
    "entregas en, envios a, envios en, compradores en, distribuir en, exportamos a, "
    # English
    "to sell in, to sell my products in, to sell our products in, to export in, sell to, "
    "selling to, export to, exporting to, ship to, shipping to, send to, deliver to, "
    "travel to, go to, going to, customers in, clients in, buyers in, market in, markets in, "
    "expand to, expand into, import from, importing from, imports from, buy from, "
    "buying from, to"
)
# Intentions about a market: "quiero vender mi café en ..." points to a destination.
DEST_VERBS = _words(
    "vender venderle venderles exportar exportarle enviar mandar llevar distribuir comercializar "
    "ofrecer colocar expandir expandirme expandirnos viajar ir entregar envio envios exportacion"
)
# English verbs of selling, read so after "to" only: "I want to sell my bread in Belmopan"
# names a market, "I sell my bread in Belmopan" where the user is.
TO_DEST_VERBS = _words("sell export ship send deliver distribute expand market offer travel")
# Verbs of buying: "I buy my products from China" names a supplier's place, not the user's.
SOURCE_VERBS = _words(
    "buy buying bought import importing imported purchase purchasing order ordering bring get "
    "compro compramos importo importamos traigo traemos"
)
ORIGIN_VERBS = _words(
    "vivo vivimos estoy estamos soy somos ando queda tengo live living am m are re is based "
    "located stay work"
)
# Said before a person's name: "soy Victoria", "me llamo Mercedes".
NAME_CUES = _phrases(
    "soy, me llamo, se llama, llamado, llamada, nombre es, mi nombre, marca, somos, "
    "atentamente, atte, senora, senor, sra, sr, don, dona, licenciado, licenciada, "
    "ingeniero, ingeniera, "
    # English
    "my name is, name is, i am, i m, im, this is, called, named, mr, mrs, ms, miss, regards"
)
# Between a cue and the name: "vivo en la aldea de ...", "soy del municipio de ...".
FILLERS = _phrases(
    "la ciudad de, ciudad de, el municipio de, municipio de, la aldea de, la aldea, "
    "aldea de, aldea, el pueblo de, pueblo de, la comunidad de, comunidad de, el caserio de, "
    "el caserio, caserio, la colonia, el barrio, el sector de, sector de, mero, mera, "
    "la zona de, lo que es, puro, el centro de, centro de, "
    # English
    "the town of, town of, the city of, city of, the village of, village of, "
    "the community of, community of, a town called, a village called, a place called, "
    "a small town called, a small village called, the island of, downtown, the"
)
DEPT_FILLERS = _phrases(
    "el departamento de, departamento de, el depto de, depto de, depto, dpto de, dpto, "
    "la provincia de, provincia de, departamento, el departamento, provincia, la provincia, "
    # the English ones: "the district of Cayo", "province of Chiriquí"
    "the department of, department of, the province of, province of, the district of"
)
# Division words that also name smaller units ("distrito de Chitré" in Panamá, "región
# Huetar Norte"): a department of that name first, else the place itself.
SOFT_DEPT_FILLERS = _phrases(
    "el distrito de, distrito de, el distrito, distrito, la region de, region de, la region, "
    "region, la comarca de, comarca de, la comarca, comarca, district of"
)
QUALIFIER_LEAD = frozenset(
    {"depto", "departamento", "dpto", "provincia", "de", "del", "en", "municipio", "pais", "in"}
)
# After a department's name: "Belize District", "Cayo district", "Heredia province".
DEPT_AFTER = frozenset(
    {"district", "department", "province", "departamento", "provincia", "region", "county"}
)
# After a place's name, the same place: "Liberia centro", "Corozal Town", "Danlí ciudad".
PLACE_AFTER = frozenset(
    {"centro", "ciudad", "city", "town", "village", "downtown", "pueblo", "urbano", "cabecera"}
)

# Verbs that open the next clause when a name stands first: "Patzité quiero vender por
# internet", "Managua necesito un crédito": the name before them is the whole clause.
CLAUSE_VERBS = _words(
    "quiero queremos quisiera quisieramos ocupo ocupamos necesito necesitamos busco buscamos "
    "deseo deseamos solicito solicitamos tengo tenemos vendo vendemos me hago hacemos produzco "
    "producimos cultivo cultivamos fabrico fabricamos estoy estamos soy somos "
    "i we need needs want wants looking seeking have has sell make run own"
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
    "distrito district comunidad caserio aldea colonia barrio sector canton region comarca "
    "province department county "
    # English
    "and but or the here there now today near close please thanks thank hello hi help need "
    "needs want wants looking i we my our is am are was have has with for since town city "
    "village area downtown"
)

# Words that tell a message is written in English ("I live in", "my shop is in").
ENGLISH_MARKERS = _words(
    "i im my we our you live living the is am are need want have has and for with loan business "
    "shop store help hello hi based located please thanks town village city district"
)

# Whole messages that are small talk, never a place ("gracias" is also a town in Lempira).
CHAT = _words(
    "gracias muchas hola buenas buenos buen dia dias tardes noches ok okay oki listo bien si no "
    "dale bueno claro perfecto excelente vale ya adios chao saludos info ayuda amen bendiciones "
    "mil gracia porfa porfavor favor jaja jajaja ja xd hey alo que como quien cuando donde muy "
    "genial super hello hi hey thanks thank you please pls good morning afternoon evening "
    "night yes yeah bye great nice cool sure much very"
)

# Where a span after a cue stops: "soy de Danlí y quiero ..." -> "Danlí".
SPAN_STOP = _words(
    "y pero que quiero queremos ocupo ocupamos necesito necesitamos busco buscamos ando tengo "
    "tenemos con para porque pues donde me mi mis es estoy soy a al por en ahorita ahora "
    "actualmente hace desde vendo vendemos quisiera quisieramos deseo solicito como cuando ya "
    "tambien pa no si ok gracias hola buenas "
    # English
    "and but i we need want looking with for to because so my our is am are have has in at from "
    "please since currently now right thanks thank hello hi where which who that"
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
    "verdad serio juntas junta corinto jerico egipto galilea nazaret betania libano suyapa "
    # English words that are (part of) place names of Belize, and common ones
    "the of and in on at big little double head sand hill western paradise crooked tree "
    "orange walk spanish lookout silver creek forest home red bank blue hope indian trial farm "
    "valley peace community cotton run duck fall falls point pine ridge new road lower upper "
    "old town city village market street river bridge north south east west island main "
    "center centre gold green black white rock spring field garden grass mill church "
    # trades and everyday words said after "trabajo en", "I work in", "estamos en"
    "construction tourism agriculture farming fishing retail sales marketing education health "
    "transport school college university class classes business shop store market home house "
    "construccion carpinteria costura agricultura ganaderia turismo comercio clases alquiler "
    "confianza lucha"
)
