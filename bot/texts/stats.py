"""Spanish texts of the network's statistics (/estadisticas, `python -m bot stats`).

HTML for Telegram: every value put into them is escaped by the caller (bot.texts.esc).
"""

from __future__ import annotations

TITLE = "📊 <b>Números de la red</b>"
PERIOD = "Del {since:%d/%m/%Y} al {until:%d/%m/%Y}"
PERIOD_OPEN = "Desde el {since:%d/%m/%Y}"
ALL_COUNTRIES = "todos los países"
SEARCHES = "🔎 <b>Consultas:</b> {count}"
NO_SEARCHES = "🔎 No hubo consultas en este periodo."
BY_DEPARTMENT = "<b>Por departamento:</b> {items}"
BY_NEED = "<b>Por servicio:</b> {items}"
BY_CENTER = "<b>Primer centro propuesto:</b> {items}"
NO_NEED = "sin servicio indicado"
NO_CENTER = "ningún centro"
MORE = "y {count} más"
UNMET_TITLE = "⚠️ <b>Demanda sin atender</b>"
UNSERVED = "• Departamentos sin centro que los atienda: {items}"
UNSERVED_NONE = "• Todas las consultas vinieron de departamentos con centro."
UNMET_NEEDS = "• Servicios que el primer centro propuesto no ofrece: {items}"
COVERAGE = (
    "<b>Cobertura de las consultas:</b> área confirmada por una fuente {sourced} · "
    "área inferida {inferred} · sin centro {unserved}"
)
NO_DEPARTMENT = " · sin departamento conocido {count}"
REQUESTS = "📨 <b>Solicitudes de cita:</b> {opened} abiertas · {taken} tomadas · {closed} cerradas"
MEDIAN_TAKE = "⏱️ Tiempo mediano hasta que las toma un centro: {time}"
SATISFACTION = "⭐ <b>Satisfacción:</b> {mean} de 5 ({count} {opinions})"
NO_RATINGS = "⭐ Aún no hay calificaciones en este periodo."
OPINION = "opinión"
OPINIONS = "opiniones"

# durations
SECONDS = "{n} s"
MINUTES = "{n} min"
HOURS = "{h} h {m} min"
DAYS = "{d} d {h} h"

# the chart
CHART_TITLE = "Consultas por departamento"
CHART_X = "Consultas"
CHART_EMPTY = "Sin consultas en este periodo"
CHART_OTHERS = "(se muestran los {shown} departamentos más consultados de {total})"
LEGEND_SOURCED = "Atendido (área confirmada por una fuente)"
LEGEND_INFERRED = "Atendido (área inferida)"
LEGEND_UNSERVED = "Sin centro que lo atienda"
LEGEND_UNKNOWN = "Sin dato de cobertura"
PHOTO_CAPTION = "📊 Consultas por departamento; en rojo, los que ningún centro atiende."

# the command
USAGE = (
    "Uso: /estadisticas [DÍAS | AAAA-MM-DD] [PAÍS]\n"
    "Por ejemplo: /estadisticas (últimos 30 días), /estadisticas 7, "
    "/estadisticas 2026-11-01 HN"
)
REFUSED = (
    "🙏 Las estadísticas de la red son solo para la coordinación de la red y de cada país. "
    "Si usted coordina un país, pida a la coordinación regional que le dé acceso."
)
PRIVATE_ONLY = "🔒 Las estadísticas se consultan solo en el chat privado conmigo: t.me/{bot}"
