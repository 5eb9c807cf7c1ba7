"""Development sender: prints the mail (and so its links) instead of delivering it."""

from __future__ import annotations

import sys
from typing import TextIO

from tandem.mail.message import MailMessage


class ConsoleMailSender:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    async def send(self, message: MailMessage) -> None:
        stream = self.stream or sys.stderr
        stream.write(f"--- mail to {message.to}: {message.subject}\n{message.text}\n---\n")
        stream.flush()
