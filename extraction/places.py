"""Find place mentions in a sentence of the report.

A mention is a type word plus a proper name (`бул. „Копривщица“`), a name continuing a list
after such a mention (`ДГ "Перуника" и "Снежанка"`), or a landmark the report names bare
(`Цар-Симеоновата градина`); see `rules/places.toml`. On top of single mentions the scanner
recognises three relations the register keeps:

* a segment: `ул. X (в участъка) от Y до Z` → X with ``between = [Y, Z]``;
* a block: `в карето (между) A – B – C – D` (or a dash chain of three or more streets)
  → one ``block`` mention with ``streets``;
* a junction: `кръстовището на бул. A и B` → one ``junction`` mention with ``streets``.

Quotes are normalised to ``"`` character by character, so offsets stay valid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extraction.lexicon import load_rules
from works.model import Place, PlaceKind

QUOTE_CHARS = '„“”"«»‟″'
_QUOTE_TABLE = str.maketrans({c: '"' for c in QUOTE_CHARS})
#: The register's place kinds (`places[].kind`); geocoding builds on this one list.
PLACE_KINDS: tuple[str, ...] = (
    "street",
    "boulevard",
    "square",
    "park",
    "garden",
    "kindergarten",
    "nursery",
    "school",
    "underpass",
    "bridge",
    "junction",
    "block",
    "neighbourhood",
    "district",
    "village",
    "facility",
)
#: Kinds made of other named places (a junction, a block): no name of their own to look up.
RELATION_KINDS = frozenset({"junction", "block"})
ROAD_KINDS = frozenset({"street", "boulevard"})
#: Kinds that are the object of a work (a district is context, not a work site).
OBJECT_KINDS = frozenset(PLACE_KINDS) - {"district"}

_UNQUOTED_NAME = (
    r"(?:[А-ЯЁA-Z0-9][^\s,.;:()\"]*|II|III)"
    r"(?:\s+(?:[А-ЯЁA-Z0-9][^\s,.;:()\"]*|шосе|септември|януари|юг|север))*"
)
_CONT_GAP = re.compile(r"^\s*(?:,|и|–|-|/|,?\s*както и)?\s*(?:и\s+)?(?:в|на|от)?\s*$")
#: A bare quoted name continues a list only after a separator: "ДГ „А“ и „Б“", not the title in
#: "Епископската базилика „Български паметници …“".
_LIST_GAP = re.compile(r"^\s*(?:,|и|–|-|/|,?\s*както и)\s*(?:и\s+)?(?:в|на|от)?\s*$")
_DASH_GAP = re.compile(r"^\s*[–-]\s*$")
_FROM = re.compile(r"(?:в участъка\s+)?\bот\s*$")
_TO = re.compile(r"\bдо\s*$")
_JUNCTION_TRIGGER = re.compile(r"(?:кръстовищ(?:е|ето|а|ата)|ъгъла)\s+на\s*$")
_FROM_GAP = re.compile(r"^\s*,?\s*(?:в участъка\s+)?от\s*$")
_TO_GAP = re.compile(r"^\s*до\s*$")
_BLOCK_TRIGGER = re.compile(r"(?:карето|каре|зоната|пространството)\b[^\"]{0,40}?(?:между|около)?\s*:?\s*$")
_BETWEEN_TRIGGER = re.compile(r"\bмежду\s*$")


@dataclass
class PlaceMention:
    """One place named in the text, with its character span in the sentence."""

    name: str
    kind: str
    start: int
    end: int
    display: str = ""
    between: list[str] = field(default_factory=list)
    streets: list[str] = field(default_factory=list)
    role: str = "object"  # object | endpoint | member | context
    surface: str = ""  # the words as the report writes them
    district: str = ""  # for an unnamed site placed by district ("нова ДГ в район Южен")

    def to_place(self) -> Place:
        """The register's place (``works.model.Place``) this mention stands for."""
        return Place(
            text=self.surface or self.display or self.name,
            kind=PlaceKind(self.kind),
            name=self.display or self.name,
            between=list(self.between),
            streets=list(self.streets),
        )

    def as_dict(self) -> dict[str, object]:
        """The register's JSON form: the text as written, its kind, a canonical label, relations."""
        out: dict[str, object] = {
            "text": self.surface or self.display or self.name,
            "kind": self.kind,
            "name": self.display or self.name,
        }
        if self.between:
            out["between"] = list(self.between)
        if self.streets:
            out["streets"] = list(self.streets)
        return out


def normalise_quotes(text: str) -> str:
    """Map every quote character to ``"`` (one character for one, offsets unchanged)."""
    return text.translate(_QUOTE_TABLE)


def quoted_spans(s: str, original: str | None = None) -> list[tuple[int, int, str]]:
    """Spans of quoted text as (start, end, inner text), nested quotes resolved innermost-first.

    Bulgarian text mixes „…“ with "…" and “…”, and nests them („Проект на „Тютюнев град““),
    so direction comes from context: „ and « open, » closes, and a straight or curly quote
    opens after a space or at the start and closes after a letter — unless nothing is open.
    """
    src = original if original is not None else s
    stack: list[int] = []
    spans: list[tuple[int, int, str]] = []
    for i, ch in enumerate(src):
        if ch not in QUOTE_CHARS:
            continue
        prev = src[i - 1] if i else " "
        if ch in "„«":
            opening = True
        elif ch == "»":
            opening = False
        else:
            opening = prev.isspace() or prev in "(/-–:;,"
        if opening or not stack:
            stack.append(i)
            continue
        a = stack.pop()
        if 0 < i - a - 1 <= 200:
            spans.append((a, i + 1, s[a + 1 : i]))
    spans.sort()
    return spans


def _prefix_table() -> list[tuple[str, str, re.Pattern[str]]]:
    rules = load_rules("places")
    table = []
    for entry in rules["prefix"]:
        pat = re.compile(r"(?<![\w.])(?:" + entry["pattern"] + r")(?:(?<=\.)|(?=[\s\"]|$))")
        table.append((entry["kind"], entry.get("display", ""), pat))
    return table


def _district_forms() -> list[tuple[str, re.Pattern[str]]]:
    rules = load_rules("places")
    return [(canon, re.compile(rf"^(?:{forms})$")) for canon, forms in rules["district"].items()]


def canonical_district(name: str) -> str | None:
    """Map a district form ("Южния", "Тракия") to its canonical name, or None."""
    bare = name.strip().strip('"').strip()
    for canon, pat in _district_forms():
        if pat.match(bare):
            return canon
    return None


def _display(kind: str, prefix_display: str, prefix_text: str, name: str) -> str:
    if kind in ("district",):
        return f"район „{name}“"
    label = prefix_display or prefix_text
    if kind in ("school", "facility"):
        label = prefix_text
    if kind == "bridge" and prefix_text.lower().startswith("мост"):
        label = "мост"
    if not label or label.lower() in ("улиците", "булевардите", "районите", "парковете"):
        label = {"street": "ул.", "boulevard": "бул.", "district": "район", "park": "парк"}.get(kind, label)
    if label.lower() in ("детски градини", "детските градини", "детска градина", "детската градина"):
        label = "ДГ"
    if label.lower() in ("детски ясли", "детските ясли", "детска ясла", "детската ясла"):
        label = "ДЯ"
    return f"{label} „{name}“".strip() if label else f"„{name}“"


def _clean_name(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip(" -–,")


def _raw_mentions(s: str, original: str) -> list[PlaceMention]:
    """Prefixed names, bare landmarks and bare quoted strings (kind ``?``) in order."""
    found: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    quoted = quoted_spans(s, original)
    inside_quote = [(a, b) for a, b, _ in quoted]
    for kind, disp, pat in _prefix_table():
        for m in pat.finditer(s):
            a = m.start()
            if not free(a, m.end()) or any(x < a < y for x, y in inside_quote):
                continue
            rest = s[m.end() :]
            gap = re.match(r"\s*(?:[-–:]\s*)?", rest)
            pos = m.end() + (gap.end() if gap else 0)
            q = next((t for t in quoted if t[0] == pos), None)
            if q is not None:
                name, end = q[2], q[1]
            else:
                um = re.match(_UNQUOTED_NAME, s[m.end() :].lstrip())
                if not um or not (s[m.end() : m.end() + 1].isspace()):
                    continue
                off = len(s[m.end() :]) - len(s[m.end() :].lstrip())
                name, end = um.group(0), m.end() + off + um.end()
            name = _clean_name(name)
            if not name:
                continue
            found.append(PlaceMention(name, kind, a, end, _display(kind, disp, m.group(0), name)))
            taken.append((a, end))
    for entry in load_rules("places")["landmark"]:
        for m in re.finditer(entry["pattern"], s):
            if free(m.start(), m.end()):
                found.append(PlaceMention(entry["name"], entry["kind"], m.start(), m.end(), entry["name"]))
                taken.append((m.start(), m.end()))
    for a, b, text in quoted:
        if free(a, b):
            found.append(PlaceMention(_clean_name(text), "?", a, b, f"„{_clean_name(text)}“"))
    found.sort(key=lambda p: p.start)
    return found


def _resolve_bare(s: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Give bare quoted names a kind from list context, or drop them (they name organisations)."""
    out: list[PlaceMention] = []
    for pm in mentions:
        if pm.kind != "?":
            out.append(pm)
            continue
        before = s[: pm.start]
        prev = out[-1] if out else None
        gap = s[prev.end : pm.start] if prev else None
        if prev is not None and prev.kind != "?" and gap is not None and _LIST_GAP.match(gap):
            kind = prev.kind
        elif (_TO.search(before) or _FROM.search(before)) and any(p.kind in ROAD_KINDS for p in out):
            kind = next(p.kind for p in reversed(out) if p.kind in ROAD_KINDS)
        elif canonical_district(pm.name) and re.search(r"\b(?:в|и|на)\s*$", before):
            kind = "district"
        else:
            continue
        if kind == "district":
            pm.display = f"район „{pm.name}“"
        else:
            prefix = prev.display.split("„")[0].strip() if prev is not None and prev.kind == kind else ""
            pm.display = f"{prefix} „{pm.name}“".strip()
        pm.kind = kind
        out.append(pm)
    return out


def _canonicalise_districts(mentions: list[PlaceMention]) -> list[PlaceMention]:
    out = []
    for pm in mentions:
        if pm.kind == "district":
            canon = canonical_district(pm.name)
            if canon is None:
                # "район „Коматево“" (a former district) is a neighbourhood; a quoted title
                # after "районите – „Кино под звездите“" is not a place at all.
                if re.fullmatch(r"[А-Я][а-я]+(?:[ -][А-Я][а-я]+)?", pm.name):
                    pm.kind, pm.display = "neighbourhood", f"кв. „{pm.name}“"
                    out.append(pm)
                continue
            pm.name, pm.display, pm.role = canon, f"район „{canon}“", "context"
        out.append(pm)
    return out


def _chain(s: str, mentions: list[PlaceMention], i: int, gap_re: re.Pattern[str]) -> list[int]:
    """Indices of the run of road mentions starting at `i` joined by list separators."""
    run = [i]
    j = i + 1
    while j < len(mentions) and mentions[j].kind in ROAD_KINDS:
        if not gap_re.match(s[mentions[run[-1]].end : mentions[j].start]):
            break
        run.append(j)
        j += 1
    return run


_GENERIC_GAP = re.compile(r"^[^.,;:\"]{0,30}?\b(?:в|и)\s*(?:район(?:а|ите)?\s*)?$")
_DISTRICT_CHAIN_GAP = re.compile(r"^\s*(?:,|и)?\s*(?:и\s+)?(?:в\s+)?(?:район(?:а|ите)?\s*)?$")


def _generic_sites(s: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Unnamed sites placed by district ("двете нови ДГ в „Южен“ и в „Тракия“"): one per district."""
    sites: list[PlaceMention] = []
    districts = [m for m in mentions if m.kind == "district"]
    for entry in load_rules("places").get("generic", []):
        for g in re.finditer(entry["pattern"], s):
            prev_end = g.end()
            first = True
            for d in districts:
                if d.start < prev_end:
                    continue
                gap_re = _GENERIC_GAP if first else _DISTRICT_CHAIN_GAP
                if not gap_re.match(s[prev_end : d.start]):
                    break
                end = d.end
                paren = re.match(r"\s*\(([^()]{1,40})\)", s[end:])
                suffix = f" ({paren.group(1)})" if paren else ""
                if paren:
                    end += paren.end()
                sites.append(
                    PlaceMention(
                        f"{entry['label']} – район {d.name}{suffix}",
                        entry["kind"],
                        g.start() if first else d.start,
                        end,
                        f"{entry['label']} в район „{d.name}“{suffix}",
                        district=d.name,
                    )
                )
                prev_end, first = d.end, False
    return sites


def _relations(s: str, mentions: list[PlaceMention]) -> list[PlaceMention]:
    """Fold endpoints, block members and junction members into their relation mention."""
    out: list[PlaceMention] = []
    i = 0
    while i < len(mentions):
        pm = mentions[i]
        before = s[: pm.start]
        if pm.kind in ROAD_KINDS and _JUNCTION_TRIGGER.search(before):
            run = _chain(s, mentions, i, _CONT_GAP)
            names: list[str] = []
            for k in run:
                names.extend(p.strip() for p in re.split(r"\s+и\s+", mentions[k].name))
            # Pair the names in order: "A и B, C и D" → (A, B), (C, D).
            for a in range(0, len(names) - 1, 2):
                pair = names[a : a + 2]
                out.append(
                    PlaceMention(
                        " / ".join(pair),
                        "junction",
                        mentions[run[0]].start if a == 0 else mentions[run[min(a, len(run) - 1)]].start,
                        mentions[run[-1]].end,
                        f"кръстовище {' / '.join(pair)}",
                        streets=pair,
                    )
                )
            i = run[-1] + 1
            continue
        if pm.kind in ROAD_KINDS:
            block_trigger = _BLOCK_TRIGGER.search(before[-80:])
            run = _chain(s, mentions, i, _CONT_GAP)
            dash_run = _chain(s, mentions, i, _DASH_GAP)
            between_trigger = _BETWEEN_TRIGGER.search(before)
            if (block_trigger and len(run) >= 2) or len(dash_run) >= 3 or (between_trigger and len(run) >= 3):
                members = run if len(run) >= len(dash_run) else dash_run
                streets = [mentions[k].display for k in members]
                out.append(
                    PlaceMention(
                        " – ".join(mentions[k].name for k in members),
                        "block",
                        pm.start,
                        mentions[members[-1]].end,
                        "каре " + " – ".join(streets),
                        streets=streets,
                    )
                )
                i = members[-1] + 1
                continue
        if _FROM.search(before) or _TO.search(before):
            pm.role = "endpoint"
        out.append(pm)
        i += 1
    # Attach "от Y до Z" endpoints to the road right before them ("ул. X от Y до Z").
    result: list[PlaceMention] = []
    for pm in out:
        if pm.role == "endpoint" and result:
            host = result[-1]
            gap = s[host.end : pm.start]
            from_ok = not host.between and _FROM_GAP.match(gap)
            to_ok = len(host.between) == 1 and _TO_GAP.match(gap)
            if (
                host.role == "object"
                and host.kind in ROAD_KINDS | {"bridge", "underpass"}
                and (from_ok or to_ok)
            ):
                host.between.append(pm.display)
                host.end = pm.end
                continue
            if host.role == "endpoint" and _TO_GAP.match(gap):
                # "от Y до Z" with no road before it: a pair the caller attaches to the goal's road.
                host.between.append(pm.display)
                host.end = pm.end
                continue
        result.append(pm)
    return result


def _pretty_surface(text: str) -> str:
    """The mention as written, with its quotes made Bulgarian („…“) and spaces collapsed."""
    out, opened = [], False
    for ch in re.sub(r"\s+", " ", text.strip()):
        if ch in QUOTE_CHARS:
            out.append("“" if opened else "„")
            opened = not opened
        else:
            out.append(ch)
    return "".join(out).strip(" ,;")


_ORGANISER = r"(?:\s+[А-ЯA-Z][\w–-]*(?:\s*[–-]\s*[А-Я][\w]*)?){0,2}"
_TITLE_LIST_GAP = re.compile(r"\s*(?:,\s*(?:и\s+)?|\s+и\s+)$")


def find_initiatives(sentence: str) -> list[PlaceMention]:
    """Named initiatives ("кампанията „Книги за смет“") as mentions of kind ``initiative``.

    They are works, not places: the register lists them as records with no place, and the
    extractor keeps them out of `places`. Quoted titles listed after the first one ("изложби
    „А“, „Б“ и „В“") are initiatives of the same kind.
    """
    s = normalise_quotes(sentence)
    spans = quoted_spans(s, sentence)
    found: list[PlaceMention] = []

    def add(start: int, q: tuple[int, int, str], label: str) -> None:
        title = _clean_name(q[2])
        if title:
            pm = PlaceMention(title, "initiative", start, q[1], f"{label} „{title}“")
            pm.surface = _pretty_surface(sentence[start : q[1]])
            found.append(pm)

    for entry in load_rules("works").get("initiative", []):
        trigger = re.compile(r"(?<!\w)(?:" + entry["pattern"] + r")(?!\w)" + _ORGANISER + r"\s*[:–-]?\s*")
        for m in trigger.finditer(s):
            q = next((t for t in spans if t[0] == m.end()), None)
            if q is None or any(f.start <= q[0] < f.end for f in found):
                continue
            add(m.start(), q, entry["label"])
            while True:  # the titles listed after it
                end = q[1]
                q = next((t for t in spans if t[0] > end and _TITLE_LIST_GAP.fullmatch(s[end : t[0]])), None)
                if q is None or any(f.start <= q[0] < f.end for f in found):
                    break
                add(q[0], q, entry["label"])
    return sorted(found, key=lambda p: p.start)


_DESTINATION = re.compile(r"(?:\b(?:към|в|във|на|от|до|за|с|със)\s+(?:\w+\s+)?)$", re.IGNORECASE)


def find_common_works(sentence: str) -> list[PlaceMention]:
    """Works named by a common noun ("Център за обучение на диабетици"), kind ``initiative``.

    Like named initiatives they are works, not places; `rules/works.toml` ([[common]]) lists
    the patterns. The caller keeps them only when the sentence states a stage.
    """
    found: list[PlaceMention] = []
    for entry in load_rules("works").get("common", []):
        for m in re.finditer(entry["pattern"], sentence):
            if _DESTINATION.search(sentence[max(0, m.start() - 30) : m.start()]):
                continue
            title = m.group("title").strip()
            title = re.sub(r"^[Цц]ент(?:ъра|ърът)\b", "Център", title)
            title = title[:1].upper() + title[1:]
            pm = PlaceMention(title, "initiative", m.start(), m.end(), title)
            pm.surface = _pretty_surface(sentence[m.start() : m.end()])
            found.append(pm)
    kept: list[PlaceMention] = []
    for pm in sorted(found, key=lambda p: (p.start, -p.end)):
        if not any(k.start < pm.end and pm.start < k.end for k in kept):
            kept.append(pm)
    return kept


def find_places(sentence: str) -> list[PlaceMention]:
    """All place mentions in `sentence`, relations folded, in textual order."""
    s = normalise_quotes(sentence)
    mentions = _raw_mentions(s, sentence)
    for pm in mentions:
        pm.surface = _pretty_surface(sentence[pm.start : pm.end])
    mentions = _resolve_bare(s, mentions)
    mentions = _canonicalise_districts(mentions)
    # A place in parentheses locates another one ("Зала по бадминтон (в двора на СУ „Васил
    # Левски“)"): it is context, not a work site of its own.
    for pm in mentions:
        opened = s.rfind("(", max(0, pm.start - 60), pm.start)
        closed = s.find(")", pm.end, pm.end + 60)
        if pm.role == "object" and opened >= 0 and ")" not in s[opened : pm.start] and closed >= 0:
            pm.role = "context"
    sites = _generic_sites(s, mentions)
    for site in sites:
        site.surface = _pretty_surface(sentence[site.start : site.end])
    mentions = sorted(mentions + sites, key=lambda p: (p.start, p.end))
    return _relations(s, mentions)
