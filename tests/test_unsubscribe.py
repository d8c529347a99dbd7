"""Per-recipient unsubscribe URLs: the {token} slot, its HMAC, previews and the check."""

import hashlib
import hmac

import pytest
from click.testing import CliRunner

from newsletter.build import load
from newsletter.cli import main
from newsletter.core.diagnostics import BuildError
from newsletter.render.unsubscribe import (ENV_SECRET, PREVIEW_TOKEN, is_personal, preview_url,
                                    recipient_url, token)
from tests.checkhelpers import findings
from tests.conftest import edit


def test_token_is_hmac_sha256_of_the_address_and_the_list():
    expected = hmac.new(b"k", b"ana@example.com\nnews.example.com", hashlib.sha256).hexdigest()
    assert token("k", " Ana@Example.com ", "news.example.com") == expected
    assert token("k", "ana@example.com", "other.example.com") != expected
    assert token("other", "ana@example.com", "news.example.com") != expected


def test_recipient_url_needs_the_secret_and_previews_carry_a_marked_placeholder(minimal):
    config = load(minimal)[0].config
    assert is_personal(config.list.unsubscribe_url)
    assert preview_url(config) == f"https://lumen.example/unsubscribe?t={PREVIEW_TOKEN}"
    url = recipient_url(config, "ana@example.com", {ENV_SECRET: "s3cret"})
    assert url == f"https://lumen.example/unsubscribe?t={token('s3cret', 'ana@example.com', config.list.id)}"
    with pytest.raises(BuildError) as info:
        recipient_url(config, "ana@example.com", {})
    [line] = [str(d) for d in info.value.diagnostics]
    assert line.startswith("newsletter.toml: error: [list] unsubscribe_url has {token} but the "
                           f"environment variable {ENV_SECRET} is empty")


def test_a_fixed_url_needs_no_secret(minimal):
    edit(minimal / "newsletter.toml", "?t={token}", "")
    config = load(minimal)[0].config
    assert recipient_url(config, "ana@example.com", {}) == "https://lumen.example/unsubscribe"


def test_the_check_fails_a_url_that_cannot_identify_the_recipient(minimal):
    assert findings(minimal, "unsubscribe-recipient") == []
    edit(minimal / "newsletter.toml", "?t={token}", "")
    found = findings(minimal, "unsubscribe-recipient", "new-readers")
    assert [(s, where) for s, where, _, _ in found] == [("error", "newsletter.toml:15:1")]
    assert "the same for every recipient" in found[0][2] and "{token}" in found[0][3]


def test_send_test_without_the_secret_is_one_line_and_sends_nothing(minimal, monkeypatch):
    monkeypatch.delenv(ENV_SECRET, raising=False)
    result = CliRunner().invoke(main, ["send-test", "-p", str(minimal), "--to", "me@example.com",
                                       "--host", "127.0.0.1", "--port", "9", "--security", "none"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert any(f"environment variable {ENV_SECRET} is empty" in line for line in lines), result.output
    assert "Traceback" not in result.output and "connect" not in result.output
