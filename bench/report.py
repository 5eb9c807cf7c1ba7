"""Medians over rounds, ours/reference ratios, and the tables (markdown, also printed)."""

from __future__ import annotations

from statistics import mean, median
from typing import Any

from loadgen import BY_NAME

Record = dict[str, Any]


def summarize(runs: list[Record]) -> list[Record]:
    """One row per server × connection count × scenario, in the order the runs happened."""
    groups: dict[tuple[str, int, str], list[Record]] = {}
    for run in runs:
        groups.setdefault((run["server"], run["connections"], run["scenario"]), []).append(run)
    rows = []
    for (server, conns, scenario), group in groups.items():
        rps = [r["rps"] for r in group]
        rows.append(
            {
                "server": server,
                "connections": conns,
                "scenario": scenario,
                "rounds": len(group),
                "rps": median(rps),
                "rps_min": min(rps),
                "rps_max": max(rps),
                "p50_ms": median(r["p50_ms"] for r in group),
                "p99_ms": median(r["p99_ms"] for r in group),
                "errors": sum(r["errors"] for r in group),
                "rss_max_mib": max(r["rss_max_mib"] for r in group),
                "rss_avg_mib": mean(r["rss_avg_mib"] for r in group),
                "cpu_s": median(r["cpu_s"] for r in group),
            }
        )
    return rows


def ratios(summary: list[Record], ours: str = "tandem", theirs: str = "reference") -> list[Record]:
    index = {(r["server"], r["connections"], r["scenario"]): r for r in summary}
    rows = []
    for row in summary:
        if row["server"] != ours:
            continue
        other = index.get((theirs, row["connections"], row["scenario"]))
        if other is None:
            continue
        rows.append(
            {
                "connections": row["connections"],
                "scenario": row["scenario"],
                "rps": row["rps"],
                "rps_reference": other["rps"],
                "rps_ratio": _ratio(row["rps"], other["rps"]),
                "p99_ms": row["p99_ms"],
                "p99_ms_reference": other["p99_ms"],
                "p99_ratio": _ratio(row["p99_ms"], other["p99_ms"]),
                "rss_avg_mib": row["rss_avg_mib"],
                "rss_avg_mib_reference": other["rss_avg_mib"],
                "rss_ratio": _ratio(row["rss_avg_mib"], other["rss_avg_mib"]),
                "errors": row["errors"],
                "errors_reference": other["errors"],
            }
        )
    return rows


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 3) if b else None


def _table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(cells) + " |" for cells in rows]
    return "\n".join(lines)


def _x(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}×"


def summary_table(summary: list[Record]) -> str:
    header = ["Server", "Scenario", "Conns", "req/s", "min–max", "p50 ms", "p99 ms", "errors"]
    header += ["RSS max MiB", "RSS avg MiB", "CPU s"]
    rows = [
        [
            r["server"],
            BY_NAME[r["scenario"]].label,
            str(r["connections"]),
            f"{r['rps']:.0f}",
            f"{r['rps_min']:.0f}–{r['rps_max']:.0f}",
            f"{r['p50_ms']:.2f}",
            f"{r['p99_ms']:.2f}",
            str(r["errors"]),
            f"{r['rss_max_mib']:.1f}",
            f"{r['rss_avg_mib']:.1f}",
            f"{r['cpu_s']:.2f}",
        ]
        for r in sorted(summary, key=lambda r: (r["connections"], r["server"] != "tandem"))
    ]
    return _table(header, rows)


def ratio_table(rows: list[Record]) -> str:
    header = ["Scenario", "Conns", "req/s ours", "req/s ref", "req/s ratio", "p99 ours", "p99 ref"]
    header += ["p99 ratio", "RSS ours", "RSS ref", "RSS ratio", "errors ours/ref"]
    return _table(
        header,
        [
            [
                r["scenario"],
                str(r["connections"]),
                f"{r['rps']:.0f}",
                f"{r['rps_reference']:.0f}",
                _x(r["rps_ratio"]),
                f"{r['p99_ms']:.1f}",
                f"{r['p99_ms_reference']:.1f}",
                _x(r["p99_ratio"]),
                f"{r['rss_avg_mib']:.0f}",
                f"{r['rss_avg_mib_reference']:.0f}",
                _x(r["rss_ratio"]),
                f"{r['errors']}/{r['errors_reference']}",
            ]
            for r in rows
        ],
    )


def markdown(result: Record) -> str:
    meta = result["meta"]
    parts = [
        "# Tandem benchmark",
        "",
        f"{meta['started']} · {meta['rounds']} round(s) · measured {meta['duration_s']:g} s "
        f"(warm-up {meta['warmup_s']:g} s in round 1) · wrk -t{meta['wrk_threads']} · "
        f"Tandem: {meta['server']} × {meta['workers']} worker(s)",
        "",
        "Medians over rounds; RSS is the server's whole process tree (master + workers).",
        "",
    ]
    if result["ratios"]:
        parts += ["## Ours / reference", "", ratio_table(result["ratios"]), ""]
    parts += ["## Per server", "", summary_table(result["summary"]), ""]
    parts += ["## Seeding and idle memory", ""]
    for name, info in result["servers"].items():
        seed = info["seed"]
        parts.append(
            f"* {name}: {seed['users']} sign-ups in {seed['signup_ms']} ms ({seed['signups_per_s']}/s), "
            f"{seed['users'] * seed['tasks_per_user']} task.create in {seed['create_ms']} ms "
            f"({seed['creates_per_s']}/s); RSS idle after seeding {info['rss_idle_mib']:.1f} MiB, "
            f"after the last run {info['rss_end_mib']:.1f} MiB"
        )
    return "\n".join(parts) + "\n"
