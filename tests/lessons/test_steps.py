import io

import numpy as np
import pytest
import torch
from PIL import Image

from gmlp_core.formats.checkpoints import CheckpointInfo
from gmlp_core.analysis.inference import block_inputs, predict, token_attention, token_labels
from gmlp_core.lessons.steps import LessonSettings, build_attention_lesson, head_choices
from gmlp_core.models import GMLPVision, VisionConfig
from gmlp_core.ui.tables import heads_csv, matrix_csv, npy_bytes
from gmlp_core.lessons.text import EXAMPLE_EMBEDDINGS


X = torch.tensor(EXAMPLE_EMBEDDINGS)


def test_lesson_holds_all_four_variants():
    lesson = build_attention_lesson(X, LessonSettings(d_out=4, heads=2))
    assert lesson.simplified.weights.shape == (6, 6) and lesson.trainable.mask is None
    assert lesson.causal.mask is not None and lesson.multi_head.weights.shape == (2, 6, 6)
    assert lesson.causal_methods_max_difference < 1e-6


def test_lesson_causal_setting_masks_trainable_and_multi_head():
    lesson = build_attention_lesson(X, LessonSettings(d_out=4, heads=2, causal=True))
    assert lesson.trainable.weights[0, 1] == 0 and (lesson.multi_head.weights[:, 0, 1:] == 0).all()


def test_lesson_settings_name_an_indivisible_head_count():
    assert head_choices(6) == [1, 2, 3, 6]
    with pytest.raises(ValueError, match=r"d_out \(6\) must be divisible by heads \(4\); choose heads among \[1, 2, 3, 6\]"):
        LessonSettings(d_out=6, heads=4)


def test_same_seed_same_lesson():
    a = build_attention_lesson(X, LessonSettings(seed=5, dropout=0.3))
    b = build_attention_lesson(X, LessonSettings(seed=5, dropout=0.3))
    assert torch.equal(a.trainable.context, b.trainable.context)


def test_tables_label_rows_and_columns_uniquely():
    text = matrix_csv(torch.eye(2), ["the", "the"], ["the", "the"])
    assert text.splitlines()[0] == ",0: the,1: the" and text.splitlines()[1] == "0: the,1,0"
    long = heads_csv(torch.arange(8.0).view(2, 2, 2), ["a", "b"]).splitlines()
    assert long[0] == "head,row,column,value" and long[1] == "0,a,a,0" and long[-1] == "1,b,b,7"
    assert np.load(io.BytesIO(npy_bytes(torch.eye(3)))).shape == (3, 3)


def vision_model():
    config = VisionConfig(d_model=16, d_ffn=32, depth=2, heads=2, cls_token=True, pool="cls")
    return GMLPVision(config).eval(), CheckpointInfo("mem", config)


def test_predict_gives_top5_in_order():
    model, info = vision_model()
    prediction = predict(model, info, Image.new("RGB", (50, 40), (200, 10, 10)))
    probabilities = [p for _, p in prediction.top]
    assert len(prediction.top) == 5 and probabilities == sorted(probabilities, reverse=True)
    assert prediction.model_input.size == (32, 32) and prediction.tensor.shape == (1, 3, 32, 32)


def test_token_labels_put_cls_first():
    _, info = vision_model()
    assert token_labels(info.config)[:3] == ["[CLS]", "0", "1"] and len(token_labels(info.config)) == 17


def test_token_attention_depends_on_the_image():
    model, _ = vision_model()
    a = token_attention(model, torch.randn(1, 3, 32, 32), layer=1)
    b = token_attention(model, torch.randn(1, 3, 32, 32), layer=1)
    assert a.weights.shape == (17, 17) and not torch.allclose(a.weights, b.weights)
    assert len(block_inputs(model, torch.randn(1, 3, 32, 32))) == 2
    with pytest.raises(ValueError, match="layer must be in 0..1"):
        token_attention(model, torch.randn(1, 3, 32, 32), layer=2)
