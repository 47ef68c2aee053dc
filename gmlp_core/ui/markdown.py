"""Text that did not come from us (typed, uploaded, in a URL), shown as itself inside Markdown."""

from __future__ import annotations

MARKDOWN_PUNCTUATION = set("\\`*_{}[]()<>#+-.!|~$&:")


def literal(text: str) -> str:
    """Every Markdown punctuation mark escaped: no link, image, KaTeX, icon shortcode or colour directive."""
    return "".join("\\" + ch if ch in MARKDOWN_PUNCTUATION else ch for ch in str(text))
