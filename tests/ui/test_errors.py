"""Every library error a learner can meet is said in every language the app speaks."""

import ast
import re

import pytest
import torch

from gmlp_core.formats.checkpoints import CheckpointError, load_uploaded, parse_class_names
from gmlp_core.errors import ExplainedError
from gmlp_core.formats.images import ImageError, load_image
from gmlp_core.lessons.text import TableError, embeddings_from_table
from gmlp_core.ui.i18n import CATALOGUE, LANGUAGES, placeholders, t
from tests.helpers import ROOT


def raised(call) -> ExplainedError:
    with pytest.raises(ExplainedError) as info:
        call()
    return info.value


TRIGGERS = {
    "image_empty": lambda: load_image(b""),
    "image_unreadable": lambda: load_image(b"definitely not a picture"),
    "image_corrupt": lambda: load_image(b"BM" + bytes(60)),
    "image_truncated": lambda: load_image((ROOT / "gmlp_core/ui/samples/cat_0000.jpg").read_bytes()[:-200]),
    "checkpoint_type": lambda: load_uploaded(b"x", "model.zip"),
    "checkpoint_too_big": lambda: load_uploaded(b"x" * 2048, "model.pt", max_bytes=1024),
    "checkpoint_empty": lambda: load_uploaded(b"", "model.pt"),
    "checkpoint_unknown_content": lambda: load_uploaded(b"plain text, not a model", "model.pt"),
    "class_names_count": lambda: parse_class_names("cat\ndog", 10, "names.txt"),
    "table_empty": lambda: embeddings_from_table([]),
    "table_ragged": lambda: embeddings_from_table([[1, 2], [3]]),
    "table_not_number": lambda: embeddings_from_table([["x"]]),
    "table_ambiguous": lambda: embeddings_from_table([["1,000"]]),
    "table_not_finite": lambda: embeddings_from_table([[float("nan")]]),
    "table_too_large": lambda: embeddings_from_table([[3.5e38]]),
}


@pytest.mark.parametrize("code", sorted(TRIGGERS))
def test_each_error_carries_its_code_and_the_values_its_sentences_need(code):
    err = raised(TRIGGERS[code])
    assert err.code == code and isinstance(err, (ImageError, CheckpointError, TableError, ValueError))
    english = str(err)  # the library's own message is the English sentence
    for lang in set(LANGUAGES) - {"en"}:
        assert placeholders(CATALOGUE[f"err_{code}"][lang]) <= set(err.values)
        text = t(f"err_{code}", lang, **err.values)
        assert text.strip() and "{" not in text and text != english


def library_codes() -> set[str]:
    """The codes of every `SomethingError(message, "code", ...)` call in gmlp_core, read from the source."""
    codes = set()
    for path in (ROOT / "gmlp_core").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and len(node.args) >= 2:
                name = getattr(node.func, "id", getattr(node.func, "attr", ""))
                code = node.args[1]
                if name.endswith("Error") and isinstance(code, ast.Constant) and isinstance(code.value, str):
                    codes.add(code.value)
    return codes


def test_every_code_in_the_library_has_a_sentence_in_every_language_beside_english():
    codes = library_codes()
    assert {"image_corrupt", "checkpoint_mismatch", "checkpoint_code", "table_too_large"} <= codes
    for code in codes:
        assert f"err_{code}" in CATALOGUE, code
        assert set(CATALOGUE[f"err_{code}"]) == set(LANGUAGES) - {"en"}


def test_a_renamed_upload_error_names_the_upload_not_the_temporary_file():
    err = raised(lambda: load_uploaded(b"plain text, not a model", "my model.pt"))
    assert err.values["file"] == "my model.pt" and "my model.pt" in str(err)
    assert "upload" not in err.values["file"]


def test_a_hostile_pickle_is_refused_with_its_code(hostile_marker, tmp_path, monkeypatch):
    from tests.helpers import Hostile
    marker = hostile_marker
    path = tmp_path / "evil.pt"
    torch.save({"weights": Hostile()}, path)
    err = raised(lambda: load_uploaded(path.read_bytes(), "evil.pt"))
    assert err.code == "checkpoint_code" and err.values["file"] == "evil.pt" and not marker.exists()


@pytest.mark.parametrize("code", sorted(c for c in TRIGGERS if c.startswith("image_")))
def test_a_picture_error_in_vietnamese_carries_no_english_from_the_decoder(code):
    err = raised(TRIGGERS[code])
    text = t(f"err_{code}", "vi", **err.values)
    assert not re.search(r"\b(or|image|file|truncated|bytes|processed|Unsupported|header)\b", text), text
