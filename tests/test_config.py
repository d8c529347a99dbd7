from pathlib import Path

import pytest

from newsletter.content.config import load_config
from newsletter.core.diagnostics import BuildError, Diagnostics


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "newsletter.toml").write_text(text, encoding="utf-8")
    return tmp_path


GOOD = """[project]
base_url = "https://news.example.com"

[brand]
name = "Example"
website = "https://example.com"

[sender]
name = "Example"
email = "news@example.com"

[list]
id = "news.example.com"
unsubscribe_url = "https://example.com/unsubscribe"
postal_address = "1 Main St, Springfield"
"""


def test_valid_config_gets_defaults(tmp_path):
    diagnostics = Diagnostics()
    config = load_config(write(tmp_path, GOOD), diagnostics)
    assert diagnostics.items == []
    assert config.project.default_locale == "en"
    assert config.utm.medium == "email"
    assert config.loyalty.top_tiers == ["gold", "platinum"]


def test_every_error_is_collected_with_its_line(tmp_path):
    text = GOOD.replace('website = "https://example.com"', 'website = "http://example.com"')
    text = text.replace('email = "news@example.com"', 'email = "not-an-address"')
    text = text.replace('[list]', '[brand.colors]\nprimary = "brown"\n\n[list]')
    diagnostics = Diagnostics()
    assert load_config(write(tmp_path, text), diagnostics) is None
    lines = sorted(str(d) for d in diagnostics.errors)
    assert len(lines) == 3
    assert any(line.startswith("newsletter.toml:6:1: error: brand.website: must be an https:// URL") for line in lines)
    assert any(line.startswith("newsletter.toml:10:1: error: sender.email: not an email address") for line in lines)
    assert any(line.startswith("newsletter.toml:13:1: error: brand.colors.primary:") for line in lines)


def test_unknown_key_is_a_warning_with_did_you_mean(tmp_path):
    text = GOOD.replace('[brand]\n', '[brand]\ncolour = "#fff"\n')
    diagnostics = Diagnostics()
    config = load_config(write(tmp_path, text), diagnostics)
    assert config is not None
    [warning] = diagnostics.warnings
    assert str(warning) == ("newsletter.toml:5:1: warning: unknown key 'brand.colour'; "
                            "did you mean 'colors'? [unknown-key]")


def test_missing_required_and_bad_locale(tmp_path):
    text = GOOD.replace('postal_address = "1 Main St, Springfield"\n', "")
    text = text.replace('[project]\n', '[project]\ndefault_locale = "xx-nowhere"\n')
    diagnostics = Diagnostics()
    load_config(write(tmp_path, text), diagnostics)
    messages = [str(d) for d in diagnostics.errors]
    assert any("list.postal_address: is required" in m for m in messages)
    assert any("newsletter.toml:2:1: error: project.default_locale: unknown locale" in m for m in messages)


def test_toml_syntax_error(tmp_path):
    diagnostics = Diagnostics()
    load_config(write(tmp_path, GOOD + "broken = \n"), diagnostics)
    [error] = diagnostics.errors
    assert str(error).startswith("newsletter.toml:16:10:")
    assert "invalid TOML" in str(error)


def test_no_project(tmp_path):
    with pytest.raises(BuildError) as info:
        load_config(tmp_path, Diagnostics())
    assert "no newsletter.toml" in str(info.value)
