"""Mail books to a Send-to-Kindle address: messages built with the standard email package,
batched within Amazon's limits, sent over SMTP (STARTTLS unless told otherwise)."""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from .errors import StorybinderError
from .targets.kindle import MAIL_LIMIT, MIME_HEADROOM, encoded_size

MAX_ATTACHMENTS = 25  # Send-to-Kindle: at most 25 attachments a message
EPUB_MIME = ("application", "epub+zip")


@dataclass(frozen=True)
class Attachment:
    path: Path  # the file whose bytes are attached
    name: str  # the name it is attached under


def batches(attachments: list[Attachment], *, max_count: int = MAX_ATTACHMENTS,
            max_bytes: int = MAIL_LIMIT) -> list[list[Attachment]]:
    """Attachments grouped into messages of at most `max_count` files and `max_bytes` encoded, in order."""
    out: list[list[Attachment]] = []
    current: list[Attachment] = []
    used = MIME_HEADROOM
    for item in attachments:
        size = encoded_size(item.path.stat().st_size) + 1024  # the part's own headers
        if MIME_HEADROOM + size > max_bytes:
            raise StorybinderError(f"too large to mail ({item.path.stat().st_size / 2**20:.1f} MB; "
                                   f"Send-to-Kindle takes {max_bytes // 2**20} MB a message)", path=item.path,
                                   hint="build it with --target kindle to scale its images down")
        if current and (len(current) >= max_count or used + size > max_bytes):
            out.append(current)
            current, used = [], MIME_HEADROOM
        current.append(item)
        used += size
    if current:
        out.append(current)
    return out


def build_message(attachments: list[Attachment], to: str, sender: str, *, part: int = 1, parts: int = 1) -> EmailMessage:
    """One message: a short text body (Send-to-Kindle drops empty ones) and the EPUBs."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    titles = ", ".join(a.name for a in attachments)
    message["Subject"] = f"storybinder: {len(attachments)} book{'s' if len(attachments) != 1 else ''}" + (
        f" (part {part} of {parts})" if parts > 1 else "")
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "storybinder.local")
    message.set_content(f"Books sent with storybinder: {titles}\n")
    for item in attachments:
        message.add_attachment(item.path.read_bytes(), maintype=EPUB_MIME[0], subtype=EPUB_MIME[1], filename=item.name)
    return message


def parse_server(value: str) -> tuple[str, int]:
    """'smtp.example.org:587' -> ('smtp.example.org', 587); port 587 when none is given."""
    host, sep, port = value.rpartition(":") if value.count(":") == 1 or value.startswith("[") else ("", "", "")
    if not sep:
        return value.strip("[]"), 587
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise StorybinderError(f"not a host:port SMTP server: {value!r}")
    return host.strip("[]"), int(port)


def send_messages(messages: list[EmailMessage], server: str, *, tls: bool, user: str | None,
                  password: str | None, timeout: float = 60) -> None:
    """Send over one SMTP connection: STARTTLS (certificate checked) unless tls is False, then log in if given."""
    host, port = parse_server(server)
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            smtp.ehlo()
            if tls:
                if not smtp.has_extn("starttls"):
                    raise StorybinderError(f"{host}:{port} does not offer STARTTLS", hint="use the provider's submission port (587)")
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if user:
                smtp.login(user, password or "")
            for message in messages:
                smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as exc:
        raise StorybinderError(f"the SMTP server refused the login ({exc.smtp_code})", hint="check STORYBINDER_SMTP_USER/PASSWORD") from exc
    except smtplib.SMTPRecipientsRefused as exc:
        raise StorybinderError(f"the SMTP server refused the address: {', '.join(exc.recipients)}") from exc
    except (smtplib.SMTPException, OSError, ssl.SSLError) as exc:
        raise StorybinderError(f"sending through {host}:{port} failed: {exc}") from exc
