"""Load another year's report and see the register extracted from it — in memory only.

Why in memory: anyone can use the dashboard, so an uploaded file is never written to disk
(nothing outside data/, nothing inside it either); it is limited to 5 MB of ``.txt`` and
decoded and parsed by the same code as the build (``extraction``), so what the page shows
is what ``make`` would publish. Its text is shown through ``st.dataframe`` (cells are text).
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from dashboard.escaping import md_text
from dashboard.i18n import Lang, category_label, status_label, status_text, t, tm
from dashboard.page import ViewContext
from extraction.outline import parse_outline
from extraction.projects import extract_projects
from extraction.report import ReportError, decode_report
from works.errors import PlovdivError
from works.model import WorkRecord

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: The widget's own limit is set above ours: it refuses a file with only a tooltip (and counts
#: MB in millions of bytes, so a 4.9 MiB file was refused under "5 MB"); ours is said on the page.
WIDGET_LIMIT_MB = 50


class UploadError(PlovdivError):
    """An upload the page refuses; the message is shown as is."""


@dataclass(frozen=True)
class Extracted:
    """The register of an uploaded report."""

    name: str
    records: tuple[WorkRecord, ...]


def check_upload(name: str, size: int, lang: Lang) -> None:
    """Refuse anything but a ``.txt`` of at most 5 MB (the widget checks too; this is the rule)."""
    if not name.lower().endswith(".txt"):
        raise UploadError(t("upload_wrong_type", lang))
    if size > MAX_UPLOAD_BYTES:
        raise UploadError(
            t("upload_too_big", lang, size=size, limit=MAX_UPLOAD_BYTES, mib=f"{size / 1024 / 1024:.1f}")
        )
    if size == 0:
        raise UploadError(t("upload_empty", lang, name=name))


@st.cache_data(show_spinner=False, max_entries=4)
def extract(data: bytes, name: str, digest: str) -> Extracted:
    """Decode, parse and extract (cached by content hash); ReportError on a bad report."""
    del digest  # cache key only (hashing the bytes twice is cheap next to extraction)
    text = decode_report(data, source=name)
    records = extract_projects(parse_outline(text))
    return Extracted(name, tuple(records))


def register_table(extracted: Extracted, lang: Lang) -> pd.DataFrame:
    """The extracted records as a text table."""
    rows = list(extracted.records)
    return pd.DataFrame(
        {
            "id": [r.id for r in rows],
            t("name", lang): [r.name for r in rows],
            t("status", lang): [status_text(r.status, str(r.status_scope), lang) for r in rows],
            t("evidence", lang): [r.status_evidence for r in rows],
            t("categories", lang): [", ".join(category_label(c, lang) for c in r.categories) for r in rows],
            t("measure", lang): [r.measure for r in rows],
            t("districts", lang): [", ".join(r.districts) for r in rows],
            t("line", lang): [r.source_line for r in rows],
        }
    )


def render(ctx: ViewContext) -> None:
    """The uploader and, for a good file, its register with counts by status."""
    lang = ctx.lang
    st.subheader(t("upload_title", lang))
    uploaded = st.file_uploader(
        t("upload_label", lang), type=["txt"], max_upload_size=WIDGET_LIMIT_MB, key="report_upload"
    )
    if uploaded is None:
        return
    try:
        check_upload(uploaded.name, uploaded.size, lang)
        data = uploaded.getvalue()
        check_upload(uploaded.name, len(data), lang)
        extracted = extract(data, uploaded.name, hashlib.sha256(data).hexdigest())
    except UploadError as exc:
        st.error(md_text(exc))
        return
    except ReportError as exc:
        # The extractor's message is English; the page says it in the chosen language.
        detail = t("upload_not_report", lang) if lang == "bg" else str(exc)
        st.error(tm("upload_error", lang, error=detail))
        return
    st.success(tm("upload_result", lang, name=extracted.name, n=len(extracted.records)))
    counts = Counter(str(r.status) for r in extracted.records)
    cols = st.columns(max(len(counts), 1))
    for col, (status, n) in zip(cols, counts.most_common(), strict=False):
        col.metric(status_label(status, lang), n)
    st.dataframe(register_table(extracted, lang), hide_index=True, width="stretch", key="upload_table")
