"""Reading what a text says, per language, for the checks.

`words` cuts text into sentences and stemmed words (Snowball stemmers for en, pt, es, ru;
characters for Chinese), `language` identifies the language and script a text is written
in (py3langid, hanzidentifier), and `promotion`, `deeds` and `voice` look for offers, for
what a customer did, and for the form-letter voice, each with its own per-language
lexicon. `facts` computes a story's facts once per check run; `folding` matches
case-insensitive patterns fast, on the lower-cased text.

Part of the checks stage: imports only newsletter.core and newsletter.content.
"""
