"""The worst case per message: how long the bot takes to understand hostile text.

Each adversarial input (a run of one kind of character, of a pattern's own alphabet or of a cue
phrase, alone or between the characters that make a pattern try it to the end) is sent at
4,096 characters, Telegram's longest message, to the real services on the real data (SQLite in
a temp dir, no geocoder):

- understand: ``Services.understand_offline``, the place and the needs of the message, what the
  bot and ``python -m bot ask`` read from every text (the domain reads its first
  ``MAX_MESSAGE_CHARS`` characters);
- ask: ``Services.ask``, the same plus the ranking and the database (the whole answer);
- uncut: the domain's parsers on all 4,096 characters (``_resolve`` and
  ``NeedMatcher._match``), what a message would cost without the cut.

Each input is timed a few times; its median counts, and the worst input is reported.
tests/test_linear_time.py uses the same inputs to check that the cost grows linearly.

    .venv/bin/python bench/run.py --only adversarial --no-write
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

TARGET_MS = 50.0  # understanding any message (up to 4,096 characters) takes at most this
SIZE = 4096  # Telegram's longest message

Case = tuple[str, str, str]  # (before, unit repeated, after)

# Runs of one unit: each kind of character and each pattern's own alphabet.
UNITS = (
    *("7", " ", "\n", "\t", ".", ",", ";", ":", "/", "-", "°", "'", '"', "a", "Z", "á", "ñ"),
    *("😀", "1 ", "1.", "1,", "1-", "° ", "1° ", "lat ", "N 1 ", "1 N ", "1°N ", "@1,", "?q=1,"),
    *(
        "1, -1 ",
        "14°04'54\"N ",
        "soy de ",
        "no necesito ",
        "en ",
        "de ",
        "Soy De ",
        "ya lo tengo ",
    ),
    *("registrarla ", "lunes a ", "8 a ", "1 a. m. ", "ext ", "a.", "a@", "%20", "www.", "x1"),
    *("https://", "Tegucigalpa ", "Tegucigalpx ", "soy de Tegucigalpx ", "soy de Managux "),
    *("San ", "Pto. ", "mi marca, registrarla y "),
)
# (before, unit, after): a run between the characters that make a pattern try it to the end.
FRAMED: tuple[Case, ...] = (
    *(("1", " ", "a"), ("1", "\n", "a"), ("1", "\t", "a"), ("14.5", " ", "x"), ("14°", " ", "x")),
    *(("14 N", " ", "x"), ("14,", " ", "x"), ("14, 87", " ", "x"), ("14, 87°", " ", "Ox")),
    *(("1.", "5", "x"), ("lat", " ", "1a"), ("lat:", " ", "1a"), ("lat 1", " ", "x")),
    *(("lat 1, lng", " ", "x"), ("1°", " ", "x"), ("1° 2'", " ", "x"), ("1°N 2", " ", "x")),
    *(("?q=", " ", "x"), ("?q=1", " ", "x"), ("?q=1,", "+", "x"), ("@1", "1", "x")),
    *(("geo:1", "1", "x"), ("https://a.b/?lat=", "1", "x"), ("1a", " ", "x"), ("1p", " ", "x")),
    *(("1m", " ", "x"), ("x", " ", "a"), ("ext", " ", "1 a"), ("a", "%20", "x")),
    *(("a@", "a.", "1"), ("a@", "a", "x"), ("soy de ", "a", ""), ("no necesito ", "a ", "")),
    *(("no ", "me ", "necesito"), ("el préstamo ", "ya ", "lo tengo")),
)
CASES: tuple[Case, ...] = (*(("", unit, "") for unit in UNITS), *FRAMED)


def adversarial_text(case: Case, size: int = SIZE) -> str:
    """``size`` characters: the case's start, its unit repeated, its end."""
    before, unit, after = case
    middle = size - len(before) - len(after)
    return before + (unit * (middle // len(unit) + 1))[: max(middle, 0)] + after


def label(case: Case) -> str:
    """How a case is shown: the text with one unit, "…" after a bare run."""
    return repr("".join(case) if case[0] or case[2] else case[1] + "…")


async def run(quick: bool) -> dict[str, Any]:
    from bot.config import load_settings
    from bot.domain.location.resolve import _resolve
    from bot.services import Services

    repeats = 3 if quick else 7
    perf = time.perf_counter
    with tempfile.TemporaryDirectory(prefix="bench-adversarial-") as tmp:
        settings = load_settings(
            {"DATABASE_URL": f"sqlite:///{Path(tmp) / 'adversarial.sqlite3'}", "GEOCODER": "none"}
        )
        services = await Services.create(settings)
        try:
            await services.ask("hola")  # loads the centers
            rows: list[dict[str, Any]] = []
            for case in CASES:
                text = adversarial_text(case)
                understand, ask, uncut = [], [], []
                for _ in range(repeats):
                    t = perf()
                    services.understand_offline(text)
                    understand.append(perf() - t)
                    t = perf()
                    await services.ask(text)
                    ask.append(perf() - t)
                    t = perf()
                    _resolve(text, services.gazetteer, settings.home_country)
                    services.matcher._match(text)
                    uncut.append(perf() - t)
                rows.append(
                    {
                        "input": label(case),
                        "understand_ms": round(statistics.median(understand) * 1e3, 3),
                        "ask_ms": round(statistics.median(ask) * 1e3, 3),
                        "uncut_ms": round(statistics.median(uncut) * 1e3, 3),
                    }
                )
        finally:
            await services.close()
    from bot.domain.text import MAX_MESSAGE_CHARS

    def worst(key: str) -> dict[str, Any]:
        row = max(rows, key=lambda r: r[key])
        return {"ms": row[key], "input": row["input"]}

    return {
        "size": SIZE,
        "max_message_chars": MAX_MESSAGE_CHARS,
        "inputs": len(rows),
        "repeats": repeats,
        "target_ms": TARGET_MS,
        "worst_understand": worst("understand_ms"),
        "worst_ask": worst("ask_ms"),
        "worst_uncut": worst("uncut_ms"),
        "median_understand_ms": round(statistics.median(r["understand_ms"] for r in rows), 3),
        "slowest": sorted(rows, key=lambda r: -r["understand_ms"])[:5],
        "rows": rows,
    }


def table_lines(result: dict[str, Any] | None) -> tuple[list[str], dict[str, Any]]:
    """The lines of the benchmark table for this part, and the target's verdict."""
    lines = ["4. Worst case per message: adversarial input of 4,096 characters (real data)"]
    if not result or "worst_understand" not in result:
        error = (result or {}).get("error")
        lines.append(f"   error: {error}" if error else "   (not run)")
        return lines, {}
    wu, wa, wc = result["worst_understand"], result["worst_ask"], result["worst_uncut"]
    lines.append(
        f"   {result['inputs']} inputs (runs of each kind of character, each pattern's alphabet, "
        f"cue phrases), median of {result['repeats']} each; the domain reads the first "
        f"{result['max_message_chars']:,} characters"
    )
    lines.append(
        f"   understand (place + needs) worst {wu['ms']:.2f} ms on {wu['input']}, "
        f"median {result['median_understand_ms']:.2f} ms"
    )
    lines.append(f"   Services.ask (+ ranking, database) worst {wa['ms']:.2f} ms on {wa['input']}")
    lines.append(
        f"   without the cut (all 4,096 characters) worst {wc['ms']:.2f} ms on {wc['input']}"
    )
    ok = wu["ms"] <= result["target_ms"]
    lines.append(
        f"   target: understanding any message ≤ {result['target_ms']:g} ms: "
        f"{wu['ms']:.2f} ms → {'MET' if ok else 'MISSED'}"
    )
    verdict = {"adversarial_worst": {"value": wu["ms"], "target": result["target_ms"], "met": ok}}
    return lines, verdict


if __name__ == "__main__":  # pragma: no cover
    import json
    import sys

    print(json.dumps(asyncio.run(run("--quick" in sys.argv)), indent=1, ensure_ascii=False))
