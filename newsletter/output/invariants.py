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

import binascii
import hashlib
import html
import io
import os
import re
import threading
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
# Each folder, and whether its files' tags are parsed.
_LITERAL_DIRS = {"content/stories": False, "content/issues": True, "content/welcome": True}
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
    #: True when the text's UTF-8 bytes show the rule cannot find anything there: a scan of
    #: bytes for what the rule looks for, much cheaper than its search of the text.
    absent: Callable[[bytes], bool] | None = None


RULES: dict[str, Rule] = {}


def rule(id: str, doc: str, absent: Callable[[bytes], bool] | None = None):
    """Register `fn(path, text, provenance) -> Iterator[Finding]` as a rule."""
    def register(fn: Callable[[str, str, Provenance], Iterator[Finding]]):
        RULES[id] = Rule(id, doc, fn, absent)
        return fn
    return register


_QUOTE_WRAP = re.compile(r"\n[ \t]*(?:>[ \t]?)+")


def normalise(tag: str) -> str:
    """A tag as a reader sees it: entities decoded, line wraps (also of a `> ` quote) undone."""
    unwrapped = _QUOTE_WRAP.sub(" ", html.unescape(tag).replace("\u2060", ""))
    return " ".join(unwrapped.split())


def _no_private_use(data: bytes) -> bool:
    """No U+E000-U+E0FF (UTF-8 lead byte 0xEE) and no `\\u{e0` escape in these bytes."""
    return b"\xee" not in data and b"\\u{e0" not in data


@rule("private-use", "no merge-token character reaches an output", absent=_no_private_use)
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
    for shown, text, _ in _readable(name, data):
        yield shown, text


def _readable(name: str, data: bytes) -> Iterator[tuple[str, str, bytes | None]]:
    """(name to report, text, its UTF-8 bytes when at hand) of each readable text of a file."""
    lower = name.lower()
    if lower.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for entry in sorted(archive.namelist()):
                yield from _readable(f"{name}:{entry}", archive.read(entry))
        return
    if lower.endswith(".eml"):
        yield from _eml(name, data)
        return
    try:
        yield name, data.decode("utf-8"), data
    except UnicodeDecodeError:
        return  # binary (PDF, images): nothing of ours is written there as text


def _eml(name: str, data: bytes) -> Iterator[tuple[str, str, bytes | None]]:
    """The headers, decoded as a mail client shows them (RFC 2047), then each text part.

    The parts are read by `_mime_parts`, which splits the message at its MIME boundaries
    and decodes quoted-printable with binascii (what the email package's own decoding
    calls); a message it does not read that way goes through the email package's full
    parser, which reads anything but took most of the invariant pass's time.
    """
    head, _ = _split_head(data)
    # Only the header block is parsed: the header parser otherwise splits the whole body
    # into lines too. Each field is then read by the modern policy, which decodes encoded
    # words and unfolds lines, as Message.items() would with that policy.
    fields = BytesHeaderParser(policy=policy.compat32).parsebytes(head)
    yield f"{name} (headers)", "".join(_header_line(key, value) for key, value in fields.raw_items()), None
    parts = _mime_parts(data)
    if parts is None:
        parts = _parsed_parts(data)
    for kind, payload, charset in parts:
        try:
            content = payload.decode(charset, errors="replace")
        except LookupError:  # an unknown charset name: read it as the email package would
            content = payload.decode("us-ascii", errors="replace")
        yield f"{name} ({kind} part)", content, payload if charset in ("utf-8", "us-ascii") else None


@lru_cache(maxsize=4096)  # most fields (From, To, List-Id, ...) are the same in every message
def _header_line(key: str, value: str) -> str:
    """One header field as a mail client shows it (email.policy.default)."""
    return f"{key}: {policy.default.header_fetch_parse(key, value)}\n"


#: The blank line that ends a header block.
_HEAD_END = re.compile(rb"\r?\n\r?\n")
#: A header block the fast reading takes: fields (name, colon) and their folded lines only.
_HEAD_LINES = re.compile(rb"(?:[!-9;-~]+:[^\r\n]*|[ \t][^\r\n]*)(?:\r?\n(?:[!-9;-~]+:[^\r\n]*|[ \t][^\r\n]*))*"
                         rb"\r?\n\r?\n")
#: Transfer encodings whose payload is the bytes as written (binascii.a2b_qp for quoted-printable).
_AS_WRITTEN = ("", "7bit", "8bit", "binary")


def _split_head(data: bytes) -> tuple[bytes, bytes]:
    """(header block with its blank line, body) of a message or a MIME part."""
    end = _HEAD_END.search(data)
    return (data, b"") if end is None else (data[:end.end()], data[end.end():])


#: What ends a MIME delimiter line after its boundary: "--" when it closes, then spaces.
_DELIMITER_END = re.compile(rb"(--)?[ \t]*(?:\r?\n|\Z)")


def _delimiters(body: bytes, marker: bytes) -> Iterator[tuple[int, re.Match]]:
    """(start, end match) of each delimiter in `body`, left to right and not overlapping, as
    a search for the marker followed by _DELIMITER_END would find them."""
    at = body.find(marker)
    while at != -1:
        end = _DELIMITER_END.match(body, at + len(marker))
        if end is None:
            at = body.find(marker, at + 1)
            continue
        yield at, end
        at = body.find(marker, max(end.end(), at + 1))


def _mime_parts(data: bytes, depth: int = 0) -> list[tuple[str, bytes, str]] | None:
    """(content type, decoded payload, charset) of each text part, read at the MIME boundaries.

    None when the message is not one this reading is sure of (a header block that is not
    plain fields, a transfer encoding other than 7bit, 8bit, binary or quoted-printable, a
    missing boundary, nesting deeper than a few levels): the caller parses it in full.
    """
    if depth > 4 or not _HEAD_LINES.match(data):
        return None
    head, body = _split_head(data)
    fields = BytesHeaderParser(policy=policy.compat32).parsebytes(head)
    kind = fields.get_content_type()
    if fields.get_content_maintype() == "multipart":
        boundary = fields.get_boundary()
        if not boundary or kind == "multipart/digest":  # a digest's parts default to message/rfc822
            return None
        # A delimiter is "--" and the boundary (found by bytes.find: no pattern compiled per
        # message), the rest of its line as _DELIMITER_END reads it; it also starts a line,
        # and the line break before it belongs to it (RFC 2046).
        found, start = [], None
        for at, match in _delimiters(body, b"--" + boundary.encode("ascii", "surrogateescape")):
            if at and body[at - 1:at] != b"\n":
                continue
            if start is not None:
                end = at - 2 if body[at - 2:at] == b"\r\n" else max(at - 1, start)
                inner = _mime_parts(body[start:end], depth + 1)
                if inner is None:
                    return None
                found += inner
            if match.group(1):  # the close delimiter: what follows is the epilogue
                return found
            start = match.end()
        return None  # no close delimiter: left to the full parser
    if fields.get_content_maintype() != "text":
        return [] if kind != "message/rfc822" else None
    encoding = str(fields.get("content-transfer-encoding", "")).lower()  # as Message.get_payload reads it
    if encoding == "quoted-printable":
        payload = binascii.a2b_qp(body)
    elif encoding in _AS_WRITTEN:
        payload = body
    else:
        return None
    return [(kind, payload, fields.get_content_charset() or "us-ascii")]


def _parsed_parts(data: bytes) -> list[tuple[str, bytes, str]]:
    """(content type, decoded payload, charset) of each text part, by the email package's parser.

    The parts through the legacy policy, whose string-based headers are fast to ask for the
    type and charset (the modern policy parses a header again on every access).
    """
    return [(part.get_content_type(), part.get_payload(decode=True) or b"", part.get_content_charset() or "us-ascii")
            for part in BytesParser(policy=policy.compat32).parsebytes(data).walk()
            if part.get_content_maintype() == "text"]


def violations(files: Mapping[str, bytes], provenance: Provenance,
               prefix: str = "") -> list[Diagnostic]:
    """One diagnostic per rule and file that breaks it (the first finding of each)."""
    found = []
    for name in sorted(files):
        for shown, text, data in _readable(name, files[name]):
            for item in RULES.values():
                if data is not None and item.absent is not None and item.absent(data):
                    continue
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


def literal_files(root: Path) -> list[tuple[str, bool]]:
    """The content files literal_text reads: (project-relative POSIX path, parsed), where
    `parsed` says the file's tags are resolved unless escaped (issues, welcome packs)."""
    out: list[tuple[str, bool]] = []
    for folder, parsed in _LITERAL_DIRS.items():
        _text_files(os.path.join(root, folder), folder, parsed, out)
    return sorted(out)


def literal_kind(name: str) -> bool | None:
    """Whether literal_text reads the file at project-relative POSIX path `name` (one of
    literal_files when it is a file): None if not, else whether its tags are parsed."""
    if not _is_text(name):
        return None
    return next((parsed for folder, parsed in _LITERAL_DIRS.items() if name.startswith(folder + "/")), None)


def _is_text(name: str) -> bool:
    """Whether a file of this name is one literal_text reads in its folders (by suffix)."""
    return os.path.splitext(name)[1].lower() in _TEXT_SUFFIXES


def _text_files(path: str, name: str, parsed: bool, out: list[tuple[str, bool]]) -> None:
    """Like Path.rglob("*"): files anywhere under `path` (symlinks to files too), not through
    symlinked folders; by scandir, whose entries know their type without a stat."""
    try:
        entries = list(os.scandir(path))
    except OSError:  # absent, or not a folder
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            _text_files(entry.path, f"{name}/{entry.name}", parsed, out)
        elif _is_text(entry.name) and entry.is_file():
            out.append((f"{name}/{entry.name}", parsed))


#: What files of these bytes write literally, by (hash of the bytes, parsed), oldest dropped
#: first: the preview asks again after every save, and most files did not change. By hash, so
#: a build does not hold a second copy of every content file (17 MB on 5000 stories).
_LITERAL_SEEN: dict[tuple[bytes, bool], frozenset[str]] = {}
_LITERAL_KEPT = 8192
_LITERAL_LOCK = threading.Lock()


def literal_in_file(data: bytes, parsed: bool) -> frozenset[str]:
    """What one content file (see literal_files), given its bytes, writes literally: a
    function of those bytes, so a caller may keep it under their hash."""
    key = (hashlib.blake2b(data, digest_size=16).digest(), parsed)
    with _LITERAL_LOCK:
        found = _LITERAL_SEEN.get(key)
    if found is None:
        # Decoded as a text-mode read would (universal newlines): a tag may span lines.
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        found = _literal_in(text, parsed)
        with _LITERAL_LOCK:
            _LITERAL_SEEN[key] = found
            while len(_LITERAL_SEEN) > _LITERAL_KEPT:
                _LITERAL_SEEN.pop(next(iter(_LITERAL_SEEN)))
    return found


def literal_text(root: Path) -> frozenset[str]:
    """Tags (normalised) and token-like text that the project's content writes literally."""
    found: set[str] = set()
    for name, parsed in literal_files(root):
        with open(os.path.join(root, name), "rb") as handle:
            found |= literal_in_file(handle.read(), parsed)
    return frozenset(found)


def _literal_in(source: str, parsed: bool) -> frozenset[str]:
    """What one content file writes literally (see literal_text)."""
    found = set()
    for match in OUR_TAG.finditer(source):
        if not parsed or source[match.start() - 1:match.start()] == "\\":
            found.add(normalise(match.group(0)))
    if not parsed:  # raw private-use characters are stripped on reading; the escape is text
        found.update(m.group(0) for m in PRIVATE_USE.finditer(source) if len(m.group(0)) > 1)
    return frozenset(found)
