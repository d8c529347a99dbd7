import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsletter.render import transforms

CTX = transforms.TransformContext(lang="en", dir="ltr", preheader="Short preview")
HTML = ('<html><head><title>x</title></head><body><div style="display:none;font-size:1px;">'
        'Short preview</div><p>Body</p>  \r\n</body></html>')


def test_preheader_is_padded_once():
    out = transforms.pad_preheader(HTML, CTX)
    assert out.count("&zwnj;") == 60
    assert "Short preview&#847;" in out


def test_no_padding_without_preheader():
    ctx = transforms.TransformContext("en", "ltr", "")
    assert transforms.pad_preheader(HTML, ctx) == HTML


def test_colour_scheme_meta_added():
    assert '<head><meta name="color-scheme" content="light dark">' in transforms.add_meta(HTML, CTX)


def test_newlines_normalised():
    out = transforms.normalise_newlines(HTML, CTX)
    assert "\r" not in out and "  \n" not in out and out.endswith("\n")


def test_pipeline_runs_in_order():
    seen = []
    steps = [lambda h, c: seen.append("a") or h + "a", lambda h, c: seen.append("b") or h + "b"]
    assert transforms.apply("x", CTX, steps) == "xab" and seen == ["a", "b"]


@pytest.mark.skipif(not shutil.which("spamassassin"), reason="SpamAssassin is installed by `make test`")
def test_hidden_preheader_is_not_hidden_spam_text(repo, tmp_path):
    """SpamAssassin scores neither the preheader's colour nor a 1px font: the example's emails
    in English and Portuguese score 0.0 (Russian text meets MIXED_ES, a Cyrillic heuristic)."""
    from newsletter.build import build
    from newsletter.checks.spamscore import score_one
    root = tmp_path / "example"
    root.mkdir()
    shutil.copy(repo / "newsletter.toml", root)
    shutil.copytree(repo / "content", root / "content")
    out = build(root, root / "build").out_dir
    for audience in ("new-subscribers", "cafe-owners", "baristas-br", "home-brewers-ru"):
        scored = score_one((out / "issues/2026-11" / audience / "email.eml").read_bytes())
        score, rules = scored.total, scored.rules
        names = {name for points, name, _ in rules if points}
        assert not names & {"HTML_FONT_LOW_CONTRAST", "FONT_INVIS_MSGID", "HTML_FONT_INVISIBLE"}, names
        if audience != "home-brewers-ru":
            assert score == 0.0, (audience, rules)


def test_preheader_hidden_without_colour_or_tiny_font():
    out = transforms.quiet_preheader('<body><div style="display:none;font-size:1px;color:#ffffff;line-height:1px;">'
                                     'Short preview</div></body>', CTX)
    assert '<div style="display:none;max-height:0px;max-width:0px;opacity:0;overflow:hidden;mso-hide:all;">' in out
    assert "color" not in out and "font-size" not in out


def test_mrml_escapes_in_attributes_are_undone_and_text_is_left_alone():
    html = ('<img alt="Caf\\u{e9} \\\\ tab\\there" src="https://x.test/a.png">'
            '<p>A \\u{e9} backslash in text stays</p><div aria-label="\\u{e000}name\\u{e001}\\u{e002}">')
    assert transforms.unescape_attributes(html, CTX) == (
        '<img alt="Café \\ tab\there" src="https://x.test/a.png">'
        '<p>A \\u{e9} backslash in text stays</p><div aria-label="\ue000name\ue001\ue002">')


# Pieces of markup that make attribute-like runs start, stop and overlap around backslashes.
_PIECES = [" ", "\n", "=", '"', "\\", "\\u{e9}", "\\t", "a", "x-y", ":", "<p ", ">", '="', ' a="']


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_attribute_unescaping_matches_one_regex_pass_over_the_page(html):
    """Looking only near backslashes finds exactly what the attribute regex finds everywhere."""
    reference = transforms._ATTRIBUTE.sub(
        lambda m: m.group(1) + transforms._unescape_rust(m.group(2)) + m.group(3), html)
    assert transforms.unescape_attributes(html, CTX) == reference
