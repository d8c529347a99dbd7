"""newsletter send-test against a real SMTP server (aiosmtpd) on 127.0.0.1."""

import email
import hashlib
import hmac
import shutil
import socket
import ssl
import subprocess
from email import policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from newsletter.cli import main
from newsletter.core.diagnostics import BuildError
from newsletter.sendtest import send_test, smtp_settings
from newsletter.content.config import Smtp

FIXTURE = Path(__file__).parent / "fixtures" / "esp-project"
QUOTE = ("My first email said 'Hi *|FNAME|*' and had an *|UNSUB|* link; then {{first_name}}, "
         "{{{x}}} and {% if %} showed up too. Now it just works.")
PASSWORD = "s3cret-Pa55"
# The fixture's unsubscribe URL has {token}: a real send needs the secret (see test_unsubscribe).
ENV = {"NEWSLETTER_UNSUBSCRIBE_SECRET": "unsubscribe-secret-for-tests"}
# aiosmtpd rightly warns about AUTH without TLS; here it is a loopback test server.
pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    """The developer's own SMTP settings must not leak into the tests."""
    for name in ("NEWSLETTER_SMTP_HOST", "NEWSLETTER_SMTP_PORT", "NEWSLETTER_SMTP_SECURITY",
                 "NEWSLETTER_SMTP_USER", "NEWSLETTER_SMTP_PASSWORD", "SSL_CERT_FILE",
                 "NEWSLETTER_UNSUBSCRIBE_SECRET"):
        monkeypatch.delenv(name, raising=False)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Recorder:
    """An aiosmtpd handler that keeps what arrives and refuses nobody@."""

    def __init__(self):
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 <nobody@example.com>: no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append((envelope, session.authenticated))
        return "250 Message accepted"

    def messages(self):
        return [email.message_from_bytes(e.content, policy=policy.default)
                for e, _ in self.envelopes]


def only_bob(server, session, envelope, mechanism, auth_data):
    ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"bob"
          and auth_data.password == PASSWORD.encode())
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def serve():
    """Start an SMTP server with the given aiosmtpd options; stopped after the test."""
    started = []

    def start(**options):
        handler = Recorder()
        controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **options)
        controller.start()
        started.append(controller)
        return controller.port, handler

    yield start
    for controller in started:
        controller.stop()


def error_of(call):
    with pytest.raises(BuildError) as caught:
        call()
    lines = [str(d) for d in caught.value.diagnostics]
    assert len(lines) == 1 and "\n" not in lines[0]
    return lines[0]


def test_sends_every_audience_personalised_with_its_sample(serve):
    port, handler = serve()
    result = send_test(FIXTURE, "me@example.com", port=port, environ=ENV)
    assert [m.key for m in result.messages] == ["2026-11/regulars/email",
                                                "2026-11/baristas-br/email"]
    assert [m.sample for m in result.messages] == ["ana", "joao"]
    envelopes = [e for e, _ in handler.envelopes]
    assert [(e.mail_from, e.rcpt_tos) for e in envelopes] == [
        ("news@example.com", ["me@example.com"])] * 2
    regulars, baristas = handler.messages()
    assert regulars["From"] == "Marina at Example <news@example.com>"
    assert regulars["To"] == "me@example.com"
    assert regulars["Subject"] == "Hi Ana, meet Mira"
    assert baristas["Subject"] == "João, conheça a Mira"
    # The test address gets its own one-click URL: HMAC-SHA256 of address and list id.
    token = hmac.new(ENV["NEWSLETTER_UNSUBSCRIBE_SECRET"].encode(),
                     b"me@example.com\nnews.example.com", hashlib.sha256).hexdigest()
    assert regulars["List-Unsubscribe"] == f"<https://example.com/unsubscribe?t={token}>"
    assert regulars.get_content_type() == "multipart/alternative"
    text = regulars.get_body(("plain",)).get_content()
    page = regulars.get_body(("html",)).get_content()
    for part in (text, page):
        assert "Hi Ana," in part
        assert "You still have a free cupping voucher" in part
        assert "Thanks for brewing" not in part
        assert not any("\ue000" <= c <= "\ue0ff" for c in part)
    assert "Olá, João!" in baristas.get_body(("plain",)).get_content()
    assert QUOTE in " ".join(text.replace("\n> ", " ").split())


def test_sample_and_audience_can_be_chosen(serve):
    port, handler = serve()
    send_test(FIXTURE, "me@example.com", audiences=["regulars"], sample="anonymous",
              port=port, environ=ENV)
    [message] = handler.messages()
    assert message["Subject"] == "Hi there, meet Mira"
    assert "Thanks for brewing with us this year" in message.get_body(("plain",)).get_content()


def test_every_send_has_its_own_message_id(serve):
    port, handler = serve()
    for _ in range(2):
        send_test(FIXTURE, "me@example.com", audiences=["regulars"], port=port, environ=ENV)
    first, second = handler.messages()
    assert first["Message-ID"] != second["Message-ID"]


def test_login_with_the_password_from_the_environment(serve):
    port, handler = serve(authenticator=only_bob, auth_require_tls=False, auth_required=True)
    send_test(FIXTURE, "me@example.com", port=port, username="bob",
              environ={**ENV, "NEWSLETTER_SMTP_PASSWORD": PASSWORD})
    assert [authenticated for _, authenticated in handler.envelopes] == [True, True]


def test_refused_login_is_one_line_without_the_password(serve):
    port, handler = serve(authenticator=only_bob, auth_require_tls=False, auth_required=True)
    line = error_of(lambda: send_test(FIXTURE, "me@example.com", port=port, username="bob",
                                      environ={**ENV, "NEWSLETTER_SMTP_PASSWORD": "wrong-" + PASSWORD}))
    assert line.startswith(f"error: SMTP server 127.0.0.1:{port} refused the login for user 'bob' (535")
    assert PASSWORD not in line
    assert handler.envelopes == []


def test_user_without_password_fails_before_connecting():
    line = error_of(lambda: send_test(FIXTURE, "me@example.com", username="bob", environ=ENV))
    assert line == ("newsletter.toml: error: SMTP user 'bob' is set but the environment "
                    "variable NEWSLETTER_SMTP_PASSWORD is empty: export the password there "
                    "[smtp-config]")


def test_refused_recipient(serve):
    port, _ = serve()
    line = error_of(lambda: send_test(FIXTURE, "nobody@example.com", port=port, environ=ENV))
    assert line == (f"error: SMTP server 127.0.0.1:{port} refused the recipient "
                    "'nobody@example.com' (550 5.1.1 <nobody@example.com>: no such user) [smtp]")


def test_bad_address_is_refused_before_anything_else():
    assert error_of(lambda: send_test(FIXTURE, "not-an-address", environ=ENV)) == (
        "error: not an email address: 'not-an-address' [bad-address]")


def test_connection_refused():
    port = free_port()
    line = error_of(lambda: send_test(FIXTURE, "me@example.com", port=port, environ=ENV))
    assert line == (f"error: could not connect to SMTP server 127.0.0.1:{port}: connection "
                    "refused (is it running on that port?) [smtp]")


def test_timeout(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    config = root / "newsletter.toml"
    config.write_text(config.read_text() + "timeout = 0.5\n")
    with socket.socket() as silent:  # accepts connections, never says hello
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        port = silent.getsockname()[1]
        line = error_of(lambda: send_test(root, "me@example.com", port=port, environ=ENV))
    assert line == (f"error: SMTP server 127.0.0.1:{port} did not answer within 0.5 s "
                    "during connect [smtp]")


def test_server_without_starttls(serve):
    port, _ = serve()
    line = error_of(lambda: send_test(FIXTURE, "me@example.com", port=port,
                                      security="starttls", environ=ENV))
    assert "does not offer STARTTLS" in line


def test_settings_precedence_and_validation():
    smtp = Smtp(host="config.example", port=25, security="none")
    env = {"NEWSLETTER_SMTP_HOST": "env.example", "NEWSLETTER_SMTP_PORT": "2525"}
    settings = smtp_settings(smtp, env, host="cli.example")
    assert (settings.host, settings.port, settings.security) == ("cli.example", 2525, "none")
    assert smtp_settings(smtp, {}).host == "config.example"
    with_password = smtp_settings(smtp, {"NEWSLETTER_SMTP_PASSWORD": PASSWORD}, username="bob")
    assert PASSWORD not in repr(with_password)
    with pytest.raises(BuildError, match="must be a port number"):
        smtp_settings(smtp, {"NEWSLETTER_SMTP_PORT": "smtp"})
    with pytest.raises(BuildError, match="security must be one of"):
        smtp_settings(smtp, {"NEWSLETTER_SMTP_SECURITY": "tls"})


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1: (cert, key) paths."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    try:
        _cryptography_cert(cert, key)
    except ImportError:
        openssl = shutil.which("openssl")
        if openssl is None:
            pytest.skip("TLS tests need a self-signed certificate: neither the `cryptography` "
                        "package nor the `openssl` command is installed")
        subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                        "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
                        "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def _cryptography_cert(cert, key):
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    built = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
             .public_key(private.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(now - datetime.timedelta(hours=1))
             .not_valid_after(now + datetime.timedelta(days=2))
             .add_extension(x509.SubjectAlternativeName(
                 [x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
             .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
             .sign(private, hashes.SHA256()))
    cert.write_bytes(built.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))


def server_context(certificate):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*map(str, certificate))
    return context


def test_starttls_with_a_trusted_certificate(serve, certificate, monkeypatch):
    port, handler = serve(tls_context=server_context(certificate), require_starttls=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust our test CA only
    send_test(FIXTURE, "me@example.com", port=port, security="starttls", environ=ENV)
    assert len(handler.envelopes) == 2


def test_implicit_tls(serve, certificate, monkeypatch):
    port, handler = serve(ssl_context=server_context(certificate))
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))
    send_test(FIXTURE, "me@example.com", port=port, security="ssl", environ=ENV)
    assert len(handler.envelopes) == 2


def test_untrusted_certificate_is_a_clear_tls_error(serve, certificate):
    port, handler = serve(tls_context=server_context(certificate), require_starttls=True)
    line = error_of(lambda: send_test(FIXTURE, "me@example.com", port=port,
                                      security="starttls", environ=ENV))
    assert line.startswith(f"error: TLS with 127.0.0.1:{port} failed: ")
    assert "certificate" in line
    assert handler.envelopes == []


def test_cli_sends_and_reports(serve):
    port, handler = serve(authenticator=only_bob, auth_require_tls=False)
    result = CliRunner().invoke(
        main, ["send-test", "-p", str(FIXTURE), "--to", "me@example.com", "--port", str(port),
               "--audience", "baristas-br"],
        env={**ENV, "NEWSLETTER_SMTP_USER": "bob", "NEWSLETTER_SMTP_PASSWORD": PASSWORD})
    assert result.exit_code == 0, result.output
    assert f"sent 1 test message(s) to me@example.com via 127.0.0.1:{port} (none)" in result.output
    assert "2026-11/baristas-br/email  sample: joao  subject: João, conheça a Mira" in result.output
    assert PASSWORD not in result.output
    assert len(handler.envelopes) == 1


def test_cli_failure_is_one_line(serve):
    port, _ = serve(authenticator=only_bob, auth_require_tls=False, auth_required=True)
    result = CliRunner().invoke(
        main, ["send-test", "-p", str(FIXTURE), "--to", "me@example.com", "--port", str(port),
               "--user", "bob"], env={**ENV, "NEWSLETTER_SMTP_PASSWORD": "nope"})
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert [line for line in result.output.splitlines() if line.strip()] == [
        line for line in result.output.splitlines() if "refused the login for user 'bob'" in line]
    unknown = CliRunner().invoke(main, ["send-test", "-p", str(FIXTURE), "--to", "me@example.com",
                                        "--issue", "1999-01"], env=ENV)
    assert unknown.exit_code == 1
    assert "unknown issue '1999-01' (known: 2026-11)" in unknown.output


def test_samples_from_customer_data(serve, basic):
    """--from-data: a sample made from the export fills the message, anonymised, no email."""
    fixture = basic  # a copy: reading the export writes its cache into the project
    port, handler = serve()
    result = send_test(fixture, "me@example.com", audiences=["new-readers"], sample="data-new-readers-3",
                       host="127.0.0.1", port=port, security="none", environ=ENV, from_data=True)
    [message] = handler.messages()
    assert result.messages[0].sample == "data-new-readers-3"
    assert message["Subject"].startswith("Jordan")  # a made-up name, not the customer's
    raw = message.as_string()
    customers = (fixture / "content/customers.csv").read_text(encoding="utf-8")
    for line in customers.splitlines()[1:]:
        email = line.split(",")[3]
        assert email not in raw


def test_recipient_locale_wins_over_the_audience(serve, minimal):
    """A sample who reads Chinese gets the fixed words and date in Chinese."""
    (minimal / "content/samples.yml").write_text(
        "- id: mei\n  first_name: 梅\n  locale: zh-CN\n  audiences: [new-readers]\n", encoding="utf-8")
    port, handler = serve()
    send_test(minimal, "me@example.com", audiences=["new-readers"], sample="mei",
              host="127.0.0.1", port=port, security="none", environ=ENV)
    [message] = handler.messages()
    text = message.get_body(("plain",)).get_content()
    assert "退订" in text and "2026年10月5日" in text
    assert message["Subject"] == "梅, the 20-minute habit"
