"""The link a teacher hands out: the exact view, at an address the class's phones can open, also as a QR code.

A teacher who opened the app at localhost would otherwise hand out 127.0.0.1, which is each phone itself; the
link uses this laptop's address on the local network instead (server.address when it is set), found once.
"""

from __future__ import annotations

import functools
import io
import socket
from urllib.parse import urlencode, urlsplit, urlunsplit

import segno
import streamlit as st

from .layout import box_drawn_when_open
from .locale import tr
from .state import LINK_OPEN

LOOPBACK = {"localhost", "127.0.0.1", "::1", "0.0.0.0", ""}


@functools.lru_cache(maxsize=1)
def lan_address() -> str | None:
    """This machine's address on the local network, or None when it has none (offline, loopback only)."""
    configured = st.get_option("server.address")
    if configured and configured not in LOOPBACK:
        return configured
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))  # picks the outgoing interface; a UDP connect sends nothing
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def shareable_url(url: str, lan: str | None) -> str:
    """url with a loopback host replaced by the LAN address (when there is one); its query dropped."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if host in LOOPBACK and lan:
        host = lan
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit((parts.scheme or "http", netloc, parts.path, "", ""))


def camera_allowed(url: str | None) -> bool:
    """Whether a browser gives a page at url the camera: only a secure context does, that is HTTPS, or this
    machine itself (localhost, 127.x, ::1). True when the address is unknown (nothing to warn about)."""
    if not url:
        return True
    parts = urlsplit(url)
    host = parts.hostname or ""
    return parts.scheme == "https" or host in LOOPBACK or host.startswith("127.") or host.endswith(".localhost")


@functools.lru_cache(maxsize=256)
def qr_png(text: str) -> bytes:
    """A QR code of text, 12 pixels a module: full-screen on a projector, a phone reads it from the back row."""
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=12, border=3)
    return buffer.getvalue()


def share_link(slot, params: list[str]) -> None:
    """The link to this exact view (the URL parameters named in params), copyable and as a QR code, drawn only
    while its expander is open (opening it reruns the page): the copyable box loads Streamlit's code highlighter,
    about 0.45 s of a fresh browser's main thread that every page's first chart waited for."""
    box = box_drawn_when_open(slot, tr("share_link"), LINK_OPEN, icon=":material/link:")
    with box:
        if not box.open:
            return
        base = shareable_url(st.context.url or "", lan_address())
        query = urlencode({param: st.query_params[param] for param in sorted(params) if param in st.query_params})
        link = f"{base}?{query}" if query else base
        st.code(link, language=None, wrap_lines=True)
        st.caption(tr("share_link_help"))
        if urlsplit(link).hostname in LOOPBACK:
            st.caption(tr("share_link_local"))
        st.image(qr_png(link), caption=tr("share_qr"), width="stretch")
