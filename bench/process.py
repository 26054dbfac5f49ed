"""The bot as a process: cold start of `python -m bot ask "hola"` and the peak memory of the
real polling bot (`python -m bot run`) against a fake Bot API on 127.0.0.1.

The fake Bot API (aiohttp, loopback only) answers getMe, deleteWebhook, setMyCommands, the
send* and edit* methods, answerCallbackQuery... like bot.localapi.LocalBotApi, and getUpdates
with the benchmark's updates in batches, then with empty long polls (at most 0.5 s each). When
every update has been fetched and the bot has made no call for a while, the bench reads the
bot's peak RSS (VmHWM in /proc/PID/status) and stops it with SIGINT (then SIGTERM, then
SIGKILL, each after a timeout). Every wait is bounded.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.stats import median
from bench.workload import ROOT, conversation_mix, describe_mix, load_eval

TOKEN = "123:ABC"
_TEXT_FIELDS = {"text", "title", "address", "caption", "callback_query_id", "url", "description"}


def bot_env(tmp: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{tmp / 'process.sqlite3'}",
            "GEOCODER": "none",
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.pop("LOG_LEVEL", None)
    env.update(extra)
    return env


# --------------------------------------------------------------------------- cold start


def _wall(cmd: list[str], env: dict[str, str], timeout: float = 60) -> tuple[float, int, str]:
    t = time.perf_counter()
    proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, timeout=timeout, text=True)
    return time.perf_counter() - t, proc.returncode, proc.stdout


def cold_start(quick: bool) -> dict[str, Any]:
    runs = 5 if quick else 9
    py = sys.executable
    with tempfile.TemporaryDirectory(prefix="bench-cold-") as tmp:
        env = bot_env(Path(tmp))
        first, code, out = _wall([py, "-m", "bot", "ask", "hola"], env)  # creates the database
        if code != 0:
            return {"error": f"python -m bot ask exited {code}"}
        answer = json.loads(out.splitlines()[-1]) if out.strip() else {}
        floor, ask, imports = [], [], []
        for _ in range(runs):  # interleaved, so a busy moment hits all three alike
            floor.append(_wall([py, "-c", "pass"], env)[0])
            imports.append(_wall([py, "-c", "import bot.cli, bot.services, bot.app"], env)[0])
            ask.append(_wall([py, "-m", "bot", "ask", "hola"], env)[0])
        proc = subprocess.run(
            [py, "-X", "importtime", "-m", "bot", "ask", "hola"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            timeout=60,
            text=True,
        )
    top = _import_top(proc.stderr)
    return {
        "runs": runs,
        "first_run_with_db_creation_s": round(first, 3),
        "ask_hola_median_s": round(median(ask), 3),
        "ask_hola_min_s": round(min(ask), 3),
        "ask_hola_max_s": round(max(ask), 3),
        "python_floor_median_s": round(median(floor), 3),
        "import_bot_cli_services_app_median_s": round(median(imports), 3),
        "answer_kind_ok": bool(answer.get("reply")),
        "slowest_imports_cumulative_ms": top,
    }


def _import_top(stderr: str, count: int = 12) -> list[dict[str, Any]]:
    """The slowest packages of a `python -X importtime` run (cumulative, in ms)."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        parts = line[len("import time:") :].split("|")
        if len(parts) != 3:
            continue
        name = parts[2]
        depth = len(name) - len(name.lstrip())
        try:
            rows.append((int(parts[1]), depth, name.strip()))
        except ValueError:
            continue
    # packages (names without a dot), wherever first imported: their own cost, subpackages in
    top = sorted((r for r in rows if "." not in r[2] and r[2] != "bot"), reverse=True)[:count]
    return [{"package": n, "cumulative_ms": round(c / 1e3, 1)} for c, _, n in top]


# --------------------------------------------------------------------------- fake Bot API


class FakeBotApi:
    """Loopback Bot API: serves the updates, records the calls, answers like LocalBotApi."""

    def __init__(self, updates: list[dict[str, Any]], batch: int = 50) -> None:
        from bot.localapi import LocalBotApi

        self.updates = updates
        self.batch = batch
        self.local = LocalBotApi()
        self.calls: dict[str, int] = {}
        self.last_call = time.monotonic()
        self.acked = 0  # updates the bot confirmed with getUpdates' offset
        self.ready = asyncio.Event()

    async def _params(self, request: Any) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            else:
                for key, value in (await request.post()).items():
                    if not isinstance(value, str):
                        continue
                    if key in _TEXT_FIELDS:
                        params[key] = value
                        continue
                    try:
                        params[key] = json.loads(value)
                    except ValueError:
                        params[key] = value
        return params

    async def handle(self, request: Any) -> Any:
        from aiohttp import web

        from bot.localapi import ApiCall

        method = request.match_info["method"]
        params = await self._params(request)
        self.calls[method] = self.calls.get(method, 0) + 1
        if method == "getUpdates":
            self.ready.set()
            offset = int(params.get("offset") or 0)
            if offset:
                self.acked = max(self.acked, sum(u["update_id"] < offset for u in self.updates))
            pending = [u for u in self.updates if u["update_id"] >= offset]
            limit = min(int(params.get("limit") or 100), self.batch)
            if pending:
                return web.json_response({"ok": True, "result": pending[:limit]})
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.sleep(min(float(params.get("timeout") or 0), 0.5))
            return web.json_response({"ok": True, "result": []})
        self.last_call = time.monotonic()
        try:
            result = self.local.result_for(ApiCall(method, params))
        except Exception:
            result = True
        self.local.calls.clear()
        return web.json_response({"ok": True, "result": result})


def _status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) in kB from /proc; empty when the process is gone."""
    out: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(("VmRSS:", "VmHWM:")):
                    key, value = line.split(":", 1)
                    out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


async def polling_memory(quick: bool) -> dict[str, Any]:
    from aiohttp import web

    ev = load_eval()
    users = 50 if quick else 100
    updates = conversation_mix(ev, users, seed=99, first_user=820_000_000)
    api = FakeBotApi(updates)
    app = web.Application()
    app.router.add_route("*", "/bot{token}/{method}", api.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    result: dict[str, Any] = {"updates": len(updates), "mix": describe_mix(updates)}
    with tempfile.TemporaryDirectory(prefix="bench-rss-") as tmp:
        env = bot_env(
            Path(tmp),
            TELEGRAM_API_URL=f"http://127.0.0.1:{port}/bot",
            TELEGRAM_BOT_TOKEN=TOKEN,
        )
        log_path = Path(tmp) / "bot.log"
        with log_path.open("w", encoding="utf-8") as log:
            proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
            )
            started = time.monotonic()
            try:
                await asyncio.wait_for(api.ready.wait(), timeout=60)
                result["ready_s"] = round(time.monotonic() - started, 2)
                result["rss_at_ready_kb"] = _status(proc.pid).get("VmRSS")
                deadline = time.monotonic() + (90 if quick else 180)
                while time.monotonic() < deadline and proc.returncode is None:
                    quiet = time.monotonic() - api.last_call
                    if api.acked >= len(updates) and quiet > 2.5:
                        break
                    await asyncio.sleep(0.2)
                status = _status(proc.pid)
                result["processing_s"] = round(api.last_call - started - result["ready_s"], 2)
                result["peak_rss_kb"] = status.get("VmHWM")
                result["rss_at_end_kb"] = status.get("VmRSS")
                result["acked_updates"] = api.acked
                result["calls"] = dict(sorted(api.calls.items()))
                result["timed_out"] = api.acked < len(updates)
            except TimeoutError:
                result["error"] = "the bot never polled (see its log)"
            finally:
                result["stop"] = await _stop(proc)
        log_lines = log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        result["log_tail"] = log_lines[-5:]
        result["log_problems"] = [ln for ln in log_lines if " ERROR " in ln or " WARNING " in ln][
            :8
        ]
        result["decisions_logged"] = sum(" decision=" in ln for ln in log_lines)
        result["dropped_logged"] = sum(" dropped: " in ln for ln in log_lines)
        (ROOT / "bench" / "results").mkdir(exist_ok=True)
        (ROOT / "bench" / "results" / "polling-bot.log").write_text("\n".join(log_lines) + "\n")
    await runner.cleanup()
    return result


async def _stop(proc: asyncio.subprocess.Process) -> str:
    if proc.returncode is not None:
        return f"exited by itself ({proc.returncode})"
    for sig, wait in ((signal.SIGINT, 20), (signal.SIGTERM, 10)):
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
        try:
            code = await asyncio.wait_for(proc.wait(), timeout=wait)
            return f"{signal.Signals(sig).name} -> exit {code}"
        except TimeoutError:
            continue
    with contextlib.suppress(ProcessLookupError):
        proc.kill()
    await proc.wait()
    return "SIGKILL (did not stop on SIGINT/SIGTERM)"


async def run(quick: bool) -> dict[str, Any]:
    return {"cold_start": cold_start(quick), "polling": await polling_memory(quick)}
