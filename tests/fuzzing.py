"""Fuzzing shared by tests/test_fuzz_readers.py (a short, seeded run) and tools/fuzz.py (a long one).

Each target is one source file of the tiny project in tests/fixtures/fuzz. Its strategy starts
from the file as written, changes its parsed data (a value replaced, a key dropped or added)
and writes it back, then maybe damages the text (an invisible character, a YAML alias bomb, a
bad tag, deep nesting, a line break in a header field, a cut, a huge string). `exercise` then
reads the project with the library's own API, renders every message and fills it for every
sample recipient. The only acceptable failure is a BuildError whose errors each name file:line.
"""

from __future__ import annotations

import json
import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

import yaml
from hypothesis import strategies as st

from newsletter.build import load, render
from newsletter.channels import email_channel
from newsletter.core.diagnostics import BuildError, Diagnostics
from newsletter.core.timing import Timer
from newsletter.content.samples import load_samples

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "fuzz"
#: CPU seconds one input may take, and when it counts as a hang (the run is stopped then).
SLOW_SECONDS = 2.0
HANG_SECONDS = 20.0

# --- text pieces ---------------------------------------------------------------------------

#: Every C0 control but tab, LF and CR, DEL, C1 controls, line separators and non-characters.
BAD_CHARS = ([chr(c) for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)]
             + ["\x7f", "\x80", "\x85", "\x9f", "\u2028", "\u2029", "\ufdd0", "\ufdef", "\ufffe",
                "\uffff", "\U0001fffe", "\U0010ffff"])
#: What the marketers write, in each language the tool supports.
WORDS = ["Hello", "Tom's first month", "Olá, leitores!", "Ação de graças", "Привет, читатели",
         "Ёлка и щётка", "读书会的秘密", "林梅", "مرحبا بالقراء", "كتابان في الشهر", "🙂📚",
         "Baker & Daughters", "two books a month", "20 %", "R$ 10,00"]
#: Pieces with a meaning to one of the parsers a value goes through.
TRICKY = ["{{", "}}", "{{ first_name | there }}", "{{ first_name }}", "{{ | }}", "{% if unused_benefits %}",
          "{% endif %}", "*|FNAME|*", "<mj-text>", "</mjml>", "<![CDATA[", "]]>", "<!--", "-->",
          "<script>alert(1)</script>", "<b>", "&#11;", "&#x0B;", "&#xFFFF;", "&#0;", "&#1114111;",
          "&amp;", "&", "<", ">", "\\", "'", '"', "`", "---", "...", "* ", "- ", "# ", "> ", "|", "!",
          "%", "@", ":", ": ", "#", "[", "]", "{", "}", ",", "\t", "\r\n", "\r", "\n", "\n\n",
          "\u200f", "\u202e", "\u2066", "\ufeff", "\u00a0", "\u0301", "\ud7ff", "\U0001f600",
          "https://lumen.example/x", "mailto:a@b.example", "http://x", "javascript:alert(1)",
          "[link](https://x.example)", "![img](https://x.example/i.png)", "```", "    code",
          "\x0b", "\x0c", "\x00", "\x1b[31m"]

_piece = st.one_of(st.sampled_from(WORDS), st.sampled_from(TRICKY), st.sampled_from(BAD_CHARS),
                   st.text(max_size=12))
texts = st.one_of(
    st.sampled_from(WORDS),
    st.lists(_piece, min_size=1, max_size=8).map("".join),
    st.text(max_size=40),
    st.builds(lambda piece, n: piece * n, st.sampled_from(WORDS + ["x", "{{ first_name }}"]),
              st.integers(1000, 20000)),
)
_scalars = st.one_of(texts, st.integers(), st.integers(-2**70, 2**70), st.floats(), st.booleans(),
                     st.none(), st.dates(), st.sampled_from(["readers", "email", "guide", "en", "ar",
                                                             "gold", "2026-10-05", "0", ""]))
values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.one_of(texts, st.sampled_from(["title", "id", "en"])),
                                                 inner, max_size=4)), max_leaves=8)

#: Snippets that break a YAML reader: (name, text that replaces a value).
YAML_ATTACKS = {
    "alias-bomb": "&a [x, x, x, x, x, x, x, x, x]",
    "undefined-alias": "*nowhere",
    "recursive-alias": "&r [*r]",
    "recursive-merge": "&m {<<: *m}",
    "int-tag": "!!int", "float-tag": "!!float", "timestamp-tag": "!!timestamp x", "bool-tag": "!!bool x",
    "binary-tag": "!!binary aGVsbG8=", "set-tag": "!!set {a, b}", "omap-tag": "!!omap [a: 1]",
    "str-map": "!!str {a: 1}", "local-tag": "!thing x", "python-tag": "!!python/object:os.system x",
    "deep-flow": "[" * 600 + "]" * 600, "deep-map": "{a: " * 300 + "1" + "}" * 300,
    "empty-map": "{}", "empty-list": "[]", "null": "~", "quoted-vt": '"a\\vb"', "quoted-ffff": '"\\uFFFF"',
    "quoted-nul": '"\\0"', "quoted-crlf": '"a\\r\\nBcc: x@y.example"', "folded": ">\n  a\n  b",
    "bad-date": "2026-02-30", "anchor-only": "&x", "two-docs": "a\n---\nb: 1", "dangling": "[a, b",
}


def alias_bomb(levels: int) -> str:
    """A "billion laughs": each level repeats the one before nine times."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"l{level}: &l{level} [" + ", ".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def deep_block(levels: int) -> str:
    return "".join("  " * i + f"k{i}:\n" for i in range(levels)) + "  " * levels + "x\n"


# --- documents -----------------------------------------------------------------------------

def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a value in parsed data (the root included)."""
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, prefix + (index,))
    return found


def _set(data: Any, path: tuple, value: Any, delete: bool = False) -> Any:
    if not path:
        return value
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return data


@st.composite
def mutated_data(draw, original: Any, value_strategy=values) -> Any:
    """The parsed file with a few values replaced, removed or added."""
    data = json.loads(json.dumps(original, default=str))  # a deep copy, dates as text
    for _ in range(draw(st.integers(0, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "delete" and path:
            data = _set(data, path, None, delete=True)
        elif action == "add":
            target = data
            for part in path:
                target = target[part]
            if isinstance(target, dict):
                target[draw(st.one_of(texts, st.sampled_from(["title", "subject", "name", "intro"])))] = \
                    draw(value_strategy)
            elif isinstance(target, list):
                target.append(draw(value_strategy))
        else:
            data = _set(data, path, draw(value_strategy))
    return data


def dump_yaml(data: Any, flow: bool) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, default_flow_style=flow, width=80)


@st.composite
def damaged(draw, text: str, attacks: dict[str, str] | None) -> str:
    """The text with a few targeted changes at random places."""
    for _ in range(draw(st.integers(0, 2))):
        lines = text.split("\n")
        kind = draw(st.sampled_from(["char", "piece", "attack", "cut", "line", "crlf", "bom", "prefix"]
                                    if attacks else ["char", "piece", "cut", "line", "crlf", "bom"]))
        at = draw(st.integers(0, len(text)))
        if kind == "char":
            text = text[:at] + draw(st.sampled_from(BAD_CHARS)) + text[at:]
        elif kind == "piece":
            text = text[:at] + draw(st.sampled_from(TRICKY + WORDS)) + text[at:]
        elif kind == "attack":
            # Replace the value of a `key: value` line, keeping the key so the reader gets to it.
            candidates = [i for i, line in enumerate(lines) if ": " in line or line.rstrip().endswith(":")]
            if candidates:
                index = draw(st.sampled_from(candidates))
                key = lines[index].split(":", 1)[0]
                lines[index] = f"{key}: {attacks[draw(st.sampled_from(sorted(attacks)))]}"
                text = "\n".join(lines)
        elif kind == "prefix":
            text = draw(st.sampled_from([alias_bomb(9), alias_bomb(4), deep_block(120),
                                         "a: &a\n  b: *a\n"])) + text
        elif kind == "cut":
            text = text[:at]
        elif kind == "line" and lines:
            index = draw(st.integers(0, len(lines) - 1))
            lines.insert(index, lines[index]) if draw(st.booleans()) else lines.pop(index)
            text = "\n".join(lines)
        elif kind == "crlf":
            text = text.replace("\n", "\r\n")
        elif kind == "bom":
            text = "\ufeff" + text
    return text


def yaml_documents(original_text: str) -> st.SearchStrategy[str]:
    """A YAML file: the original, re-written after changes to its data, and damaged."""
    original = yaml.safe_load(original_text)
    rewritten = st.builds(dump_yaml, mutated_data(original), st.booleans())
    return st.one_of(st.just(original_text), rewritten).flatmap(lambda text: damaged(text, YAML_ATTACKS))


_BODY_PIECES = st.one_of(st.sampled_from(WORDS), st.sampled_from(TRICKY), st.sampled_from(BAD_CHARS),
                         st.text(max_size=20), st.sampled_from(["\n", "\n\n", "\n- ", "\n1. ", "\n### ",
                                                                "\n> ", "**", "_", "<br>", "\n\n---\n"]))
bodies = st.one_of(st.lists(_BODY_PIECES, max_size=30).map("".join), texts)


def front_matter_documents(original_text: str, body_only: bool = False) -> st.SearchStrategy[str]:
    """A Markdown file with front matter: its YAML or (with `body_only`) its Markdown changed."""
    _, front, body = original_text.split("---\n", 2)
    if body_only:
        return st.one_of(bodies, bodies.map(lambda new: body + new)).flatmap(
            lambda new: damaged(new, None)).map(lambda new: f"---\n{front}---\n{new}")
    return yaml_documents(front).map(lambda new: f"---\n{new}---\n{body}").flatmap(
        lambda text: damaged(text, None))


def _toml_literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(str(k))} = {_toml_literal(v)}" for k, v in value.items()) + "}"
    if value is None:
        return '""'
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string, escapes included


TOML_ATTACKS = ['"Lumen\\r\\nBcc: all@x.example"', '"""Lumen\nBooks"""', "'''Lumen\r\nBooks'''",
                '"a\\u000Bb"', '"\\uFFFF"', '"x', "[" * 600 + "]" * 600, "{a = " * 300 + "1" + "}" * 300,
                "", "=", "1979-05-27T07:32:00Z", "inf", "nan", '"https://lumen.example/u\\r\\nX: y"',
                '"тест@пример.рф"', '"news@lumen.example\\n"', '"a@b"', "0x10", "[[x]]"]


@st.composite
def toml_documents(draw, original_text: str) -> str:
    """newsletter.toml with values replaced line by line, tables added or lines cut, then damaged."""
    lines = original_text.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        line = lines[index]
        kind = draw(st.sampled_from(["value", "value", "attack", "key", "table"]))
        if kind in ("value", "attack") and " = " in line:
            key = line.split(" = ", 1)[0]
            literal = draw(st.sampled_from(TOML_ATTACKS)) if kind == "attack" else _toml_literal(draw(values))
            lines[index] = f"{key} = {literal}"
        elif kind == "key":
            lines.insert(index, f"{json.dumps(draw(texts))} = {_toml_literal(draw(values))}")
        elif kind == "table":
            lines.insert(index, f"[{draw(st.sampled_from(['checks', 'smtp', 'utm', 'loyalty', 'brand.colors', 'x']))}]")
    return draw(damaged("\n".join(lines), None))


def samples_documents(original_text: str) -> st.SearchStrategy[str]:
    """samples.yml, with line breaks and merge-tag pieces aimed at the name fields too."""
    names = st.one_of(texts, st.sampled_from(["Amira\nBcc: all@x.example", "Ana\r\n", "Ana\rB", "a\x0bb"]))
    original = yaml.safe_load(original_text)
    aimed = st.builds(lambda data, field, value: [dict(item, **{field: value}) for item in data],
                      st.just(original), st.sampled_from(["first_name", "last_name", "company"]), names)
    return st.one_of(yaml_documents(original_text),
                     st.builds(dump_yaml, aimed, st.booleans()))


# --- running one input ---------------------------------------------------------------------

@dataclass(frozen=True)
class Target:
    """A source file of the fuzz fixture, and how its versions are made."""

    name: str
    file: str
    strategy: Callable[[str], st.SearchStrategy[str]]

    def inputs(self) -> st.SearchStrategy[str]:
        return self.strategy((FIXTURE / self.file).read_text(encoding="utf-8"))


TARGETS = {t.name: t for t in [
    Target("config", "newsletter.toml", toml_documents),
    Target("audiences", "content/audiences.yml", yaml_documents),
    Target("samples", "content/samples.yml", samples_documents),
    Target("welcome-pack", "content/welcome/first-days.yml", yaml_documents),
    Target("issue", "content/issues/2026-10.md", front_matter_documents),
    Target("issue-intro", "content/issues/2026-10.md", lambda t: front_matter_documents(t, body_only=True)),
    Target("story-front-matter", "content/stories/tom-testimonial.md", front_matter_documents),
    Target("story-body", "content/stories/tom-testimonial.md", lambda t: front_matter_documents(t, body_only=True)),
]}


class Hang(Exception):
    """An input took longer than HANG_SECONDS."""


@contextmanager
def deadline(seconds: float):
    """Interrupt the run after `seconds` of CPU time (SIGVTALRM: the main thread on Unix only).

    CPU time, like the SLOW_SECONDS measure, so that other work on a busy machine does not count.
    """
    def expire(signum, frame):
        # Raised inside a garbage collector callback it would be ignored: so ring again soon.
        signal.setitimer(signal.ITIMER_VIRTUAL, 1.0)
        raise Hang(f"no answer after {seconds:.0f} s of CPU time")

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def exercise(root: Path) -> list:
    """Read, render and personalise like build and send-test do; returns the diagnostics.

    Raises BuildError for bad input (the expected way to fail), anything else is a bug.
    """
    project, diagnostics = load(root)
    outputs = render(project, Timer())
    samples_diagnostics = Diagnostics()
    samples = load_samples(root, samples_diagnostics)
    samples_diagnostics.raise_if_errors()
    for output in outputs:
        for sample in samples:
            email_channel.personalised(output, project.config, sample.data())
    return diagnostics.items


def bad_diagnostics(error: BuildError) -> list[str]:
    """The errors of a BuildError that do not name a file and a line."""
    return [str(d) for d in error.diagnostics
            if d.severity.value == "error" and (d.location is None or not d.location.file
                                                or d.location.line < 1)]


@dataclass
class Result:
    outcome: str  # "ok", "diagnostics", "no-line", "exception", "slow" or "hang"
    seconds: float
    detail: str = ""


def run_input(root: Path, target: Target, text: str) -> Result:
    """Write one version of a target's file into the project at `root`, exercise it, restore it."""
    path = root / target.file
    original = path.read_bytes()
    path.write_text(text, encoding="utf-8", newline="")
    start = time.process_time()
    try:
        with deadline(HANG_SECONDS):
            exercise(root)
        outcome, detail = "ok", ""
    except BuildError as exc:
        missing = bad_diagnostics(exc)
        outcome, detail = ("no-line", "; ".join(missing)) if missing else ("diagnostics", str(exc))
    except Hang as exc:
        outcome, detail = "hang", str(exc)
    except Exception as exc:  # noqa: BLE001 (finding these is the point)
        outcome, detail = "exception", f"{type(exc).__name__}: {exc}"[:500]
    finally:
        path.write_bytes(original)
    seconds = time.process_time() - start
    if outcome in ("ok", "diagnostics") and seconds > SLOW_SECONDS:
        outcome = "slow"
    return Result(outcome, seconds, detail)

