"""Errors whose message an interface can say in the learner's language.

An ExplainedError is a ValueError with an English message (str(err), what the API and the CLIs
print) plus a stable `code` and the named `values` the message was made from; gmlp_core.ui.i18n has
a sentence per code (key "err_<code>") in every language the app speaks. Errors without a code are
shown as their English message.
"""

from __future__ import annotations


MESSAGE_CHARS = 600  # an error is read by a person: a crafted file must not draw a 10-million-character message
VALUE_CHARS = 300


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


class ExplainedError(ValueError):
    def __init__(self, message: str, code: str | None = None, **values):
        super().__init__(_short(message, MESSAGE_CHARS))
        self.code = code
        self.values = {k: _short(v, VALUE_CHARS) if isinstance(v, str) else v for k, v in values.items()}

    def renamed(self, old: str, new: str) -> "ExplainedError":
        """The same error with a temporary path `old` replaced by `new`, the name the user knows."""
        values = {k: v.replace(old, new) if isinstance(v, str) else v for k, v in self.values.items()}
        return type(self)(str(self).replace(old, new), self.code, **values)
