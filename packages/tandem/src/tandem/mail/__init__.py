"""Outgoing mail: a `MailSender` protocol, a console sender for development and an SMTP sender."""

from tandem.mail.background import BackgroundMailer
from tandem.mail.console import ConsoleMailSender
from tandem.mail.message import MailMessage, MailSender
from tandem.mail.smtp import SmtpMailSender, SmtpUrlError, parse_smtp_url

__all__ = [
    "BackgroundMailer",
    "ConsoleMailSender",
    "MailMessage",
    "MailSender",
    "SmtpMailSender",
    "SmtpUrlError",
    "parse_smtp_url",
]
