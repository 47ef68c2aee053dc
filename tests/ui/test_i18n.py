import re

from gmlp_core.ui.i18n import CATALOGUE, LANGUAGES, placeholders, t
from tests.helpers import ROOT


def test_every_string_exists_in_every_language_with_the_same_placeholders():
    for key, entry in CATALOGUE.items():
        if key.startswith("err_"):  # an error's English sentence is its own message (tests/ui/test_errors.py)
            assert set(entry) == set(LANGUAGES) - {"en"}, key
            continue
        assert set(entry) == set(LANGUAGES), key
        assert all(text.strip() for text in entry.values()), key
        assert placeholders(entry["vi"]) == placeholders(entry["en"]), key


def test_every_key_the_pages_use_is_in_the_catalogue():
    used = set()
    for path in [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]:
        used |= set(re.findall(r"""\btr\(\s*["']([a-z0-9_]+)["']""", path.read_text()))
        used |= {f"{k}_title" for k in ("attention", "patches", "w", "home")}
    missing = sorted(k for k in used if k not in CATALOGUE)
    assert not missing


def test_translation_formats_values_and_falls_back_to_english():
    assert t("truncated", "vi", total=80, limit=64) == "Câu có 80 token; chỉ 64 token đầu được dùng."
    assert t("truncated", "xx", total=80, limit=64).startswith("The sentence has 80 tokens")
