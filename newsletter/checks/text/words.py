"""Plain words from Markdown: sentences, tokens and Snowball stems in the text's language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from ...core import merge

#: Snowball stemmers for the languages whose words change form (desconto/descontos, скидка/скидку).
STEMMERS = {"en": "english", "pt": "portuguese", "es": "spanish", "ru": "russian"}
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.U)
# A CJK character, or a word as _WORD reads it once CJK characters are spaces: one pass.
_COUNTED = re.compile(f"[{_CJK}]|[^\\W\\d_{_CJK}]+(?:['’-][^\\W\\d_{_CJK}]+)*")
_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|\]\([^)]*\)|https?://\S+|[*_`#>|~\[\]]")
# Sentence ends, paragraph breaks and list items; a list number ("1. ") is not a sentence end.
SENTENCE_END = re.compile(r"(?<=[.!?。！？；;])(?<!^\d\.)(?<!^\d\d\.)[ \t]+|(?<=[.!?；;])\n|(?<=[。！？])"
                           r"|\n\s*\n|\n(?=\s*(?:\d+[.)]|[-*+])\s)", re.M)


def language_of(locale: str | None) -> str:
    """The language subtag of a locale ('pt-BR' -> 'pt'); English when none is given."""
    return (locale or "en").split("-")[0].split("_")[0].lower()


def plain(markdown: str) -> str:
    """Readable text: merge tags filled with their fallbacks, Markdown syntax and URLs removed."""
    text = markdown
    if merge.OPEN in text:
        text = merge.plain(text)
    return _MARKUP.sub(" ", text)


def sentences(text: str) -> list[str]:
    """The sentences (and list items) of a plain text, trimmed, empty ones left out."""
    return [s.strip() for s in SENTENCE_END.split(text) if s and s.strip()]


def cjk_count(text: str) -> int:
    return len(_CJK_CHAR.findall(text))


def count_words(text: str) -> int:
    """Words of a text; each CJK character counts as one, so shares stay comparable."""
    return len(_COUNTED.findall(text))


@lru_cache(maxsize=8)
def _stemmer(language: str):
    name = STEMMERS.get(language)
    return snowballstemmer.stemmer(name) if name else None


@lru_cache(maxsize=1 << 16)  # a project repeats the same few thousand words in every story
def stem(word: str, language: str) -> str:
    """The Snowball stem of one lower-cased word (the word itself where no stemmer applies)."""
    stemmer = _stemmer(language)
    word = word.lower().replace("ё", "е")
    return stemmer.stemWord(word) if stemmer else word


def stems(words, language: str) -> frozenset[str]:
    """A lexicon's dictionary forms, stemmed once."""
    return frozenset(stem(w, language) for w in words)


@dataclass(frozen=True)
class Tokens:
    """A sentence as lower-cased words and their stems, for lexicon look-ups."""

    text: str
    words: tuple[str, ...]
    stems: tuple[str, ...]

    def has(self, lexicon: frozenset[str]) -> str | None:
        """The first word whose stem is in `lexicon`, or None."""
        for word, root in zip(self.words, self.stems):
            if root in lexicon:
                return word
        return None


def first_words(text: str, language: str, lexicon: dict[str, frozenset[str]]) -> dict[str, tuple[int, str]]:
    """For each entry of `lexicon` (name -> stems) with a word in the text: where its first
    word starts and that word, lower-cased (the words `tokens` gives, sentence by sentence)."""
    masked = _CJK_CHAR.sub(" ", text)  # one space per character: the places are kept
    roots = frozenset().union(*lexicon.values())
    # Most texts hold no lexicon word: their distinct words say so without a walk through all.
    hits = {word for word in set(_WORD.findall(masked)) if stem(word, language) in roots}
    first: dict[str, tuple[int, str]] = {}
    if not hits:
        return first
    for match in _WORD.finditer(masked):
        word = match.group()
        if word in hits:
            root = stem(word, language)
            for name, stems_ in lexicon.items():
                if name not in first and root in stems_:
                    first[name] = (match.start(), word.lower())
            if len(first) == len(lexicon):
                break
    return first


def spans(text: str) -> list[tuple[int, str]]:
    """(start, word as written) of each word of a text, as `first_words` reads them."""
    return [(match.start(), match.group()) for match in _WORD.finditer(_CJK_CHAR.sub(" ", text))]


def tokens(text: str, language: str) -> Tokens:
    words = tuple([w.lower() for w in _WORD.findall(_CJK_CHAR.sub(" ", text))])  # a list is built faster
    return Tokens(text, words, tuple([stem(w, language) for w in words]))
