"""The SMS channel: segment counts worked out by hand, the text itself, and its checks."""

import shutil
from pathlib import Path

import pytest

from newsletter.render import sms
from newsletter.build import build
from newsletter.checks.run import run_checks

from .conftest import FIXTURES, edit

ISSUE = "issues/2026-10"


@pytest.fixture
def multichannel(tmp_path: Path) -> Path:
    target = tmp_path / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", target)
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("sms") / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", root)
    return build(root, root / "build")


# -- counting, by hand -------------------------------------------------------------

def test_gsm7_fits_160_in_one_and_153_per_part():
    assert sms.encoding("a" * 160) == "GSM-7"
    assert sms.segments("a" * 160) == 1
    assert sms.segments("a" * 161) == 2  # 153 + 8
    assert sms.segments("a" * 306) == 2  # 153 + 153
    assert sms.segments("a" * 307) == 3
    assert sms.segments("") == 0


@pytest.mark.parametrize("char", ["€", "{", "}", "[", "]", "~", "\\", "|", "^"])
def test_extension_characters_count_twice(char):
    assert sms.encoding(char) == "GSM-7"
    assert sms.length(char + "a" * 158) == 160
    assert sms.segments(char + "a" * 158) == 1
    assert sms.segments(char + "a" * 159) == 2  # 161 septets


def test_an_escape_pair_never_straddles_two_parts():
    # 152 + 2 + 152 = 306 septets, which would be two parts of 153 if '€' could be split:
    # part 1 takes 152 (the pair does not fit), part 2 the pair and 151, part 3 the last one.
    text = "a" * 152 + "€" + "a" * 152
    assert sms.length(text) == 306
    assert sms.segments(text) == 3


@pytest.mark.parametrize("char", ["ж", "中"])
def test_cyrillic_and_chinese_force_ucs2(char):
    assert sms.encoding(char * 10) == "UCS-2"
    assert sms.segments(char * 70) == 1
    assert sms.segments(char * 71) == 2
    assert sms.segments(char * 134) == 2  # 67 + 67
    assert sms.segments(char * 135) == 3


def test_one_character_outside_gsm_switches_the_whole_text():
    assert sms.segments("a" * 100) == 1
    assert sms.encoding("a" * 100 + "ж") == "UCS-2"
    assert sms.segments("a" * 100 + "ж") == 2  # 101 UTF-16 units > 70
    assert sms.non_gsm("Olá, ж and ж") == ["á", "ж"]


def test_emoji_are_two_utf16_units_and_never_split():
    assert sms.length("😀") == 2
    assert sms.segments("😀" * 35) == 1  # 70 units
    assert sms.segments("😀" * 35 + "a") == 2
    # 66 + 68 = 134 units would be two parts of 67 if a surrogate pair could be split.
    assert sms.segments("a" * 66 + "😀" * 34) == 3


def test_typographic_punctuation_is_made_plain_only_when_that_keeps_gsm7():
    assert sms.gsm_friendly("Tom’s “first” month… – done") == "Tom's \"first\" month... - done"
    russian = "Ольга’s «клуб»"
    assert sms.gsm_friendly(russian) == russian  # UCS-2 anyway, which carries them


def test_characters_no_sms_can_carry():
    assert sms.uncarried("line\nbreak and €") == []
    assert sms.uncarried("bell\x07 private\uf8ff unassigned\u0378") == ["\x07", "\uf8ff", "\u0378"]


# -- the channel -------------------------------------------------------------------

def _output(result, audience):
    return next(o for o in result.outputs if o.variant.audience.id == audience and o.variant.channel == "sms")


def test_sms_text_is_hook_link_and_opt_out(built):
    text = (built.out_dir / ISSUE / "new-readers/sms.txt").read_text(encoding="utf-8")
    link = ("https://news.lumen.example/web/issues/2026-10/new-readers/"
            "?utm_source=newsletter&utm_medium=sms&utm_campaign=2026-10")
    assert text == f"Lumen Books: Tom's first month {link}\nReply STOP to opt out."
    # 12 + 1 + 17 + 1 + 116 (the link) + 1 + 22 characters, all GSM-7: two parts.
    assert len(text) == 170 and sms.encoding(text) == "GSM-7"
    assert _output(built, "new-readers").extra["segments"] == 2


@pytest.mark.parametrize("audience, hook, opt_out, segments", [
    ("book-clubs", "林梅用一个共享书单，把十个人的读书会变成了每月四本书的习惯。", "回复TD退订", 3),
    ("chitateli-ru", "Ольга ведёт книжный клуб в Казани. Общий список и один вопрос на встречу.",
     "Чтобы отписаться, ответьте STOP.", 4),
])
def test_featured_summary_in_the_audiences_language(built, audience, hook, opt_out, segments):
    text = (built.out_dir / ISSUE / audience / "sms.txt").read_text(encoding="utf-8")
    first, second = text.split("\n")
    assert first.startswith(f"Lumen Books: {hook} https://news.lumen.example/web/issues/2026-10/{audience}/")
    assert second == opt_out
    assert sms.encoding(text) == "UCS-2"
    assert sms.segments(text) == segments == _output(built, audience).extra["segments"]


def test_only_audiences_that_prefer_sms_get_one(built):
    with_sms = sorted(o.variant.audience.id for o in built.outputs if o.variant.channel == "sms")
    assert with_sms == ["book-clubs", "chitateli-ru", "new-readers"]
    assert not (built.out_dir / ISSUE / "leitores-br/sms.txt").exists()


def test_link_falls_back_to_the_story_call_to_action_without_web(multichannel):
    edit(multichannel / "content/issues/2026-10.md", "channels: [email, web, sms, print]", "channels: [email, sms]")
    result = build(multichannel)
    text = _output(result, "chitateli-ru").files["sms.txt"].decode("utf-8")
    assert " https://lumen.example/ru/olga?utm_source=newsletter&utm_medium=sms&utm_campaign=2026-10\n" in text


# -- the checks --------------------------------------------------------------------

def _findings(result, check, audience):
    report = result.report.for_key(f"2026-10/{audience}/sms")
    return [(r.severity, str(r.finding.location), r.finding.message) for r in report.results
            if r.check.id == check and not r.finding.passed]


def test_segments_warn_past_the_configured_limit(built, multichannel):
    [(severity, where, message)] = _findings(built, "sms-segments", "chitateli-ru")
    assert severity == "warning"
    assert where == "content/stories/olga-spotlight.md:5:10"
    assert message.startswith("the SMS is 4 segments (UCS-2, 237 UTF-16 units), over the 2-part limit")
    assert _findings(built, "sms-segments", "new-readers") == []
    with (multichannel / "newsletter.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[checks]\nsms_max_segments = 4\n")
    assert _findings(build(multichannel), "sms-segments", "chitateli-ru") == []


def test_characters_a_phone_cannot_show_fail(multichannel):
    edit(multichannel / "content/stories/olga-spotlight.md", "в Казани.", "в Казани\uf8ff.")
    result = build(multichannel)
    [(severity, where, message)] = _findings(result, "sms-charset", "chitateli-ru")
    assert severity == "error" and where == "content/stories/olga-spotlight.md:5:10"
    assert "'\uf8ff' (U+F8FF)" in message


def test_ucs2_is_a_note_unless_the_sender_is_gsm_only(built, multichannel):
    [(severity, _, message)] = _findings(built, "sms-unicode", "book-clubs")
    assert severity == "info" and "needs UCS-2 because of '林'" in message
    assert _findings(built, "sms-unicode", "new-readers") == []
    with (multichannel / "newsletter.toml").open("a", encoding="utf-8") as handle:
        handle.write('\n[checks.severity]\nsms-unicode = "error"\n')
    result = build(multichannel)
    assert [f[0] for f in _findings(result, "sms-unicode", "book-clubs")] == ["error"]
    assert result.report.errors == 2  # the Chinese and the Russian SMS


def test_email_only_checks_leave_the_sms_alone(built):
    report = built.report.for_key("2026-10/new-readers/sms")
    ran = {r.check.id for r in report.results}
    assert not ran & {"unsubscribe", "postal-address", "text-parity", "subject", "preheader", "lang"}
    assert report.verdicts()["checklist"] == "pass"
    assert run_checks(built.project, built.outputs, expensive=False).errors == 0
