"""Output invariants: the last pass over every file that build, export and send-test make.

A registry of small named rules, each looking at the text of one output file. A rule
that finds something means a bug in this program, not in the user's project, so the
pass raises InvariantError (one line per finding, with the file and the byte offset)
before anything is written or sent.

Rules:
* `private-use`: a character of the merge-token syntax (U+E000-U+E0FF, newsletter.merge),
  raw or in the `\\u{e000}` form MRML writes into attributes.
* `our-syntax`: a tag of our personalisation syntax (`{{ first_name | there }}`,
  `{% if ... %}`) that no content file writes literally: it should have been resolved.
* `provider-syntax` (exports): more of the provider's own syntax than the dialect
  generated (counted on the same message with every piece of literal text removed), so
  some came from story text and would be run by the provider.

Files are read as text: zips entry by entry, .eml part by part (decoded); binary files
(PDF, images) are skipped.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from email import policy
from email.parser import BytesHeaderParser, BytesParser
from pathlib import Path

from ..core.diagnostics import BuildError, Diagnostic, Location, Severity

#: The merge syntax's private-use range, raw or as MRML's escape_debug writes it.
PRIVATE_USE = re.compile("[\ue000-\ue0ff]|\\\\u\\{e0[0-9a-f]{2}\\}")
#: Our own tags as a marketer writes them (newsletter.merge).
OUR_TAG = re.compile(
    r"\{\{\s*[a-z][a-z0-9_]*\s*(?:\|[^{}]*?)?\}\}"
    r"|\{%-?\s*(?:if|elif|else|endif|for|endfor|raw|endraw|set|include|extends|block|endblock"
    r"|macro|endmacro|trans|endtrans)\b[^%]*?-?%\}")
# Where a tag written in content stays literal: stories are never parsed; issues and
# welcome packs are, except for tags escaped with a backslash.
_STORY_DIRS = ("content/stories",)
_PARSED_DIRS = ("content/issues", "content/welcome")
_TEXT_SUFFIXES = {".md", ".markdown", ".yml", ".yaml"}


class InvariantError(BuildError):
    """An output that must never exist: a bug here, reported as such, nothing written."""


@dataclass(frozen=True)
class Finding:
    """What a rule found: the character index in the text and the offending text."""

    index: int
    found: str
    why: str


@dataclass
class Provenance:
    """What the rules know about where text came from."""

    literal: frozenset[str] = frozenset()      # normalised tags that content writes literally
    our_syntax: bool = True                    # False where the provider's syntax looks the same
    provider: tuple[str, ...] = ()             # the provider's syntax (regexes), exports only
    escaped: tuple[str, ...] = ()              # regions the provider keeps literal (regexes)
    expected: Mapping[str, Counter] = field(default_factory=dict)  # per file: what we generated


@dataclass(frozen=True)
class Rule:
    id: str
    doc: str
    find: Callable[[str, str, Provenance], Iterator[Finding]]


RULES: dict[str, Rule] = {}


def rule(id: str, doc: str):
    """Register `fn(path, text, provenance) -> Iterator[Finding]` as a rule."""
    def register(fn: Callable[[str, str, Provenance], Iterator[Finding]]):
        RULES[id] = Rule(id, doc, fn)
        return fn
    return register


_QUOTE_WRAP = re.compile(r"\n[ \t]*(?:>[ \t]?)+")


def normalise(tag: str) -> str:
    """A tag as a reader sees it: entities decoded, line wraps (also of a `> ` quote) undone."""
    unwrapped = _QUOTE_WRAP.sub(" ", html.unescape(tag).replace("\u2060", ""))
    return " ".join(unwrapped.split())


@rule("private-use", "no merge-token character reaches an output")
def _private_use(path: str, text: str, provenance: Provenance) -> Iterator[Finding]:
    for match in PRIVATE_USE.finditer(text):
        if match.group(0) not in provenance.literal:
            code = f"U+{ord(match.group(0)):04X}" if len(match.group(0)) == 1 else match.group(0)
            yield Finding(match.start(), code, "a merge-token character was never resolved")


@rule("our-syntax", "no unresolved {{ field | fallback }} or {% if %} tag reaches an output")
def _our_syntax(path: str, text: str, provenance: Provenance) -> Iterator[Finding]:
    if not provenance.our_syntax:
        return
    for match in OUR_TAG.finditer(text):
        if normalise(match.group(0)) not in provenance.literal:
            yield Finding(match.start(), match.group(0),
                          "a personalisation tag was never resolved (no content file writes it literally)")


@rule("provider-syntax", "an export holds no provider syntax other than what its dialect generated")
def _provider_syntax(path: str, text: str, provenance: Provenance) -> Iterator[Finding]:
    expected = provenance.expected.get(path)
    if expected is None or not provenance.provider:
        return
    budget = Counter(expected)
    for match in provider_matches(text, provenance.provider, provenance.escaped):
        budget[match.group(0)] -= 1
        if budget[match.group(0)] < 0:
            yield Finding(match.start(), match.group(0),
                          "provider syntax the export did not generate (it came from literal text)")
            return


def provider_matches(text: str, patterns: tuple[str, ...],
                     escaped: tuple[str, ...] = ()) -> list[re.Match]:
    """Every piece of provider syntax in `text`, scanned left to right like the provider,
    skipping the regions it reads as literal (e.g. Handlebars' `\\{{`)."""
    if not patterns:
        return []
    skip = f"(?P<escaped>{'|'.join(escaped)})|" if escaped else ""
    scanner = re.compile(skip + "|".join(f"(?:{p})" for p in patterns))
    return [m for m in scanner.finditer(text) if not (escaped and m.group("escaped") is not None)]


def provider_counts(files: Mapping[str, bytes], patterns: tuple[str, ...],
                    escaped: tuple[str, ...] = ()) -> dict[str, Counter]:
    """Per readable file (see `texts`), how often each piece of provider syntax occurs."""
    return {shown: Counter(m.group(0) for m in provider_matches(text, patterns, escaped))
            for name, data in files.items() for shown, text in texts(name, data)}


def texts(name: str, data: bytes) -> Iterator[tuple[str, str]]:
    """The readable texts of one output file, each with the name to report it by."""
    lower = name.lower()
    if lower.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in sorted(archive.namelist()):
                yield from texts(f"{name}:{entry}", archive.read(entry))
        return
    if lower.endswith(".eml"):
        # Headers decoded as a mail client shows them (RFC 2047); the parts through the
        # legacy policy, whose string-based headers are fast to ask for the type and charset
        # (the modern policy parses a header again on every access).
        message = BytesHeaderParser(policy=policy.default).parsebytes(data)
        headers = "".join(f"{key}: {value}\n" for key, value in message.items())
        yield f"{name} (headers)", headers
        for part in BytesParser(policy=policy.compat32).parsebytes(data).walk():
            if part.get_content_maintype() == "text":
                payload = part.get_payload(decode=True) or b""
                charset = part.get_content_charset() or "us-ascii"
                try:
                    content = payload.decode(charset, errors="replace")
                except LookupError:  # an unknown charset name: read it as the email package would
                    content = payload.decode("us-ascii", errors="replace")
                yield f"{name} ({part.get_content_type()} part)", content
        return
    try:
        yield name, data.decode("utf-8")
    except UnicodeDecodeError:
        return  # binary (PDF, images): nothing of ours is written there as text


def violations(files: Mapping[str, bytes], provenance: Provenance,
               prefix: str = "") -> list[Diagnostic]:
    """One diagnostic per rule and file that breaks it (the first finding of each)."""
    found = []
    for name in sorted(files):
        for shown, text in texts(name, files[name]):
            for item in RULES.values():
                first = next(iter(item.find(shown, text, provenance)), None)
                if first is None:
                    continue
                offset = len(text[:first.index].encode("utf-8"))
                found.append(Diagnostic(
                    Severity.ERROR, f"internal bug, nothing was written: byte {offset}: "
                    f"{first.why}: {first.found!r} [{item.id}]; please report it",
                    Location(prefix + shown), "internal-bug"))
    return found


def enforce(files: Mapping[str, bytes], provenance: Provenance, prefix: str = "") -> None:
    """Raise InvariantError if any output file breaks a rule."""
    found = violations(files, provenance, prefix)
    if found:
        raise InvariantError(found)


def literal_text(root: Path) -> frozenset[str]:
    """Tags (normalised) and token-like text that the project's content writes literally."""
    found: set[str] = set()
    for folder, parsed in [(d, False) for d in _STORY_DIRS] + [(d, True) for d in _PARSED_DIRS]:
        base = root / folder
        if not base.is_dir():
            continue
        for path in sorted(base.rglob("*")):
            if path.suffix.lower() not in _TEXT_SUFFIXES or not path.is_file():
                continue
            found |= _literal_in(path.read_text(encoding="utf-8", errors="replace"), parsed)
    return frozenset(found)


@lru_cache(maxsize=8192)  # the preview asks again after every save; most files did not change
def _literal_in(source: str, parsed: bool) -> frozenset[str]:
    """What one content file writes literally (see literal_text)."""
    found = set()
    for match in OUR_TAG.finditer(source):
        if not parsed or source[match.start() - 1:match.start()] == "\\":
            found.add(normalise(match.group(0)))
    if not parsed:  # raw private-use characters are stripped on reading; the escape is text
        found.update(m.group(0) for m in PRIVATE_USE.finditer(source) if len(m.group(0)) > 1)
    return frozenset(found)
