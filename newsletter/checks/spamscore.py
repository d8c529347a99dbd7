"""SpamAssassin scores for many messages at once: one `spamd` on loopback, `spamc` in parallel.

`spamd` is started by the command that needs it, listens on 127.0.0.1 only, runs no network
tests (`-L`) and is stopped when scoring is done. Where Debian's `spamd`/`spamc` are missing
but `spamassassin` is there, each message is scored with `spamassassin -L -t` instead (slow:
the rules are compiled again for every message).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

_TOTAL = re.compile(r"Content analysis details:\s+\(([-\d.]+) points?, ([-\d.]+) required\)")
_RULE = re.compile(r"^\s*(-?[\d.]+)\s+([A-Z0-9_]+)\s+(.*)$", re.M)
STARTUP_TIMEOUT = 60.0
MESSAGE_TIMEOUT = 120


@dataclass(frozen=True)
class Score:
    """A message's SpamAssassin score and the rules that hit: (points, rule, description)."""

    total: float
    rules: list[tuple[float, str, str]]


class SpamScoreError(RuntimeError):
    """SpamAssassin could not score a message (the message says why)."""


def available() -> bool:
    """Whether messages can be scored here at all."""
    return bool(shutil.which("spamassassin") or (shutil.which("spamd") and shutil.which("spamc")))


def parse_report(report: str) -> Score:
    """The score and rules from a SpamAssassin report (`spamassassin -t` or `spamc -R`)."""
    total = _TOTAL.search(report)
    if not total:
        raise SpamScoreError(f"SpamAssassin gave no score: {report.strip()[:200]}")
    details = report[total.end():].lstrip("\n").split("\n\n")[0]
    rules = [(float(p), name, desc.strip()) for p, name, desc in _RULE.findall(details)]
    return Score(float(total.group(1)), rules)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Spamd:
    """A private spamd on 127.0.0.1 for the duration of a `with` block."""

    def __init__(self, children: int | None = None):
        self.children = children or max(2, os.cpu_count() or 2)
        self.port = 0
        self._home: tempfile.TemporaryDirectory | None = None
        self._process: subprocess.Popen | None = None

    def __enter__(self) -> "Spamd":
        self._home = tempfile.TemporaryDirectory(prefix="newsletter-spamd-")
        home = Path(self._home.name)
        os.chmod(home, 0o777)  # spamd drops to `nobody` when started as root
        self.port = _free_port()
        command = [shutil.which("spamd") or "spamd", "--local", "--listen", f"127.0.0.1:{self.port}",
                   "--allowed-ips", "127.0.0.1", "--nouser-config", f"--helper-home-dir={home}",
                   f"--max-children={self.children}", f"--min-children={self.children}",
                   "--syslog=stderr", f"--pidfile={home / 'spamd.pid'}"]
        if os.geteuid() == 0:
            command += ["--username", "nobody"]
        self._log = open(home / "spamd.log", "wb")
        self._process = subprocess.Popen(command, stdout=self._log, stderr=self._log,
                                         stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self.__exit__(None, None, None)
                raise SpamScoreError(f"spamd stopped at start: {self._log_tail()}")
            ping = subprocess.run(["spamc", "-d", "127.0.0.1", "-p", str(self.port), "-K"],
                                  capture_output=True, check=False)
            if ping.returncode == 0:
                return self
            time.sleep(0.1)
        self.__exit__(None, None, None)
        raise SpamScoreError(f"spamd did not answer within {STARTUP_TIMEOUT:.0f} s")

    def _log_tail(self) -> str:
        try:
            return (Path(self._home.name) / "spamd.log").read_text("utf-8", "replace").strip()[-300:]
        except OSError:
            return ""

    def score(self, eml: bytes) -> Score:
        done = subprocess.run(["spamc", "-d", "127.0.0.1", "-p", str(self.port), "-R", "-x"],
                              input=eml, capture_output=True, timeout=MESSAGE_TIMEOUT, check=False)
        return parse_report(done.stdout.decode("utf-8", "replace"))

    def __exit__(self, *exc) -> None:
        if self._process is not None and self._process.poll() is None:
            os.killpg(self._process.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        self._process = None
        if getattr(self, "_log", None):
            self._log.close()
        if self._home is not None:
            self._home.cleanup()
            self._home = None


def score_one(eml: bytes) -> Score:
    """Score one message with `spamassassin -L -t` (no daemon)."""
    done = subprocess.run([shutil.which("spamassassin") or "spamassassin", "-L", "-t"], input=eml,
                          capture_output=True, timeout=MESSAGE_TIMEOUT, check=False)
    report = done.stdout.decode("utf-8", "replace")
    if not _TOTAL.search(report):
        raise SpamScoreError(f"spamassassin gave no score: {done.stderr.decode('utf-8', 'replace')[:200]}")
    return parse_report(report)


def score_all(messages: dict[str, bytes]) -> dict[str, Score | SpamScoreError]:
    """Score every message (key -> .eml bytes); a message that cannot be scored maps to its error.

    Identical messages are scored once.
    """
    unique: dict[bytes, list[str]] = {}
    for key, eml in messages.items():
        unique.setdefault(eml, []).append(key)
    results: dict[str, Score | SpamScoreError] = {}
    if not unique:
        return results

    def run(scorer, eml: bytes) -> Score | SpamScoreError:
        try:
            return scorer(eml)
        except (SpamScoreError, subprocess.SubprocessError, OSError) as exc:
            return SpamScoreError(str(exc))

    workers = max(2, os.cpu_count() or 2)
    if shutil.which("spamd") and shutil.which("spamc"):
        with Spamd(children=workers) as daemon, ThreadPoolExecutor(workers * 2) as pool:
            scored = list(pool.map(lambda eml: run(daemon.score, eml), unique))
    else:
        with ThreadPoolExecutor(workers) as pool:
            scored = list(pool.map(lambda eml: run(score_one, eml), unique))
    for (eml, keys), score in zip(unique.items(), scored):
        for key in keys:
            results[key] = score
    return results
