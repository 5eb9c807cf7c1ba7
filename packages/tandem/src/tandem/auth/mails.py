"""The two mails the auth server sends, each with a text and an HTML part carrying the link."""

from __future__ import annotations

from html import escape

from tandem.mail.message import MailMessage

RESET_SUBJECT = "Reset your password"
VERIFY_SUBJECT = "Verify your email address"


def _message(to: str, subject: str, intro: str, action: str, url: str, outro: str) -> MailMessage:
    text = f"{intro}\n\n{action}:\n{url}\n\n{outro}\n"
    link = escape(url, quote=True)
    html = (
        f"<!doctype html><html><body><p>{escape(intro)}</p>"
        f'<p><a href="{link}">{escape(action)}</a></p>'
        f"<p>{escape(outro)}</p><p>{link}</p></body></html>"
    )
    return MailMessage(to=to, subject=subject, text=text, html=html)


def reset_password_mail(to: str, url: str) -> MailMessage:
    return _message(
        to,
        RESET_SUBJECT,
        "Someone asked to reset the password of your account.",
        "Choose a new password",
        url,
        "The link works once, for one hour. If you did not ask for it, ignore this mail.",
    )


def verification_mail(to: str, url: str) -> MailMessage:
    return _message(
        to,
        VERIFY_SUBJECT,
        "Please confirm that this is your email address.",
        "Verify your email address",
        url,
        "The link is valid for one hour. If you did not ask for it, ignore this mail.",
    )
