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


def test_numbers_read_the_same_in_every_place_they_are_written_in_a_language():
    from gmlp_core.ui.i18n import date_text, device_text, significant
    assert significant(0.012345, "vi") == "0,0123" and significant(0.012345, "en") == "0.0123"
    assert significant(5.96e-08, "vi", 2) == "6 × 10⁻⁸" and significant(1.25e-7, "en", 3) == "1.25 × 10⁻⁷"
    assert significant(0.0, "vi", 2) == "0"
    assert date_text("2026-11-24T22:35:58Z", "vi") == "24/11/2026"
    assert date_text("2026-11-24T22:35:58Z", "en") == "2026-11-24" and date_text("?", "vi") == "?"
    assert device_text("CPU: AMD EPYC (2 threads)", "vi") == "CPU: AMD EPYC (2 luồng)"
    assert device_text("CUDA: NVIDIA H200", "vi") == "CUDA: NVIDIA H200"


def test_a_matrix_table_and_the_structure_table_write_numbers_in_the_language():
    import torch

    from gmlp_core.ui.i18n import number, percent
    from gmlp_core.analysis.spatial import grid_structure
    from gmlp_core.ui.tables import grid_structure_frame, localized, matrix_frame
    frame = matrix_frame(torch.tensor([[0.4376, 1234.5]]), ["a"], ["a", "b"])
    html = localized(frame, "vi").to_html()
    assert "0,4376" in html and "1.234,5000" in html and "0.4376" not in html
    assert "0.4376" in localized(frame, "en").to_html()
    columns = {k: k for k in ("near", "baseline", "self_share", "peak", "explained", "symmetry")}
    structure = grid_structure_frame([("W", grid_structure(torch.eye(4), 2))], 2, columns,
                                     lambda v: percent(v, "vi"), lambda v, d: number(v, "vi", d))
    assert structure.loc["W", "symmetry"] == "+1,00" and "," in structure.loc["W", "near"]


def test_the_lesson_plan_names_the_spatial_w_views_as_the_page_labels_them():
    """The page shows one view at a time: the lesson's Spatial W step sends the teacher to three of them by name."""
    for lang in LANGUAGES:
        step = next(line for line in CATALOGUE["lesson_steps"][lang].splitlines() if line.startswith("3."))
        for view in ("picture", "training", "attention"):
            assert f"*{CATALOGUE[f'w_view_{view}'][lang]}*" in step, (lang, view)
