"""Welcome, help, privacy, small talk and the bot's generic answers (errors, floods, the
demo)."""

from __future__ import annotations

from bot.texts.search import LOCATION_BUTTON

COMMANDS = (
    ("start", "Empezar"),
    ("ayuda", "Cómo usar el bot"),
    ("centros", "Ver los centros de atención"),
    ("servicios", "Elegir el servicio que necesita"),
    ("ubicacion", "Compartir su ubicación"),
    ("privacidad", "Qué datos guardamos"),
    ("olvidar", "Borrar sus datos"),
    ("mi_centro", "Personal de centros: revisar y editar su centro"),
    ("solicitudes", "Personal y coordinación: solicitudes de cita"),
)

WELCOME = (
    "👋 ¡Bienvenido a <b>Ruta MIPYME</b>!\n"
    "Le ayudo a encontrar el centro de atención a la MIPYME más cercano que ofrece lo que su "
    "negocio necesita: asesoría, capacitación, préstamos, trámites, ventas y más. "
    "La atención de los centros es gratuita o de bajo costo.\n\n"
    "Escríbame con sus palabras, por ejemplo: <i>«soy de Danlí y ocupo un préstamo»</i>, "
    "o toque <b>📍 Compartir mi ubicación</b>."
)
HELP = (
    "ℹ️ <b>Cómo usar Ruta MIPYME</b>\n"
    "• Dígame dónde está (municipio, aldea, departamento o provincia) o comparta su "
    "ubicación.\n"
    "• Dígame qué necesita: un préstamo, formalizar su negocio, registrar su marca, vender "
    "más…\n"
    "• Le respondo con el centro que le corresponde, su contacto y cómo llegar.\n\n"
    "Comandos: /servicios para elegir un servicio, /ubicacion para compartir su ubicación, "
    "/centros para ver los centros, /privacidad y /olvidar para sus datos."
)
PRIVACY = (
    "🔒 <b>Sus datos</b>\n"
    "Guardamos solo lo necesario para responderle: el lugar que nos indicó (si comparte su "
    "ubicación, redondeada a unos 100 metros), el servicio que busca y el idioma en que nos "
    "escribe, durante {minutes} minutos, para no preguntarle dos veces; y, por dos días, "
    "los números de sus mensajes (no su texto), para no responder dos veces ni recibir "
    "abusos. "
    "Cada mensaje que nos llega se guarda tal como llegó (texto, nombre, ubicación) solo "
    "hasta que lo respondemos, normalmente unos segundos, para no perderlo si el servicio "
    "se reinicia; luego se borra. "
    "No guardamos su nombre, su número ni sus mensajes después de responder. Con /olvidar "
    "borramos todo, también lo que aún no hayamos respondido de antes."
)
FORGOTTEN = "🗑️ Listo: borramos todo lo que teníamos guardado sobre usted."
NOTHING_TO_FORGET = "No teníamos nada guardado sobre usted. 👍"
THANKS = "¡Con mucho gusto! 😊 Si necesita algo más para su negocio, aquí estoy."
BYE = "¡Hasta pronto! 👋 Mucho éxito con su negocio. Escríbame cuando me necesite."
GREETING = (
    "¡Hola! 👋 Cuénteme dónde está y qué necesita para su negocio, "
    "por ejemplo: <i>«estoy en Choluteca y quiero registrar mi negocio»</i>."
)
JOB = (
    "Los centros de atención MIPYME apoyan a personas que tienen o quieren iniciar un negocio; "
    "no ofrecen empleos. Si quiere emprender, cuénteme su idea y dónde está, y le indico dónde "
    "le pueden orientar."
)
UNCLEAR = (
    "Disculpe, no le entendí bien. 🙏 Cuénteme dónde está y qué necesita para su negocio, "
    "o toque /servicios para ver las opciones."
)
MEDIA = (
    "Por ahora solo entiendo mensajes de texto y ubicaciones. 🙏 Escríbame dónde está y qué "
    "necesita, o comparta su ubicación con el botón 📍."
)
SHORT_LINK = (
    "No puedo abrir enlaces cortos de mapas. 🙏 Toque <b>📍 Compartir mi ubicación</b> "
    "o escríbame el nombre de su municipio."
)
STALE_BUTTON = "Ese botón ya no está vigente. Escríbame de nuevo dónde está y qué necesita. 🙏"
UNKNOWN_COMMAND = "No conozco ese comando. " + HELP
ERROR = "😔 Disculpe, tuve un problema al responderle. Por favor, intente de nuevo en un momento."
FLOOD = (
    "🙏 Está enviando muchos mensajes seguidos. Espere un minuto y escríbame de nuevo, "
    "con gusto le respondo."
)
DEMO_INTRO = (
    "Ruta MIPYME — demostración en la terminal (sin Telegram, sin internet).\n"
    "Escriba como lo haría en Telegram. «/ubicacion 14.07 -87.19» comparte una ubicación;\n"
    "un número pulsa el botón con ese número; /start para empezar; Ctrl+D para salir.\n"
)
DEMO_BYE = "\n¡Hasta pronto!\n"
DEMO_LOCATION_HINT = f"   [{LOCATION_BUTTON}: escriba /ubicacion LATITUD LONGITUD]"
QUESTION_DROPPED = (
    "Listo, lo dejamos ahí. Cuando quiera, escríbame dónde está y qué necesita su negocio."
)
NOTHING_TO_CANCEL = "No hay nada pendiente. Escríbame dónde está y qué necesita su negocio."
