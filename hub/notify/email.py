"""E-mail to reporters over SMTP (aiosmtplib).

``HUB_SMTP_HOST`` turns the channel on. Each message carries a
``Message-ID`` made from the outbox row's idempotency key, so a message sent
again after a crash is recognisable as the same one.
"""

from __future__ import annotations

import email.message
import email.utils

import aiosmtplib

from hub.connectors.records import FatalError, RetryableError
from hub.domain.messages import EmailMessage
from hub.settings import Settings


class SmtpChannel:
    def __init__(self, settings: Settings) -> None:
        if not settings.smtp_host:
            raise ValueError("HUB_SMTP_HOST is not set")
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.security = settings.smtp_security
        self.username = settings.smtp_username
        self.password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
        self.sender = settings.smtp_from
        self.timeout = settings.smtp_timeout_seconds

    def compose(self, message: EmailMessage, *, message_id: str) -> email.message.EmailMessage:
        mail = email.message.EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.to
        mail["Subject"] = message.subject
        mail["Date"] = email.utils.formatdate(localtime=False)
        mail["Message-ID"] = f"<{message_id}@lapor-hub>"
        mail["X-Lapor-Tracking-Id"] = message.tracking_id
        mail.set_content(message.body, charset="utf-8")
        return mail

    async def send(self, message: EmailMessage, *, message_id: str) -> str:
        try:
            await aiosmtplib.send(
                self.compose(message, message_id=message_id), hostname=self.host, port=self.port,
                username=self.username, password=self.password, use_tls=self.security == "tls",
                start_tls=True if self.security == "starttls" else False, timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise FatalError(f"the mail server refused {message.to}: {exc}") from None
        except aiosmtplib.SMTPResponseException as exc:
            if 500 <= exc.code < 600:
                raise FatalError(f"the mail server refused the message ({exc.code} {exc.message})") from None
            raise RetryableError(f"the mail server answered {exc.code} {exc.message}") from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise RetryableError(f"cannot send e-mail through {self.host}:{self.port}: {exc}") from None
        return "sent"
