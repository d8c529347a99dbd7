"""Parse YAML and TOML while remembering where each value came from.

Error messages must name file:line:col for any value, so the YAML reader keeps a map
from a value's path (keys and list indexes) to its position in the file.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Path_ = tuple[Any, ...]


class SourceError(Exception):
    """A syntax error with its 1-based line and column."""

    def __init__(self, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class SourceMap:
    """Positions of values by path; `line_offset` shifts front matter into file lines."""

    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0

    def locate(self, path: Path_) -> tuple[int, int]:
        """Line and column of the value at `path`, or of its nearest known parent."""
        path = tuple(path)
        while True:
            if path in self.positions:
                line, col = self.positions[path]
                return line + self.line_offset, col
            if not path:
                return 0, 0
            path = path[:-1]

    def key(self, path: Path_) -> tuple[int, int]:
        """Line and column of the key that introduces `path` (for unknown-key warnings)."""
        found = self.positions.get(("__key__",) + tuple(path))
        if found:
            return found[0] + self.line_offset, found[1]
        return self.locate(path)


class _Constructor(SafeConstructor):
    pass


def _build(node: Node, path: Path_, smap: SourceMap, constructor: _Constructor) -> Any:
    smap.positions[path] = (node.start_mark.line + 1, node.start_mark.column + 1)
    if isinstance(node, MappingNode):
        constructor.flatten_mapping(node)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = constructor.construct_object(key_node, deep=True)
            if not isinstance(key, (str, int, float, bool)) or key is None:
                raise SourceError("mapping keys must be plain text",
                                  key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            key = str(key)
            if key in result:
                raise SourceError(f"duplicate key '{key}'",
                                  key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            smap.positions[("__key__",) + path + (key,)] = (
                key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            result[key] = _build(value_node, path + (key,), smap, constructor)
        return result
    if isinstance(node, SequenceNode):
        return [_build(item, path + (i,), smap, constructor) for i, item in enumerate(node.value)]
    assert isinstance(node, ScalarNode)
    try:
        return constructor.construct_object(node, deep=True)
    except (ValueError, OverflowError) as exc:
        # A value of the right shape that cannot exist, like the date 2026-02-30.
        raise SourceError(f"invalid value {node.value!r}: {exc}", node.start_mark.line + 1,
                          node.start_mark.column + 1) from None


def load_yaml(text: str, line_offset: int = 0) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain data plus a SourceMap; raises SourceError."""
    smap = SourceMap(line_offset=line_offset)
    try:
        # The C loader (libyaml) keeps marks too and is ~15x faster; on a syntax error the
        # pure-Python loader runs again because its messages say more.
        try:
            node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.MarkedYAMLError:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line = mark.line + 1 + line_offset if mark else 0
        col = mark.column + 1 if mark else 0
        raise SourceError(f"invalid YAML: {problem}", line, col) from None
    if node is None:
        return None, smap
    loader = yaml.SafeLoader("")
    constructor = _Constructor()
    constructor.yaml_constructors = loader.yaml_constructors
    try:
        return _build(node, (), smap, constructor), smap
    except SourceError as exc:
        raise SourceError(exc.message, exc.line + line_offset, exc.column) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        raise SourceError(f"invalid YAML: {exc.problem}",
                          (mark.line + 1 + line_offset) if mark else 0,
                          (mark.column + 1) if mark else 0) from None


_FENCE = re.compile(r"^---[ \t]*$")
_END = re.compile(r"^(---|\.\.\.)[ \t]*$")


def split_front_matter(text: str) -> tuple[str, str, int]:
    """Split a Markdown file into (front matter, body, first body line number)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = text.splitlines(keepends=True)
    if not lines or not _FENCE.match(lines[0].rstrip("\r\n")):
        raise SourceError("missing YAML front matter: the file must start with a '---' line", 1, 1)
    for index in range(1, len(lines)):
        if _END.match(lines[index].rstrip("\r\n")):
            return "".join(lines[1:index]), "".join(lines[index + 1:]), index + 2
    raise SourceError("front matter is not closed: add a '---' line after it", 1, 1)


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")
_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", dotted)
    return tuple(a or b or c for a, b, c in parts)


def load_toml(text: str) -> tuple[dict, SourceMap]:
    """Parse TOML with tomllib and map each key path to its line (tomllib keeps none)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POS.search(message)
        message = _TOML_POS.sub("", message).replace("(at end of document)", "at the end of the file").strip()
        line, col = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        if not match and "end of document" in message:
            line = max(len(text.splitlines()), 1)
        raise SourceError(f"invalid TOML: {message}", line, col) from None
    smap = SourceMap()
    table: tuple[str, ...] = ()
    counters: dict[tuple[str, ...], int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        header = _TABLE.match(line)
        if header and not _KEY.match(line):
            table = _split_key(header.group(1))
            if line.lstrip().startswith("[["):
                counters[table] = counters.get(table, -1) + 1
                table = table + (counters[table],)
            smap.positions.setdefault(table, (number, 1))
            smap.positions.setdefault(("__key__",) + table, (number, 1))
            continue
        key = _KEY.match(line)
        if key:
            path = table + _split_key(key.group(1))
            column = len(line) - len(line.lstrip()) + 1
            smap.positions.setdefault(path, (number, column))
            smap.positions.setdefault(("__key__",) + path, (number, column))
    return data, smap
