"""Generation one character at a time for the language family (gmlp_core.models.lm): what earlier characters left
behind is kept, not recomputed.

- AttentionDecoder: an AttentionLM's key/value cache.
- GMLPDecoder: a GMLPLM's normalised gate inputs Z2' per block (position m's gate is W[:, m, :m+1] against the
  cached rows) and, for the aMLP, its tiny attention's keys and values.

prefill(ids) reads a context at once (the models' own batched maths); append(id) reads one more character. A
character costs one position's work, and at this size (a 192-wide model, one torch thread) the work is a few
microseconds per operation, so the cost is the number of operations: append() is written as few large ones on
tensors prepared once per decoder. Caches are preallocated for the whole context and written in place; a cache row
past the current position is never read (its W entry is zero, its attention score -inf), and both are zeroed
when a prefill restarts. Module attribute lookups, Python-level functional wrappers and einops are kept out of
append(): each costs as much as the maths here.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from .gmlp import ACTIVATIONS

_gelu, _linear, _layer_norm, _addmm = torch._C._nn.gelu, torch._C._nn.linear, torch.layer_norm, torch.addmm


def _t(weight: torch.Tensor) -> torch.Tensor:
    """A linear layer's weight (out, in) as a contiguous (in, out) matrix: a character's row times it (addmm) took
    20-25 % less time than linear() on the weight as it lies (benchmarks/bench_lm.py). Made once per weight and
    kept beside it (2 ms for a model's weights, which every generation paid), made again once the weight changes
    (its version counter: training, a state dict loaded into it); an ordinary tensor, also under inference_mode."""
    kept = getattr(weight, "_transposed", None)
    if kept is not None and kept[0] == weight._version:
        return kept[1]
    with torch.inference_mode(False), torch.no_grad():
        transposed = weight.detach().t().contiguous()
    weight._transposed = (weight._version, transposed)
    return transposed


def _norm(layer: nn.LayerNorm, x: torch.Tensor) -> torch.Tensor:
    return F.layer_norm(x, layer.normalized_shape, layer.weight, layer.bias, layer.eps)


def _norm_args(layer: nn.LayerNorm) -> tuple:
    return layer.normalized_shape, layer.weight, layer.bias, layer.eps


def _future_masks(block: int) -> torch.Tensor:
    """(block, 1, block): row m is 0 up to position m and -inf after it, an attention score's causal mask."""
    future = torch.ones(block, block, dtype=torch.bool).triu(1)
    return torch.zeros(block, block).masked_fill(future, float("-inf"))[:, None, :]


def _check_room(length: int, block: int) -> None:
    if length >= block:
        raise ValueError(f"the cache holds {length} characters, the model's whole context")


class AttentionDecoder:
    """An AttentionLM's key/value cache: append(id) costs one position's work against the cached keys and values.
    Positions count from the start of the prefill; at most block_size of them."""

    def __init__(self, model):
        c = model.config
        self.model, self.length, self.heads, self.block = model, 0, c.heads, c.block_size
        d_head = c.d_model // c.heads
        # (layers, 2, h, block, d_head): each block's keys and values
        self.cache = torch.zeros(len(model.blocks), 2, c.heads, c.block_size, d_head)
        self.scale = 1.0 / math.sqrt(d_head)
        self.masks = _future_masks(c.block_size)
        self.embed, self.positions = model.token_embed.weight, model.pos_embed[0]
        self.layers = [(_norm_args(b.norm1), _t(b.attn.qkv.weight), b.attn.qkv.bias, _t(b.attn.proj.weight),
                        b.attn.proj.bias, _norm_args(b.norm2), _t(b.mlp[0].weight), b.mlp[0].bias, _t(b.mlp[2].weight),
                        b.mlp[2].bias, self.cache[i, 0], self.cache[i, 0].transpose(1, 2), self.cache[i, 1])
                       for i, b in enumerate(model.blocks)]
        self.final = _norm_args(model.norm), model.head.weight, model.head.bias

    def prefill(self, ids: torch.Tensor) -> torch.Tensor:
        """ids: (n,) -> logits (vocab,) after the last one (the cache restarts from them)."""
        self.length = 0
        self.cache.zero_()
        x = self.model.token_embed(ids) + self.positions[:len(ids)]
        for i, block in enumerate(self.model.blocks):
            x = self._block(i, block, x)
        self.length = len(ids)
        return self._head(x[-1:])[0]

    def _block(self, i: int, block, x: torch.Tensor) -> torch.Tensor:
        """x: (n, d) at positions 0..n-1 -> the block's output, its keys and values cached."""
        n = x.shape[0]
        q, k, v = (t.view(n, self.heads, -1).transpose(0, 1)
                   for t in F.linear(_norm(block.norm1, x), block.attn.qkv.weight, block.attn.qkv.bias).chunk(3, -1))
        self.cache[i, 0, :, :n], self.cache[i, 1, :, :n] = k, v
        context = F.scaled_dot_product_attention(q, k, v, is_causal=n > 1)
        x = x + F.linear(context.transpose(0, 1).reshape(n, -1), block.attn.proj.weight, block.attn.proj.bias)
        hidden, _, out, _ = block.mlp  # Linear, GELU, Linear, Dropout (a no-op in eval)
        return x + F.linear(F.gelu(F.linear(_norm(block.norm2, x), hidden.weight, hidden.bias)), out.weight, out.bias)

    def append(self, token: int) -> torch.Tensor:
        """One more character -> logits (vocab,) after it."""
        m = self.length
        _check_room(m, self.block)
        x = (self.embed[token] + self.positions[m])[None]  # (1, d)
        mask, heads = self.masks[m], self.heads
        for (norm1, qkv_w, qkv_b, proj_w, proj_b, norm2, hid_w, hid_b, out_w, out_b,
             keys, keys_t, values) in self.layers:
            qkv = _addmm(qkv_b, _layer_norm(x, *norm1), qkv_w).view(3, heads, 1, -1)
            keys.select(1, m).copy_(qkv[1, :, 0])
            values.select(1, m).copy_(qkv[2, :, 0])
            # (h, 1, d_head) x (h, d_head, block) + the causal row -> softmax -> x (h, block, d_head)
            weights = torch.baddbmm(mask, qkv[0], keys_t, alpha=self.scale).softmax(-1)
            x = x + _addmm(proj_b, torch.bmm(weights, values).view(1, -1), proj_w)
            x = x + _addmm(out_b, _gelu(_addmm(hid_b, _layer_norm(x, *norm2), hid_w)), out_w)
        self.length = m + 1
        return self._head(x)[0]

    def _head(self, x: torch.Tensor) -> torch.Tensor:
        norm, weight, bias = self.final
        return _linear(_layer_norm(x, *norm), weight, bias)


class GMLPDecoder:
    """A GMLPLM's cache: each block keeps its normalised gate inputs Z2' (and, for the aMLP, the tiny attention's
    keys and values), so position m's gate is W[:, m, :m+1] against the cached rows."""

    def __init__(self, model):
        c, blocks = model.config, model.gmlp.blocks
        self.model, self.length, self.heads, self.block = model, 0, c.heads, c.block_size
        half = c.d_ffn // 2
        self.gates = torch.zeros(len(blocks), c.heads, c.block_size, half // c.heads)  # (layers, h, block, d)
        self.keys, self.values = (torch.zeros(len(blocks), c.block_size, c.attn_dim) for _ in range(2))
        self.scale = 1.0 / math.sqrt(c.attn_dim) if c.attn_dim else 1.0
        self.masks = _future_masks(c.block_size)[:, 0]  # (block, block): the tiny attention's causal rows
        self.embed = model.token_embed.weight
        self.weights = [b.sgu.effective_weight() for b in blocks]  # (h, block, block), zero above the diagonal
        self.layers = []
        for i, b in enumerate(blocks):
            sgu, attn = b.sgu, b.sgu.attn
            self.layers.append((
                _norm_args(b.norm), _t(b.proj_in.weight), b.proj_in.bias, _norm_args(sgu.norm),
                self.weights[i].transpose(0, 1),  # (block, h, block): row m is position m's W rows, one per head
                sgu.bias.t()[:, :, None, None],  # (block, h, 1, 1)
                self.gates[i], half, None if sgu.act == "none" else ACTIVATIONS[sgu.act],
                _t(b.proj_out.weight), b.proj_out.bias, b.gelu_after_v,
                None if attn is None else (_t(attn.qkv.weight), _t(attn.out.weight), attn.out.bias, self.keys[i],
                                           self.keys[i].t(), self.values[i])))
        self.final = _norm_args(model.norm), model.head.weight, model.head.bias

    def prefill(self, ids: torch.Tensor) -> torch.Tensor:
        """ids: (n,) -> logits (vocab,) after the last one (the cache restarts from them)."""
        self.length = 0
        for cache in (self.gates, self.keys, self.values):
            cache.zero_()
        x = self.model.token_embed(ids)
        for i, block in enumerate(self.model.gmlp.blocks):
            x = self._block(i, block, x)
        self.length = len(ids)
        return self._head(x[-1:])[0]

    def _block(self, i: int, block, x: torch.Tensor) -> torch.Tensor:
        """x: (n, d) at positions 0..n-1 -> the block's output, its caches filled."""
        sgu, n = block.sgu, x.shape[0]
        normed = _norm(block.norm, x)
        z1, z2 = F.gelu(F.linear(normed, block.proj_in.weight, block.proj_in.bias)).chunk(2, dim=-1)
        self.gates[i, :, :n] = _norm(sgu.norm, z2).view(n, self.heads, -1).transpose(0, 1)
        # (h, n, n) @ (h, n, d): each position's causal row of W against every gate input
        gate = self.weights[i][:, :n, :n] @ self.gates[i, :, :n] + sgu.bias[:, :n, None]
        gate = gate.transpose(0, 1).reshape(n, -1)
        if sgu.attn is not None:
            q, k, v = F.linear(normed, sgu.attn.qkv.weight).chunk(3, dim=-1)
            self.keys[i, :n], self.values[i, :n] = k, v
            context = F.scaled_dot_product_attention(q, k, v, is_causal=n > 1)
            gate = gate + F.linear(context, sgu.attn.out.weight, sgu.attn.out.bias)
        y = F.linear(z1 * ACTIVATIONS[sgu.act](gate), block.proj_out.weight, block.proj_out.bias)
        return x + (F.gelu(y) if block.gelu_after_v else y)

    def append(self, token: int) -> torch.Tensor:
        """One more character -> logits (vocab,) after it."""
        m = self.length
        _check_room(m, self.block)
        x = self.embed[token:token + 1]  # (1, d)
        mask = self.masks[m:m + 1]
        for (norm, in_w, in_b, gate_norm, rows, biases, gates, half, act, out_w, out_b, gelu_after,
             attn) in self.layers:
            normed = _layer_norm(x, *norm)
            z1, z2 = _gelu(_addmm(in_b, normed, in_w)).split(half, -1)
            gates.select(1, m).copy_(_layer_norm(z2, *gate_norm).view(self.heads, -1))
            # (h, 1, block) x (h, block, d) + b: position m's W rows against every cached gate input
            gate = torch.baddbmm(biases[m], rows[m][:, None], gates).view(1, half)
            if attn is not None:
                qkv_w, out_aw, out_ab, keys, keys_t, values = attn
                q, k, v = torch.mm(normed, qkv_w).chunk(3, -1)
                keys[m].copy_(k[0])
                values[m].copy_(v[0])
                weights = torch.addmm(mask, q, keys_t, alpha=self.scale).softmax(-1)  # (1, block)
                gate = gate + _addmm(out_ab, weights @ values, out_aw)
            y = _addmm(out_b, z1 * (gate if act is None else act(gate)), out_w)
            x = x + (_gelu(y) if gelu_after else y)
        self.length = m + 1
        return self._head(x)[0]

    def _head(self, x: torch.Tensor) -> torch.Tensor:
        norm, weight, bias = self.final
        return _linear(_layer_norm(x, *norm), weight, bias)
