"""The console demo: typed lines become Telegram updates for the real Application.

`/ubicacion LAT LON` stands for a location shared from the phone; a number presses the button
with that number in the bot's last message. Works interactively and with piped input.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from typing import Any, TextIO

from telegram import Update

from bot import texts
from bot.app import DEMO_TOKEN, build_application
from bot.config import Settings
from bot.localapi import ApiCall, LocalBotApi
from bot.replies import plain
from bot.services import Services

USER = {"id": 424242, "is_bot": False, "first_name": "Emprendedora", "language_code": "es"}
CHAT = {"id": 424242, "type": "private", "first_name": "Emprendedora"}


class ConsoleBotApi(LocalBotApi):
    """Prints what the bot sends, numbering its inline buttons."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(on_call=self._show)
        self.out = out
        self.buttons: list[str] = []  # callback data of the last message's buttons

    def _write(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def _markup(self, params: dict[str, Any]) -> None:
        markup = params.get("reply_markup")
        if isinstance(markup, str):
            markup = json.loads(markup)
        if not isinstance(markup, dict):
            return
        if "inline_keyboard" in markup:
            self.buttons = []
            for row in markup["inline_keyboard"]:
                labels = []
                for button in row:
                    self.buttons.append(button.get("callback_data", ""))
                    labels.append(f"[{len(self.buttons)}] {button['text']}")
                self._write("   " + "   ".join(labels))
        elif "keyboard" in markup:
            self._write(texts.DEMO_LOCATION_HINT)

    def _show(self, call: ApiCall) -> None:
        p = call.params
        if call.method in ("sendMessage", "editMessageText"):
            self._write("\n🤖 " + plain(str(p.get("text", ""))).replace("\n", "\n   "))
            self._markup(p)
        elif call.method == "sendVenue":
            lat, lon = p["latitude"], p["longitude"]
            self._write(f"\n🗺️ {p.get('title')} — {p.get('address')}")
            self._write(
                f"   https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=12/{lat}/{lon}"
            )
            self._markup(p)
        elif call.method == "answerCallbackQuery" and p.get("text"):
            self._write(f"\n🔔 {p['text']}")


class ConsoleSession:
    """Turns typed lines into updates."""

    def __init__(self, api: ConsoleBotApi) -> None:
        self.api = api
        self.update_ids = itertools.count(1)
        self.message_ids = itertools.count(1)

    def _message(self, **fields: Any) -> dict[str, Any]:
        return {
            "message_id": next(self.message_ids),
            "date": int(time.time()),
            "chat": CHAT,
            "from": USER,
            **fields,
        }

    def update_for(self, line: str) -> dict[str, Any] | None:
        line = line.strip()
        if not line:
            return None
        update: dict[str, Any] = {"update_id": next(self.update_ids)}
        if line.isdigit() and self.api.buttons:
            index = int(line) - 1
            if 0 <= index < len(self.api.buttons):
                update["callback_query"] = {
                    "id": str(update["update_id"]),
                    "from": USER,
                    "chat_instance": "demo",
                    "data": self.api.buttons[index],
                    "message": self._message(text="…"),
                }
                return update
        parts = line.replace(",", " ").split()
        if parts[0].lower() in ("/ubicacion", "/ubicación") and len(parts) == 3:
            try:
                lat, lon = float(parts[1]), float(parts[2])
            except ValueError:
                pass
            else:
                update["message"] = self._message(location={"latitude": lat, "longitude": lon})
                return update
        message = self._message(text=line)
        if line.startswith("/"):
            command = line.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        update["message"] = message
        return update


async def run_demo(settings: Settings, stdin: TextIO, stdout: TextIO) -> int:
    """Chat with the bot until the end of input."""
    services = await Services.create(settings)
    api = ConsoleBotApi(stdout)
    app = build_application(settings, services, request=api, token=DEMO_TOKEN)
    interactive = stdin.isatty()
    stdout.write(texts.DEMO_INTRO)
    try:
        async with app:
            session = ConsoleSession(api)
            while True:
                if interactive:
                    stdout.write("\n👤 > ")
                    stdout.flush()
                line = await asyncio.to_thread(stdin.readline)
                if not line:
                    break
                if not interactive:
                    stdout.write(f"\n👤 {line.strip()}\n")
                data = session.update_for(line)
                if data is not None:
                    await app.process_update(Update.de_json(data, app.bot))
    finally:
        await services.close()
    stdout.write(texts.DEMO_BYE)
    return 0
