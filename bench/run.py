"""Benchmarks: how fast and how lean the bot is, against the framework's own floor.

    .venv/bin/python bench/run.py                  # full run (about 2 minutes)
    .venv/bin/python bench/run.py --quick          # fewer rounds and samples (about 1 minute)
    .venv/bin/python bench/run.py --only updates,ask,process --no-write
    .venv/bin/python bench/run.py --update-readme  # also refresh the blocks of README.md

Each part runs in its own fresh interpreter (so one part's data and garbage do not weigh on
another); the table is printed and written, with every number, to bench/results.json.
See README.md, "Benchmarks", for what is measured and how.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.workload import EVAL_DIR  # noqa: E402

RESULTS = ROOT / "bench" / "results.json"
PROFILE = ROOT / "bench" / "results" / "profile.txt"  # git-ignored detail
PARTS = ("check", "updates", "ask", "process", "adversarial")
MEASURES = ("ask", "ask_json", "point_json")

TARGETS = {
    "bot_vs_stateful_echo_max_ratio": 1.3,
    "ask_p99_real_ms": 5.0,
    "ask_p99_10k_ms": 10.0,
    "cold_start_s": 1.0,
    "peak_rss_mb": 150.0,
}


# --------------------------------------------------------------------------- parts (children)


def _check_ranking() -> dict[str, Any]:
    """The lazy ranking must give exactly what sorting every center by the full key gives."""
    import random

    from bot.domain.models import Center, SearchQuery
    from bot.domain.ranking import _rank_plainly, first_area_match, rank, rank_centers

    rng = random.Random(11)
    slugs = ["a", "b", "c", "d"]
    countries = ["HN", "SV", "GT"]
    areas = [f"{c}.{i:02d}" for c in countries for i in range(1, 5)]
    checked = 0
    for _ in range(300):
        centers = tuple(
            Center(
                id=f"c{i % 7}",
                name=rng.choice(["Alfa", "alfa", "Beta", f"N{i}"]),
                country=rng.choice(countries),
                lat=round(rng.uniform(13, 16), 1) if rng.random() < 0.7 else None,
                lon=round(rng.uniform(-90, -85), 1),
                service_area=tuple(rng.sample(areas, rng.randint(0, 2))),
                services=tuple(rng.sample(slugs, rng.randint(0, 3))),
                ranked=rng.random() < 0.9,
            )
            for i in range(rng.randint(0, 30))
        )
        centers = tuple(
            c
            if c.lat is not None
            else Center(c.id, c.name, c.country, service_area=c.service_area, services=c.services)
            for c in centers
        )
        for _ in range(4):
            point = rng.random() < 0.85
            query = SearchQuery(
                rng.uniform(12, 17) if point else None,
                rng.uniform(-91, -84) if point else None,
                rng.choice([*countries, "BZ"]),
                rng.choice([*areas, ""]),
                tuple(rng.sample(slugs, rng.randint(0, 2))),
            )
            expected = _rank_plainly(query, centers)
            assert rank_centers(query, centers) == expected, query
            lazy = rank(query, centers)
            assert len(lazy) == len(expected)
            assert list(lazy[:3]) == expected[:3]
            assert first_area_match(rank(query, centers)) == next(
                (m for m in expected if m.serves_area and m.same_country), None
            )
            checked += 1
    return {"queries_checked": checked, "identical": True}


def run_part(part: str, quick: bool) -> dict[str, Any]:
    if part == "check":
        return _check_ranking()
    if part == "updates":
        from bench import updates

        return asyncio.run(updates.run(quick, PROFILE))
    if part == "ask":
        from bench import ask

        return asyncio.run(ask.run(quick))
    if part == "process":
        from bench import process

        return asyncio.run(process.run(quick))
    if part == "adversarial":
        from bench import adversarial

        return asyncio.run(adversarial.run(quick))
    raise SystemExit(f"unknown part {part!r}")


def _child(part: str, quick: bool, timeout: float) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as f:
        out = Path(f.name)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--part", part, "--out", str(out)]
    if quick:
        cmd.append("--quick")
    t = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=ROOT, timeout=timeout, capture_output=True, text=True)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    finally:
        elapsed = time.perf_counter() - t
    try:
        if proc.returncode != 0:
            return {
                "error": f"exit {proc.returncode}",
                "stderr_tail": proc.stderr.splitlines()[-15:],
            }
        data: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        data["elapsed_s"] = round(elapsed, 1)
        return data
    finally:
        out.unlink(missing_ok=True)


# --------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with open("/proc/meminfo", encoding="ascii") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    try:
        load = os.getloadavg()
    except OSError:
        load = (0.0, 0.0, 0.0)
    versions = {}
    for name in ("telegram", "sqlalchemy", "aiosqlite", "rapidfuzz", "geopy", "geographiclib"):
        try:
            from importlib.metadata import version

            dist = {"telegram": "python-telegram-bot"}.get(name, name)
            versions[dist] = version(dist)
        except Exception:
            pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = bool(
        subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "mem_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_avg_at_start": [round(x, 2) for x in load],
        "packages": versions,
        "git": commit + (" + uncommitted changes" if dirty else ""),
    }


# --------------------------------------------------------------------------- the table


def _f(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.{digits}f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _p99(m: dict[str, Any]) -> float:
    """The noise-robust p99 (each message's median over the passes, then p99 over the
    messages) when there were passes enough, else the pooled p99."""
    robust = m.get("p99_ms_per_message_median")
    return float(robust if robust is not None else m["p99_ms"])


def _error(part: dict[str, Any]) -> str:
    """A failed part's error, with the last line its interpreter wrote to stderr."""
    tail = part.get("stderr_tail") or []
    return f"{part['error']}" + (f" — {tail[-1]}" if tail else "")


def _verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("MET" if ok else "MISSED")


def table(results: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The printed table (also pasted in README.md) and the targets' verdicts."""
    m = results["machine"]
    lines = [
        f"Ruta MIPYME benchmarks — {results['started']} — "
        f"{'quick' if results['quick'] else 'full'} run",
        f"machine: {m['nproc']} × {m['cpu']}, {m['mem_gb']} GB, Python {m['python']}, "
        f"load at start {m['load_avg_at_start'][0]}; code {m['git']}",
        "",
    ]
    verdicts: dict[str, Any] = {}
    chk = results.get("check", {})
    if chk:
        lines.append(
            "ranking check: lazy ranking identical to the full sort on "
            f"{chk.get('queries_checked', 0)} random queries"
            if chk.get("identical")
            else f"ranking check FAILED: {chk.get('error')}"
        )
        lines.append("")

    up = results.get("updates", {})
    lines.append(
        "1. Per update (LocalBotApi answering locally; outgoing rate limiter OFF for all). The "
        "bot as `run` polls: durable intake ON (stored before processing, duplicate check), flood "
        "limit ON, concurrent per-user processing ON; the floors through process_update"
    )
    if "contenders" in up:
        mix = ", ".join(f"{k} {v}" for k, v in up["mix"].items())
        lines.append(
            f"   {up['updates_per_round']} updates/round ({mix}), new users each round "
            f"({up['users_per_round']}/round); {up['rounds']} rounds after {up['warmup_rounds']} "
            "warm-up, interleaved per update"
        )
        lines.append(
            "   contender                             upd/s  mean ms  p50 ms  p99 ms  CPU ms  msgs"
            "   time ÷ stateful  ÷ echo"
        )
        labels = {
            "bot": "Ruta MIPYME bot",
            "stateful": "stateful echo (SQLite row/user)",
            "echo": "bare echo (python-telegram-bot)",
        }
        ratios = up["ratios"]["bot"]
        for name in ("bot", "stateful", "echo"):
            c = up["contenders"][name]
            r_s = f"{ratios['stateful']['per_update_time']:.2f}×" if name == "bot" else ""
            r_e = f"{ratios['echo']['per_update_time']:.1f}×" if name == "bot" else ""
            lines.append(
                f"   {labels[name]:<36}{c['updates_per_s']:>6,.0f}{c['mean_ms']:>9.3f}"
                f"{c['p50_ms']:>8.3f}{c['p99_ms']:>8.3f}{c['cpu_ms_per_update']:>8.3f}"
                f"{c['messages_sent_per_update']:>6.2f}{r_s:>17}{r_e:>8}"
            )
        if up.get("errors_logged"):
            lines.append(
                f"   WARNING: {up['errors_logged']} errors logged while measuring: "
                f"{up['first_error']}"
            )
        limit = TARGETS["bot_vs_stateful_echo_max_ratio"]
        ratio = ratios["stateful"]
        r = ratio["per_update_time"]
        ok = r <= limit
        verdicts["bot_vs_stateful_echo"] = {"value": r, "target": limit, "met": ok}
        rounds = ratio["per_update_time_rounds"]
        lines.append(
            f"   target: the bot ≤ {limit}× the stateful echo's time per update: "
            f"{r:.2f}× → {_verdict(ok)}  (rounds {min(rounds):.2f}–{max(rounds):.2f}×; "
            f"p50 {ratio['p50']:.2f}×, CPU {ratio['cpu']:.2f}×)"
        )
        lines.append(
            "   time per update = mean latency (1/throughput), ratio = median over rounds of the "
            "per-round ratio"
        )
        shown = ("bot", "stateful")
        kinds = sorted(up["contenders"]["bot"].get("mean_ms_by_kind", {}))
        if kinds:
            lines.append("   mean ms by kind of update (bot / stateful echo):")
            lines.append(
                "     "
                + ";  ".join(
                    f"{k} "
                    + " / ".join(
                        f"{up['contenders'][n]['mean_ms_by_kind'].get(k, 0):.2f}" for n in shown
                    )
                    for k in kinds
                )
            )
        sql = {n: up["contenders"][n].get("sql_statements_per_update") for n in shown}
        if all(sql.values()):
            lines.append(
                "   SQL statements per update (bot / stateful echo): "
                + ";  ".join(
                    f"{k} " + " / ".join(f"{sql[n].get(k, 0):.2f}" for n in shown)
                    for k in ["all", *kinds]
                )
            )
        tp = up.get("throughput")
        if tp:
            rates = tp["updates_per_s"]
            lines.append(
                f"   many users at once ({tp['users']} users, {tp['updates_per_round']} updates "
                "handed over together; the bot in batches of 100 as getUpdates gives them, "
                "floors with concurrent processing): updates/s bot "
                f"{rates['bot']:,.0f} · stateful echo {rates['stateful']:,.0f} · bare echo "
                f"{rates['echo']:,.0f} (bot ÷ stateful {tp['bot_vs_stateful']:.2f})"
            )
    else:
        lines.append(f"   error: {_error(up)}" if "error" in up else "   (not run)")
    lines.append("")

    ak = results.get("ask", {})
    lines.append(
        "2. Services.ask latency in-process, after warm-up (ms); ask+JSON adds "
        "bot.cli.outcome_json "
        "(what `ask --json` prints); point = ask with --lat/--lon"
    )
    if "datasets" in ak:
        lines.append(
            "   data                   centers  places   ask p50  ask p99 (pooled)  CPU p99"
            "  +JSON p99  point p99     n"
        )
        names = {
            "real": "real data/",
            "1k": "synthetic 1k, ×10 gaz",
            "10k": "synthetic 10k, ×10 gaz",
        }
        for key, v in ak["datasets"].items():
            d = v["data"]
            star = "*" if any(v[m].get("budget_limited") for m in MEASURES) else ""
            lines.append(
                f"   {names.get(key, key):<23}{d['centers']:>7,}{d['places']:>8,}"
                f"{v['ask']['p50_ms']:>10.2f}{_p99(v['ask']):>9.2f} "
                f"({v['ask']['p99_ms']:>6.2f})"
                f"{v['ask']['cpu_p99_ms']:>9.2f}{_p99(v['ask_json']):>11.2f}"
                f"{_p99(v['point_json']):>11.2f}{v['ask']['n']:>6}{star}"
            )
        for key, target in (("real", "ask_p99_real_ms"), ("10k", "ask_p99_10k_ms")):
            v = ak["datasets"].get(key)
            if not v:
                continue
            p99 = _p99(v["ask"])
            ok = p99 <= TARGETS[target]
            verdicts[f"ask_p99_{key}"] = {"value": p99, "target": TARGETS[target], "met": ok}
            lines.append(
                f"   target: ask p99 ≤ {TARGETS[target]:g} ms on {names[key]}: "
                f"{p99:.2f} ms → {_verdict(ok)}"
            )
        lines.append(
            "   p99 = over the messages, of each message's median over the passes (pooled p99 in "
            "brackets); * = sample limited by a time budget"
        )
        first = {k: v["data"].get("first_ask_ms") for k, v in ak["datasets"].items()}
        lines.append(
            "   first ask after start (loads the centers from the database): "
            + ", ".join(f"{names.get(k, k)} {_f(v, 0)} ms" for k, v in first.items())
        )
    else:
        lines.append(f"   error: {_error(ak)}" if "error" in ak else "   (not run)")
    lines.append("")

    pr = results.get("process", {})
    lines.append("3. The bot as a process")
    cs = pr.get("cold_start", {})
    if "ask_hola_median_s" in cs:
        ok = cs["ask_hola_median_s"] <= TARGETS["cold_start_s"]
        verdicts["cold_start"] = {
            "value": cs["ask_hola_median_s"],
            "target": TARGETS["cold_start_s"],
            "met": ok,
        }
        lines.append(
            f'   cold start `python -m bot ask "hola"` (DB exists), median of {cs["runs"]}: '
            f"{cs['ask_hola_median_s']:.3f} s (min {cs['ask_hola_min_s']:.3f}); "
            f"import bot.cli+services+app {cs['import_bot_cli_services_app_median_s']:.3f} s; "
            f"bare interpreter {cs['python_floor_median_s']:.3f} s"
        )
        lines.append(f"   target: ≤ {TARGETS['cold_start_s']:g} s → {_verdict(ok)}")
    elif cs.get("error") or pr.get("error"):
        lines.append(f"   cold start error: {cs.get('error') or _error(pr)}")
    else:
        lines.append("   (not run)")
    po = pr.get("polling", {})
    if po.get("peak_rss_kb"):
        mb = po["peak_rss_kb"] / 1024
        ok = mb <= TARGETS["peak_rss_mb"]
        verdicts["peak_rss"] = {"value": round(mb, 1), "target": TARGETS["peak_rss_mb"], "met": ok}
        lines.append(
            "   polling bot `python -m bot run` (real data, rate limiter and flood limit on, "
            "fake Bot "
            f"API on 127.0.0.1): {po['acked_updates']} updates in {po['processing_s']:.1f} s, "
            f"{po.get('decisions_logged', '?')} search decisions, "
            f"{sum(v for k, v in po.get('calls', {}).items() if k.startswith('send'))} "
            "messages sent"
        )
        lines.append(
            f"   RSS at ready {(po.get('rss_at_ready_kb') or 0) / 1024:.1f} MB, peak (VmHWM) "
            f"{mb:.1f} MB; stopped by {po.get('stop')}"
            + (f"; log problems: {po['log_problems'][:2]}" if po.get("log_problems") else "")
        )
        lines.append(f"   target: peak RSS ≤ {TARGETS['peak_rss_mb']:g} MB → {_verdict(ok)}")
    elif po.get("error") or pr.get("error"):
        lines.append(f"   polling error: {po.get('error') or _error(pr)}")
    if "adversarial" in results:  # the worst case per message (bench/adversarial.py)
        from bench import adversarial

        adversarial_lines, adversarial_verdicts = adversarial.table_lines(results["adversarial"])
        lines += ["", *adversarial_lines]
        verdicts.update(adversarial_verdicts)
    prof = up.get("profile")
    if prof:
        lines.append("")
        lines.append(
            f"Profile of the per-update path (cProfile, main thread, {prof['updates']} updates; "
            f"detail in {prof['file']}), share of own time:"
        )
        for label, share in prof["share_by_component_pct"].items():
            lines.append(f"   {label:<46}{share:>6.1f}%")
        lines.append(
            f"   (profiled: {prof['profiled_ms_per_update']:.2f} ms/update; "
            "the profiler inflates pure-Python code)"
        )
    return "\n".join(lines), verdicts


# --------------------------------------------------------------------------- README


TARGET_ROWS = (
    ("bot_vs_stateful_echo", "time per update ≤ 1.3× the stateful echo's", "×"),
    ("ask_p99_real", "`ask` p99 ≤ 5 ms, real data", " ms"),
    ("ask_p99_10k", "`ask` p99 ≤ 10 ms, 10,000 centers and gazetteer ×10", " ms"),
    ("cold_start", 'cold start of `python -m bot ask "hola"` ≤ 1.0 s', " s"),
    ("peak_rss", "peak RSS of the polling bot ≤ 150 MB", " MB"),
    ("adversarial_worst", "understanding any message of ≤ 4,096 characters ≤ 50 ms", " ms"),
)


def targets_markdown(results: dict[str, Any]) -> str:
    """The targets as a Markdown table, from the verdicts of a run."""
    verdicts = results.get("verdicts", {})
    rows = ["| target | result | verdict |", "|---|---|---|"]
    for key, label, unit in TARGET_ROWS:
        v = verdicts.get(key)
        if v is None:
            continue
        value = f"{v['value']:.0f}{unit}" if unit == " MB" else f"{v['value']:.2f}{unit}"
        rows.append(f"| {label} | {value} | {'met' if v['met'] else 'missed'} |")
    return "\n".join(rows)


def update_readme(results: dict[str, Any], text: str) -> bool:
    """Rewrite the blocks between the bench markers of README.md ("Benchmarks" only)."""
    readme = ROOT / "README.md"
    content = readme.read_text(encoding="utf-8")
    blocks = {
        "table": f"```text\n{text}\n```",
        "targets": targets_markdown(results),
    }
    changed = content
    for name, body in blocks.items():
        start, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
        i, j = changed.find(start), changed.find(end)
        if i < 0 or j < i:
            return False
        changed = changed[: i + len(start)] + "\n" + body + "\n" + changed[j:]
    if changed != content:
        readme.write_text(changed, encoding="utf-8")
    return True


# --------------------------------------------------------------------------- main


def _settle(max_wait_s: float) -> None:
    """On a shared machine, wait (a bounded time) for the 1-minute load to fall below nproc."""
    cores = os.cpu_count() or 1
    deadline = time.monotonic() + max_wait_s
    while os.getloadavg()[0] >= cores and time.monotonic() < deadline:
        time.sleep(3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="fewer rounds and samples")
    parser.add_argument(
        "--only", default=",".join(PARTS), help=f"comma-separated parts of {PARTS}"
    )
    parser.add_argument(
        "--no-write", action="store_true", help="print only; leave bench/results.json alone"
    )
    parser.add_argument(
        "--update-readme",
        action="store_true",
        help="also rewrite the results and targets blocks of README.md (section Benchmarks)",
    )
    parser.add_argument("--readme-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--part", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.part:  # a child: one part, its JSON to --out
        load_start = os.getloadavg()[0]
        data = run_part(args.part, args.quick)
        data["load_avg_1min"] = {
            "start": round(load_start, 2),
            "end": round(os.getloadavg()[0], 2),
        }
        Path(args.out).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return 0

    if args.readme_only:  # re-render the README blocks from bench/results.json
        saved = json.loads(RESULTS.read_text(encoding="utf-8"))
        text, saved["verdicts"] = table(saved)
        print("README.md: " + ("updated" if update_readme(saved, text) else "no markers"))
        return 0

    parts = [p.strip() for p in args.only.split(",") if p.strip()]
    fed = [p for p in parts if p not in ("check", "adversarial")]
    if fed and not any(EVAL_DIR.glob("*_dev.jsonl")):
        print(
            f"bench: the parts {', '.join(fed)} feed the bot the eval messages "
            f"(locations_dev.jsonl, needs_dev.jsonl, combined_dev.jsonl) and {EVAL_DIR} has "
            "none. Put the eval sets at ../shared/eval beside the project, or point "
            "BENCH_EVAL_DIR at them (`--only check` needs none).",
            file=sys.stderr,
        )
        return 2
    results: dict[str, Any] = {
        "started": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "quick": args.quick,
        "machine": machine(),
        "targets": TARGETS,
    }
    timeouts = {"check": 120, "updates": 600, "ask": 900, "process": 600, "adversarial": 300}
    for part in parts:
        _settle(0 if args.quick else 20)
        print(f"[bench] {part}…", file=sys.stderr, flush=True)
        results[part] = _child(part, args.quick, timeouts.get(part, 600))
        if "error" in results[part]:
            print(f"[bench] {part} failed: {results[part]}", file=sys.stderr)
    text, verdicts = table(results)
    results["verdicts"] = verdicts
    results["table"] = text.splitlines()
    print(text)
    if not args.no_write:
        RESULTS.write_text(
            json.dumps(results, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        print(f"\nwritten: {RESULTS.relative_to(ROOT)}", file=sys.stderr)
    if args.update_readme:
        done = update_readme(results, text)
        print("README.md: " + ("updated" if done else "no bench markers found"), file=sys.stderr)
    failed = [p for p in parts if "error" in results.get(p, {})]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
