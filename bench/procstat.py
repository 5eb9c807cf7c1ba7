"""Memory and CPU of a server's whole process tree (master + workers), read from /proc."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
LAUNCHERS = frozenset({"uv"})
"""Processes that only start the server (`uv run`): not counted as part of it."""


@dataclass(frozen=True)
class ProcInfo:
    pid: int
    ppid: int
    name: str
    cpu_ticks: int


def _read_stat(pid: int) -> ProcInfo | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the name may hold spaces or parentheses: it ends at the last ")"
    name = raw[raw.index("(") + 1 : raw.rindex(")")]
    fields = raw[raw.rindex(")") + 2 :].split()
    # fields[0] is field 3 of proc(5): ppid is 4, utime 14, stime 15
    return ProcInfo(pid, int(fields[1]), name, int(fields[11]) + int(fields[12]))


def process_tree(root: int) -> list[ProcInfo]:
    """`root` and all its descendants that are still alive, launchers left out."""
    infos = [info for p in os.listdir("/proc") if p.isdigit() and (info := _read_stat(int(p)))]
    children: dict[int, list[ProcInfo]] = {}
    for info in infos:
        children.setdefault(info.ppid, []).append(info)
    found = [info for info in infos if info.pid == root]
    queue = list(found)
    while queue:
        kids = children.get(queue.pop().pid, [])
        found.extend(kids)
        queue.extend(kids)
    return [info for info in found if info.name not in LAUNCHERS]


def rss_bytes(pid: int) -> int:
    try:
        resident = Path(f"/proc/{pid}/statm").read_text().split()[1]
    except (OSError, IndexError):
        return 0
    return int(resident) * PAGE_SIZE


def tree_rss(root: int) -> int:
    return sum(rss_bytes(info.pid) for info in process_tree(root))


def tree_cpu_seconds(root: int) -> float:
    return sum(info.cpu_ticks for info in process_tree(root)) / CLK_TCK


@dataclass
class RssSampler:
    """Samples the tree's RSS every `interval` seconds on a background thread while in a `with`."""

    root: int
    interval: float = 0.25
    samples: list[int] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> RssSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def _run(self) -> None:
        while True:
            self.samples.append(tree_rss(self.root))
            if self._stop.wait(self.interval):
                return

    @property
    def max_bytes(self) -> int:
        return max(self.samples, default=0)

    @property
    def avg_bytes(self) -> float:
        return sum(self.samples) / len(self.samples) if self.samples else 0.0
