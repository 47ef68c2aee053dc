"""A model family registered in one place reaches the app's lists and views with no other edit."""

import torch
from streamlit.testing.v1 import AppTest
from torch import nn

from gmlp_core.formats.chars import CharTokenizer
from gmlp_core.formats.checkpoints import save_checkpoint
from gmlp_core.models import ATTENTION_MAPS, LMConfig, register
from gmlp_core.models.registry import unregister
from gmlp_core.ui import checkpoints as ui_checkpoints
from tests.helpers import ROOT


def toy_family():
    @register("toy-lm", config_class=LMConfig, task="text", short="toy", description="a throwaway family",
              shows={ATTENTION_MAPS}, titles={"en": "Toy model", "vi": "Mô hình đồ chơi"})
    class ToyLM(nn.Module):
        """Each position attends evenly to itself and everything before it."""

        def __init__(self, config):
            super().__init__()
            self.config = config
            self.embed = nn.Embedding(config.vocab_size, config.vocab_size)

        def forward(self, ids):
            return self.embed(ids)

        def attention_maps(self, ids):
            n = ids.shape[1]
            even = torch.tril(torch.ones(n, n)) / torch.arange(1, n + 1)[:, None]
            return even.expand(1, ids.shape[0], 1, n, n)

    return ToyLM


def test_a_registered_text_family_is_compared_and_shown_on_the_language_page(tmp_path, monkeypatch):
    toy = toy_family()
    try:
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
        assert not at.exception and "lm_toy_tiny" in [c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")]
    finally:
        unregister("toy-lm")
