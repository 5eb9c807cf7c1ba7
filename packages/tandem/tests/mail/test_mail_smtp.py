"""SMTP delivery against a real SMTP server (aiosmtpd), URL parsing, and the background mailer."""

from __future__ import annotations

import email
import logging
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session
from tandem.auth.mails import reset_password_mail, verification_mail
from tandem.mail import (
    BackgroundMailer,
    ConsoleMailSender,
    MailMessage,
    SmtpMailSender,
    SmtpUrlError,
    parse_smtp_url,
)

PORT_PLAIN = 18226
PORT_AUTH = 18227


class Capture:
    def __init__(self) -> None:
        self.envelopes: list[tuple[str, list[str], Message]] = []

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = (
            envelope.content
            if isinstance(envelope.content, bytes)
            else str(envelope.content).encode()
        )
        self.envelopes.append(
            (str(envelope.mail_from), list(envelope.rcpt_tos), email.message_from_bytes(content))
        )
        return "250 OK"


def start(port: int, **kwargs: Any) -> tuple[Controller, Capture]:
    capture = Capture()
    controller = Controller(capture, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller, capture


@pytest.fixture
def plain_smtp() -> Any:
    controller, capture = start(PORT_PLAIN)
    yield capture
    controller.stop()


def parts(message: Message) -> dict[str, str]:
    found = {}
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            found[part.get_content_type()] = payload.decode()
    return found


async def test_reset_mail_over_plain_smtp(plain_smtp: Capture) -> None:
    url = "http://127.0.0.1:3001/api/auth/reset-password/abcdefghijklmnopqrstuvwx?callbackURL=%2Freset&x=1"
    sender = SmtpMailSender(f"smtp://127.0.0.1:{PORT_PLAIN}", "no-reply@tandem.test")
    await sender.send(reset_password_mail("alice@example.com", url))
    [(mail_from, rcpt, message)] = plain_smtp.envelopes
    assert mail_from == "no-reply@tandem.test" and rcpt == ["alice@example.com"]
    assert message["Subject"] == "Reset your password"
    assert message["From"] == "no-reply@tandem.test" and message["To"] == "alice@example.com"
    bodies = parts(message)
    assert url in bodies["text/plain"]
    assert url.replace("&", "&amp;") in bodies["text/html"]


async def test_smtp_login(plain_smtp: Capture) -> None:
    seen: list[tuple[bytes, bytes]] = []

    def authenticator(
        server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        seen.append((data.login, data.password))
        return AuthResult(success=True)

    controller, capture = start(PORT_AUTH, authenticator=authenticator, auth_require_tls=False)
    try:
        sender = SmtpMailSender(
            f"smtp://mailer:p%40ss@127.0.0.1:{PORT_AUTH}", "Tandem <no-reply@tandem.test>"
        )
        await sender.send(verification_mail("bob@example.com", "http://x.test/verify?token=t"))
    finally:
        controller.stop()
    assert seen == [(b"mailer", b"p@ss")]
    [(mail_from, _, message)] = capture.envelopes
    assert mail_from == "no-reply@tandem.test"
    assert message["From"] == "Tandem <no-reply@tandem.test>"
    assert message["Subject"] == "Verify your email address"


def test_smtp_urls() -> None:
    plain = parse_smtp_url("smtp://127.0.0.1:2525")
    assert (plain.host, plain.port, plain.use_tls, plain.require_starttls, plain.username) == (
        "127.0.0.1",
        2525,
        False,
        False,
        None,
    )
    tls = parse_smtp_url("smtps://u:p@mail.example.com")
    assert (tls.port, tls.use_tls, tls.username, tls.password) == (465, True, "u", "p")
    assert parse_smtp_url("smtp://mail.example.com:587?starttls=1").require_starttls
    for bad in ("http://x", "smtp://", "mail.example.com"):
        with pytest.raises(SmtpUrlError):
            parse_smtp_url(bad)


async def test_background_failures_are_counted_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    mailer = BackgroundMailer(
        SmtpMailSender("smtp://127.0.0.1:18228", "no-reply@tandem.test", timeout=2)
    )
    with caplog.at_level(logging.ERROR, logger="tandem.mail"):
        mailer.submit(MailMessage("a@example.com", "s", "t", "<p>t</p>"))
        await mailer.drain()
    assert (mailer.sent, mailer.failed) == (0, 1)
    assert "a@example.com" in caplog.text


async def test_console_sender_prints_the_link(capsys: pytest.CaptureFixture[str]) -> None:
    mailer = BackgroundMailer(ConsoleMailSender())
    mailer.submit(verification_mail("c@example.com", "http://x.test/verify?token=abc"))
    await mailer.drain()
    assert mailer.sent == 1
    assert "http://x.test/verify?token=abc" in capsys.readouterr().err
