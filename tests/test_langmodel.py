"""checks.text.langmodel: the language model from the user's cache ranks exactly as py3langid's."""

from __future__ import annotations

import os

import pytest
from py3langid.langid import MODEL_FILE, LanguageIdentifier

from newsletter.checks.text import langmodel
from newsletter.checks.text.language import CANDIDATES

TEXTS = ["Lena roasts her own beans every Saturday and tells us how.",
         "A Lena torra os próprios grãos todo sábado e conta como faz.",
         "Лена каждую субботу сама обжаривает зёрна и рассказывает, как.",
         "Lena tuesta sus propios granos cada sábado y nos cuenta cómo.",
         "Lena röstet jeden Samstag ihre eigenen Bohnen.",
         "تحمص لينا حبوبها بنفسها كل يوم سبت", "陈静每周六自己烘焙咖啡豆", "ok"]


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "newsletter"


def reference() -> LanguageIdentifier:
    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def test_written_once_then_read_with_the_same_ranks(cache_home):
    made = langmodel.identifier(CANDIDATES)
    files = list(cache_home.glob("langid-*.pickle"))
    assert len(files) == 1 and files[0].with_suffix(".moves").stat().st_size > 1_000_000
    stamp = files[0].stat().st_mtime_ns
    read = langmodel.identifier(CANDIDATES)
    assert files[0].stat().st_mtime_ns == stamp  # read, not written again
    expected = reference()
    for text in TEXTS:
        assert made.rank(text) == read.rank(text) == expected.rank(text), text


def test_a_damaged_file_is_made_again(cache_home):
    langmodel.identifier(CANDIDATES)
    path = next(cache_home.glob("langid-*.pickle"))
    path.write_bytes(path.read_bytes()[:1000])
    assert langmodel.identifier(CANDIDATES).rank(TEXTS[0]) == reference().rank(TEXTS[0])
    assert path.stat().st_size > 1000
    moves = path.with_suffix(".moves")
    moves.write_bytes(moves.read_bytes()[:4096])  # a state machine cut short
    assert langmodel.identifier(CANDIDATES).rank(TEXTS[2]) == reference().rank(TEXTS[2])
    assert moves.stat().st_size > 4096


def test_other_candidates_get_their_own_file(cache_home):
    langmodel.identifier(CANDIDATES)
    langmodel.identifier(("en", "pt"))
    assert len(list(cache_home.glob("langid-*.pickle"))) == 2


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_an_unwritable_cache_folder_is_no_error(cache_home):
    cache_home.mkdir(parents=True)
    cache_home.chmod(0o500)
    try:
        assert langmodel.identifier(CANDIDATES).rank(TEXTS[1]) == reference().rank(TEXTS[1])
        assert not list(cache_home.glob("langid-*"))
    finally:
        cache_home.chmod(0o700)


def test_a_cache_folder_that_is_a_file_is_no_error(cache_home):
    cache_home.parent.mkdir(parents=True, exist_ok=True)
    cache_home.write_bytes(b"not a folder")
    assert langmodel.identifier(CANDIDATES).rank(TEXTS[2]) == reference().rank(TEXTS[2])


@pytest.mark.parametrize("users", [None, "3"])
def test_the_model_loads_without_starting_a_thread_and_leaves_the_environment_as_it_was(users):
    import subprocess
    import sys
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if users:
        env["OPENBLAS_NUM_THREADS"] = users
    script = ("import os, sys; from newsletter.checks.text import langmodel; "
              "from newsletter.checks.text.language import CANDIDATES; "
              "assert 'numpy' not in sys.modules; langmodel.identifier(CANDIDATES).rank('Lena roasts her beans'); "
              "print(len(os.listdir('/proc/self/task')), os.environ.get('OPENBLAS_NUM_THREADS'))")
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", str(users)]  # a process forking render workers must run no other thread
