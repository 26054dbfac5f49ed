"""Reports of a wrong detail, the monthly reminder and the QR poster."""

from __future__ import annotations

from collections.abc import Mapping

from bot.texts.staff_listings import STAFF_FIELD_LABELS

REPORT_BUTTON = "🚩 Reportar un dato incorrecto"
REPORT_PICK = "¿Qué dato de este centro está mal? Se lo haremos saber al centro."
REPORT_CANCEL_BUTTON = "✖️ Cancelar"
REPORT_CANCELLED = "De acuerdo, no enviamos ningún reporte. Puede seguir preguntando cuando guste."
REPORT_THANKS = "🙏 ¡Gracias! Avisamos al centro para que lo revise."
REPORT_TOO_MANY = "Ya recibimos varios reportes suyos hoy. ¡Gracias por su ayuda!"
REPORT_FIELDS = ("phone", "email", "address", "hours", "location", "services", "closure")
REPORT_FIELD_LABELS: Mapping[str, str] = STAFF_FIELD_LABELS
POSTER_HEADLINE = "¿Tiene un negocio?\nLe orientamos gratis"
POSTER_INSTRUCTIONS = "Escanee con la cámara de su teléfono para abrir Ruta MIPYME en Telegram"
POSTER_CAPTION = "Imprima este cartel y colóquelo en la puerta del centro. 🖨️"
REMINDER = (
    "👋 Hola. Es hora de revisar los datos de <b>{center}</b> en Ruta MIPYME. ¿Siguen correctos?"
)
REPORT_NOTICE = (
    "🚩 Un emprendedor reportó que el dato «{field}» de <b>{center}</b> podría estar "
    "incorrecto ({count} reporte(s)). Revíselo con /mi_centro."
)
