"""Free-text search over the works' names and place names: Cyrillic or Latin, typo-tolerant.

Why names and places only: a report sentence often lists several works ("ул. „Кукуш“, ул.
„Опълченска“ и бул. „Руски“"), so matching the whole sentence returned every work of that
sentence for "Кукуш". A work is found by its own name, the places it names and the districts
it lies in. Words such as "ул.", "жк" or "район" say what kind of place is meant and are
dropped from the query ("жк Тракия" finds "Тракия"); each remaining word must match a word of
the work's key exactly, as a prefix, or within one (two for long words) typing errors
(``rapidfuzz``), against the Cyrillic text or its Latin transliteration.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd
from rapidfuzz.distance import Levenshtein

from dashboard.data import fold
from geocoding.normalize import transliterate

#: Words naming a kind of place (Bulgarian and their transliterations), not a place itself.
PLACE_WORDS: frozenset[str] = frozenset(
    """ул улица бул булевард жк ж.к ж.к. кв квартал район р-н пл площад парк местност с село
    ul ulitsa bul bulevard zhk zh.k kv kvartal rayon raion r-n pl ploshtad park str street blvd
    boulevard district square""".split()
)
_WORD_RE = re.compile(r"[\w.-]+")
_TOKEN_RE = re.compile(r"\w+")


def query_words(query: str) -> list[str]:
    """The query's words, folded, with place-kind words removed (unless nothing else is left)."""
    words = [w.strip(".-") for w in _WORD_RE.findall(fold(query))]
    words = [w for w in words if w]
    kept = [w for w in words if w not in PLACE_WORDS and w.rstrip(".") not in PLACE_WORDS]
    return kept or words


def _allowed_errors(word: str) -> int:
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def word_matches(word: str, key: str, tokens: Iterable[str]) -> bool:
    """``word`` occurs in ``key``, or a word of the key is within a typo or two of it.

    Whole words only for typos: "Тракия" must not find "Тракийски университет".
    """
    if word in key:
        return True
    errors = _allowed_errors(word)
    if not errors:
        return False
    for token in tokens:
        close_length = abs(len(token) - len(word)) <= errors
        if close_length and Levenshtein.distance(word, token, score_cutoff=errors) <= errors:
            return True
    return False


def names_key(name: str, places: str, districts: Iterable[str]) -> str:
    """What search matches: name, places and districts, folded, plus their transliteration."""
    joined = " | ".join([name, places, *districts])
    return fold(joined) + " || " + fold(transliterate(joined))


def names_mask(records: pd.DataFrame, query: str) -> pd.Series:
    """Rows whose name, places or districts match every word of ``query``."""
    words = query_words(query)
    if not words or "find" not in records:
        return pd.Series(True, index=records.index)
    out = []
    for key in records["find"]:
        tokens = set(_TOKEN_RE.findall(key))
        out.append(all(word_matches(w, key, tokens) for w in words))
    return pd.Series(out, index=records.index, dtype=bool)


def match_district(query: str, districts: Iterable[tuple[str, str]]) -> str | None:
    """The district a query names ("жк Тракия", "rayon Trakia", "Тракя"), else None.

    ``districts`` are (name, Latin name) pairs.
    """
    words = query_words(query)
    if not words:
        return None
    wanted = " ".join(words)
    for name, latin in districts:
        for form in (fold(name), fold(latin or transliterate(name))):
            errors = _allowed_errors(form)
            if Levenshtein.distance(wanted, form, score_cutoff=errors) <= errors:
                return name
    return None
