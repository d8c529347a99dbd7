"""Parse YAML and TOML while remembering where each value came from.

Error messages must name file:line:col for any value, so the YAML reader keeps a map
from a value's path (keys and list indexes) to its position in the file. Whatever the text,
the readers end in a SourceError: nesting depth and alias expansion are bounded (a "billion
laughs" is an error, not a hang), and tags and escapes are checked like the rest.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import yaml
from yaml.composer import Composer, ComposerError
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import Resolver
from yaml.scanner import Scanner

from .textcheck import find_bad_characters

Path_ = tuple[Any, ...]


class SourceError(Exception):
    """A syntax error with its 1-based line and column."""

    def __init__(self, message: str, line: int = 0, column: int = 0):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


#: Paths and positions shared by every source map: thousands of stories have the same keys
#: at the same few lines and columns, and a map is kept for each story of a build. Capped so
#: that odd input cannot grow them without end.
_SHARED: dict[tuple, tuple] = {}
_SHARED_MAX = 200_000


def _shared(value: tuple) -> tuple:
    """One tuple object for equal paths and positions across maps (saves ~60% of a map)."""
    found = _SHARED.get(value)
    if found is not None:
        return found
    if len(_SHARED) < _SHARED_MAX:
        _SHARED[value] = value
    return value


@dataclass
class SourceMap:
    """Positions of values by path; `line_offset` shifts front matter into file lines."""

    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    line_offset: int = 0

    def put(self, path: Path_, line: int, column: int) -> None:
        """Remember where the value at `path` starts."""
        self.positions[_shared(path)] = _shared((line, column))

    def locate(self, path: Path_) -> tuple[int, int]:
        """Line and column of the value at `path`, or of its nearest known parent.

        With no known parent (an empty document, a missing TOML table) it is the first line.
        """
        path = tuple(path)
        while True:
            if path in self.positions:
                line, col = self.positions[path]
                return line + self.line_offset, col
            if not path:
                return 1 + self.line_offset, 0
            path = path[:-1]

    def key(self, path: Path_) -> tuple[int, int]:
        """Line and column of the key that introduces `path` (for unknown-key warnings)."""
        found = self.positions.get(("__key__",) + tuple(path))
        if found:
            return found[0] + self.line_offset, found[1]
        return self.locate(path)


class _Constructor(SafeConstructor):
    pass


#: Content is a few levels deep; more is a mistake or an attack on the parser.
MAX_DEPTH = 50
#: Values an alias may add by repeating what its anchor holds (a "billion laughs" stops here).
MAX_ALIAS_EXPANSION = 10_000

_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MERGE_TAG = "tag:yaml.org,2002:merge"
_STR_TAG = "tag:yaml.org,2002:str"
#: Keys the library's flattening rewrites: merge keys ('<<') and value keys ('='); a mapping
#: without them is left as composed.
_FLATTENED = (_MERGE_TAG, "tag:yaml.org,2002:value")
_SCALAR_TYPES = (str, int, float, bool, type(None), date, datetime)


def _shown(text: str) -> str:
    """A value quoted for a message, cut short: the whole of a huge value helps nobody."""
    return repr(text) if len(text) <= 40 else repr(text[:37] + "...")


def _tag(node: Node) -> str:
    return node.tag.replace("tag:yaml.org,2002:", "!!")


def _error(message: str, node: Node) -> SourceError:
    return SourceError(message, node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns composed nodes into plain data, within bounds on depth and on alias expansion.

    The composer shares an anchored node among its aliases, so a node met twice is an alias
    being expanded: that work is counted, and a node met inside itself is a recursive alias.
    """

    def __init__(self, smap: SourceMap):
        self.smap = smap
        self.constructor = _Constructor()
        self.constructor.yaml_constructors = yaml.SafeLoader.yaml_constructors
        self.seen: set[int] = set()
        self.active: set[int] = set()
        self.expanded = 0

    def build(self, node: Node, path: Path_) -> Any:
        if len(path) >= MAX_DEPTH:
            raise _error(f"values nested more than {MAX_DEPTH} levels deep: flatten this part", node)
        if id(node) in self.active:
            raise _error("an alias ('*') refers to the value that contains it, so it never ends: "
                         "remove that alias", node)
        if id(node) in self.seen:
            self.expanded += 1
            if self.expanded > MAX_ALIAS_EXPANSION:
                raise _error(f"aliases ('*') repeat this value more than {MAX_ALIAS_EXPANSION} times: "
                             "write the values out, or use fewer aliases", node)
        self.seen.add(id(node))
        self.smap.put(path, node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, ScalarNode):
            return self._scalar(node)
        self.active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            if node.tag != _SEQ_TAG:
                raise _error(f"the tag '{_tag(node)}' is not supported here: remove it", node)
            return [self.build(item, path + (i,)) for i, item in enumerate(node.value)]
        finally:
            self.active.discard(id(node))

    def _mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        if node.tag != _MAP_TAG:
            raise _error(f"the tag '{_tag(node)}' is not supported here: remove it", node)
        if any(key.tag in _FLATTENED for key, _ in node.value):
            self._flatten(node, set())
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise _error("mapping keys must be plain text", key_node)
            key = self._scalar(key_node)
            if not isinstance(key, (str, int, float, bool)):
                raise _error("mapping keys must be plain text", key_node)
            key = str(key)
            if key in result:
                raise _error(f"duplicate key '{key}'", key_node)
            self.smap.put(("__key__",) + path + (key,), key_node.start_mark.line + 1,
                          key_node.start_mark.column + 1)
            result[key] = self.build(value_node, path + (key,))
        return result

    def _flatten(self, node: MappingNode, merging: set[int]) -> None:
        """Apply merge keys ('<<'), refusing a mapping merged into itself (endless otherwise)."""
        if id(node) in merging:
            raise _error("a merge key ('<<') brings in the mapping that contains it: remove it", node)
        if len(merging) >= MAX_DEPTH:
            raise _error(f"merge keys ('<<') chained more than {MAX_DEPTH} levels deep", node)
        merging.add(id(node))
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                for sub in ([value_node] if isinstance(value_node, MappingNode) else
                            value_node.value if isinstance(value_node, SequenceNode) else []):
                    if isinstance(sub, MappingNode):
                        self._flatten(sub, merging)
        merging.discard(id(node))
        # Merged mappings are flat now, so the library's own (recursive) flattening is one level.
        self.constructor.flatten_mapping(node)

    def _scalar(self, node: ScalarNode) -> Any:
        if node.tag == _STR_TAG and node.style != '"':
            # Most values: text as written (what the constructor would return, without its
            # bookkeeping; a third of reading a story's front matter).
            return node.value
        try:
            value = self.constructor.construct_object(node, deep=True)
        except (ValueError, OverflowError) as exc:
            # A value of the right shape that cannot exist, like the date 2026-02-30.
            raise _error(f"invalid value {_shown(node.value)}: {exc}", node) from None
        except (IndexError, KeyError, AttributeError, TypeError):
            # A tag the text does not fit, like `!!int` with no number or `!!bool maybe`.
            raise _error(f"{_shown(node.value)} is not a valid {_tag(node)} value: fix the value or "
                         "remove the tag",
                         node) from None
        if not isinstance(value, _SCALAR_TYPES):
            raise _error(f"the tag '{_tag(node)}' is not supported here: write plain text", node)
        if isinstance(value, str) and node.style == '"':
            # An escape in double quotes ("\v", "\uFFFF") makes what the file's text check cannot
            # see; every other style holds the file's own characters, which that check has seen.
            for bad in find_bad_characters(value, 1):
                raise _error(bad.message(), node)
        return value


class _BoundedComposer(Composer):
    """The pure-Python composer, stopped at MAX_DEPTH instead of Python's recursion limit."""

    depth = 0

    def compose_node(self, parent, index):
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise ComposerError(None, None, f"values nested more than {MAX_DEPTH} levels deep",
                                    self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class _PyLoader(Reader, Scanner, Parser, _BoundedComposer, SafeConstructor, Resolver):
    """SafeLoader with a bounded composer: used for its clearer syntax error messages."""

    def __init__(self, stream):
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        _BoundedComposer.__init__(self)
        SafeConstructor.__init__(self)
        Resolver.__init__(self)


def _reader_error(exc: yaml.reader.ReaderError, text: str, line_offset: int) -> SourceError:
    """A ReaderError names a character index only: turn it into line and column."""
    position = min(max(exc.position, 0), len(text))
    line_start = text.rfind("\n", 0, position) + 1
    return SourceError(f"invalid YAML: {exc.reason}", text.count("\n", 0, position) + 1 + line_offset,
                       position - line_start + 1)


def _marked(exc: yaml.MarkedYAMLError, line_offset: int) -> SourceError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    return SourceError(f"invalid YAML: {problem}", mark.line + 1 + line_offset if mark else 0,
                       mark.column + 1 if mark else 0)


def load_yaml(text: str, line_offset: int = 0) -> tuple[Any, SourceMap]:
    """Parse one YAML document into plain data plus a SourceMap; raises SourceError.

    The text's own characters are the caller's to check (reader_common.read_text does): here
    only what an escape in double quotes makes is refused."""
    smap = SourceMap(line_offset=line_offset)
    try:
        # The C loader (libyaml) keeps marks too and is ~15x faster, and stops at 1000 levels;
        # on a syntax error the pure-Python loader runs again because its messages say more.
        try:
            node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", _PyLoader))
        except yaml.MarkedYAMLError as first:
            try:
                node = yaml.compose(text, Loader=_PyLoader)
            except yaml.MarkedYAMLError:
                raise
            except yaml.YAMLError:
                raise first from None
    except yaml.MarkedYAMLError as exc:
        raise _marked(exc, line_offset) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, line_offset) from None
    except yaml.YAMLError as exc:
        raise SourceError(f"invalid YAML: {exc}", 1 + line_offset, 1) from None
    if node is None:
        return None, smap
    try:
        return _Builder(smap).build(node, ()), smap
    except SourceError as exc:
        raise SourceError(exc.message, exc.line + line_offset, exc.column) from None
    except yaml.MarkedYAMLError as exc:
        raise _marked(exc, line_offset) from None


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


def _deepest_line(text: str) -> int:
    """The line where brackets and braces are nested deepest (strings are not told apart)."""
    depth = best = 0
    line = best_line = 1
    for char in text:
        if char in "[{":
            depth += 1
            if depth > best:
                best, best_line = depth, line
        elif char in "]}":
            depth -= 1
        elif char == "\n":
            line += 1
    return best_line


def load_toml(text: str) -> tuple[dict, SourceMap]:
    """Parse TOML with tomllib and map each key path to its line (tomllib keeps none)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        match = _TOML_POS.search(message)
        line, col = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
        if not match and "end of document" in message:
            # tomllib names no position there: the last line is where the file stopped short.
            line = max(text.count("\n") + (0 if text.endswith("\n") else 1), 1)
        message = _TOML_POS.sub("", message).replace("(at end of document)", "at the end of the file").strip()
        raise SourceError(f"invalid TOML: {message}", line, col) from None
    except RecursionError:
        # tomllib reads nested arrays and inline tables recursively, with no limit of its own.
        raise SourceError("invalid TOML: arrays or inline tables nested too deeply: flatten them",
                          _deepest_line(text), 1) from None
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
    _check_strings(data, (), smap)
    return data, smap


def _check_strings(value: Any, path: Path_, smap: SourceMap) -> None:
    """Refuse a forbidden character written as an escape ("\u000B"), at its key's line."""
    if isinstance(value, dict):
        for key, item in value.items():
            _check_strings(key, path + (key,), smap)
            _check_strings(item, path + (key,), smap)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_strings(item, path + (index,), smap)
    elif isinstance(value, str):
        for bad in find_bad_characters(value, 1):
            line, column = smap.locate(path)
            raise SourceError(bad.message(), line, column)
