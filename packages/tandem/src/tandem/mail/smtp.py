"""SMTP delivery from an `SMTP_URL`.

`smtp://host:port` sends in plain text unless the server offers STARTTLS (then it upgrades);
`smtp://…?starttls=1` requires STARTTLS; `smtps://` is TLS from the first byte. `user:pass@` logs in.
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from tandem.mail.message import MailMessage


class SmtpUrlError(ValueError):
    pass


@dataclass(frozen=True)
class SmtpTarget:
    host: str
    port: int
    use_tls: bool
    require_starttls: bool
    username: str | None
    password: str | None


def parse_smtp_url(url: str) -> SmtpTarget:
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise SmtpUrlError(
            f"SMTP_URL must look like smtp://host:port or smtps://host:port, got {url!r}"
        )
    use_tls = parts.scheme == "smtps"
    flag = parse_qs(parts.query).get("starttls", ["0"])[-1].lower()
    return SmtpTarget(
        host=parts.hostname,
        port=parts.port or (465 if use_tls else 25),
        use_tls=use_tls,
        require_starttls=flag in ("1", "true", "yes"),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
    )


def build_email(message: MailMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to
    email["Subject"] = message.subject
    email.set_content(message.text)
    email.add_alternative(message.html, subtype="html")
    return email


class SmtpMailSender:
    """`sender` is `EMAIL_FROM`: a bare address or `Name <address>` (the envelope uses the address)."""

    def __init__(self, url: str, sender: str, *, timeout: float = 10.0) -> None:
        self.target = parse_smtp_url(url)
        self.sender = sender
        self.timeout = timeout

    async def send(self, message: MailMessage) -> None:
        target = self.target
        await aiosmtplib.send(
            build_email(message, self.sender),
            sender=parseaddr(self.sender)[1] or self.sender,
            recipients=[message.to],
            hostname=target.host,
            port=target.port,
            username=target.username,
            password=target.password,
            use_tls=target.use_tls,
            # None = upgrade when offered; True = insist; never attempted on an implicit-TLS connection.
            start_tls=False if target.use_tls else (True if target.require_starttls else None),
            timeout=self.timeout,
        )
