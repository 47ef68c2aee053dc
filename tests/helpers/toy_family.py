"""A throwaway text model family, registered for one test and removed after it: what a new family brings with
one decorator and nothing else."""

import contextlib

import torch
from torch import nn

from gmlp_core.models import ATTENTION_MAPS, LMConfig, register
from gmlp_core.models.registry import unregister


@contextlib.contextmanager
def toy_family():
    """Registers "toy-lm" (command-line name "toy", shows ATTENTION_MAPS) -> yields its model class."""
    @register("toy-lm", config_class=LMConfig, task="text", short="toy", description="a throwaway family",
              shows={ATTENTION_MAPS}, titles={"en": "Toy model", "vi": "Mô hình đồ chơi"})
    class ToyLM(nn.Module):
        """Next character from this character alone; each position attends evenly to itself and the past."""

        def __init__(self, config: LMConfig):
            super().__init__()
            self.config = config
            self.embed = nn.Embedding(config.vocab_size, config.vocab_size)

        def forward(self, ids: torch.Tensor) -> torch.Tensor:
            return self.embed(ids)

        def attention_maps(self, ids: torch.Tensor) -> torch.Tensor:
            """ids: (b, n) -> (1 layer, b, 1 head, n, n)"""
            n = ids.shape[1]
            even = torch.tril(torch.ones(n, n)) / torch.arange(1, n + 1)[:, None]
            return even.expand(1, ids.shape[0], 1, n, n)

    try:
        yield ToyLM
    finally:
        unregister("toy-lm")
