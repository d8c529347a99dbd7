"""Render exported Handlebars templates with the real handlebars.js (tests/js, via node).

Proves two things: customer text that looks like template code comes out literally, and
the personalisation we generate renders the way the issue asked for.
"""

import html
import json
import random
import shutil
import subprocess
from pathlib import Path

import pytest

from newsletter.esp import escape
from newsletter.esp.export import export

JS = Path(__file__).parent / "js"
FIXTURE = Path(__file__).parent / "fixtures" / "esp-project"
QUOTE = ("My first email said 'Hi *|FNAME|*' and had an *|UNSUB|* link; then {{first_name}}, "
         "{{{x}}} and {% if %} showed up too. Now it just works.")
BODY = ("Literal braces stay literal: {{ first_name | there }}, {{escaped}}, {% endif %}, "
        "{# comment #} and a lone { or } are just text.")


def render(jobs):
    """Render [{template, data}] with handlebars.js; returns [{output} | {error}]."""
    node = shutil.which("node")
    if node is None or not (JS / "node_modules" / "handlebars").is_dir():
        pytest.fail("node and tests/js/node_modules/handlebars are needed: run `make test-deps`")
    done = subprocess.run([node, str(JS / "render-handlebars.mjs")], input=json.dumps(jobs),
                          capture_output=True, text=True, cwd=JS, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def visible(text, is_html):
    """What a reader sees: entities decoded, invisible joiners gone, text lines re-joined."""
    if is_html:
        text = html.unescape(text)
    text = text.replace(escape.WORD_JOINER, "")
    return " ".join(text.replace("\n> ", " ").split())


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    for esp in ("sendgrid", "ses", "mailgun"):
        export(FIXTURE, esp, out / esp, force=True)
    return out


def templates(out, message):
    """(subject, html, text) of each Handlebars provider's export of `message`."""
    base = out / "sendgrid" / message
    version = json.loads((base / "version.json").read_text())
    yield "sendgrid", version["subject"], version["html_content"], version["plain_content"]
    ses = json.loads((out / "ses" / message / "template.json").read_text())["Template"]
    yield "ses", ses["SubjectPart"], ses["HtmlPart"], ses["TextPart"]
    mailgun = out / "mailgun" / message
    subject = json.loads((mailgun / "headers.json").read_text())["Subject"]
    yield "mailgun", subject, (mailgun / "template.html").read_text(), (mailgun / "text.txt").read_text()


def sample_data(out, esp, message):
    return json.loads((out / esp / message / "sample-data.json").read_text())


@pytest.mark.parametrize("data_kind", ["sample", "empty"])
def test_exported_templates_render_with_handlebars(exports, data_kind):
    jobs, expect = [], []
    for esp, subject, body, text in templates(exports, "2026-11/regulars"):
        data = sample_data(exports, esp, "2026-11/regulars") if data_kind == "sample" else {}
        for part, template in (("subject", subject), ("html", body), ("text", text)):
            jobs.append({"template": template, "data": data})
            expect.append((esp, part))
    results = render(jobs)
    for (esp, part), result in zip(expect, results):
        assert "error" not in result, f"{esp} {part}: {result.get('error')}"
        seen = visible(result["output"], part == "html")
        name = "Ana" if data_kind == "sample" else "there"
        if part == "subject":
            assert seen == f"Hi {name}, meet Mira", esp
            continue
        assert f"Hi {name}," in seen, (esp, part)
        assert QUOTE in seen, (esp, part)
        assert BODY in seen, (esp, part)
        voucher = "You still have a free cupping voucher" in seen
        thanks = "Thanks for brewing with us this year" in seen
        assert (voucher, thanks) == ((True, False) if data_kind == "sample" else (False, True))


def test_portuguese_variant_uses_its_own_sample_and_fallback(exports):
    jobs = []
    for esp, subject, _body, _text in templates(exports, "2026-11/baristas-br"):
        jobs.append({"template": subject, "data": sample_data(exports, esp, "2026-11/baristas-br")})
        jobs.append({"template": subject, "data": {}})
    outputs = [r["output"] for r in render(jobs)]
    assert outputs == ["João, conheça a Mira", "Barista, conheça a Mira"] * 3


def test_html_part_escapes_names_but_text_and_subject_do_not(exports):
    """{{x}} in HTML (escaped by Handlebars), {{{x}}} in plain text: O'Brien & Co stays readable."""
    data = {"first_name": "<b>O'Brien & Co</b>"}
    jobs = []
    for _esp, subject, body, text in templates(exports, "2026-11/regulars"):
        jobs += [{"template": subject, "data": data}, {"template": body, "data": data},
                 {"template": text, "data": data}]
    results = [r["output"] for r in render(jobs)]
    for subject, body, text in zip(results[0::3], results[1::3], results[2::3]):
        assert subject == "Hi <b>O'Brien & Co</b>, meet Mira"
        assert "Hi &lt;b&gt;O&#x27;Brien &amp; Co&lt;/b&gt;," in body
        assert "Hi <b>O'Brien & Co</b>," in text


def test_escaping_survives_random_text_next_to_tags():
    """Random text of braces and backslashes, glued to real tags, renders exactly."""
    rng = random.Random(20261103)
    alphabet = ["{", "}", "\\", "a", " ", "!", "#", "/", "~", '"', "*", "|", "%"]
    jobs, wanted = [], []
    for _ in range(1500):
        a, b = ("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in "ab")
        jobs.append({"template": escape.handlebars_text(a) + "{{{x}}}" + escape.handlebars_text(b)
                     + "{{#if y}}{{else}}" + escape.handlebars_text(a) + "{{/if}}",
                     "data": {"x": "X"}})
        wanted.append((a + "X" + b + a, False))
        literal = lambda s: escape.html_literal(s, chars="{}\\", pairs=("{{",))  # noqa: E731
        jobs.append({"template": literal(a) + "{{x}}" + literal(b), "data": {"x": "X"}})
        wanted.append((a + "X" + b, True))
    for job in jobs[0::2]:
        # What keeps the output engine-independent (see newsletter.esp.escape).
        assert "\\\\{{" not in job["template"] and not job["template"].startswith("\\{{")
    for job, (want, is_html), result in zip(jobs, wanted, render(jobs)):
        assert "error" not in result, (job["template"], result)
        got = result["output"]
        got = html.unescape(got) if is_html else got
        assert got.replace(escape.WORD_JOINER, "") == want, job["template"]
