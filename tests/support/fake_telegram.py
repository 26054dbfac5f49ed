"""The tests' Bot API: python-telegram-bot's own request layer, answered locally."""

from __future__ import annotations

import json
from typing import Any

from bot.localapi import ApiCall, LocalBotApi
from bot.replies import plain


class FakeTelegram(LocalBotApi):
    """Records every Bot API call; helpers read what the user would see.

    `fail(method, ...)` makes the next calls of a method fail the way Telegram does.
    """

    def __init__(self) -> None:
        super().__init__()
        self.failures: dict[str, list[tuple[int, dict[str, Any]] | Exception]] = {}

    def fail(self, method: str, *answers: tuple[int, dict[str, Any]] | Exception) -> None:
        """Queue failures for a method: (HTTP status, Bot API error body) or an exception."""
        self.failures.setdefault(method, []).extend(answers)

    async def do_request(self, url: str, method: str, request_data: Any = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:  # fmt: skip
        api_method = url.rsplit("/", 1)[-1]
        queued = self.failures.get(api_method)
        if queued:
            answer = queued.pop(0)
            params = dict(request_data.parameters) if request_data else {}
            self.calls.append(ApiCall(api_method + "!failed", params))
            if isinstance(answer, Exception):
                raise answer
            status, body = answer
            return status, json.dumps({"ok": False, **body}).encode()
        return await super().do_request(url, method, request_data, *args, **kwargs)

    def sent(self) -> list[ApiCall]:
        """Messages and venues sent to users, in order."""
        return [c for c in self.calls if c.method in ("sendMessage", "sendVenue")]

    def texts(self) -> list[str]:
        """The plain text of each message sent (venues read as their title and address)."""
        out = []
        for call in self.sent():
            if call.method == "sendMessage":
                out.append(plain(str(call.params["text"])))
            else:
                out.append(f"{call.params['title']} | {call.params['address']}")
        return out

    def clear(self) -> None:
        self.calls.clear()

    @staticmethod
    def markup(call: ApiCall) -> dict[str, Any]:
        markup = call.params.get("reply_markup") or {}
        return json.loads(markup) if isinstance(markup, str) else dict(markup)

    def buttons(self, call: ApiCall | None = None) -> list[tuple[str, str]]:
        """(label, callback data) of the inline buttons of a call (default: the last sent)."""
        call = call or self.sent()[-1]
        rows = self.markup(call).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    def all_buttons(self) -> list[tuple[str, str]]:
        return [b for call in self.sent() for b in self.buttons(call)]

    def asks_for_location(self, call: ApiCall | None = None) -> bool:
        """Whether a message carries the reply keyboard that shares the location."""
        call = call or self.sent()[-1]
        rows = self.markup(call).get("keyboard", [])
        return any(b.get("request_location") for row in rows for b in row)

    def answered_callbacks(self) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == "answerCallbackQuery"]
