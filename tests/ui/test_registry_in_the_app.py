"""A model family registered in one place reaches the app's lists and views with no other edit."""

from streamlit.testing.v1 import AppTest

from gmlp_core.formats.chars import CharTokenizer
from gmlp_core.formats.checkpoints import save_checkpoint
from gmlp_core.models import LMConfig
from gmlp_core.ui import checkpoints as ui_checkpoints
from tests.helpers import ROOT, chart_elements, chart_key
from tests.helpers.toy_family import toy_family


def test_a_registered_text_family_is_compared_and_shown_on_the_language_page(tmp_path, monkeypatch):
    with toy_family() as toy:
        tokenizer = CharTokenizer.from_text("abcdefghijklmnopqrstuvwxyz ,.")
        model = toy(LMConfig(vocab_size=tokenizer.size, block_size=32, d_model=8, depth=1, heads=1, d_ffn=16))
        save_checkpoint(model, tmp_path / "toy.safetensors", vocab=tokenizer.vocab, dataset="toy/corpus.txt")
        monkeypatch.setattr(ui_checkpoints, "CHECKPOINT_DIR", tmp_path)
        at = AppTest.from_file(str(ROOT / "pages" / "4_language-models.py"), default_timeout=60).run()
        assert not at.exception, [e.value for e in at.exception]
        assert [m.label for m in at.metric] == ["Toy model"]
        view = at.segmented_control(key="lm_view")
        assert "toy" in view.options or "Toy model" in view.options
        view.set_value("toy").run()
        assert not at.exception and "lm_toy_tiny" in [chart_key(c) for c in chart_elements(at)]
