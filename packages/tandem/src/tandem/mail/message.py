"""An outgoing mail and the protocol every sender implements."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class MailMessage:
    to: str
    subject: str
    text: str
    html: str


class MailSender(Protocol):
    async def send(self, message: MailMessage) -> None:
        """Deliver the message or raise."""
        ...
