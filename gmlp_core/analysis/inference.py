"""What the image pages compute with a loaded model: predictions and the tokens each block reads."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from PIL import Image

from ..lessons.attention import AttentionResult, scaled_dot_product_attention
from ..formats.checkpoints import CheckpointInfo
from ..formats.images import model_image, to_tensor
from ..models import GMLPVision, VisionConfig


@dataclass
class Prediction:
    """probabilities: (classes,); top: the k most likely (class name, probability), best first."""

    model_input: Image.Image  # image_size x image_size RGB, what the model sees before normalising
    tensor: torch.Tensor  # (1, 3, H, W) normalised
    probabilities: torch.Tensor
    top: list[tuple[str, float]]


def prepare(image: Image.Image, info: CheckpointInfo) -> tuple[Image.Image, torch.Tensor]:
    """RGB image -> (square model-size image, normalised (1, in_chans, H, W) tensor)."""
    small = model_image(image, info.config.image_size)
    return small, to_tensor(small, info.mean, info.std, info.config.in_chans)


def predict(model: GMLPVision, info: CheckpointInfo, image: Image.Image, k: int = 5) -> Prediction:
    small, x = prepare(image, info)
    with torch.inference_mode():
        probabilities = torch.softmax(model(x)[0].float(), dim=0)
    values, indices = probabilities.topk(min(k, len(probabilities)))
    names = info.class_names
    return Prediction(small, x, probabilities, [(names[i], float(v)) for v, i in zip(values, indices.tolist())])


def token_labels(config: VisionConfig) -> list[str]:
    """Axis labels for the model's tokens: [CLS] first when present, then patch numbers row by row."""
    return (["[CLS]"] if config.cls_token else []) + [str(i) for i in range(config.num_patches)]


def block_inputs(model: GMLPVision, x: torch.Tensor) -> list[torch.Tensor]:
    """x: (1, 3, H, W) -> per block, the normalised tokens it reads: [(n, d_model)] * depth."""
    inputs = []
    with torch.inference_mode():
        tokens = model.tokens(x)
        for block in model.gmlp.blocks:
            inputs.append(block.norm(tokens)[0].clone())
            tokens = block(tokens)
    return inputs


def token_attention(model: GMLPVision, x: torch.Tensor, layer: int) -> AttentionResult:
    """Scaled dot-product self-attention of the tokens entering block `layer`, computed from this input.

    Uses identity projections (q = k = v = tokens), so every number comes from the image itself.
    """
    inputs = block_inputs(model, x)
    if not 0 <= layer < len(inputs):
        raise ValueError(f"layer must be in 0..{len(inputs) - 1}, got {layer}")
    tokens = inputs[layer]
    eye = torch.eye(tokens.shape[1])
    return scaled_dot_product_attention(tokens, eye, eye, eye)
