"""py3langid's language model, restricted to our candidate languages and loaded fast.

The model ships LZMA-compressed (a 100,000-feature table for 142 languages and the
tokenizer's state machine); decompressing and converting it costs about half a second of
CPU in every process that checks a new text. The first load writes the part we use (the
feature table's columns for our candidates, the state machine compressed with zlib) to the
user's cache folder (`$XDG_CACHE_HOME/newsletter/`, else `~/.cache/newsletter/`); later
processes read that in about a tenth of the time. The file is named after py3langid's
version, its model file and the candidates, so an upgrade never reads a stale one; a file
that cannot be read or written is ignored, never an error. Scores are the same either way:
the table is the same numbers, sliced as py3langid's own `set_languages` slices it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import zlib
from array import array
from importlib import metadata
from pathlib import Path

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier, _load_model_file

_FORMAT = 1


def cache_folder() -> Path:
    """Where newsletter keeps files shared by every project of this user."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsletter"


def _model_path() -> Path:
    path = Path(MODEL_FILE)
    return path if path.is_absolute() else MODEL_DIR / path


def _cache_file(candidates: tuple[str, ...]) -> Path:
    source = _model_path()
    try:
        info = os.stat(source)
        stamp = f"{info.st_size}:{info.st_mtime_ns}"
    except OSError:
        stamp = "-"
    try:
        version = metadata.version("py3langid")
    except metadata.PackageNotFoundError:
        version = "-"
    key = hashlib.blake2b(repr((_FORMAT, version, str(source), stamp, candidates)).encode(),
                          digest_size=10).hexdigest()
    return cache_folder() / f"langid-{version}-{key}.pickle"


def _restricted(candidates: tuple[str, ...]) -> tuple:
    """The model's parts for `candidates` only, read from py3langid's own file."""
    ptc, pc, classes, nextmove, row, output = _load_model_file(_model_path())
    indices = [i for i, name in enumerate(classes) if name in set(candidates)]
    return (np.ascontiguousarray(np.asarray(ptc)[:, indices]), np.asarray(pc)[indices],
            [classes[i] for i in indices], nextmove, row, output)


def _pack(parts: tuple) -> bytes:
    ptc, pc, classes, nextmove, row, output = parts
    return pickle.dumps((_FORMAT, ptc, pc, classes, nextmove.typecode, zlib.compress(nextmove.tobytes(), 1),
                         row, output), protocol=pickle.HIGHEST_PROTOCOL)


def _unpack(data: bytes) -> tuple:
    form, ptc, pc, classes, typecode, nextmove, row, output = pickle.loads(data)
    if form != _FORMAT:
        raise ValueError("another format")
    moves = array(typecode)
    moves.frombytes(zlib.decompress(nextmove))
    return ptc, pc, classes, moves, row, output


def _write(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp, path)  # another process reads the whole file or none
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        pass  # a read-only home: the next process decompresses the model again


def identifier(candidates: tuple[str, ...]) -> LanguageIdentifier:
    """A py3langid identifier (normalised probabilities) that ranks `candidates` only."""
    path = _cache_file(candidates)
    parts = None
    try:
        parts = _unpack(path.read_bytes())
    except Exception:  # absent, truncated or from another version: made again below
        parts = None
    if parts is None:
        parts = _restricted(candidates)
        _write(path, _pack(parts))
    ptc, pc, classes, nextmove, row, output = parts
    return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
