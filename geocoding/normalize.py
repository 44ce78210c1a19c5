"""Bulgarian place-name normalisation: matching keys, type prefixes and transliteration.

Why: the municipal report and OpenStreetMap name the same street or school in many ways
(„ул. „6-ти септември“", "бул. 6 септември", "Шести септември"; "Цар Борис III" / "Борис 3";
curly and straight quotes; en dashes; typos). Geocoding needs one *key* per place so that a
name from the report can be looked up in the OSM gazetteer with an exact dictionary lookup
before any fuzzy matching. All spelling knowledge (prefixes, ordinals, saints, titles, typos)
is kept in ``name_variants.toml`` next to this module, so it can be reviewed as data.

Public functions:

* :func:`normalize` – matching key (lower case, no prefix/quotes/punctuation, folded variants).
* :func:`strip_prefix` – ``(kind, bare name)``: the type prefix ("ул.", "ДГ", "пл.") as a kind.
* :func:`transliterate` – official Bulgarian Streamlined System (Transliteration Act, 2009);
  defined in :mod:`geo.names` (the district polygons below this layer need it) and re-exported.
"""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

from extraction.places import PLACE_KINDS, RELATION_KINDS
from geo.names import drop_stress, transliterate

__all__ = [
    "PREFIX_KINDS",
    "aliases_of",
    "bank_aliases",
    "descriptors",
    "landmark_probe",
    "normalize",
    "part_of",
    "school_type",
    "strip_prefix",
    "transliterate",
]

#: Every kind :func:`strip_prefix` can return: the register's place kinds that have a name.
PREFIX_KINDS: tuple[str, ...] = tuple(k for k in PLACE_KINDS if k not in RELATION_KINDS)

# Quotes seen in the report and in OSM: Bulgarian „…“, English “…” and "…", guillemets,
# single quotes and backticks (people type ``„Name"`` or ``"Name”`` freely).
_QUOTES = "„“”\"«»'`‘’‚‛′″"
_QUOTE_RE = re.compile(f"[{re.escape(_QUOTES)}]")
# Hyphen, non-breaking hyphen, figure dash, en dash, em dash, horizontal bar, minus.
_DASH_RE = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]")
_SPACE_RE = re.compile(r"\s+")
_CYR = "а-яёѝ"
_LETTER = f"a-z{_CYR}"
# Valid Roman numerals 1..39 (regnal numbers and centuries in names).
_ROMAN_RE = re.compile(r"^X{0,3}(?:IX|IV|V?I{0,3})$")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10}


@lru_cache(maxsize=1)
def _tables() -> dict[str, Any]:
    """Load ``name_variants.toml`` once (read via importlib.resources so packaging works)."""
    text = (
        resources.files(__package__ or "geocoding").joinpath("name_variants.toml").read_text(encoding="utf-8")
    )
    return tomllib.loads(text)


def bank_aliases() -> dict[str, dict[str, str]]:
    """``[bank_aliases]`` of ``name_variants.toml``: name → {street, river, bank}.

    Used by the gazetteer to give "Марица-север" / "Марица-юг" the ways of one bank only.
    """
    table = _tables().get("bank_aliases", {})
    for alias, spec in table.items():
        if spec.get("bank") not in ("north", "south") or not spec.get("street") or not spec.get("river"):
            raise ValueError(
                f"name_variants.toml: bank_aliases.{alias} needs street, river, bank=north|south"
            )
    return table


def known_miss(kind: str | None, key: str) -> str | None:
    """``[known_misses]``: the OSM objects a name the lookup cannot match yet stands for.

    Why: an unresolved place must say why truly. These names were searched for in the extract
    by hand (tests/data/unresolved_reasons.csv) and their objects exist (often unnamed, beside a
    named landmark); until the lookup finds them they are reported as ``missed``, never as
    ``not_in_extract``. Keys are ``"<mention kind>:<matching key>"``.
    """
    return _known_misses().get(f"{kind or ''}:{key}")


@lru_cache(maxsize=1)
def _known_misses() -> dict[str, str]:
    return {
        f"{k.split(':', 1)[0]}:{normalize(k.split(':', 1)[1])}": str(v)
        for k, v in _tables().get("known_misses", {}).items()
    }


@lru_cache(maxsize=1)
def _parts() -> dict[str, str]:
    return {normalize(part): whole for part, whole in _tables().get("parts", {}).items()}


def part_of(key: str) -> str | None:
    """``[parts]``: the named object a part belongs to ("Форум Север" → "Античен форум"), by key.

    Why: the report names wings and halls of objects OSM maps whole; the part is located at
    the whole object and flagged, never passed off as the part itself.
    """
    return _parts().get(key)


#: Words that put a crossing's landmark after them: "подлез на бул. „Санкт Петербург“".
_LANDMARK_PREPOSITIONS = ("на", "под", "при", "до", "край", "срещу", "над")


def landmark_probe(text: str) -> str:
    """The key of the landmark an under/overpass mention is named after.

    "подлез „Чифте баня“" → "чифте баня", "подлез на бул. „Санкт Петербург“" → "санкт
    петербург" (the type word and a leading preposition dropped, the street prefix by
    :func:`normalize`). Why: OSM leaves such crossings unnamed; the name is the landmark's.
    """
    bare = strip_prefix(text)[1]
    words = bare.split()
    while len(words) > 1 and words[0].lower() in _LANDMARK_PREPOSITIONS:
        words = words[1:]
    return normalize(" ".join(words))


@lru_cache(maxsize=1)
def _school_types() -> tuple[tuple[str, str], ...]:
    forms = [
        (" ".join(_WORD_RE.findall(form.lower())), canonical)
        for canonical, group in _tables().get("school_types", {}).items()
        for form in [canonical, *group]
    ]
    return tuple(sorted(forms, key=lambda fc: len(fc[0]), reverse=True))


_WORD_RE = re.compile(r"\w+")


def school_type(name: str) -> str | None:
    """The type of school a name says (``[school_types]``: "СОУ" and "средно училище" are СУ).

    Why: same-named schools of different types exist (ОУ and Спортно СОУ „Васил Левски“); the
    type word anywhere in the name, as whole words, tells them apart. ``None``: no type word.
    """
    joined = " " + " ".join(_WORD_RE.findall(_clean(name).lower())) + " "
    for form, canonical in _school_types():
        if form and f" {form} " in joined:
            return canonical
    return None


@lru_cache(maxsize=1)
def descriptors() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``[descriptors]``: (matching key of a generic word, gazetteer kinds it implies), longest first.

    Why: "спортна зала „Колодрума“" is OSM "Колодрума", "ФК „Локомотив“" is the stadium
    "Локомотив"; dropping such a leading word lets the exact lookup succeed (restricted to the
    kinds the word implies) instead of relying on a loose fuzzy match.
    """
    out = {}
    for form, kinds in _tables().get("descriptors", {}).items():
        key = _base_key(_clean(form))
        if key:
            out[key] = tuple(kinds)
    return tuple(sorted(out.items(), key=lambda kv: len(kv[0]), reverse=True))


def _clean(text: str) -> str:
    """Unicode-normalise, unify dashes and whitespace; keep case and quotes."""
    text = drop_stress(text)
    text = _DASH_RE.sub("-", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    return _SPACE_RE.sub(" ", text).strip()


def _form_pattern(form: str) -> str:
    """Regex for one prefix form: flexible spaces, optional space after a dot."""
    parts = []
    for ch in form:
        if ch == " ":
            parts.append(r"\s+")
        elif ch == ".":
            parts.append(r"\.\s*")
        else:
            parts.append(re.escape(ch))
    return "".join(parts)


@lru_cache(maxsize=1)
def _prefix_regex() -> tuple[re.Pattern[str], dict[str, str]]:
    """One alternation of all prefix forms, longest first, plus form→kind lookup."""
    by_form: dict[str, str] = {}
    for kind, forms in _tables()["prefixes"].items():
        if kind not in PREFIX_KINDS:
            raise ValueError(f"name_variants.toml: unknown prefix kind {kind!r}")
        for form in forms:
            by_form[_fold_form(form)] = kind
    forms_sorted = sorted(by_form, key=len, reverse=True)
    # A form without a final dot must not be followed by a letter, so "СУ" does not eat the
    # start of "Сухата река" and "ул" not the start of "улица"; a final dot ends the form itself.
    alternation = "|".join(
        f"(?P<f{i}>{_form_pattern(f)}{'' if f.endswith('.') else f'(?![{_LETTER}])'})"
        for i, f in enumerate(forms_sorted)
    )
    pattern = re.compile(rf"^\s*(?:{alternation})[\s.,:-]*", re.IGNORECASE)
    index = {f"f{i}": by_form[f] for i, f in enumerate(forms_sorted)}
    return pattern, index


def _fold_form(form: str) -> str:
    return _SPACE_RE.sub(" ", form.strip().lower())


def _strip_outer_quotes(text: str) -> str:
    """Remove quotes around a name and tidy spaces, keeping inner text and case."""
    text = _QUOTE_RE.sub(" ", text)
    return _SPACE_RE.sub(" ", text).strip(" ,.;:-")


def strip_prefix(text: str) -> tuple[str | None, str]:
    """Split a type prefix off a place name.

    Returns ``(kind, bare_name)`` where *kind* is one of :data:`PREFIX_KINDS` (``None`` when the
    name carries no known prefix) and *bare_name* is the rest with quotes removed, original case
    kept. Why: the prefix tells the geocoder which gazetteer layer to search (a "ДГ" is a
    kindergarten, "бул." a boulevard) and must not be part of the matching key.

    >>> strip_prefix('ул. „Иван Вазов“')
    ('street', 'Иван Вазов')
    >>> strip_prefix('ДГ "Буратино"')
    ('kindergarten', 'Буратино')
    >>> strip_prefix('Дондукова градина')
    (None, 'Дондукова градина')
    """
    cleaned = _clean(text)
    # A leading quote ("„ул. Капитан Райчо“") should not hide the prefix.
    lead = cleaned.lstrip(_QUOTES + " ")
    pattern, index = _prefix_regex()
    match = pattern.match(lead)
    if match:
        rest = lead[match.end() :]
        bare = _strip_outer_quotes(rest)
        if bare:
            kind = next(index[name] for name, value in match.groupdict().items() if value)
            return kind, bare
    return None, _strip_outer_quotes(cleaned)


def _roman_to_int(token: str) -> int | None:
    token = token.replace("|", "I").replace("І", "I").replace("Х", "X")
    if not token or not _ROMAN_RE.match(token):
        return None
    total = 0
    prev = 0
    for ch in reversed(token):
        value = _ROMAN_VALUES[ch]
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total or None


# Tokens made of Roman-numeral letters: Latin I V X, pipes ("Филип ||"), Cyrillic І, and
# Cyrillic Х only together with an I-like letter ("ХІ"), so a lone Cyrillic "Х" is left alone.
_ROMAN_TOKEN_RE = re.compile(r"(?<![\w|])(?:[IVX|І]+|Х[IІ|]+[IVX|І]*)(?![\w|])")


def _replace_roman(text: str) -> str:
    """Turn regnal Roman numerals into digits ("Борис III" → "Борис 3"); runs before lowercasing."""

    def repl(match: re.Match[str]) -> str:
        value = _roman_to_int(match.group(0))
        return str(value) if value is not None else match.group(0)

    return _ROMAN_TOKEN_RE.sub(repl, text)


@lru_cache(maxsize=1)
def _ordinal_words() -> dict[str, str]:
    endings = ("и", "а", "о", "ия", "ият", "ата", "ото")
    words: dict[str, str] = {}
    for number, stem in _tables()["ordinals"].items():
        for ending in endings:
            words[stem + ending] = str(number)
    return words


@lru_cache(maxsize=1)
def _digit_ordinal_re() -> re.Pattern[str]:
    suffixes = sorted(_tables()["ordinal_suffixes"]["forms"], key=len, reverse=True)
    # "6-ти", "6 - ти", "6ти" — but not "6 и 7" (a space alone does not join a suffix).
    return re.compile(rf"(?<!\w)(\d+)(?:\s*-\s*)?(?:{'|'.join(suffixes)})(?![{_LETTER}])")


def _fold_homoglyphs(token: str) -> str:
    has_cyr = re.search(f"[{_CYR}]", token)
    has_lat = re.search("[a-z]", token)
    if not (has_cyr and has_lat):
        return token
    table = _tables()["homoglyphs"]
    return "".join(table.get(ch, ch) for ch in token)


def _base_key(text: str) -> str:
    """The folding pipeline without typo/alias tables (also used to fold those tables)."""
    text = _replace_roman(text)
    text = text.lower()
    text = " ".join(_fold_homoglyphs(tok) for tok in text.split(" "))
    text = _QUOTE_RE.sub(" ", text)
    # Parenthesised remarks ("(участък)", "(стара сграда)") are not part of a name.
    text = re.sub(r"\([^)]*\)", " ", text)
    text = text.replace("№", " ")
    text = _digit_ordinal_re().sub(r"\1", text)
    for old, new in _tables()["letters"].items():
        text = text.replace(old, new)
    # Punctuation, hyphens and slashes become word breaks ("Марица-юг" = "Марица – юг").
    text = re.sub(rf"[^{_LETTER}0-9]+", " ", text)
    tokens = text.split()
    tokens = _fold_tokens(tokens)
    return " ".join(tokens)


def _fold_tokens(tokens: list[str]) -> list[str]:
    tables = _tables()
    ordinals = _ordinal_words()
    saints = set(tables["saints"]["forms"])
    saint = tables["saints"]["canonical"]
    title_single: dict[str, str] = {}
    title_pairs: dict[tuple[str, str], str] = {}
    for canon, forms in tables["titles"].items():
        for form in forms:
            parts = form.split()
            if len(parts) == 1:
                title_single[parts[0]] = canon
            elif len(parts) == 2:
                title_pairs[(parts[0], parts[1])] = canon
    given = tables["given_names"]
    noise = set(tables["noise_words"]["forms"])

    out: list[str] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        pair = (tok, tokens[i + 1]) if i + 1 < len(tokens) else None
        if pair in title_pairs:
            out.append(title_pairs[pair])
            i += 2
            continue
        if tok in noise and len(tokens) > 1:
            pass
        elif tok in saints:
            if not (out and out[-1] == saint):  # "Св. св." / "Свети Свети" → one "св"
                out.append(saint)
        elif tok in ordinals and len(tokens) > 1:
            out.append(ordinals[tok])
        elif tok in title_single:
            out.append(title_single[tok])
        elif tok in given and i + 1 < len(tokens):
            out.append(given[tok])
        else:
            out.append(tok)
        i += 1
    return out


@lru_cache(maxsize=1)
def _variant_tables() -> tuple[list[tuple[re.Pattern[str], str]], dict[str, str]]:
    tables = _tables()
    typos: list[tuple[re.Pattern[str], str]] = []
    for wrong, right in sorted(tables["typos"].items(), key=lambda kv: -len(kv[0])):
        wrong_key, right_key = _base_key(_clean(wrong)), _base_key(_clean(right))
        if wrong_key and wrong_key != right_key:
            typos.append((re.compile(rf"(?<!\S){re.escape(wrong_key)}(?!\S)"), right_key))
    aliases = {}
    for alias, canonical in tables["aliases"].items():
        aliases[_apply_typos(_base_key(_clean(alias)), typos)] = _apply_typos(
            _base_key(_clean(canonical)), typos
        )
    return typos, aliases


def _apply_typos(key: str, typos: list[tuple[re.Pattern[str], str]]) -> str:
    for pattern, right in typos:
        key = pattern.sub(right, key)
    return key


@lru_cache(maxsize=4096)
def aliases_of(key: str) -> tuple[str, ...]:
    """The alias keys of ``name_variants.toml`` that name the object whose key is *key*.

    Why: a sentence calls the city gallery „ГХГ“ where OSM has „Градска художествена галерия“;
    looking for an object's names inside running text needs its aliases, not just its key.
    """
    _typos, aliases = _variant_tables()
    return tuple(sorted(alias for alias, canonical in aliases.items() if canonical == key and alias))


@lru_cache(maxsize=65536)
def normalize(text: str) -> str:
    """Return the matching key of a place name.

    The key is lower case, without type prefix ("ул.", "бул.", "ДГ", "пл." …), quotes,
    punctuation and dashes; ordinals and Roman numerals become digits ("6-ти"/"Шести" → "6",
    "III" → "3"); "Св."/"Свети"/"Света" become "св"; titles get one short form ("Генерал" →
    "ген"); й/ё fold to и/е; known typos and aliases from ``name_variants.toml`` are applied.
    Why: an exact key lookup is fast, explainable and catches most report/OSM differences;
    fuzzy matching is only needed for what is left.

    >>> normalize('бул. „6-ти септември“') == normalize('Шести септември') == '6 септември'
    True
    >>> normalize('Цар Борис III Обединител') == normalize('цар Борис 3 обединител')
    True
    """
    if not text or not text.strip():
        return ""
    _kind, bare = strip_prefix(text)
    key = _base_key(bare)
    if not key:  # the whole text was a prefix-like word ("Парк"): keep it
        key = _base_key(_strip_outer_quotes(_clean(text)))
    typos, aliases = _variant_tables()
    key = _apply_typos(key, typos)
    return aliases.get(key, key)
