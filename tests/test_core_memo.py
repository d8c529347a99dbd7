"""core.memo: results of functions of text alone, kept by their arguments, looked up in an
earlier run's results on a miss, and handed between processes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading

import pytest

import newsletter.build  # noqa: F401  (imports every stage, so every memo is registered)
from newsletter.content.markdown import to_html
from newsletter.core import memo
from newsletter.core.memo import MEMOS, TextMemo, absorb, fact_key, keeping, reading_from, take_fresh, text_memo


def counting(maxsize: int = 4) -> tuple[TextMemo, list]:
    calls: list = []

    def shout(text: str, times: int) -> str:
        calls.append((text, times))
        return text.upper() * times

    return TextMemo("test-shout", shout, maxsize), calls


class Earlier:
    """A Source holding one earlier run's results."""

    def __init__(self, kept: dict):
        self.kept, self.asked = kept, []

    def lookup(self, key):
        self.asked.append(key)
        return (True, self.kept[key]) if key in self.kept else (False, None)


def test_a_result_is_worked_out_once_per_arguments_and_the_oldest_go_first():
    shout, calls = counting(maxsize=2)
    assert shout("a", 2) == "AA" and shout("a", 2) == "AA"
    assert calls == [("a", 2)] and shout.computed == 1
    shout("b", 1)
    shout("c", 1)  # "a" is the oldest of three: dropped
    shout("a", 2)
    assert calls == [("a", 2), ("b", 1), ("c", 1), ("a", 2)]


def test_what_was_worked_out_is_taken_once_by_its_key_and_absorbed_results_count_as_known():
    shout, calls = counting()
    shout("a", 1)
    assert shout.take_fresh() == {fact_key("test-shout", ("a", 1)): "A"}
    assert shout.take_fresh() == {}
    memo.clear()
    absorb({fact_key("test-shout", ("z", 2)): "from a worker"})
    assert keeping() is False
    assert shout("z", 2) == "from a worker" and calls == [("a", 1)]
    assert shout.take_fresh() == {}  # not worked out here...
    assert take_fresh() == {fact_key("test-shout", ("z", 2)): "from a worker"}  # ...but handed on
    assert take_fresh() == {}
    assert shout("z", 2) == "from a worker"  # known in memory since it was asked for


def test_a_fact_key_tells_apart_arguments_that_print_or_join_alike_and_is_the_same_in_every_process():
    keys = [fact_key("m", args) for args in [("ab", "c"), ("a", "bc"), ("1",), (1,), (True,), (None,),
                                               ("None",), (1.0,), ((1, 2),), (1, 2), ("",), ()]]
    assert len(set(keys)) == len(keys) and {len(key) for key in keys} == {16}
    assert fact_key("m", ("x",)) != fact_key("n", ("x",))
    assert fact_key("m", ("café \ud800 中文",)) == fact_key("m", ("café \ud800 中文",))
    code = "from newsletter.core.memo import fact_key; print(fact_key('m', ('中文 story', 72, None)).hex())"
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": "12345"})
    assert other.stdout.strip() == fact_key("m", ("中文 story", 72, None)).hex()
    with pytest.raises(TypeError, match="not list"):
        fact_key("m", (["a list"],))


def test_a_miss_asks_the_source_first_and_what_it_knew_is_not_fresh():
    shout, calls = counting()
    earlier = Earlier({fact_key("test-shout", ("kept", 1)): "KEPT EARLIER"})
    assert not keeping()
    with reading_from(earlier):
        assert keeping()
        assert shout("kept", 1) == "KEPT EARLIER"
        assert shout("new", 1) == "NEW"
        assert shout("kept", 1) == "KEPT EARLIER"  # now in memory: not asked again
    assert not keeping()
    assert calls == [("new", 1)]
    assert earlier.asked == [fact_key("test-shout", ("kept", 1)), fact_key("test-shout", ("new", 1))]
    assert shout.take_fresh() == {fact_key("test-shout", ("new", 1)): "NEW"}


def test_fresh_results_stay_bounded_when_no_run_takes_them():
    shout, _ = counting(maxsize=3)
    for i in range(10):
        shout("x", i)
    assert list(shout.take_fresh()) == [fact_key("test-shout", ("x", i)) for i in (7, 8, 9)]


def test_threads_asking_at_once_all_get_one_result():
    shout, calls = counting(maxsize=100)
    results = []
    threads = [threading.Thread(target=lambda: results.append(shout("same", 3))) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(results) == {"SAMESAMESAME"} and len(results) == 8
    assert len(shout.take_fresh()) == 1


def test_the_package_memos_are_registered_by_unique_names_and_clear_forgets_them():
    assert {"markdown-html", "text-layout", "language-mismatch", "promotion-signals"} <= set(MEMOS)
    assert MEMOS["markdown-html"] is to_html
    with pytest.raises(ValueError, match="two text memos"):
        text_memo("markdown-html")(lambda source: source)
    take_fresh()
    html = to_html("A *story* written for the memo test.")
    assert take_fresh() == {fact_key("markdown-html", ("A *story* written for the memo test.",)): html}
    absorb({fact_key("markdown-html", ("# from elsewhere",)): "<h1>made elsewhere</h1>"})
    assert to_html("# from elsewhere") == "<h1>made elsewhere</h1>"
    memo.clear()
    made_here = to_html.__wrapped__("# from elsewhere")
    assert made_here != "<h1>made elsewhere</h1>" and to_html("# from elsewhere") == made_here
    assert take_fresh() == {fact_key("markdown-html", ("# from elsewhere",)): made_here}
