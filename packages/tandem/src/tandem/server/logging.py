"""Structured logs: JSON lines in production, readable lines in development, each with the request id."""

from __future__ import annotations

import contextvars
import logging
import sys
import threading
from typing import Any, TextIO

import orjson

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)

_STANDARD = set(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "color_message",
}


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = request_id.get()
        if rid:
            entry["requestId"] = rid
        entry.update(
            {
                k: v
                for k, v in record.__dict__.items()
                if k not in _STANDARD and not k.startswith("_")
            }
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(entry, default=str).decode()


class ConsoleFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        rid = request_id.get()
        extras = " ".join(
            f"{k}={v}"
            for k, v in record.__dict__.items()
            if k not in _STANDARD and not k.startswith("_")
        )
        line = f"{self.formatTime(record, '%H:%M:%S')} {record.levelname:<7} {record.name}: {record.getMessage()}"
        if rid:
            line += f" [{rid}]"
        if extras:
            line += f" {extras}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class BatchingHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes lines in batches, at most `interval` seconds late; warnings and errors go out at once.

    One write per log line is a system call on every request once access logs are on: batching them
    cut that cost from about a third of a small request's time to almost nothing.
    """

    def __init__(
        self, stream: TextIO, *, interval: float = 0.2, max_buffered: int = 64 * 1024
    ) -> None:
        super().__init__(stream)
        self.interval = interval
        self.max_buffered = max_buffered
        self._lines: list[str] = []
        self._size = 0
        self._closed = threading.Event()
        self._flusher = threading.Thread(target=self._flush_now_and_then, daemon=True)
        self._flusher.start()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record) + "\n"
        except Exception:
            self.handleError(record)
            return
        with self.lock:  # type: ignore[union-attr]
            self._lines.append(line)
            self._size += len(line)
            urgent = record.levelno >= logging.WARNING or self._size >= self.max_buffered
        if urgent:
            self.flush()

    def flush(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            lines, self._lines, self._size = self._lines, [], 0
            if lines:
                self.stream.write("".join(lines))
            self.stream.flush()

    def close(self) -> None:
        self._closed.set()
        self.flush()
        super().close()

    def _flush_now_and_then(self) -> None:
        while not self._closed.wait(self.interval):
            try:
                self.flush()
            except (OSError, ValueError):  # the stream went away (closed pipe, interpreter exit)
                return


def configure_logging(*, json: bool, level: str = "info") -> None:
    previous = logging.getLogger().handlers[:]
    handler = BatchingHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if json else ConsoleFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    for old in previous:
        if isinstance(old, BatchingHandler):
            old.close()
    root.setLevel(level.upper())
    logging.Formatter.converter = __import__("time").gmtime
    for noisy in ("uvicorn.access",):
        logging.getLogger(noisy).disabled = True
    for name in ("uvicorn", "uvicorn.error", "granian"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
