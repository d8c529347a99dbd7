"""Which language, and for Chinese which script, a text is actually written in.

The language comes from py3langid (langid.py's model, bundled, offline), restricted to the
languages newsletter supports and their usual neighbours, chosen after measuring the
candidates on the corpus's short texts (README, "Checks": py3langid 98.8% on all texts,
97.6% under 60 characters; `make bench-langid`). A short text it calls foreign is looked up
word by word in each language's word frequencies (wordfreq) before it is called so: on a
title's few letters a borrowed word ("Dial in espresso in 4 steps": Italian) outweighs the
words around it, which the word lists know for English. A text in another writing system
than the audience's is decided by its script alone; Simplified and Traditional Chinese are
told apart by hanzidentifier.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from ...core.memo import text_memo
from .langmodel import identifier
from .words import cjk_count, language_of, plain

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

#: Languages a text may be identified as: ours and their usual neighbours, so a Ukrainian or
#: French text is not forced into Russian or Portuguese.
CANDIDATES = ("en", "pt", "es", "ru", "zh", "ar", "fr", "de", "it", "uk", "ja")
#: Below this probability for the audience's language, the text is in another language.
#: Short ambiguous texts ("November 2026" is English and German) keep 0.2 or more.
MIN_PROBABILITY = 0.1
NAMES = {"en": "English", "pt": "Portuguese", "es": "Spanish", "ru": "Russian", "zh": "Chinese",
         "ar": "Arabic", "fr": "French", "de": "German", "it": "Italian", "uk": "Ukrainian",
         "ja": "Japanese"}
_SCRIPTS = {"Latin": re.compile(r"[A-Za-zÀ-ɏ]"), "Cyrillic": re.compile(r"[Ѐ-ӿ]"),
            "Han": re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]"), "Arabic": re.compile(r"[؀-ۿ]"),
            "Kana": re.compile(r"[\u3040-\u30ff]")}
_LANGUAGE_SCRIPT = {"en": "Latin", "pt": "Latin", "es": "Latin", "fr": "Latin", "de": "Latin",
                    "it": "Latin", "ru": "Cyrillic", "uk": "Cyrillic", "zh": "Han", "ar": "Arabic",
                    "ja": "Kana"}
_TRADITIONAL_REGIONS = ("TW", "HK", "MO", "Hant")
#: A text of at most this many words is short: py3langid's verdict on it is checked word by word.
SHORT_WORDS = 12
#: How much likelier (in Zipf units summed over its words: each unit is ten times as frequent)
#: the words of a short text must be in another language than in the audience's for the text to
#: be in that language; a word a list does not know counts as Zipf 1 (once per ten million).
WORDS_MARGIN = 1.0
_UNKNOWN_ZIPF = 1.0


@lru_cache(maxsize=1)
def _identifier() -> LanguageIdentifier:
    return identifier(CANDIDATES)


def _scripts(text: str) -> dict[str, int]:
    return {name: len(pattern.findall(text)) for name, pattern in _SCRIPTS.items()}


def chinese_script(locale: str) -> str:
    """'Hant' for Traditional Chinese locales (zh-TW, zh-HK, zh-Hant), else 'Hans'."""
    parts = locale.replace("_", "-").split("-")[1:]
    return "Hant" if any(p in _TRADITIONAL_REGIONS for p in parts) else "Hans"


@dataclass(frozen=True)
class Mismatch:
    """A text written in another language (or Chinese script) than the audience reads."""

    found: str  # what the text is written in, in words
    sample: str


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


@text_memo("language-mismatch")  # kept in the build cache: identifying is slow
def mismatch(text: str, locale: str) -> Mismatch | None:
    """Why `text` is not in `locale`'s language, or None when it is (or is too short to tell).

    `text` may hold Markdown and merge-tag tokens: fallbacks count as the text's words.
    """
    readable = plain(text)
    want = language_of(locale)
    counts = _scripts(readable)
    letters = sum(counts.values())
    if letters < 4:
        return None
    script = max(counts, key=counts.get)
    expected_script = _LANGUAGE_SCRIPT.get(want)
    if expected_script and script != expected_script and counts[script] > letters / 2:
        if script == "Han" and want != "zh" and counts["Han"] < 4:
            return None
        if script == "Latin" and len(re.findall(r"[A-Za-zÀ-ɏ]{2,}", readable)) < 2:
            return None  # one Latin word (a brand, "TODO") in a Chinese or Russian text
        found = {"Han": "Chinese", "Cyrillic": "Cyrillic script", "Latin": "Latin script",
                 "Arabic": "Arabic", "Kana": "Japanese"}[script]
        if script == "Latin" and counts["Latin"] >= 8:
            found = NAMES.get(_best(readable), found)
        return Mismatch(found, _short(readable))
    if want == "zh":
        return _chinese(readable, locale)
    if expected_script != "Latin" and expected_script != "Cyrillic":
        return None
    if len(readable.split()) < 2:
        return None
    ranked = dict(_identifier().rank(readable))
    best = max(ranked, key=ranked.get)
    if best != want and ranked.get(want, 0.0) < MIN_PROBABILITY:
        if (_LANGUAGE_SCRIPT.get(best) == expected_script and len(readable.split()) <= SHORT_WORDS
                and _words_in(readable, want, expected_script)):
            return None  # a borrowed word, not a foreign text (the word lists know the others)
        return Mismatch(NAMES.get(best, best), _short(readable))
    return None


def _words_in(text: str, want: str, script: str) -> bool:
    """Whether the words of a short text are, by their frequencies (wordfreq's small lists), as
    likely in `want` as in any other candidate language of the same script (within
    WORDS_MARGIN): a borrowed word ("espresso", "delivery") is common in both languages, the
    words around it only in one."""
    # Imported here: wordfreq (0.12 s to import) and its lists (about 12 ms each) load only in a
    # process that meets a short text py3langid calls foreign.
    from wordfreq import available_languages, tokenize, zipf_frequency

    listed = available_languages("small")
    languages = [c for c in CANDIDATES if _LANGUAGE_SCRIPT.get(c) == script and c in listed]
    if want not in languages:
        return False  # no word list to ask: py3langid's verdict stands
    scores = {}
    for language in languages:
        words = [w for w in tokenize(text, language) if not w.isdigit()]
        scores[language] = sum(max(zipf_frequency(w, language, wordlist="small"), _UNKNOWN_ZIPF)
                               for w in words)
    return max(scores.values()) - scores[want] < WORDS_MARGIN


def _best(text: str) -> str:
    ranked = dict(_identifier().rank(text))
    return max(ranked, key=ranked.get)


def _chinese(text: str, locale: str) -> Mismatch | None:
    han = "".join(re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff]", text))
    if cjk_count(han) < 4:
        return None
    # Imported here: loading it compiles a pattern of every Chinese character (30 ms), which
    # a project without a Chinese audience, and every command that checks nothing new, never needs.
    import hanzidentifier

    # Characters written the same in both scripts say nothing; count those that differ.
    kinds = [hanzidentifier.identify(char) for char in set(han)]
    traditional = kinds.count(hanzidentifier.TRADITIONAL)
    simplified = kinds.count(hanzidentifier.SIMPLIFIED)
    want = chinese_script(locale)
    if want == "Hans" and traditional > max(simplified, 1):
        return Mismatch("Traditional Chinese", _short(text))
    if want == "Hant" and simplified > max(traditional, 1):
        return Mismatch("Simplified Chinese", _short(text))
    return None
