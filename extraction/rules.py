"""Apply the readable rules in `rules/*.toml`: status cues, category lexicon, work nouns.

The precedence of status cues is documented in `rules/status.toml` itself so that the people
who review the register can read the whole decision in one place; this module implements it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from extraction.lemmas import lemma, word_lemmas
from extraction.lexicon import compile_pattern, load_rules
from extraction.quotes import quoted_spans

SCOPE_ORDER = ("clause", "sentence", "paragraph", "goal")


@dataclass(frozen=True)
class CueMatch:
    """One status cue found in a text."""

    status: str
    weak: bool
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class StatusDecision:
    """The status of one work, the phrase that decided it, and the scope it came from."""

    status: str
    evidence: str
    scope: str  # clause | sentence | paragraph | goal | default


def lower_pattern(pattern: str) -> str:
    """A case-insensitive rule pattern rewritten to match lower-cased text: letters outside
    escapes are lower-cased (``\\D`` and ``\\W`` keep their meaning). Matching lower-cased text
    with plain patterns is several times faster than ``re.IGNORECASE`` on Cyrillic."""
    out: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        out.append(pattern[i].lower())
        i += 1
    return "".join(out)


def lowered(text: str) -> str:
    """`text` lower-cased with its offsets kept (a letter whose lower case is longer stays)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def required_text(pattern: str) -> str:
    """Letters every match of `pattern` contains, in a row (the longest such run outside groups
    and classes), or "" when there is none or the pattern has alternatives at its top level.

    A text without them cannot match, so a plain substring test skips the pattern."""
    runs: list[str] = []
    run = ""
    depth = 0
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            runs.append(run)
            run = ""
            i += 2
            continue
        if ch == "[":
            runs.append(run)
            run = ""
            i = pattern.index("]", i + 2) + 1 if "]" in pattern[i + 2 :] else len(pattern)
            continue
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return ""
        if depth == 0 and (ch.isalpha() or ch == " ") and pattern[i + 1 : i + 2] not in ("?", "*", "{"):
            run += ch
        else:
            runs.append(run)
            run = ""
        i += 1
    runs.append(run)
    best = max(runs, key=len).strip()
    return best if len(best) >= 3 else ""


@cache
def _status_patterns() -> list[tuple[str, bool, re.Pattern[str], str]]:
    rules = load_rules("status")
    out = []
    for cue in rules["cue"]:
        for pat in cue["patterns"]:
            low = lower_pattern(pat)
            out.append((cue["status"], bool(cue.get("weak", False)), re.compile(low), required_text(low)))
    return out


def _cue_matches(text: str) -> list[tuple[str, bool, re.Match[str]]]:
    """Every cue's matches in `text`, each pattern matched on the lower-cased text (skipped
    at once when the text lacks the letters every match of it contains)."""
    low = lowered(text)
    return [
        (status, weak, m)
        for status, weak, pat, needed in _status_patterns()
        if not needed or needed in low
        for m in pat.finditer(low)
    ]


def status_cues(text: str) -> list[CueMatch]:
    """All status cues in `text`, minus those contained in a longer cue.

    Quoted titles are blanked first: the words of Подпрограма „Проектиране и изграждане …“
    name a programme, they do not say it is being designed. The same texts (a paragraph, a
    goal's notes) are asked about for every work in them, so answers are cached.
    """
    return list(_status_cues(text))


@cache
def _lemma_table() -> list[
    tuple[str, bool, re.Pattern[str], re.Pattern[str], re.Pattern[str], frozenset[str]]
]:
    """``[[lemma_cue]]`` of `rules/status.toml`: (status, weak, words with the cue's ending,
    after, not after, lemmas)."""
    return [
        (
            cue["status"],
            bool(cue.get("weak", False)),
            re.compile(rf"(?<![^\W\d_])[^\W\d_]+(?:{cue['ending']})(?![^\W\d_])"),
            re.compile(cue.get("after", ""), re.IGNORECASE),
            re.compile(cue.get("not_after", r"(?!)"), re.IGNORECASE),
            frozenset(cue["lemmas"]),
        )
        for cue in load_rules("status").get("lemma_cue", [])
    ]


def _lemma_cues(text: str) -> list[CueMatch]:
    """Status cues read from word lemmas: any form of a listed verb with the cue's ending
    ("рехабилитирани", "санирана", "асфалтирани" → completed), unless the words before it make
    it an intention or a negation ("ще бъдат обновени", "не е изградена"), or lack the words a
    cue needs before it ("се рехабилитира": under way). Only words with the ending are
    lemmatised."""
    out: list[CueMatch] = []
    low = lowered(text)
    for status, weak, words, after, not_after, lemmas in _lemma_table():
        for m in words.finditer(low):
            word = m.group(0)
            if word in lemmas or lemma(word) in lemmas:
                before = text[max(0, m.start() - 40) : m.start()]
                if after.search(before) and not not_after.search(before):
                    out.append(CueMatch(status, weak, m.start(), m.end(), text[m.start() : m.end()]))
    out.sort(key=lambda c: c.start)
    return out


@lru_cache(maxsize=8192)
def _status_cues(text: str) -> tuple[CueMatch, ...]:
    for start, end, _ in quoted_spans(text):
        text = text[:start] + " " * (end - start) + text[end:]
    found = [
        CueMatch(status, weak, m.start(), m.end(), text[m.start() : m.end()])
        for status, weak, m in _cue_matches(text)
    ]
    found += _lemma_cues(text)
    kept = sorted(
        (
            c
            for c in found
            if not any(
                o is not c and o.start <= c.start and c.end <= o.end and (o.end - o.start) > (c.end - c.start)
                for o in found
            )
        ),
        key=lambda c: (c.start, -c.end),
    )
    # Overlapping cues of one status are one phrase ("пусната поръчка" + "поръчка по ЗОП").
    merged: list[CueMatch] = []
    for c in kept:
        last = merged[-1] if merged else None
        if last is not None and last.status == c.status and c.start < last.end:
            if c.end > last.end:
                merged[-1] = CueMatch(
                    c.status, last.weak and c.weak, last.start, c.end, text[last.start : c.end]
                )
            continue
        merged.append(c)
    return tuple(merged)


def pick_status(cues: list[CueMatch]) -> CueMatch | None:
    """The deciding cue: strong before weak, then by the precedence list, then the first."""
    if not cues:
        return None
    order = load_rules("status")["precedence"]
    strong = [c for c in cues if not c.weak] or cues
    return min(strong, key=lambda c: (order.index(c.status), c.start))


def decide_status(scopes: list[tuple[str, str]]) -> StatusDecision:
    """Walk `(scope_name, text)` from the narrowest scope out; the first scope with a cue wins.

    A ``note`` scope (the whole note) never decides by itself: it is read only for a stalled
    cue, which overrides any decision but completed.
    """
    for i, (scope, text) in enumerate(scopes):
        if scope == "note":
            continue
        cue = pick_status(status_cues(text))
        if cue is not None and cue.weak:
            # "предстои ремонт, има проект съгласуван …": a weak cue yields to the first strong
            # one elsewhere in its sentence (not to other works' cues in the paragraph).
            for later_scope, later in scopes[i + 1 :]:
                if later_scope not in ("clause", "sentence"):
                    break
                strong = pick_status([c for c in status_cues(later) if not c.weak])
                if strong is not None:
                    cue = strong
                    break
        if cue is not None:
            if cue.status != "completed":
                wider = [t for name, t in scopes if name in ("sentence", "paragraph", "note")]
                stalled = [c for t in wider for c in status_cues(t) if c.status == "stalled"]
                if stalled:
                    return StatusDecision("stalled", stalled[0].text.strip(), "paragraph")
            return StatusDecision(cue.status, cue.text.strip(), scope)
    return StatusDecision(load_rules("status")["default"], "", "default")


@dataclass(frozen=True)
class _Cues:
    """A category's cue patterns as two alternations: the lower-cased ones (matched on
    lower-cased text) and those written in capitals ("LED", "ОУП"), matched as written."""

    folded: re.Pattern[str] | None
    exact: re.Pattern[str] | None
    lemmas: frozenset[str] = frozenset()

    @classmethod
    def of(cls, patterns: list[str], lemmas: list[str] | None = None) -> _Cues:
        folded = [lower_pattern(p) for p in patterns if not p.isupper()]
        exact = [p for p in patterns if p.isupper()]
        return cls(
            re.compile("|".join(f"(?:{p})" for p in folded)) if folded else None,
            re.compile("|".join(f"(?:{p})" for p in exact)) if exact else None,
            frozenset(lemmas or []),
        )

    def found(self, text: str, low: str, words: frozenset[str] = frozenset()) -> bool:
        """Does any cue occur in `text` (`low`: the same text lower-cased; `words`: its words
        and their lemmas)?"""
        return bool(
            (self.folded and self.folded.search(low))
            or (self.exact and self.exact.search(text))
            or (self.lemmas and not self.lemmas.isdisjoint(words))
        )


@cache
def _category_table() -> list[tuple[str, bool, frozenset[str], _Cues]]:
    rules = load_rules("categories")
    return [
        (
            c["name"],
            bool(c.get("exclusive", False)),
            frozenset(c.get("place_kinds", [])),
            _Cues.of(c["cues"], c.get("lemmas", [])),
        )
        for c in rules["category"]
    ]


@cache
def _locator_before() -> re.Pattern[str] | None:
    pattern = load_rules("categories").get("locator_before")
    return re.compile(pattern, re.IGNORECASE) if pattern else None


def is_locator(text_before: str) -> bool:
    """Does the text before a place introduce it as a mere locator ("до спортна зала …")?"""
    pat = _locator_before()
    return bool(pat and pat.search(text_before))


@cache
def _components() -> re.Pattern[str]:
    """The list of parts a work includes (`components` in `rules/categories.toml`)."""
    return re.compile(load_rules("categories").get("components", r"(?!)"))


@cache
def _sole_table() -> list[tuple[str, list[re.Pattern[str]]]]:
    return [
        (c["name"], [re.compile(p) for p in c["sole_cues"]])
        for c in load_rules("categories")["category"]
        if c.get("sole_cues")
    ]


def _blank_ignored(text: str) -> str:
    """`text` with the `ignore` patterns (purposes, organisations, locators) blanked out."""
    for pat in _ignored():
        text = pat.sub(" ", text)
    return text


def _sole_category(text: str) -> str | None:
    """The category whose `sole_cues` occur in `text`: it decides alone."""
    text = _blank_ignored(text)
    return next((name for name, pats in _sole_table() if any(p.search(text) for p in pats)), None)


@cache
def _ignored() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in load_rules("categories").get("ignore", [])]


@cache
def _weak_table() -> dict[str, _Cues]:
    return {
        c["name"]: _Cues.of(c["weak_cues"])
        for c in load_rules("categories")["category"]
        if c.get("weak_cues")
    }


def category_cues(text: str) -> list[str]:
    """Categories whose cue words occur in `text` (purposes, organisations blanked), in lexicon order.

    A category's `weak_cues` count only when no category's own cues occur: pupils at a museum
    lesson do not make it a school work, a memorandum on e-scooters is a transport work.
    """
    return list(_category_cues(text))


@lru_cache(maxsize=8192)
def _category_cues(text: str) -> tuple[str, ...]:
    text = _blank_ignored(text)
    low = lowered(text)
    words = word_lemmas(low)
    strong = [name for name, _, _, cues in _category_table() if cues.found(text, low, words)]
    if strong:
        return tuple(strong)
    return tuple(name for name, cues in _weak_table().items() if cues.found(text, low))


#: Characters of a work's noun phrase read for its head's categories.
_HEAD_WINDOW = 160


@cache
def _head_table() -> tuple[frozenset[str], dict[str, frozenset[str]]]:
    table = load_rules("categories").get("head", {})
    lemmas = {name: frozenset(words) for name, words in table.get("lemmas", {}).items()}
    return frozenset(table.get("stop", [])), lemmas


def head_phrase(text: str) -> str:
    """The words of `text` up to its first preposition, conjunction, quoted name or punctuation:
    the head of the noun phrase it opens ("Концерт" of "Концерт в парка", "Проект" of "Проект
    „Патронажна грижа“": a name's words say what it is called, not what it is)."""
    stop, _ = _head_table()
    words: list[str] = []
    for word in text.split():
        if word.casefold() in stop or not word[:1].isalnum():
            break
        words.append(word.rstrip(",;:.–"))
        if not word[-1:].isalnum():
            break
    return " ".join(words)


def head_categories(phrase: str) -> list[str]:
    """The categories the head of a work's noun phrase names (see `_head_categories`)."""
    return list(_head_categories(phrase))


@lru_cache(maxsize=4096)
def _head_categories(phrase: str) -> tuple[str, ...]:
    """The categories the head of a work's noun phrase names (`head_phrase`): a category's own
    cue found where the head stands — matched on the whole phrase, so a cue that reads what
    follows still can ("детски площадки в детските градини" is no park) — and the nouns that say
    what a work is only as its head (`[head]` in `rules/categories.toml`). Weak cues (an
    audience, a memorandum) never decide here."""
    # The head and what follows it closely are enough: a cue's look-ahead reads a few words on.
    # (No purpose or organisation to blank: the head ends before "за", "с" or a quoted name.)
    text = phrase[:_HEAD_WINDOW]
    head = head_phrase(text)
    if not head:
        return ()
    start = text.index(head)
    end = start + len(head)
    low = lowered(text)
    words = word_lemmas(lowered(head))
    cats: list[str] = []
    for name, _, _, cues in _category_table():
        found = any(
            pat is not None and any(start <= m.start() < end for m in pat.finditer(subject))
            for pat, subject in ((cues.folded, low), (cues.exact, text))
        )
        if found or not cues.lemmas.isdisjoint(words):
            cats.append(name)
    _, lemmas = _head_table()
    cats += [name for name, nouns in lemmas.items() if not nouns.isdisjoint(words) and name not in cats]
    return tuple(cats)


def decide_categories(
    clause: str,
    place_kinds: list[str],
    goal_text: str,
    measure: str,
    context: str = "",
    place_text: str = "",
    head: str = "",
) -> list[str]:
    """Categories of one work from its clause, its places, its goal and its measure.

    `context` is the sentence text before the work: an exclusive category named there (the
    cameras of "монтирани са камери в парк A, на пл. B …") applies to every work of the list.
    `place_text` (the place names) adds its cues and place kinds only when no exclusive category
    was found: a camera in "парк A" is not a park work. `head` is the work's own noun phrase:
    when its head names a category, that decides (`head_categories`).
    """
    table = _category_table()
    order = [name for name, _, _, _ in table]
    exclusive = {name for name, excl, _, _ in table if excl}
    weak_kinds = set(load_rules("categories").get("address_categories", []))
    sole = _sole_category(clause)
    if sole:
        return [sole]
    by_head = head_categories(head)
    if by_head:
        return sorted(set(by_head), key=order.index)
    cats = _place_bound(category_cues(clause), clause, place_kinds)
    if set(cats) & exclusive:
        # Named only among the parts the work includes, an exclusive category does not count.
        main = category_cues(_components().sub(" ", clause))
        cats = [c for c in cats if c not in exclusive or c in main]
        if set(cats) & exclusive:
            return cats
    from_context = [c for c in category_cues(context) if c in exclusive and c not in cats]
    if from_context and not (set(cats) & exclusive):
        # "камери в X, Y и Z": every listed place is a camera location, nothing more.
        return from_context
    if not (set(cats) & exclusive):
        cats += [c for c in category_cues(place_text) if c not in cats]
        for name, _, kinds, _ in table:
            if kinds & set(place_kinds) and name not in cats and (name not in weak_kinds or not cats):
                cats.append(name)
    if not cats:
        cats = category_cues(goal_text)
    if not cats:
        cats = [load_rules("categories")["measure_default"].get(measure, "other")]
    if len(set(cats)) > 1 and "other" in cats:
        cats = [c for c in cats if c != "other"]  # "other" is what nothing else is
    return sorted(set(cats), key=order.index)


@cache
def _place_bound_table() -> list[tuple[str, frozenset[str], re.Pattern[str]]]:
    """(category, its place kinds, its ``place_bound`` cues as one pattern) of `categories.toml`."""
    return [
        (
            c["name"],
            frozenset(c.get("place_kinds", [])),
            re.compile("|".join(c["place_bound"]), re.IGNORECASE),
        )
        for c in load_rules("categories")["category"]
        if c.get("place_bound")
    ]


def _place_bound(cats: list[str], clause: str, place_kinds: list[str]) -> list[str]:
    """``cats`` without a category that only a ``place_bound`` cue gave a work whose places are
    none of that category's kinds (a floor's "настилка" in a house is no road work)."""
    if not place_kinds:
        return cats
    for name, kinds, bound in _place_bound_table():
        if (
            name in cats
            and not kinds & set(place_kinds)
            and name not in category_cues(bound.sub(" ", clause))
        ):
            cats = [c for c in cats if c != name]
    return cats


@cache
def _not_work_patterns() -> list[re.Pattern[str]]:
    return [re.compile(p, re.IGNORECASE) for p in load_rules("works").get("not_work", {}).get("patterns", [])]


def is_not_work(sentence: str) -> bool:
    """Does the sentence open with an activity the register does not count as a work?

    Taking part in other bodies' conferences, networks and media (labelling guide §5.1): the
    patterns live in `rules/works.toml` under `not_work`.
    """
    head = sentence.lstrip(" \t-–—•*")
    return any(p.match(head) for p in _not_work_patterns())


@cache
def _narrative() -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    table = load_rules("works").get("narrative", {})
    openers, anywhere = table.get("openers", []), table.get("anywhere", [])
    return (
        re.compile("|".join(f"(?:{p})" for p in openers), re.IGNORECASE) if openers else None,
        re.compile("|".join(f"(?:{p})" for p in anywhere), re.IGNORECASE) if anywhere else None,
    )


def is_narrative(sentence: str) -> bool:
    """Does the sentence only explain (a condition, a reason, what was before, a rule of law)?

    Such a sentence states no action with a stage on a thing (labelling guide §2.7); the
    patterns live in `rules/works.toml` under `narrative`.
    """
    openers, anywhere = _narrative()
    head = sentence.lstrip(" \t-–—•*")
    return bool((openers and openers.match(head)) or (anywhere and anywhere.search(sentence)))


@cache
def _item_openers() -> re.Pattern[str]:
    openers = load_rules("works").get("narrative", {}).get("item_openers", [])
    return re.compile("|".join(f"(?:{p})" for p in openers) or r"(?!)", re.IGNORECASE)


def describes(item: str) -> bool:
    """Does a list item open with a circumstance, not an action or a thing (and name no counted
    batch of things, which is a work: labelling guide §2.5)?"""
    head = item.lstrip(" \t-–—•*")
    batch = compile_pattern(load_rules("works").get("narrative", {}).get("counted_batch", r"(?!)"))
    return bool(_item_openers().match(head)) and not batch.match(head)


@cache
def _work_table() -> list[tuple[str, re.Pattern[str]]]:
    return [(w["noun"], re.compile(w["pattern"], re.IGNORECASE)) for w in load_rules("works")["work"]]


def work_noun(*texts: str) -> str | None:
    """The noun naming the work, from the first text that has one."""
    for text in texts:
        hits = [(m.start(), noun) for noun, pat in _work_table() for m in [pat.search(text)] if m]
        if hits:
            return min(hits)[1]
    return None
