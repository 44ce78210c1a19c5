"""Bulgarian word forms → lemmas, through LemmaGen's Bulgarian model (the `lemmagen3` package
ships it): "изградена", "изградени", "изградиха" → "изградя"; "площадките" → "площадка".

Why a lemmatiser and not hand-written endings: a rule written as ``изграден(?:а|и|о)?`` knows
the forms its author saw; a lemma knows every form of the word, also those of a report the
rules were not written from. (simplemma was tried and rejected: it reads "площадки" as
"площад".) The model is not perfect — some participles come back as themselves ("завършен",
"проведен") — so a rule lists a word's participle beside its verb where the model keeps it.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from lemmagen3 import Lemmatizer  # type: ignore[import-untyped]  # no stubs

__all__ = ["Token", "lemma", "tokens", "word_lemmas"]

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")

#: A token: (start, end, surface lower-cased, lemma).
Token = tuple[int, int, str, str]


@cache
def _lemmatizer() -> Lemmatizer:
    return Lemmatizer("bg")


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """The lemma of one lower-cased word (the word itself when the model knows no other)."""
    return str(_lemmatizer().lemmatize(word)) or word


def tokens(text: str) -> list[Token]:
    """The words of `text` with their offsets, lower-cased surfaces and lemmas."""
    out: list[Token] = []
    for m in _WORD.finditer(text):
        word = m.group(0).lower()
        out.append((m.start(), m.end(), word, lemma(word)))
    return out


def word_lemmas(text: str) -> frozenset[str]:
    """The words of a lower-cased `text` and their lemmas, as one set."""
    words = set(_WORD.findall(text))
    return frozenset(words | {lemma(w) for w in words})
