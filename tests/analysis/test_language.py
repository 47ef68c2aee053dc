import pytest
import torch

from gmlp_core.formats.chars import CharTokenizer
from gmlp_core.analysis.language import _sample, char_labels, generate, generate_stream, guesses_text, read_text
from gmlp_core.formats.checkpoints import load_checkpoint
from gmlp_core.models import LMConfig, build_model
from tests.helpers import ROOT

TOKENIZER = CharTokenizer("abcdefgh \n")
MODEL = build_model("gmlp-lm", LMConfig(vocab_size=TOKENIZER.size, block_size=16, d_model=16, depth=1, heads=2,
                                        d_ffn=32)).eval()


def test_generation_is_deterministic_for_a_seed_and_varies_across_seeds():
    first = generate(MODEL, TOKENIZER, "abc", length=40, temperature=1.0, top_k=None, seed=3)
    assert first == generate(MODEL, TOKENIZER, "abc", length=40, temperature=1.0, top_k=None, seed=3)
    assert first != generate(MODEL, TOKENIZER, "abc", length=40, temperature=1.0, top_k=None, seed=4)
    assert len(first) == 40 and set(first) <= set(TOKENIZER.vocab)


def test_generation_runs_past_the_block_and_from_an_unknown_prompt():
    text = generate(MODEL, TOKENIZER, "xyz" * 10, length=30, temperature=0.5, top_k=3, seed=0)
    assert len(text) == 30 and "\ufffd" not in text


@pytest.mark.parametrize("kwargs, words", [(dict(temperature=0.0), "temperature"), (dict(top_k=0), "top_k"),
                                           (dict(length=-1), "length")])
def test_generation_names_a_bad_setting(kwargs, words):
    with pytest.raises(ValueError, match=words):
        generate(MODEL, TOKENIZER, "a", **{**dict(length=5, temperature=1.0, top_k=3, seed=0), **kwargs})


def test_reading_a_text_gives_surprise_and_guesses_per_position():
    reading = read_text(MODEL, TOKENIZER, "abcé d")
    assert reading.text == "abcé d" and reading.unknown.tolist() == [False, False, False, True, False, False]
    assert reading.surprise.shape == (5,) and reading.top_ids.shape == (6, 5)
    with torch.no_grad():
        probs = torch.softmax(MODEL(reading.ids[None].clone())[0], -1)
    assert reading.surprise[0] == pytest.approx(float(-probs[0, reading.ids[1]].log()), rel=1e-5)


def test_a_text_longer_than_the_block_is_cut_and_says_so():
    reading = read_text(MODEL, TOKENIZER, "a" * 40)
    assert len(reading.text) == 16 and reading.total == 40 and reading.truncated


def test_char_labels_make_blanks_visible():
    assert char_labels("a b\n") == ["a", "␣", "b", "↵"]


def plain_greedy(model, tokenizer, prompt: str, length: int) -> str:
    """The reference: a full forward over the whole context for every character, argmax, never the unknown id."""
    ids = tokenizer.encode(prompt)
    out = []
    with torch.inference_mode():
        for _ in range(length):
            logits = model(ids[-model.config.block_size:][None])[0, -1]
            logits[tokenizer.unknown_id:] = float("-inf")
            next_id = int(logits.argmax())
            ids = torch.cat([ids, torch.tensor([next_id])])
            out.append(next_id)
    return tokenizer.decode(out)


@pytest.mark.parametrize("arch", ["attention", "gmlp", "amlp"])
def test_cached_greedy_generation_gives_the_plain_loops_characters_within_the_context(arch):
    model, info = load_checkpoint(ROOT / "checkpoints" / f"lm-{arch}.safetensors")
    prompt = "ROMEO:\nBut soft, what light"
    length = model.config.block_size - len(prompt)  # the whole context, and not one character past it
    assert generate(model, info.tokenizer, prompt, length, top_k=1) == plain_greedy(model, info.tokenizer, prompt,
                                                                                     length)


@pytest.mark.parametrize("arch", ["attention", "gmlp", "amlp"])
def test_generation_past_the_context_runs_and_a_seed_repeats_it(arch):
    model, info = load_checkpoint(ROOT / "checkpoints" / f"lm-{arch}.safetensors")
    first = generate(model, info.tokenizer, "ROMEO:", 300, 0.8, 20, seed=7)
    assert len(first) == 300 and first == generate(model, info.tokenizer, "ROMEO:", 300, 0.8, 20, seed=7)
    assert first != generate(model, info.tokenizer, "ROMEO:", 300, 0.8, 20, seed=8)


def test_the_stream_yields_the_generated_text_one_character_at_a_time():
    model, info = load_checkpoint(ROOT / "checkpoints" / "lm-gmlp.safetensors")
    pieces = list(generate_stream(model, info.tokenizer, "ROMEO:", 40, 0.8, 20, 3))
    assert len(pieces) == 40 and all(len(p) == 1 for p in pieces)
    assert "".join(pieces) == generate(model, info.tokenizer, "ROMEO:", 40, 0.8, 20, 3)


@pytest.mark.parametrize("arch, extra", [("attention-lm", {}), ("gmlp-lm", {}), ("amlp-lm", dict(attn_dim=8)),
                                         ("gmlp-lm", dict(gate_act="tanh", gelu_after_v=True))])
def test_each_cached_step_gives_the_logits_of_a_full_forward(arch, extra):
    """prefill, then append one character at a time, past a restart: every step's logits are the last position's
    of the model's own forward over the same characters (random weights, W not near zero)."""
    block_extra = {k: extra.pop(k) for k in ("gate_act", "gelu_after_v") if k in extra}
    torch.manual_seed(0)
    model = build_model(arch, LMConfig(vocab_size=12, block_size=16, d_model=16, depth=2, heads=2, d_ffn=32,
                                       **extra)).eval()
    for block in getattr(getattr(model, "gmlp", None), "blocks", []):
        block.sgu.weight.data.normal_(0, 0.3)
        block.sgu.act, block.gelu_after_v = block_extra.get("gate_act", "none"), block_extra.get("gelu_after_v", False)
    ids = torch.randint(0, 12, (30,))
    with torch.inference_mode():
        decoder = model.decoder()
        assert torch.allclose(decoder.prefill(ids[:5]), model(ids[None, :5])[0, -1], atol=1e-5)
        for end in range(6, 17):  # up to the whole context
            assert torch.allclose(decoder.append(int(ids[end - 1])), model(ids[None, :end])[0, -1], atol=1e-5), end
        with pytest.raises(ValueError, match="whole context"):
            decoder.append(0)
        assert torch.allclose(decoder.prefill(ids[16:20]), model(ids[None, 16:20])[0, -1], atol=1e-5)  # a restart
        for end in range(21, 30):  # the rows the first pass left behind are never read again
            assert torch.allclose(decoder.append(int(ids[end - 1])), model(ids[None, 16:end])[0, -1], atol=1e-5), end


@pytest.mark.parametrize("arch, extra", [("attention-lm", {}), ("amlp-lm", dict(attn_dim=8))])
def test_a_decoder_made_after_the_weights_change_reads_the_new_weights(arch, extra):
    """The decoders keep each weight's transposed copy beside it; a weight changed in place since (a training step,
    a state dict loaded into the model) is transposed again, not read from the stale copy."""
    torch.manual_seed(0)
    model = build_model(arch, LMConfig(vocab_size=12, block_size=16, d_model=16, depth=2, heads=2, d_ffn=32,
                                       **extra)).eval()
    ids = torch.randint(0, 12, (8,))
    with torch.inference_mode():
        model.decoder().prefill(ids[:4])  # the copies made
    with torch.no_grad():
        for parameter in model.parameters():
            parameter.add_(torch.randn_like(parameter) * 0.5)
    with torch.inference_mode():
        decoder = model.decoder()
        decoder.prefill(ids[:4])
        for end in range(5, 9):
            assert torch.allclose(decoder.append(int(ids[end - 1])), model(ids[None, :end])[0, -1], atol=1e-5), end
    # and a model's copy outside inference mode is an ordinary tensor: a forward with gradients may use it
    logits = model.decoder().prefill(ids[:4])
    assert not logits.is_inference()


def test_guesses_name_each_character_visibly_with_its_probability():
    tokenizer = CharTokenizer(" ab\n")
    ids = torch.tensor([[1, 0, 4], [3, 2, 1]])  # 4: the unknown id
    probs = torch.tensor([[0.5, 0.25, 0.125], [0.9, 0.06, 0.04]])
    assert guesses_text(tokenizer, ids, probs) == ["a 50% · ␣ 25% · � 12%", "↵ 90% · b 6% · a 4%"]


@pytest.mark.parametrize("temperature, top_k", [(1.0, None), (0.8, 3), (2.0, 5)])
def test_sampling_follows_the_softened_top_k_distribution_and_never_the_unknown(temperature, top_k):
    tokenizer = CharTokenizer("abcdefgh")
    logits = torch.tensor([2.0, 1.0, 0.5, 3.0, -1.0, 0.0, 1.5, 2.5, 9.0])  # the last: the unknown id, the largest
    generator = torch.Generator().manual_seed(0)
    draws = 20_000
    counts = torch.bincount(torch.tensor([_sample(logits.clone(), tokenizer, temperature, top_k, generator)
                                          for _ in range(draws)]), minlength=9).double() / draws
    known = logits[:8] / temperature
    if top_k is not None:
        known = known.masked_fill(known < known.topk(top_k).values[-1], float("-inf"))
    expected = torch.softmax(known.double(), 0)
    assert counts[8] == 0  # the unknown character is never written
    assert torch.all(counts[:8][expected == 0] == 0)  # nothing outside the top k
    assert torch.allclose(counts[:8], expected, atol=0.015)  # within sampling noise (sd <= 0.0036)


def test_the_lowest_temperature_and_top_k_one_give_the_largest():
    tokenizer = CharTokenizer("abcd")
    logits = torch.tensor([0.1, 0.3, 0.2, 0.25, 5.0])
    generator = torch.Generator().manual_seed(0)
    assert {_sample(logits.clone(), tokenizer, 1e-300, None, generator) for _ in range(50)} == {1}
    assert {_sample(logits.clone(), tokenizer, 1.0, 1, generator) for _ in range(50)} == {1}
