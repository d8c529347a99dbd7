"""Spam scores through one private spamd on loopback, spamc in parallel."""

from __future__ import annotations

import shutil
import socket
import subprocess

import pytest

from newsletter.checks import spamscore

pytestmark = pytest.mark.skipif(not (shutil.which("spamd") and shutil.which("spamc")),
                                reason="`make test` installs spamd and spamc")

PLAIN = b"""From: Cafe <news@cafe.example>
To: reader@example.com
Subject: How Ana dials in her espresso
Date: Tue, 03 Nov 2026 09:00:00 +0000
Message-ID: <a@cafe.example>
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8

Ana runs a small cafe. This month she shows how she dials in a new coffee in three shots.
"""
SPAMMY = PLAIN.replace(b"Subject: How Ana dials in her espresso",
                       b"Subject: FREE!!! CLICK NOW!!! 100% GUARANTEED $$$ WINNER").replace(
    b"Ana runs a small cafe.", b"Click here to claim your FREE prize!!! Act now, limited time, "
    b"100% free, no risk, guaranteed winner, earn $$$ from home, viagra casino lottery")


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_daemon_scores_like_spamassassin_and_stops_after():
    with spamscore.Spamd(children=2) as daemon:
        port = daemon.port
        assert _listening(port)
        by_daemon = daemon.score(PLAIN)
    assert not _listening(port)
    alone = spamscore.score_one(PLAIN)
    assert by_daemon.total == alone.total
    assert {name for _, name, _ in by_daemon.rules} == {name for _, name, _ in alone.rules}


def test_score_all_keeps_each_message_apart_and_scores_duplicates_once():
    scores = spamscore.score_all({"a": PLAIN, "b": SPAMMY, "c": PLAIN})
    assert scores["a"] == scores["c"]
    assert scores["b"].total > scores["a"].total
    assert any(name for _, name, _ in scores["b"].rules)


def test_daemon_listens_on_loopback_only():
    with spamscore.Spamd(children=1) as daemon:
        lines = subprocess.run(["ss", "-ltnH"], capture_output=True, text=True).stdout if shutil.which("ss") else ""
        ours = [line for line in lines.splitlines() if f":{daemon.port} " in line]
        assert all("127.0.0.1:" in line for line in ours)


def test_an_unreadable_report_is_an_error_not_a_score():
    with pytest.raises(spamscore.SpamScoreError):
        spamscore.parse_report("spamd: connection refused")
