"""Every label of the dashboard in Bulgarian (default) and English, kept as data.

Why data: translators and reviewers read one table, and a missing English label is a test
failure (tests check both languages have the same keys) rather than a blank on screen.
Place names stay in Cyrillic; in English they are followed by their official transliteration
(:func:`display_name`).
"""

from __future__ import annotations

from typing import Any, Literal

from dashboard.escaping import md_text

Lang = Literal["bg", "en"]
LANGS: tuple[Lang, ...] = ("bg", "en")

STATUSES: dict[str, dict[Lang, str]] = {
    "completed": {"bg": "Завършен", "en": "Completed"},
    "in_progress": {"bg": "В изпълнение", "en": "In progress"},
    "procurement": {"bg": "Обществена поръчка", "en": "Procurement"},
    "design": {"bg": "Проектиране", "en": "Design"},
    "planned": {"bg": "Планиран", "en": "Planned"},
    "stalled": {"bg": "Спрян / без финансиране", "en": "Stalled / unfunded"},
    "unknown": {"bg": "Неизвестен", "en": "Unknown"},
}

CATEGORIES: dict[str, dict[Lang, str]] = {
    "road": {"bg": "Пътища и улици", "en": "Roads and streets"},
    "park": {"bg": "Паркове и зеленина", "en": "Parks and greenery"},
    "school": {"bg": "Училища и детски градини", "en": "Schools and kindergartens"},
    "camera": {"bg": "Видеонаблюдение", "en": "CCTV"},
    "sport": {"bg": "Спорт", "en": "Sport"},
    "water": {"bg": "Води и канализация", "en": "Water and sewerage"},
    "parking": {"bg": "Паркиране", "en": "Parking"},
    "health": {"bg": "Здравеопазване", "en": "Health"},
    "social": {"bg": "Социални услуги", "en": "Social services"},
    "culture": {"bg": "Култура", "en": "Culture"},
    "waste": {"bg": "Отпадъци", "en": "Waste"},
    "lighting": {"bg": "Осветление", "en": "Lighting"},
    "transport": {"bg": "Транспорт", "en": "Transport"},
    "planning": {"bg": "Устройствено планиране", "en": "Urban planning"},
    "other": {"bg": "Други", "en": "Other"},
}

PRECISIONS: dict[str, dict[Lang, str]] = {
    "facility": {"bg": "Обект", "en": "Facility"},
    "segment": {"bg": "Участък от улица", "en": "Street segment"},
    "street": {"bg": "Цяла улица", "en": "Whole street"},
    "area": {"bg": "Площ", "en": "Area"},
    "neighbourhood": {"bg": "Квартал", "en": "Neighbourhood"},
    "manual": {"bg": "Ръчна корекция", "en": "Manual correction"},
    "district": {"bg": "Само район", "en": "District only"},
    "city": {"bg": "Целия град", "en": "City-wide"},
    "none": {"bg": "Без местоположение", "en": "Not located"},
}

#: What a gazetteer object is (the picker lists these beside each candidate).
OBJECT_KINDS: dict[str, dict[Lang, str]] = {
    "street": {"bg": "улица", "en": "street"},
    "boulevard": {"bg": "булевард", "en": "boulevard"},
    "square": {"bg": "площад", "en": "square"},
    "park": {"bg": "парк", "en": "park"},
    "garden": {"bg": "градина", "en": "garden"},
    "kindergarten": {"bg": "детска градина", "en": "kindergarten"},
    "nursery": {"bg": "детска ясла", "en": "nursery"},
    "school": {"bg": "училище", "en": "school"},
    "underpass": {"bg": "подлез", "en": "underpass"},
    "bridge": {"bg": "мост", "en": "bridge"},
    "neighbourhood": {"bg": "квартал", "en": "neighbourhood"},
    "village": {"bg": "село", "en": "village"},
    "facility": {"bg": "обект", "en": "facility"},
    "hospital": {"bg": "болница", "en": "hospital"},
    "stadium": {"bg": "стадион", "en": "stadium"},
    "sport": {"bg": "спортен обект", "en": "sports ground"},
    "museum": {"bg": "музей", "en": "museum"},
    "heritage": {"bg": "паметник на културата", "en": "heritage site"},
    "zoo": {"bg": "зоопарк", "en": "zoo"},
    "station": {"bg": "гара", "en": "station"},
    "natural": {"bg": "природен обект", "en": "natural feature"},
    "river": {"bg": "река", "en": "river"},
    "railway": {"bg": "железопътна линия", "en": "railway"},
}

REVIEWS: dict[str, dict[Lang, str]] = {
    "machine": {"bg": "Непроверен (машинно извлечен)", "en": "Not reviewed (machine-extracted)"},
    "reviewed": {"bg": "Проверен", "en": "Reviewed"},
    "corrected": {"bg": "Проверен и коригиран", "en": "Reviewed and corrected"},
    "added": {"bg": "Добавен при проверка", "en": "Added by a reviewer"},
}

UNLOCATED_REASONS: dict[str, dict[Lang, str]] = {
    "city_wide": {"bg": "за целия град", "en": "city-wide"},
    "district_only": {"bg": "само район", "en": "district only"},
    "not_geocoded": {"bg": "не е намерено на картата", "en": "not found on the map"},
    "invalid_geometry": {"bg": "невалидна геометрия", "en": "invalid geometry"},
}

VIEWS: dict[str, dict[Lang, str]] = {
    "map": {"bg": "Карта", "en": "Map"},
    "residents": {"bg": "За жителите", "en": "Residents"},
    "planners": {"bg": "Планиране", "en": "Planners"},
    "councillors": {"bg": "Общински съвет", "en": "Councillors"},
    "review": {"bg": "Проверка", "en": "Review"},
}

TEXT: dict[str, dict[Lang, str]] = {
    "places": {"bg": "Места", "en": "Places"},
    "did_you_mean": {"bg": "Може би: ", "en": "Did you mean: "},
    "review_title": {"bg": "Проверка на регистъра", "en": "Reviewing the register"},
    "review_progress": {
        "bg": "Проверени: {done} от {total} записа ({works} работи на картата и в броевете, {off} извън тях)",
        "en": "Reviewed: {done} of {total} records ({works} works on the map and in the counts, "
        "{off} off them)",
    },
    "review_work": {
        "bg": "Работа (● = непроверена; първо най-съмнителните)",
        "en": "Work (● = not reviewed; most doubtful first)",
    },
    "review_doubts": {"bg": "Съмнения", "en": "Doubts"},
    "doubt_no_status_evidence": {"bg": "няма основание за статуса", "en": "no evidence for the status"},
    "doubt_name_from_goal": {"bg": "името е от целта", "en": "name taken from the goal"},
    "doubt_several_from_one_sentence": {
        "bg": "няколко записа от едно изречение",
        "en": "several records from one sentence",
    },
    "doubt_not_located": {"bg": "мястото не е намерено", "en": "place not found"},
    "doubt_approximate_geometry": {"bg": "приблизително местоположение", "en": "approximate location"},
    "review_places": {
        "bg": "Места (по едно на ред, както ги знае геокодерът: ул. „…“, бул. „…“, ДГ „…“)",
        "en": "Places (one per line, as the geocoder knows them: ул. „…“, бул. „…“, ДГ „…“)",
    },
    "review_reason": {"bg": "Причина (по желание)", "en": "Reason (optional)"},
    "review_confirm": {"bg": "Потвърди", "en": "Confirm"},
    "review_edit": {"bg": "Запази промените", "en": "Save changes"},
    "review_nothing_changed": {"bg": "Нищо не е променено.", "en": "Nothing was changed."},
    "review_not_work": {"bg": "Не е работа", "en": "Not a work"},
    "review_mark_not_work": {"bg": "Отбележи: не е работа", "en": "Mark as not a work"},
    "review_split": {"bg": "Раздели на няколко работи", "en": "Split into several works"},
    "review_split_hint": {
        "bg": "По една работа на ред: име | статус | категории | години",
        "en": "One work per line: name | status | categories | years",
    },
    "review_parts": {"bg": "Части", "en": "Parts"},
    "review_split_button": {"bg": "Раздели", "en": "Split"},
    "review_merge": {"bg": "Обедини с друг запис (дубликат)", "en": "Merge into another record (duplicate)"},
    "review_merge_into": {"bg": "Същата работа като", "en": "The same work as"},
    "review_merge_button": {"bg": "Обедини", "en": "Merge"},
    "review_i_confirm": {"bg": "Потвърждавам", "en": "I confirm"},
    "review_i_confirm_help": {
        "bg": "Решението сменя картата за всички; без отметка нищо не се записва.",
        "en": "The decision changes the map for everyone; without the tick nothing is saved.",
    },
    "review_tick_first": {
        "bg": "Нищо не е записано: отбележете „Потвърждавам“ и натиснете бутона отново.",
        "en": "Nothing was saved: tick “I confirm” and press the button again.",
    },
    "review_add": {"bg": "Добави пропусната работа", "en": "Add a missed work"},
    "review_sentence": {"bg": "Изречение от отчета", "en": "Report sentence"},
    "review_add_button": {"bg": "Добави", "en": "Add"},
    "review_saved": {"bg": "Записано: {action}.", "en": "Saved: {action}."},
    "review_no_report": {
        "bg": "Отчетът не може да бъде прочетен: {error}",
        "en": "The report cannot be read: {error}",
    },
    "review_other_report": {
        "bg": "Регистърът е построен от друга версия на отчета; проверката е спряна до новото построяване.",
        "en": "The register was built from another version of the report; review waits for a rebuild.",
    },
    "loc_title": {
        "bg": "Местоположение: обект или участък от OSM, или карфица",
        "en": "Location: an OSM object or street segment, or a pin",
    },
    "loc_now": {"bg": "Сега: {places} — {precision}", "en": "Now: {places} — {precision}"},
    "loc_pick": {"bg": "Избор чрез геокодера", "en": "Pick through the geocoder"},
    "loc_query": {
        "bg": "Търсене в OSM (име; на кирилица или латиница)",
        "en": "Search OSM (a name; Cyrillic or Latin)",
    },
    "loc_kind": {"bg": "Вид", "en": "Kind"},
    "loc_any_kind": {"bg": "всякакъв", "en": "any"},
    "loc_candidate": {"bg": "Обект", "en": "Object"},
    "loc_none_found": {"bg": "Нищо не е намерено за „{q}“.", "en": "Nothing found for “{q}”."},
    "loc_from": {"bg": "От (пресечка)", "en": "From (cross street)"},
    "loc_to": {"bg": "До (пресечка)", "en": "To (cross street)"},
    "loc_whole": {"bg": "— цялата улица —", "en": "— the whole street —"},
    "loc_keep": {
        "bg": "Запази и другите места на работата",
        "en": "Keep the work's other places too",
    },
    "loc_preview": {
        "bg": "Така ще бъде при следващото построяване: {precision}",
        "en": "This is what the next build gives: {precision}",
    },
    "loc_details": {
        "bg": "Източници: {sources} · райони: {districts}",
        "en": "Sources: {sources} · districts: {districts}",
    },
    "loc_flags": {"bg": "Приближения: {flags}", "en": "Approximations: {flags}"},
    "loc_not_located": {
        "bg": "Геокодерът не намира място за този избор; нищо не би се появило на картата.",
        "en": "The geocoder finds no place for this choice; nothing would show on the map.",
    },
    "loc_save": {"bg": "Запази мястото", "en": "Save the place"},
    "loc_saved_action": {"bg": "място", "en": "place"},
    "loc_unavailable": {
        "bg": "Геокодерът не е достъпен: {error}",
        "en": "The geocoder is not available: {error}",
    },
    "loc_pin": {"bg": "Карфица на картата", "en": "Pin on the map"},
    "review_orphans": {"bg": "Осиротели решения ({n})", "en": "Orphaned decisions ({n})"},
    "review_orphans_hint": {
        "bg": "Работата им вече я няма (извличането е разрязало записа иначе); пазят се и не се"
        " прилагат. Под всяко — записите, които най-вероятно са я наследили (същият ред на отчета,"
        " по сходство на текста). Нищо не се прилага само: изберете запис, за да пренесете"
        " решението върху него като ново решение от ваше име.",
        "en": "Their work is gone (the extractor cut the record differently); kept, never applied."
        " Under each, the records most likely to have succeeded it (the same report line, by text"
        " overlap). Nothing is applied by itself: pick a record to re-state the decision on it as a"
        " new decision in your name.",
    },
    "review_orphans_error": {
        "bg": "Осиротелите решения не могат да бъдат прочетени: {error}",
        "en": "The orphaned decisions cannot be read: {error}",
    },
    "review_orphan": {
        "bg": "**{action}** от {reviewer}, {at} — {reason} ({uid})",
        "en": "**{action}** by {reviewer}, {at} — {reason} ({uid})",
    },
    "review_orphan_added": {
        "bg": "Добавена работа, която извличането вече намира сам: потвърдете или поправете нея.",
        "en": "An added work the extractor now finds itself: confirm or edit that record instead.",
    },
    "review_orphan_by_text": {
        "bg": "Редът му в отчета не е намерен; записи само по сходство на текста (слаба подсказка):",
        "en": "Its report line is not found; records by text overlap alone (a weak hint):",
    },
    "review_orphan_none": {
        "bg": "Ред {line} на отчета: там вече няма запис.",
        "en": "Report line {line}: no record there now.",
    },
    "review_successor": {
        "bg": "{name} · {work} · ред {line} · сходство {score}%",
        "en": "{name} · {work} · line {line} · overlap {score}%",
    },
    "review_restated_by": {"bg": "вече пренесено с {uid}", "en": "already re-stated by {uid}"},
    "review_restate": {"bg": "Пренеси тук", "en": "Re-state here"},
    "review_restate_help": {
        "bg": "Същото действие и промени върху този запис, като ново решение от ваше име,"
        " с причина, която цитира осиротялото решение",
        "en": "The same action and changes on this record, as a new decision in your name, its"
        " reason citing the orphaned decision",
    },
    "review_restated_action": {
        "bg": "решение {uid}, пренесено на {work}",
        "en": "decision {uid}, re-stated on {work}",
    },
    "review_action_confirm": {"bg": "Потвърждение", "en": "Confirm"},
    "review_action_edit": {"bg": "Поправка", "en": "Edit"},
    "review_action_not_work": {"bg": "Не е работа", "en": "Not a work"},
    "review_action_split": {"bg": "Разделяне", "en": "Split"},
    "review_action_merge": {"bg": "Обединяване", "en": "Merge"},
    "review_action_add": {"bg": "Добавяне", "en": "Add"},
    "review_drifted": {
        "bg": "Променени от извличането след проверката (публикувани са проверените стойности;"
        " погледнете отново): {works}",
        "en": "Changed by the extractor since review (the reviewed values are published; please"
        " look again): {works}",
    },
    "hidden_title": {
        "bg": "Записи извън картата след проверка (не са работи или са дубликати): {n}",
        "en": "Records off the map after review (not works or duplicates): {n}",
    },
    "page_title": {"bg": "Пловдив — общински проекти", "en": "Plovdiv — municipal projects"},
    "title": {
        "bg": "Пловдив — проекти от Програмата за управление 2019–2023",
        "en": "Plovdiv — projects of the 2019–2023 governance programme",
    },
    "language": {"bg": "Език", "en": "Language"},
    "view": {"bg": "Изглед", "en": "View"},
    "filters": {"bg": "Филтри", "en": "Filters"},
    "priority": {"bg": "Приоритет", "en": "Priority"},
    "priority_n": {"bg": "Приоритет {n}", "en": "Priority {n}"},
    "status": {"bg": "Статус", "en": "Status"},
    "category": {"bg": "Категория", "en": "Category"},
    "categories": {"bg": "Категории", "en": "Categories"},
    "district": {"bg": "Район", "en": "District"},
    "districts": {"bg": "Райони", "en": "Districts"},
    "measure": {"bg": "Мярка", "en": "Measure"},
    "goal": {"bg": "Цел", "en": "Goal"},
    "measure_n": {"bg": "Мярка {n}", "en": "Measure {n}"},
    "goal_chip": {"bg": "✕ Цел ({measure}): {goal}", "en": "✕ Goal ({measure}): {goal}"},
    "goal_chip_help": {"bg": "Премахни филтъра по цел", "en": "Remove the goal filter"},
    "structure_title": {
        "bg": "Отчетът по глави: приоритет → мярка → цел",
        "en": "The report by chapter: priority → measure → goal",
    },
    "structure_hint": {
        "bg": "Щракнете върху ред, за да покажете на картата само неговите работи (втори щракване "
        "го отменя). Числата са работите по статус според останалите филтри.",
        "en": "Click a row to show only its works on the map (click again to undo). The numbers "
        "are the works by status under the other filters.",
    },
    "structure_goal": {"bg": "Цел:", "en": "Goal:"},
    "structure_total": {"bg": "Общо: {n}", "en": "Total: {n}"},
    "structure_click": {"bg": "Покажи на картата само тези работи", "en": "Show only these works on the map"},
    "precision": {"bg": "Точност на местоположението", "en": "Location precision"},
    "review": {"bg": "Проверка от планиращ", "en": "Review by a planner"},
    "years": {"bg": "Година", "en": "Year"},
    "any": {"bg": "Всички", "en": "All"},
    "search": {"bg": "Търсене (кирилица или латиница)", "en": "Search (Cyrillic or Latin)"},
    "reset": {"bg": "Изчисти филтрите", "en": "Reset filters"},
    "search_placeholder": {
        "bg": "име или място: ул. Кукуш, жк Тракия, Kukush",
        "en": "name or place: ul. Kukush, Trakia",
    },
    "show_on_map": {"bg": "Покажи на картата", "en": "Show on the map"},
    "on_map_title": {"bg": "На картата: {n}", "en": "On the map: {n}"},
    "on_map_hint": {
        "bg": "Подредени по име; щракнете върху име, за да видите работата на картата.",
        "en": "Sorted by name; click a name to see the work on the map.",
    },
    "no_results": {
        "bg": "Нито една работа не отговаря на търсенето и филтрите. "
        "Опитайте с друга дума или изчистете филтрите.",
        "en": "No work matches the search and the filters. Try another word or reset the filters.",
    },
    "no_district": {"bg": "Без район", "en": "No district"},
    "record_code": {"bg": "Код на записа", "en": "Record code"},
    "more_sources": {
        "bg": "{first} и още {n} обекта от OpenStreetMap",
        "en": "{first} and {n} more OpenStreetMap objects",
    },
    "manual_source": {
        "bg": "ръчна корекция №{id} от планиращ, {date}",
        "en": "manual correction #{id} by a planner, {date}",
    },
    "in_latin": {"bg": "на латиница", "en": "Bulgarian original in Latin letters"},
    "boundary_gap": {"bg": "{d} — неуточнена граница", "en": "{d} — boundary not resolved"},
    "unresolved_district": {"bg": "неуточнена граница", "en": "boundary not resolved"},
    "shown": {
        "bg": "{shown} от {total} проекта отговарят на филтрите: {located} на картата, "
        "{unlocated} без местоположение.",
        "en": "{shown} of {total} projects match the filters: {located} on the map, {unlocated} not located.",
    },
    "url_invalid": {
        "bg": "Пренебрегнати невалидни стойности в адреса: {items}",
        "en": "Ignored invalid values in the link: {items}",
    },
    "register_missing": {
        "bg": "Регистърът липсва: {path}. Изпълнете `make run` (или `python -m pipeline`).",
        "en": "The register is missing: {path}. Run `make run` (or `python -m pipeline`).",
    },
    "register_invalid": {
        "bg": "Регистърът не може да се прочете: {error}",
        "en": "Cannot read the register: {error}",
    },
    "districts_missing": {
        "bg": "Няма файл с границите на районите ({path}); районите не са очертани.",
        "en": "No district boundaries file ({path}); districts are not outlined.",
    },
    "basemap_missing": {
        "bg": "Няма офлайн основа на картата; изпълнете `python -m dashboard.basemap`.",
        "en": "No offline basemap; run `python -m dashboard.basemap`.",
    },
    "tiles_unreachable": {
        "bg": "Сървърът с карти не отговаря; използва се офлайн основа.",
        "en": "The tile server is not reachable; using the offline basemap.",
    },
    "legend_status": {"bg": "Статус", "en": "Status"},
    "legend_unlocated": {
        "bg": "Не са на картата: {n} (виж списъка)",
        "en": "Not on the map: {n} (see the list)",
    },
    "layer_districts": {"bg": "Райони", "en": "Districts"},
    "layer_basemap": {"bg": "Основа (OSM)", "en": "Basemap (OSM)"},
    "unlocated_title": {
        "bg": "Без местоположение на картата: {n} (от тях за целия град: {city})",
        "en": "Not on the map: {n} (city-wide: {city})",
    },
    "unlocated_none": {
        "bg": "Всички избрани проекти са на картата.",
        "en": "Every selected project is on the map.",
    },
    "name": {"bg": "Име", "en": "Name"},
    "name_latin": {"bg": "Латиница", "en": "Latin"},
    "evidence": {"bg": "Основание", "en": "Evidence"},
    "source": {"bg": "Източник", "en": "Source"},
    "source_line": {"bg": "ред {n}", "en": "line {n}"},
    "line": {"bg": "Ред", "en": "Line"},
    "reason": {"bg": "Причина", "en": "Reason"},
    "no_evidence": {"bg": "няма изрична фраза (по подразбиране)", "en": "no explicit phrase (default)"},
    "count": {"bg": "Брой", "en": "Count"},
    "distance_m": {"bg": "Разстояние, м", "en": "Distance, m"},
    # residents
    "my_district": {"bg": "Моят район", "en": "My district"},
    "choose": {"bg": "— изберете —", "en": "— choose —"},
    "in_my_district": {"bg": "В район {d}: {n} проекта", "en": "In {d}: {n} projects"},
    "place_search": {
        "bg": "Място (улица, квартал, обект), напр. „ул. Кукуш“, „Каменица“",
        "en": "Place (street, neighbourhood, facility), e.g. “ul. Kukush”, “Kamenitsa”",
    },
    "radius": {"bg": "Радиус", "en": "Radius"},
    "geocoder_missing": {
        "bg": "Търсенето на места още не е налично (липсва офлайн геокодер: {error}).",
        "en": "Place search is not available yet (no offline geocoder: {error}).",
    },
    "place_not_found": {"bg": "Мястото „{q}“ не е намерено.", "en": "Place “{q}” not found."},
    "place_found": {"bg": "Намерено: {name}", "en": "Found: {name}"},
    "nearby": {
        "bg": "{n} проекта до {r} м от „{q}“ (най-близките първи)",
        "en": "{n} projects within {r} m of “{q}” (nearest first)",
    },
    "nearby_none": {"bg": "Няма проекти до {r} м.", "en": "No projects within {r} m."},
    # planners
    "choropleth_metric": {"bg": "Показател на картата", "en": "Map measure"},
    "metric_count": {"bg": "Брой проекти", "en": "Number of projects"},
    "metric_density": {"bg": "Проекти на км²", "en": "Projects per km²"},
    "metric_road_km": {"bg": "Пътни работи, км", "en": "Road works, km"},
    "district_category": {"bg": "Райони × категории", "en": "Districts × categories"},
    "road_length": {"bg": "Дължина на пътните работи по статус, км", "en": "Road-work length by status, km"},
    "stalled_title": {"bg": "Спрени проекти по райони", "en": "Stalled works by district"},
    "stalled_none": {"bg": "Няма спрени проекти сред избраните.", "en": "No stalled works in the selection."},
    "total": {"bg": "Общо", "en": "Total"},
    "area_km2": {"bg": "Площ, км²", "en": "Area, km²"},
    "per_km2": {"bg": "На км²", "en": "Per km²"},
    "chart_districts_only": {
        "bg": "Графиките сравняват районите: без {none} работи без район (главно за целия град) "
        "и {gap} в неуточнената граница.",
        "en": "The charts compare districts: leaving out {none} works with no district (mostly "
        "city-wide) and {gap} in the unresolved boundary gap.",
    },
    "multi_district_note": {
        "bg": "Проект в няколко района се брои във всеки от тях.",
        "en": "A project in several districts counts in each of them.",
    },
    # corrections & auth
    "corrections": {"bg": "Корекции на местоположение", "en": "Location corrections"},
    "editing_off": {
        "bg": "Редакцията е изключена: не е зададена парола за планиращите (PLOVDIV_PLANNER_PASSWORD).",
        "en": "Editing is off: no planner password is configured (PLOVDIV_PLANNER_PASSWORD).",
    },
    "login": {"bg": "Вход за планиращи", "en": "Planner login"},
    "login_user": {"bg": "Вашето име", "en": "Your name"},
    "password": {"bg": "Парола", "en": "Password"},
    "login_button": {"bg": "Вход", "en": "Log in"},
    "logout_button": {"bg": "Изход", "en": "Log out"},
    "login_failed": {"bg": "Грешна парола.", "en": "Wrong password."},
    "login_locked": {
        "bg": "Твърде много опити; опитайте след {s} с.",
        "en": "Too many attempts; try again in {s} s.",
    },
    "login_need_user": {"bg": "Въведете име.", "en": "Enter your name."},
    "logged_in_as": {"bg": "Влезли сте като {user}.", "en": "Logged in as {user}."},
    "login_to_edit": {
        "bg": "Само влезли планиращи могат да коригират местоположения.",
        "en": "Only logged-in planners can correct locations.",
    },
    "pin_project": {"bg": "Проект за отбелязване", "en": "Project to pin"},
    "pin_hint": {
        "bg": "Щракнете върху картата или въведете координати.",
        "en": "Click the map or type the coordinates.",
    },
    "lat": {"bg": "Ширина (lat)", "en": "Latitude"},
    "lon": {"bg": "Дължина (lon)", "en": "Longitude"},
    "note": {"bg": "Бележка", "en": "Note"},
    "save_pin": {"bg": "Запази корекцията", "en": "Save the correction"},
    "pin_saved": {"bg": "Корекция №{id} е записана.", "en": "Correction #{id} saved."},
    "pin_outside": {
        "bg": "Точката е извън Пловдив; корекцията не е записана.",
        "en": "The point is outside Plovdiv; the correction was not saved.",
    },
    "orphans": {
        "bg": "Осиротели корекции — работата им вече я няма в регистъра; пазят се и не се прилагат "
        "към друга работа: {ids}",
        "en": "Orphaned corrections — their work is no longer in the register; kept, never applied "
        "to another work: {ids}",
    },
    "corrections_list": {"bg": "Записани корекции", "en": "Saved corrections"},
    "delete": {"bg": "Изтрий №{id}", "en": "Delete #{id}"},
    "deleted": {"bg": "Корекция №{id} е изтрита.", "en": "Correction #{id} deleted."},
    "delete_confirm": {
        "bg": "Да се изтрие ли корекция №{id}? Работата ще се върне на предишното си място за всички.",
        "en": "Delete correction #{id}? The work goes back to its former place for everyone.",
    },
    "delete_yes": {"bg": "Да, изтрий №{id}", "en": "Yes, delete #{id}"},
    "cancel": {"bg": "Отказ", "en": "Cancel"},
    "corrections_error": {
        "bg": "Корекциите не са достъпни: {error}",
        "en": "Corrections unavailable: {error}",
    },
    # report upload
    "upload_title": {"bg": "Друг отчет", "en": "Another report"},
    "upload_label": {
        "bg": "Отчет (.txt, до 5 MiB) — показва извлечения регистър, без да го записва",
        "en": "Report (.txt, up to 5 MiB) — shows its extracted register without saving it",
    },
    "upload_too_big": {
        "bg": "Файлът е {mib} MiB ({size} байта); позволени са до 5 MiB ({limit} байта).",
        "en": "The file is {mib} MiB ({size} bytes); up to 5 MiB ({limit} bytes) are allowed.",
    },
    "upload_empty": {"bg": "Файлът {name} е празен.", "en": "The file {name} is empty."},
    "upload_not_report": {
        "bg": "това не е текст на отчет (празен, двоичен или без приоритети и мерки)",
        "en": "not the text of a report",
    },
    "upload_wrong_type": {"bg": "Позволени са само .txt файлове.", "en": "Only .txt files are allowed."},
    "upload_error": {
        "bg": "Отчетът не може да се обработи: {error}",
        "en": "Cannot process the report: {error}",
    },
    "upload_result": {
        "bg": "{name}: {n} проекта (без местоположение — отчетът не е геокодиран).",
        "en": "{name}: {n} projects (not located — the report is not geocoded).",
    },
    # councillors
    "summary_district": {"bg": "Обобщение за район", "en": "District summary"},
    "whole_city": {"bg": "Целия град", "en": "Whole city"},
    "summary_title": {
        "bg": "{d}: проекти по статус и категория",
        "en": "{d}: projects by status and category",
    },
    "by_status_category": {"bg": "По статус и категория", "en": "By status and category"},
    "works_list": {"bg": "Проекти", "en": "Projects"},
    "works_list_n": {"bg": "Всички проекти ({n})", "en": "All projects ({n})"},
    "export": {"bg": "Изтегляне", "en": "Download"},
    "export_html": {"bg": "Обобщение (HTML с карта)", "en": "Summary (HTML with map)"},
    "export_csv": {"bg": "Таблица (CSV)", "en": "Table (CSV)"},
    "export_geojson": {"bg": "Данни (GeoJSON)", "en": "Data (GeoJSON)"},
    "presentation": {"bg": "Режим презентация", "en": "Presentation mode"},
    "presentation_exit": {"bg": "Изход от презентация", "en": "Leave presentation"},
    "print_hint": {
        "bg": "За печат: Ctrl+P (страницата има стил за печат).",
        "en": "To print: Ctrl+P (the page has a print style).",
    },
    "generated": {"bg": "Данни: {source}", "en": "Data: {source}"},
    "attribution": {
        "bg": "Карта: © OpenStreetMap contributors (ODbL)",
        "en": "Map: © OpenStreetMap contributors (ODbL)",
    },
}


#: Streamlit's own interface strings (not settable from Python) in Bulgarian: exact texts,
#: and patterns for texts with a number in them. Applied in the page by a small script.
STREAMLIT_BG: dict[str, str] = {
    "Select all": "Избери всички",
    "No results": "Няма резултати",
    "Browse files": "Избери файл",
    "Upload": "Качи",
    "Drag and drop file here": "Пуснете файла тук",
    "Drag and drop files here": "Пуснете файловете тук",
    "Press Enter to apply": "Enter за прилагане",
    "Press Enter to submit form": "Enter за изпращане",
    "Clear all": "Изчисти всички",
    "Clear value": "Изчисти",
    "Remove": "Премахни",
    "Running...": "Зарежда се…",
    "Stop": "Спри",
    "Download as CSV": "Изтегли като CSV",
    "Search": "Търсене",
    "Fullscreen": "На цял екран",
    "Close fullscreen": "Изход от цял екран",
    "Show password text": "Покажи паролата",
    "Hide password text": "Скрий паролата",
    "Delete": "Изтрий",
    "Show/hide columns": "Покажи/скрий колони",
}
STREAMLIT_BG_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"^Limit (\\d+(?:\\.\\d+)?)\\s*MB per file(.*)$", "До $1 MB на файл$2"),
    (r"^(\\d+) selected$", "избрани: $1"),
)


def streamlit_strings_script(lang: Lang) -> str:
    """A script that puts Streamlit's own strings (dropdowns, uploader, tables) into Bulgarian.

    Installed once per browser tab; it follows the page's language (``<html lang>``), so the
    English toggle gets Streamlit's English back on the next change.
    """
    import json

    exact = json.dumps(STREAMLIT_BG, ensure_ascii=False)
    patterns = json.dumps([[p, r] for p, r in STREAMLIT_BG_PATTERNS], ensure_ascii=False)
    return (
        "<script>(function(){var doc=window.parent&&window.parent.document||document;"
        f"doc.documentElement.lang='{'bg' if lang == 'bg' else 'en'}';"
        "if(doc.documentElement.dataset.pvBg){return;}doc.documentElement.dataset.pvBg='1';"
        f"var exact={exact};var pats={patterns}.map(function(p){{return [new RegExp(p[0]),p[1]];}});"
        "function tr(s){if(doc.documentElement.lang!=='bg'){return null;}var k=s.trim();"
        "if(exact[k]){return s.replace(k,exact[k]);}"
        "for(var i=0;i<pats.length;i++){if(pats[i][0].test(k)){"
        "return s.replace(k,k.replace(pats[i][0],pats[i][1]));}}"
        "return null;}"
        "function walk(root){var w=doc.createTreeWalker(root,NodeFilter.SHOW_TEXT);var n;"
        "while((n=w.nextNode())){var v=tr(n.nodeValue);if(v!==null&&v!==n.nodeValue){n.nodeValue=v;}}"
        "if(root.querySelectorAll){root.querySelectorAll('[placeholder],[aria-label],[title]').forEach(function(e){"
        "['placeholder','aria-label','title'].forEach(function(a){var x=e.getAttribute(a);if(x){var v=tr(x);"
        "if(v!==null&&v!==x){e.setAttribute(a,v);}}});});}}"
        "walk(doc.body);new MutationObserver(function(ms){ms.forEach(function(m){"
        "if(m.type==='characterData'){var v=tr(m.target.nodeValue);"
        "if(v!==null&&v!==m.target.nodeValue){m.target.nodeValue=v;}}"
        "else{m.addedNodes.forEach(function(x){if(x.nodeType===3){var v=tr(x.nodeValue);"
        "if(v!==null&&v!==x.nodeValue){x.nodeValue=v;}}else if(x.nodeType===1){walk(x);}});}});})"
        ".observe(doc.body,{childList:true,subtree:true,characterData:true});})();</script>"
    )


def t(key: str, lang: Lang, **values: object) -> str:
    """The label ``key`` in ``lang``, formatted with ``values``."""
    text = TEXT[key][lang]
    return text.format(**values) if values else text


def tm(key: str, lang: Lang, **values: object) -> str:
    """The label with its values escaped for Markdown.

    Why: ``st.info``/``st.warning``/headers render Markdown, and the values can come from the
    URL, an uploaded file's name or OSM names; ``![](http://…)`` there would make every
    visitor's browser fetch an outside URL.
    """
    return t(key, lang, **{name: md_text(value) for name, value in values.items()})


def _label(table: dict[str, dict[Lang, str]], code: str, lang: Lang) -> str:
    """A vocabulary label; an unknown code is shown as itself rather than hidden."""
    entry = table.get(code)
    return entry[lang] if entry else code


def status_label(code: str, lang: Lang) -> str:
    """Status label (unknown codes shown verbatim)."""
    return _label(STATUSES, code, lang)


#: What a record's status says when the text states no stage for the work (issue 12).
UNSTATED_STAGE: dict[Lang, str] = {"bg": "етапът не е посочен в текста", "en": "the text states no stage"}


def status_text(code: str, scope: str, lang: Lang) -> str:
    """One work's status as people read it: the label, and "no stage stated" when it is a default.

    Why: a record whose text states no stage gets the rules' default status (``status_scope:
    default``); shown bare, "Планиран" would pose as something the report said. Counts, charts
    and the legend keep the plain label: they count records by their status value.
    """
    label = status_label(code, lang)
    return f"{label} ({UNSTATED_STAGE[lang]})" if scope == "default" else label


def status_texts(rows: Any, lang: Lang) -> list[str]:
    """:func:`status_text` of every row of a register frame (its ``status``/``status_scope``)."""
    return [
        status_text(s, scope, lang) for s, scope in zip(rows["status"], rows["status_scope"], strict=True)
    ]


def category_label(code: str, lang: Lang) -> str:
    """Category label (unknown codes shown verbatim)."""
    return _label(CATEGORIES, code, lang)


def precision_label(code: str, lang: Lang) -> str:
    """Location-precision label (unknown codes shown verbatim)."""
    return _label(PRECISIONS, code, lang)


def object_kind_label(code: str, lang: Lang) -> str:
    """A gazetteer object's kind (unknown codes shown verbatim)."""
    return _label(OBJECT_KINDS, code, lang)


def review_label(code: str, lang: Lang) -> str:
    """Review-state label (unknown codes shown verbatim)."""
    return _label(REVIEWS, code, lang)


def view_label(code: str, lang: Lang) -> str:
    """View (page section) label."""
    return _label(VIEWS, code, lang)


def display_name(name: str, latin: str, lang: Lang) -> str:
    """A Bulgarian name as shown: Cyrillic; in English followed by its transliteration."""
    if lang == "en" and latin and latin != name:
        return f"{name} ({latin})"
    return name
