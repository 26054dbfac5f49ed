"""Center staff and admins: invites, joining a team, private-chat notices, admin
commands."""

from __future__ import annotations

from bot.domain.models import Center
from bot.texts.common import esc

STAFF_NOT_STAFF = (
    "Esta opción es para el personal de los centros. Si trabaja en uno, pida un código de "
    "invitación a la coordinación de la red y envíelo así: /equipo CÓDIGO."
)
STAFF_INVITE_USAGE = "Envíe el código así: /equipo CÓDIGO"
STAFF_INVITE_PROBLEMS = {
    "wrong": "Ese código no es válido. Revise que esté bien escrito.",
    "expired": "Ese código ya venció. Pida uno nuevo a la coordinación de la red.",
    "used": "Ese código ya fue usado. Pida uno nuevo a la coordinación de la red.",
    "too_many": "Demasiados intentos. Espere una hora e inténtelo de nuevo.",
}
ADMIN_INVITE_USAGE = "Uso: /invitar ID_DEL_CENTRO (vea los ID con /centros_id)"
ADMIN_UNKNOWN_CENTER = "No encontré un centro con ese ID."
ADMIN_NEW_CENTER_USAGE = "Uso: /nuevo_centro HN.08 Nombre del centro (departamento y nombre)"
ADMIN_NO_STAFF = "No hay personal registrado."
ADMIN_REVOKE_BUTTON = "Quitar {user} de {center}"
ADMIN_REVOKED = "Listo: se quitó el acceso."
ADMIN_INVITE_REVOKE_BUTTON = "🗑️ Anular este código"
ADMIN_OPEN_INVITE_BUTTON = "🗑️ Anular #{id} · {center} · vence {expires:%d/%m}"
ADMIN_OPEN_INVITES = "Códigos de invitación sin usar (toque uno para anularlo):"
ADMIN_INVITE_REVOKED = "🗑️ Código anulado: ya no sirve para unirse al equipo."
ADMIN_INVITE_NOT_OPEN = "Ese código ya fue usado, venció o fue anulado; no cambió nada."
STAFF_PRIVATE_ONLY = (
    "🔒 Las opciones del personal de los centros funcionan solo en el chat privado conmigo: "
    "t.me/{bot}"
)
STAFF_CODE_IN_GROUP = (
    "🔒 Envíe su código solo en el chat privado conmigo (t.me/{bot}), nunca en un grupo. "
    "Como este ya se vio aquí, pida uno nuevo a la coordinación de la red."
)


def staff_linked(center: str) -> str:
    return (
        f"🤝 ¡Bienvenido al equipo de <b>{esc(center)}</b>! Revise y actualice los datos del "
        "centro con /mi_centro."
    )


def staff_invite(center: str, code: str, days: int) -> str:
    return (
        f"Código de invitación para <b>{esc(center)}</b> (un solo uso, vence en {days} días):\n"
        f"<code>{esc(code)}</code>\nLa persona debe enviarle al bot: /equipo {esc(code)}"
    )


def center_ids(centers: list[Center]) -> str:
    return "\n".join(f"<code>{esc(c.id)}</code> — {esc(c.name)}" for c in centers)
