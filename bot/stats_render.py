"""The network's statistics (`bot.stats.Stats`) as Telegram text, CSV and a PNG chart.

CSV: one table with the columns `metric,key,label,value`, one row a number:
- `period` (key `since`, `until`; value the ISO date, "" when open) and `countries` (value the
  codes joined by spaces, "" for all);
- `searches` (value: the total); `searches_by_department` (key the admin1 key, label its name),
  `searches_by_need` (key the slug, "" for no need), `searches_by_center` (key the center id of
  the first-ranked center, "" for none);
- `unserved_by_department`: searches from departments no center of the country serves;
  `unmet_need`: searches whose first-ranked center does not offer the need asked;
- `coverage` (key `sourced`, `inferred`, `unserved`, `no_department`): searches by how their
  department is served;
- `requests` (key `opened`, `taken`, `closed`); `median_take_seconds` (value "" when none;
  key `takes`: how many takes carry a time); `satisfaction` (key `mean`, "" when none; key
  `ratings`: how many).
Cells that a spreadsheet would read as a formula get a leading `'`.

matplotlib is imported only inside `chart_figure`, so importing this module stays cheap.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from html import escape
from typing import TYPE_CHECKING

from bot.domain.gazetteer import COUNTRY_NAMES
from bot.stats import INFERRED, SOURCED, UNKNOWN, UNSERVED, Stats, Tally
from bot.texts import stats as t

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TOP = 6  # items a line of the text summary names
CHART_TOP = 25  # departments the chart shows
COLOURS = {
    SOURCED: "#2a7ab0",
    INFERRED: "#8fbfe0",
    UNSERVED: "#d62728",
    UNKNOWN: "#9e9e9e",
}
LEGEND = {
    SOURCED: t.LEGEND_SOURCED,
    INFERRED: t.LEGEND_INFERRED,
    UNSERVED: t.LEGEND_UNSERVED,
    UNKNOWN: t.LEGEND_UNKNOWN,
}


def _esc(value: object) -> str:
    return escape(str(value), quote=False)


def _number(value: float, digits: int = 1) -> str:
    """Spanish decimal comma: 4,3."""
    return f"{value:.{digits}f}".replace(".", ",")


def duration(seconds: float) -> str:
    """A short Spanish duration: 45 s, 12 min, 2 h 5 min, 3 d 4 h."""
    s = round(seconds)
    if s < 60:
        return t.SECONDS.format(n=s)
    if s < 3600:
        return t.MINUTES.format(n=s // 60)
    if s < 86400:
        return t.HOURS.format(h=s // 3600, m=s % 3600 // 60)
    return t.DAYS.format(d=s // 86400, h=s % 86400 // 3600)


def _items(tallies: tuple[Tally, ...], empty_label: str = "") -> str:
    named = [f"{_esc(x.label or empty_label)} {x.count}" for x in tallies[:TOP]]
    if len(tallies) > TOP:
        named.append(t.MORE.format(count=len(tallies) - TOP))
    return " · ".join(named)


def _where(stats: Stats) -> str:
    if not stats.countries:
        return t.ALL_COUNTRIES
    return ", ".join(COUNTRY_NAMES.get(c, c) for c in stats.countries)


def _period(stats: Stats) -> str:
    p = stats.period
    if p.until is None:
        return t.PERIOD.format(since=p.since, until=datetime.now(UTC).date())
    return t.PERIOD.format(since=p.since, until=p.until)


def render_text(stats: Stats) -> str:
    """A short summary for Telegram (HTML, every value escaped)."""
    lines = [t.TITLE, f"{_period(stats)} · {_esc(_where(stats))}", ""]
    if not stats.searches:
        lines.append(t.NO_SEARCHES)
    else:
        departments = tuple(Tally(d.admin1, d.label, d.searches) for d in stats.departments)
        lines.append(t.SEARCHES.format(count=stats.searches))
        if departments:
            lines.append(t.BY_DEPARTMENT.format(items=_items(departments)))
        lines.append(t.BY_NEED.format(items=_items(stats.needs, t.NO_NEED)))
        lines.append(t.BY_CENTER.format(items=_items(stats.centers, t.NO_CENTER)))
        lines += ["", t.UNMET_TITLE]
        if stats.unserved:
            lines.append(t.UNSERVED.format(items=_items(stats.unserved)))
        else:
            lines.append(t.UNSERVED_NONE)
        if stats.unmet_needs:
            lines.append(t.UNMET_NEEDS.format(items=_items(stats.unmet_needs)))
        coverage = t.COVERAGE.format(
            sourced=stats.served_sourced,
            inferred=stats.served_inferred,
            unserved=stats.not_served,
        )
        if stats.no_department:
            coverage += t.NO_DEPARTMENT.format(count=stats.no_department)
        lines.append(coverage)
    lines += ["", t.REQUESTS.format(opened=stats.opened, taken=stats.taken, closed=stats.closed)]
    if stats.median_take_seconds is not None:
        lines.append(t.MEDIAN_TAKE.format(time=duration(stats.median_take_seconds)))
    if stats.rating_mean is not None:
        opinions = t.OPINION if stats.ratings == 1 else t.OPINIONS
        lines.append(
            t.SATISFACTION.format(
                mean=_number(stats.rating_mean), count=stats.ratings, opinions=opinions
            )
        )
    else:
        lines.append(t.NO_RATINGS)
    return "\n".join(lines)


def _cell(value: object) -> str:
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r", "'"):
        return "'" + text
    return text


def csv_rows(stats: Stats) -> list[tuple[str, str, str, str]]:
    """The rows of the CSV (see the module's docstring), after its header."""
    rows: list[tuple[str, str, str, object]] = [
        ("period", "since", "", stats.period.since.isoformat()),
        ("period", "until", "", stats.period.until.isoformat() if stats.period.until else ""),
        ("countries", "", "", " ".join(stats.countries)),
        ("searches", "", "", stats.searches),
    ]
    rows += [("searches_by_department", d.admin1, d.label, d.searches) for d in stats.departments]
    rows += [("searches_by_need", x.key, x.label, x.count) for x in stats.needs]
    rows += [("searches_by_center", x.key, x.label, x.count) for x in stats.centers]
    rows += [("unserved_by_department", x.key, x.label, x.count) for x in stats.unserved]
    rows += [("unmet_need", x.key, x.label, x.count) for x in stats.unmet_needs]
    rows += [
        ("coverage", "sourced", "", stats.served_sourced),
        ("coverage", "inferred", "", stats.served_inferred),
        ("coverage", "unserved", "", stats.not_served),
        ("coverage", "no_department", "", stats.no_department),
        ("requests", "opened", "", stats.opened),
        ("requests", "taken", "", stats.taken),
        ("requests", "closed", "", stats.closed),
    ]
    median = stats.median_take_seconds
    mean = stats.rating_mean
    rows += [
        ("median_take_seconds", "", "", "" if median is None else f"{median:g}"),
        ("median_take_seconds", "takes", "", stats.take_times),
        ("satisfaction", "mean", "", "" if mean is None else f"{mean:.2f}"),
        ("satisfaction", "ratings", "", stats.ratings),
    ]
    return [(m, _cell(k), _cell(label), str(v)) for m, k, label, v in rows]


def render_csv(stats: Stats) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("metric", "key", "label", "value"))
    writer.writerows(csv_rows(stats))
    return out.getvalue()


def chart_figure(stats: Stats) -> Figure:
    """Searches by department, as horizontal bars coloured by coverage (unserved in red)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    shown = stats.departments[:CHART_TOP]
    height = 2.2 + 0.32 * max(len(shown), 3)
    figure = Figure(figsize=(8, height), dpi=100, layout="constrained")
    axes = figure.subplots()
    title = f"{t.CHART_TITLE} · {_period(stats)} · {_where(stats)}"
    axes.set_title(title, fontsize=10)
    if not shown:
        axes.text(0.5, 0.5, t.CHART_EMPTY, ha="center", va="center", transform=axes.transAxes)
        axes.set_axis_off()
        return figure
    ordered = list(reversed(shown))  # most asked on top
    colours = [COLOURS[d.status] for d in ordered]
    bars = axes.barh([d.label for d in ordered], [d.searches for d in ordered], color=colours)
    axes.bar_label(bars, padding=2, fontsize=8)
    axes.set_xlabel(t.CHART_X)
    axes.tick_params(axis="y", labelsize=8)
    axes.margins(x=0.1)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    present = [s for s in (SOURCED, INFERRED, UNSERVED, UNKNOWN) if s in {d.status for d in shown}]
    figure.legend(
        handles=[Patch(color=COLOURS[s], label=LEGEND[s]) for s in present],
        loc="outside lower center",
        ncols=2,
        fontsize=8,
        frameon=False,
    )
    if len(stats.departments) > len(shown):
        note = t.CHART_OTHERS.format(shown=len(shown), total=len(stats.departments))
        axes.set_title(f"{title}\n{note}", fontsize=10)
    return figure


def render_png(stats: Stats) -> bytes:
    """The chart as PNG bytes (the Agg renderer; no display needed)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = chart_figure(stats)
    FigureCanvasAgg(figure)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
