"""Send real test messages over SMTP, personalised with a sample recipient's data.

`send_test(root, "me@example.com")` builds the project, picks the newest issue (or the
one asked for: an issue, or a welcome-pack step as PACK/STEP), fills each audience's
message with its matching sample recipient (content/samples.yml) and sends the .eml over
one SMTP connection.

Server settings come from `[smtp]` in newsletter.toml, overridden by the environment
(NEWSLETTER_SMTP_HOST, _PORT, _SECURITY, _USER) and then by explicit arguments. The
password only ever comes from the environment variable named by `smtp.password_env`: it
is never an argument, never written anywhere and never part of an error message.
Every failure (bad address, refused connection, TLS, login, refused recipient, timeout)
is a BuildError with one line that says what happened and where.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from .build import load, render
from .channels.email_channel import personalised
from .compose.addressing import resolve
from .compose.selection import build_variants, variant
from .content.config import Smtp
from .content.models import Project
from .content.samples import Sample, load_samples, match_sample
from .core.diagnostics import BuildError, Diagnostic, Location, Severity
from .core.fields import Email
from .core.names import CONFIG_FILE
from .core.timing import Timer
from .customers.samples_from_data import samples_from_project
from .output.invariants import Provenance, enforce, literal_text
from .render.unsubscribe import recipient_url

ENV_HOST = "NEWSLETTER_SMTP_HOST"
ENV_PORT = "NEWSLETTER_SMTP_PORT"
ENV_SECURITY = "NEWSLETTER_SMTP_SECURITY"
ENV_USER = "NEWSLETTER_SMTP_USER"
SECURITY = ("starttls", "ssl", "none")


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to connect; the password is kept out of repr() and so out of logs."""

    host: str
    port: int
    security: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = 20.0

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class TestMessage:
    """One prepared test message: which variant, whose data, and the bytes to send."""

    key: str
    sample: str
    subject: str
    data: bytes = field(repr=False)


@dataclass
class SendTestResult:
    to: str
    settings: SmtpSettings
    messages: list[TestMessage]
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _error(message: str, code: str, location: Location | None = None) -> BuildError:
    return BuildError([Diagnostic(Severity.ERROR, message, location, code)])


def smtp_settings(smtp: Smtp, environ: Mapping[str, str] | None = None, *,
                  host: str | None = None, port: int | None = None,
                  security: str | None = None, username: str | None = None) -> SmtpSettings:
    """Config, then environment, then arguments; the password from `smtp.password_env`."""
    env = os.environ if environ is None else environ
    host = host or env.get(ENV_HOST) or smtp.host
    if port is None and env.get(ENV_PORT):
        value = env[ENV_PORT].strip()
        if not value.isdigit() or not 1 <= int(value) <= 65535:
            raise _error(f"{ENV_PORT} must be a port number from 1 to 65535 (got {value!r})",
                         "smtp-config")
        port = int(value)
    security = (security or env.get(ENV_SECURITY) or smtp.security).strip().lower()
    if security not in SECURITY:
        raise _error(f"SMTP security must be one of {', '.join(SECURITY)} (got {security!r})",
                     "smtp-config")
    username = username or env.get(ENV_USER) or smtp.username
    password = env.get(smtp.password_env) or None
    if username and not password:
        raise _error(f"SMTP user '{username}' is set but the environment variable "
                     f"{smtp.password_env} is empty: export the password there",
                     "smtp-config", Location(CONFIG_FILE))
    return SmtpSettings(host, port or smtp.port, security, username or None,
                        password if username else None, smtp.timeout)


def check_address(to: str) -> str:
    """The recipient address, validated before anything is built or sent."""
    try:
        return TypeAdapter(Email).validate_python(to.strip())
    except ValidationError:
        raise _error(f"not an email address: {to!r}", "bad-address") from None


def prepare(project: Project, samples: list[Sample], to: str, *, issue: str | None = None,
            audiences: Sequence[str] = (), sample: str | None = None,
            now: datetime | None = None,
            environ: Mapping[str, str] | None = None) -> list[TestMessage]:
    """Render the chosen variants of a loaded project, personalised, as .eml bytes.

    The unsubscribe secret (newsletter.render.unsubscribe.ENV_SECRET) is read from `environ`.
    """
    # The address receiving the test gets a working one-click unsubscribe of its own
    # (checked first: a missing secret should not wait for a full render).
    unsubscribe = recipient_url(project.config, to, environ)
    if issue is None and not project.issues:
        raise _error("the project has no issues to send", "no-issue", Location("content/issues"))
    if issue is None:
        # The newest monthly issue; other kinds (welcome-pack steps) only when asked for.
        monthly = [i for i in project.issues.values() if getattr(i, "kind", "issue") == "issue"]
        issue = max(monthly or project.issues.values(), key=lambda i: (i.meta.date, i.id)).id
    else:
        steps = resolve(project, [issue])  # an issue, or a welcome-pack step as PACK/STEP
        if len(steps) != 1:
            raise _error(f"'{issue}' is a welcome pack: name one step "
                         f"({', '.join(s.id for s in steps)})", "unknown-issue")
    chosen = None
    if sample is not None:
        chosen = next((s for s in samples if s.id == sample), None)
        if chosen is None:
            known = ", ".join(s.id for s in samples) or "none"
            raise _error(f"unknown sample recipient '{sample}' (known: {known})",
                         "unknown-sample", Location("content/samples.yml"))
    outputs = render(project, Timer(), variants=[
        v for v in build_variants(project) if v.issue.id == issue and v.channel == "email"])
    present = [o.variant.audience.id for o in outputs]
    for audience in audiences:
        if audience not in present:
            raise _error(f"issue '{issue}' has no email for audience '{audience}' "
                         f"(it has: {', '.join(present)})", "unknown-audience")
    now = now or datetime.now(timezone.utc)
    stamp = int(now.timestamp() * 1_000_000)
    messages = []
    for output in outputs:
        v = output.variant
        if audiences and v.audience.id not in audiences:
            continue
        recipient = chosen or match_sample(samples, v.audience.id, v.locale)
        if recipient and recipient.locale and recipient.locale != v.locale:
            # A recipient known to read another language gets the fixed words, dates and
            # story versions in it (the issue's own words stay the audience's).
            output = render(project, Timer(), variants=[
                variant(project, v.issue, v.audience, v.channel, recipient.locale)])[0]
            v = output.variant
        # The time in the key gives every send its own Message-ID, so mailbox providers
        # that drop duplicate Message-IDs still show a second test of the same message.
        filled = personalised(output, project.config, recipient.data() if recipient else {}, to,
                              key=f"{v.key}/test/{stamp}", sent=now, unsubscribe_url=unsubscribe)
        messages.append(TestMessage(v.key, recipient.id if recipient else "", filled["subject"],
                                    filled["eml"]))
    # Nothing is sent unless every message passes (one bad message stops them all).
    enforce({f"{m.key}.eml": m.data for m in messages}, Provenance(literal_text(project.root)),
            "send-test/")
    return messages


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
    return f"{code} {' '.join(text.split())}".strip()


def _explain(exc: BaseException, settings: SmtpSettings, stage: str, sender: str,
             to: str) -> str:
    """One line for a failed send; the most specific exceptions come first."""
    where = f"SMTP server {settings.where}"
    if isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError):
        # smtplib reports a read timeout as "Connection unexpectedly closed: timed out".
        return f"{where} did not answer within {settings.timeout:g} s during {stage}"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (f"{where} refused the login for user '{settings.username}' "
                f"({_reply(exc.smtp_code, exc.smtp_error)})")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(exc.recipients.values()), (0, b""))
        return f"{where} refused the recipient '{to}' ({_reply(code, message)})"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"{where} refused the sender '{sender}' ({_reply(exc.smtp_code, exc.smtp_error)})"
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        if stage == "starttls":
            return f"{where} does not offer STARTTLS: set smtp.security to \"ssl\" or \"none\""
        return f"{where} does not offer login (AUTH): remove the SMTP user or use another port"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        hint = " (is the port right for this security setting?)" if stage == "connect" else ""
        return f"{where} closed the connection during {stage}{hint}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{where} refused {stage} ({_reply(exc.smtp_code, exc.smtp_error)})"
    if isinstance(exc, smtplib.SMTPException):
        return f"{where}: {stage} failed ({exc})"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS with {settings.where} failed: {exc.verify_message or exc.reason}"
    if isinstance(exc, ssl.SSLError):
        return (f"TLS with {settings.where} failed ({exc.reason or exc}); "
                "is the port right for this security setting?")
    if isinstance(exc, socket.gaierror):
        return f"unknown SMTP host '{settings.host}' ({exc.strerror})"
    if isinstance(exc, ConnectionRefusedError):
        return f"could not connect to {where}: connection refused (is it running on that port?)"
    return f"could not talk to {where} during {stage}: {getattr(exc, 'strerror', None) or exc}"


def deliver(messages: Sequence[TestMessage], settings: SmtpSettings, sender: str,
            to: str) -> None:
    """Send every message over one connection; BuildError with one line on any failure."""
    context = ssl.create_default_context()
    stage = "connect"
    try:
        if settings.security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port,
                                                    timeout=settings.timeout, context=context)
        else:
            client = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with client:
            if settings.security == "starttls":
                stage = "starttls"
                client.starttls(context=context)
            if settings.username:
                stage = "login"
                client.login(settings.username, settings.password or "")
            stage = "sending"
            for message in messages:
                client.sendmail(sender, [to], message.data)
    except (smtplib.SMTPException, OSError) as exc:
        raise _error(_explain(exc, settings, stage, sender, to), "smtp") from None


def send_test(root: Path, to: str, *, issue: str | None = None, audiences: Sequence[str] = (),
              sample: str | None = None, host: str | None = None, port: int | None = None,
              security: str | None = None, username: str | None = None,
              environ: Mapping[str, str] | None = None, from_data: bool = False,
              real_names: bool = False) -> SendTestResult:
    """Validate, build, personalise and send; raises BuildError before or instead of sending.

    `from_data` adds sample recipients made from the customer export (anonymised unless
    `real_names`), so the conditional blocks are tried on real situations.
    """
    to = check_address(to)
    project, diagnostics = load(Path(root))
    samples = load_samples(Path(root), diagnostics)
    if from_data:
        samples += samples_from_project(project, anonymise=not real_names, diagnostics=diagnostics)
    diagnostics.raise_if_errors()
    # Settings first: a missing password should not wait for a full render.
    settings = smtp_settings(project.config.smtp, environ, host=host, port=port,
                             security=security, username=username)
    messages = prepare(project, samples, to, issue=issue, audiences=audiences, sample=sample,
                       environ=environ)
    deliver(messages, settings, project.config.sender.email, to)
    return SendTestResult(to, settings, messages, diagnostics.items)
