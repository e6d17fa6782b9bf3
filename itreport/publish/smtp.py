"""Send messages over SMTP, configured only from the environment, with bounded retries.

Settings never come from the repository (a pull request must not be able to redirect the board
pack). Credentials are only ever sent over TLS: STARTTLS is required by default, and a server that
does not offer it is refused rather than spoken to in clear. Temporary failures (4xx replies, a
dropped or refused connection) are retried with a doubling pause; permanent ones (5xx) are not.
"""

from __future__ import annotations

import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

SECURITY = ("starttls", "ssl", "none")
DEFAULT_PORTS = {"starttls": 587, "ssl": 465, "none": 25}
ATTEMPTS = 3
FIRST_PAUSE = 1.0
TIMEOUT = 30.0


class SmtpConfigError(Exception):
    """The environment does not describe a usable mail server."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str
    user: str | None = None
    password: str | None = None
    ca_file: str | None = None
    """Extra certificate authorities to trust (a relay with an in-house CA); the system's are kept."""

    def describe(self) -> str:
        return f"{self.host}:{self.port} ({self.security})"


def settings_from_env(environ: Mapping[str, str]) -> SmtpSettings:
    host = environ.get("ITREPORT_SMTP_HOST", "").strip()
    if not host:
        raise SmtpConfigError("--send needs the mail server in ITREPORT_SMTP_HOST (and ITREPORT_SMTP_PORT)")
    security = (environ.get("ITREPORT_SMTP_SECURITY") or "starttls").strip().lower()
    if security not in SECURITY:
        raise SmtpConfigError(
            f"ITREPORT_SMTP_SECURITY must be one of {', '.join(SECURITY)}, not '{security}'"
        )
    port_text = environ.get("ITREPORT_SMTP_PORT", "").strip()
    try:
        port = int(port_text) if port_text else DEFAULT_PORTS[security]
    except ValueError:
        raise SmtpConfigError(f"ITREPORT_SMTP_PORT must be a port number, not '{port_text}'") from None
    if not 0 < port < 65536:
        raise SmtpConfigError(f"ITREPORT_SMTP_PORT must be between 1 and 65535, not {port}")
    user = environ.get("ITREPORT_SMTP_USER") or None
    password = environ.get("ITREPORT_SMTP_PASSWORD") or None
    if (user is None) != (password is None):
        raise SmtpConfigError("set both ITREPORT_SMTP_USER and ITREPORT_SMTP_PASSWORD, or neither")
    if user is not None and security == "none":
        raise SmtpConfigError(
            "refusing to send a password over an unencrypted connection (ITREPORT_SMTP_SECURITY=none)"
        )
    ca_file = environ.get("ITREPORT_SMTP_CA_FILE") or None
    if ca_file is not None and security == "none":
        raise SmtpConfigError("ITREPORT_SMTP_CA_FILE is set but ITREPORT_SMTP_SECURITY=none uses no TLS")
    if ca_file is not None and not Path(ca_file).is_file():
        raise SmtpConfigError(f"ITREPORT_SMTP_CA_FILE: no such file: {ca_file}")
    return SmtpSettings(host, port, security, user, password, ca_file)


class Permanent(Exception):
    """A failure that a retry cannot fix."""


@dataclass(frozen=True)
class Outcome:
    sent: bool
    attempts: int
    detail: str


def _send_once(settings: SmtpSettings, sender: str, recipient: str, data: bytes) -> None:
    context = ssl.create_default_context()
    if settings.ca_file is not None:
        context.load_verify_locations(cafile=settings.ca_file)
    client: smtplib.SMTP
    if settings.security == "ssl":
        client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT, context=context)
    else:
        client = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT)
    with client:
        client.ehlo()
        if settings.security == "starttls":
            if not client.has_extn("starttls"):
                raise Permanent("the server does not offer STARTTLS; refusing to send in clear")
            client.starttls(context=context)
            client.ehlo()
        if settings.user is not None and settings.password is not None:
            _login(client, settings.user, settings.password)
        client.sendmail(sender, [recipient], data)


def _login(client: smtplib.SMTP, user: str, password: str) -> None:
    """AUTH PLAIN when offered (one exchange, inside TLS); else whatever smtplib picks. A refused
    PLAIN login is final: smtplib would otherwise go on to try LOGIN with the same password."""
    if "plain" in client.esmtp_features.get("auth", "").lower().split():
        client.user, client.password = user, password
        client.auth("PLAIN", client.auth_plain)
    else:
        client.login(user, password)


def _code(exc: Exception) -> int | None:
    if isinstance(exc, smtplib.SMTPResponseException):
        return int(exc.smtp_code)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [int(code) for code, _msg in exc.recipients.values()]
        return max(codes) if codes else None
    return None


def send(
    settings: SmtpSettings,
    sender: str,
    recipient: str,
    data: bytes,
    *,
    attempts: int = ATTEMPTS,
    pause: float = FIRST_PAUSE,
    sleep: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Deliver one message; retries temporary failures up to `attempts` times in all."""
    detail = ""
    for attempt in range(1, attempts + 1):
        try:
            _send_once(settings, sender, recipient, data)
            return Outcome(True, attempt, "accepted")
        except Permanent as exc:
            return Outcome(False, attempt, str(exc))
        except smtplib.SMTPAuthenticationError as exc:
            return Outcome(False, attempt, f"login refused ({exc.smtp_code})")
        except ssl.SSLCertVerificationError as exc:
            return Outcome(False, attempt, f"the server's certificate is not trusted ({exc.verify_message})")
        except (smtplib.SMTPException, OSError) as exc:
            code = _code(exc)
            detail = _describe(exc, code)
            if code is not None and code >= 500:
                return Outcome(False, attempt, detail)
        if attempt < attempts:
            sleep(pause * 2 ** (attempt - 1))
    return Outcome(False, attempts, f"{detail} (gave up after {attempts} attempts)")


def _describe(exc: Exception, code: int | None) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = (
            exc.smtp_error.decode("utf-8", "replace")
            if isinstance(exc.smtp_error, bytes)
            else str(exc.smtp_error)
        )
        return f"{code} {text}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return f"recipient refused ({code})"
    return f"{type(exc).__name__}: {exc}"
