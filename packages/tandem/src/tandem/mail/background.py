"""Sends mail off the request path; failures are logged and counted, never dropped silently."""

from __future__ import annotations

import asyncio
import logging

from tandem.mail.message import MailMessage, MailSender

log = logging.getLogger("tandem.mail")


class BackgroundMailer:
    def __init__(self, sender: MailSender) -> None:
        self.sender = sender
        self.sent = 0
        self.failed = 0
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(self, message: MailMessage) -> None:
        task = asyncio.get_running_loop().create_task(self._deliver(message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver(self, message: MailMessage) -> None:
        try:
            await self.sender.send(message)
        except Exception:
            self.failed += 1
            log.exception("sending %r to %s failed", message.subject, message.to)
        else:
            self.sent += 1

    async def drain(self) -> None:
        """Wait for mails in flight (at shutdown, and in tests)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
