"""py3langid's language model, restricted to our candidate languages and loaded fast.

The model ships LZMA-compressed (a 100,000-feature table for 142 languages and the
tokenizer's state machine); decompressing and converting it costs about half a second of
CPU and 60 MB in every process that checks a new text. The first load writes the part we
use to the user's cache folder (`$XDG_CACHE_HOME/newsletter/`, else `~/.cache/newsletter/`):
the feature table's columns for our candidates (a small pickle), and the 39 MB state
machine as raw machine words, which later processes map into memory instead of reading:
the pages are shared by every process (the render workers) and only those the tokenizer
visits are ever loaded. The files are named after py3langid's version, its model file and
the candidates, so an upgrade never reads a stale one; a file that cannot be read or
written is ignored, never an error. Scores are the same either way: the table is the same
numbers, sliced as py3langid's own `set_languages` slices it.

NumPy is imported with OpenBLAS's thread pool at one thread: the model's products are a
table of eleven columns times a few hundred features, which a pool would only slow down
(starting one costs ~0.06 s of CPU in every process that loads the model), and a process
that holds the model before forking its render workers must have no other thread running.
"""

from __future__ import annotations

import hashlib
import mmap
import os
import pickle
import sys
import tempfile
import threading
from importlib import metadata
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

_FORMAT = 1


def cache_folder() -> Path:
    """Where newsletter keeps files shared by every project of this user."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsletter"


def _model_path() -> Path:
    from py3langid.langid import MODEL_DIR, MODEL_FILE

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
    return cache_folder() / f"langid-{version}-{key}-{sys.byteorder}.pickle"


def _restricted(candidates: tuple[str, ...]) -> tuple:
    """The model's parts for `candidates` only, read from py3langid's own file."""
    import numpy as np
    from py3langid.langid import _load_model_file

    ptc, pc, classes, nextmove, row, output = _load_model_file(_model_path())
    indices = [i for i, name in enumerate(classes) if name in set(candidates)]
    return (np.ascontiguousarray(np.asarray(ptc)[:, indices]), np.asarray(pc)[indices],
            [classes[i] for i in indices], nextmove, row, output)


def _moves_file(path: Path) -> Path:
    return path.with_suffix(".moves")


def _load(path: Path) -> tuple:
    """The parts kept at `path` (the state machine mapped from its own file); raises if unusable."""
    form, ptc, pc, classes, typecode, size, row, output = pickle.loads(path.read_bytes())
    if form != _FORMAT:
        raise ValueError("another format")
    with open(_moves_file(path), "rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    if len(mapped) != size:
        raise ValueError("a state machine of another size")
    return ptc, pc, classes, memoryview(mapped).cast(typecode), row, output


def _keep(path: Path, parts: tuple) -> None:
    """Write the parts: the state machine first, so a reader never finds the table without it."""
    ptc, pc, classes, nextmove, row, output = parts
    moves = nextmove.tobytes()
    _write(_moves_file(path), moves)
    _write(path, pickle.dumps((_FORMAT, ptc, pc, classes, nextmove.typecode, len(moves), row, output),
                              protocol=pickle.HIGHEST_PROTOCOL))


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


_IMPORT = threading.Lock()


def _import_numpy() -> None:
    """Import NumPy (first use in this process) with OpenBLAS at one thread (see above)."""
    with _IMPORT:
        if "numpy" in sys.modules:
            return
        before = os.environ.get("OPENBLAS_NUM_THREADS")
        os.environ["OPENBLAS_NUM_THREADS"] = "1"  # read once, when OpenBLAS loads
        try:
            import numpy  # noqa: F401
        finally:
            if before is None:
                del os.environ["OPENBLAS_NUM_THREADS"]
            else:
                os.environ["OPENBLAS_NUM_THREADS"] = before


def identifier(candidates: tuple[str, ...]) -> LanguageIdentifier:
    """A py3langid identifier (normalised probabilities) that ranks `candidates` only."""
    # Imported here, as the model is: py3langid and NumPy (20 MB) load only in a process that
    # ranks a new text, not in every build, render worker and preview.
    _import_numpy()
    from py3langid.langid import LanguageIdentifier

    path = _cache_file(candidates)
    try:
        parts = _load(path)
    except Exception:  # absent, truncated or from another version: made again below
        parts = _restricted(candidates)
        _keep(path, parts)
    ptc, pc, classes, nextmove, row, output = parts
    return LanguageIdentifier(ptc, pc, classes, nextmove, output, norm_probs=True, tk_row=row)
