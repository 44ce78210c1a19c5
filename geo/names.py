"""Bulgarian names in Latin letters: the official transliteration, with no other dependency.

Why here, in ``geo``: the district polygons (``geo.districts``) need an English name for a
boundary relation without ``name:en``, and ``geo`` sits below ``geocoding`` in the layers, so
the transliteration cannot live in ``geocoding.normalize`` (which re-exports it for its callers).
Pure Python and cheap to import.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["drop_stress", "transliterate"]

# Stress marks used in dictionaries ("Репу̀блика") carry no identity.
_STRESS_RE = re.compile("[\u0300\u0301]")


def drop_stress(text: str) -> str:
    """``text`` in NFC without stress marks (й keeps its breve, U+0306, which is not one).

    NFD first so stress marks on precomposed letters ("ѝ", "ѐ") can be dropped.
    """
    return unicodedata.normalize("NFC", _STRESS_RE.sub("", unicodedata.normalize("NFD", text)))


# --- Transliteration ------------------------------------------------------------------------

_TRANSLIT: dict[str, str] = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sht", "ъ": "a", "ь": "y", "ю": "yu", "я": "ya",
    # Letters outside the Bulgarian alphabet that still turn up in names.
    "ѝ": "i", "ё": "yo", "ы": "y", "э": "e", "і": "i", "ї": "yi", "є": "ye",
}  # fmt: skip


# Art. 4 of the Act: the country keeps its established form.
_TRANSLIT_EXCEPTIONS: dict[str, str] = {"България": "Bulgaria", "БЪЛГАРИЯ": "BULGARIA"}
_WORD_RE = re.compile(r"\w+")


def _is_upper_letter(ch: str) -> bool:
    return ch.isalpha() and ch.isupper()


def transliterate(text: str) -> str:
    """Romanise Bulgarian Cyrillic with the official Streamlined System (2009 Act).

    Letter table: а-a б-b в-v г-g д-d е-e ж-zh з-z и-i й-y к-k л-l м-m н-n о-o п-p р-r с-s
    т-t у-u ф-f х-h ц-ts ч-ch ш-sh щ-sht ъ-a ь-y ю-yu я-ya; "ия" at the end of a word is "ia"
    (България → Bulgaria, София → Sofia). Case is preserved: a capital that becomes two or
    three Latin letters is written "Zh" in a capitalised word and "ZH" in an all-caps word.
    Non-Cyrillic characters pass through. Why: name_en for places without an OSM name:en must
    follow the law, as the municipality's own English material does.

    >>> transliterate('Пловдив'), transliterate('Тракия'), transliterate('Щастливеца')
    ('Plovdiv', 'Trakia', 'Shtastlivetsa')
    """
    text = drop_stress(text)
    if any(word in text for word in _TRANSLIT_EXCEPTIONS):
        return _WORD_RE.sub(
            lambda m: _TRANSLIT_EXCEPTIONS.get(m.group(0)) or _transliterate(m.group(0)),
            text,
        )
    return _transliterate(text)


def _transliterate(text: str) -> str:
    out: list[str] = []
    n = len(text)
    i = 0
    while i < n:
        ch = text[i]
        low = ch.lower()
        # "-ия" at the end of a word → "ia".
        if low == "и" and i + 1 < n and text[i + 1].lower() == "я":
            after = text[i + 2] if i + 2 < n else ""
            if not after.isalpha():
                pair = text[i : i + 2]
                latin = "ia"
                if pair.isupper():
                    latin = "IA"
                elif ch.isupper():
                    latin = "Ia"
                out.append(latin)
                i += 2
                continue
        mapped = _TRANSLIT.get(low)
        if mapped is None:
            out.append(ch)
        elif not ch.isupper():
            out.append(mapped)
        else:
            nxt = text[i + 1] if i + 1 < n else ""
            prev = text[i - 1] if i > 0 else ""
            all_caps = _is_upper_letter(nxt) or (not nxt.isalpha() and _is_upper_letter(prev))
            out.append(mapped.upper() if all_caps else mapped.capitalize())
        i += 1
    return "".join(out)
