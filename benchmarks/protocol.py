"""A Streamlit session driven at the protocol level: no browser on the server's cores.

Why: a headless Chromium costs more CPU than the app it measures, so on a 2-core machine a
load test with browsers measures the browsers. Streamlit's frontend talks to the server over
one websocket (``/_stcore/stream``) carrying protobuf messages: ``BackMsg`` up (``rerun_script``
with the URL's query string and the widgets' values) and ``ForwardMsg`` down (``delta``: the
elements, ``script_finished``). :class:`Session` sends what a browser sends and reads what it
reads, so the server does the same work as for a real visitor — except loading the map
component's iframe and its static files, which are plain HTTP files and no script run.

Only ever connects to 127.0.0.1 (the callers pass local URLs; :func:`_local` refuses others).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.sync.client import ClientConnection, connect

MAP_COMPONENT = "streamlit_folium"
TIMEOUT_S = 30.0


class ProtocolError(RuntimeError):
    """The server closed, timed out or reported an exception."""


def _local(base: str) -> str:
    host = urlsplit(base).hostname
    if host not in ("127.0.0.1", "localhost"):
        raise ProtocolError(f"refusing to connect to {host}: only 127.0.0.1")
    return base


@dataclass
class Run:
    """What one script run sent: seconds to the map, to the end, its widgets, errors."""

    seconds_to_map: float | None = None
    seconds: float = 0.0
    bytes: int = 0
    widgets: dict[str, Any] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    #: Markdown, captions, notices: the page's texts, in order.
    texts: list[str] = field(default_factory=list)


class Session:
    """One visitor: a websocket to ``/_stcore/stream`` and the widgets the server drew."""

    def __init__(self, base: str, timeout: float = TIMEOUT_S, cookies: dict[str, str] | None = None) -> None:
        parts = urlsplit(_local(base))
        origin = f"{parts.scheme}://{parts.netloc}"
        ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path.rstrip('/')}"
        self.timeout = timeout
        connection = connect(
            f"{ws_url}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            origin=origin,  # type: ignore[arg-type]
            open_timeout=timeout,
            max_size=None,
            compression=None,
            additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
            if cookies
            else None,
        )
        self.ws: ClientConnection = connection.__enter__()  # closed by close()
        self.page_script_hash = ""
        self.widgets: dict[str, Any] = {}

    def close(self) -> None:
        """Close the websocket (the server ends the session)."""
        self.ws.close()

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def rerun(self, query_string: str = "", widget_states: list[Any] | None = None) -> Run:
        """Ask for a script run (a page view, or a widget change) and read it to the end."""
        msg = BackMsg()
        state = msg.rerun_script
        state.query_string = query_string
        state.page_script_hash = self.page_script_hash
        if widget_states:
            state.widget_states.widgets.extend(widget_states)
        start = time.monotonic()
        self.ws.send(msg.SerializeToString())
        run = Run()
        deadline = start + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s")
            try:
                data = self.ws.recv(timeout=remaining)
            except TimeoutError:
                raise ProtocolError(f"no script_finished within {self.timeout:.0f} s") from None
            assert isinstance(data, bytes)
            run.bytes += len(data)
            fwd = ForwardMsg()
            fwd.ParseFromString(data)
            kind = fwd.WhichOneof("type")
            if kind == "new_session":
                self.page_script_hash = fwd.new_session.page_script_hash or self.page_script_hash
            elif kind == "delta":
                self._delta(fwd, run, start)
            elif kind == "script_finished":
                run.seconds = time.monotonic() - start
                self.widgets.update(run.widgets)
                return run

    def _delta(self, fwd: ForwardMsg, run: Run, start: float) -> None:
        delta = fwd.delta
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "exception":
            run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "markdown":
            run.texts.append(element.markdown.body)
        elif kind == "alert":
            run.texts.append(element.alert.body)
        elif kind == "component_instance":
            if MAP_COMPONENT in element.component_instance.component_name and run.seconds_to_map is None:
                run.seconds_to_map = time.monotonic() - start
        elif kind in ("multiselect", "segmented_control", "button_group", "text_input", "button"):
            widget = getattr(element, kind)
            label = getattr(widget, "label", "")
            run.widgets[label] = widget

    def choose(self, label: str, option_prefix: str, query_string: str = "") -> Run:
        """Pick the first option starting with ``option_prefix`` in the multiselect ``label``."""

        widget = self.widgets.get(label)
        if widget is None:
            raise ProtocolError(f"no widget labelled {label!r} (have {sorted(self.widgets)})")
        options = [o for o in widget.options if o.startswith(option_prefix)]
        if not options:
            raise ProtocolError(f"{label!r} has no option starting with {option_prefix!r}")
        state = WidgetState()
        state.id = widget.id
        state.string_array_value.data.append(options[0])
        return self.rerun(query_string, [state])
