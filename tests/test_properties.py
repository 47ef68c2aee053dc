"""Property tests: whatever a user types or uploads, only the library's documented errors escape."""

import io
import unicodedata

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from gmlp_core.formats.chars import UNKNOWN_MARK, CharTokenizer
from gmlp_core.formats.images import ImageError, load_image
from gmlp_core.lessons.steps import LessonSettings, build_attention_lesson
from gmlp_core.lessons.text import MAX_EMBEDDING_VALUE, embed, embeddings_from_table, tokenize
from tests.helpers import ROOT

SAMPLE_BYTES = (ROOT / "gmlp_core" / "ui" / "samples" / "dog_0000.jpg").read_bytes()
PROPERTY = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SHAKESPEARE = CharTokenizer("\n !$&',-.3:;?ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


@PROPERTY
@given(st.text(), st.integers(1, 200))
def test_any_text_tokenizes_within_its_limit(text, limit):
    tokens = tokenize(text, limit)
    assert len(tokens) <= limit and tokens.total >= len(tokens)
    assert embed(tokens.tokens, 4).shape == (len(tokens), 4)


@PROPERTY
@given(st.text())
def test_any_text_round_trips_through_the_character_vocabulary_up_to_unknowns(text):
    ids = SHAKESPEARE.encode(text)
    decoded = SHAKESPEARE.decode(ids)
    normal = unicodedata.normalize("NFC", text)
    assert len(decoded) == len(normal)
    assert all(d == c or (d == UNKNOWN_MARK and c not in SHAKESPEARE.vocab) for d, c in zip(decoded, normal))


cell = st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.integers(-10 ** 30, 10 ** 30), st.text(max_size=5),
                 st.none())


@PROPERTY
@given(st.lists(st.lists(cell, min_size=1, max_size=4), min_size=1, max_size=6))
def test_a_typed_table_gives_finite_embeddings_or_a_value_error(rows):
    try:
        x = embeddings_from_table(rows)
    except ValueError:
        return
    assert torch.isfinite(x).all() and x.abs().max() <= MAX_EMBEDDING_VALUE


@PROPERTY
@given(st.lists(st.lists(st.floats(-MAX_EMBEDDING_VALUE, MAX_EMBEDDING_VALUE), min_size=3, max_size=3),
                min_size=1, max_size=8),
       st.sampled_from([(4, 1), (4, 2), (8, 4)]), st.booleans())
def test_lesson_weights_are_finite_rows_that_sum_to_one(rows, shape, causal):
    lesson = build_attention_lesson(embeddings_from_table(rows), LessonSettings(*shape, causal=causal))
    for weights in (lesson.simplified.weights, lesson.trainable.weights, lesson.causal.weights,
                    lesson.multi_head.weights):
        assert torch.isfinite(weights).all()
        assert torch.allclose(weights.sum(-1), torch.ones_like(weights.sum(-1)), atol=1e-4)


@PROPERTY
@given(st.lists(st.tuples(st.integers(0, len(SAMPLE_BYTES) - 1), st.integers(0, 255)), max_size=12),
       st.integers(0, len(SAMPLE_BYTES)))
def test_mutated_image_bytes_give_an_image_or_an_image_error(mutations, cut):
    data = bytearray(SAMPLE_BYTES)
    for position, value in mutations:
        data[position] = value
    try:
        image = load_image(bytes(data[:cut]))
    except ImageError:
        return
    assert image.mode == "RGB" and image.width >= 1 and image.height >= 1


@pytest.mark.parametrize("header", [b"\x89PNG\r\n\x1a\n", b"GIF89a", b"BM", b"RIFF\x80\x01\x00\x00WEBPVP8 ",
                                    # formats the app does not read: AVIF, DDS, TIFF (both byte orders)
                                    b"\x00\x00\x00\x1cftypavif", b"DDS |\x00\x00\x00", b"II*\x00", b"MM\x00*"])
@PROPERTY
@given(tail=st.binary(max_size=256))
def test_format_headers_with_junk_give_an_image_error(header, tail):
    with pytest.raises(ImageError):
        load_image(header + tail)


def _other_format(kind: str) -> bytes:
    """The sample re-encoded in a format the app does not read (any of Pillow's other writers)."""
    buffer = io.BytesIO()
    Image.open(io.BytesIO(SAMPLE_BYTES)).convert("RGB").save(buffer, kind)
    return buffer.getvalue()


OTHER_FORMATS = {kind: _other_format(kind) for kind in ("TIFF", "ICO", "TGA", "PCX", "SGI", "PPM")}


@pytest.mark.parametrize("kind", list(OTHER_FORMATS))
def test_a_format_the_app_does_not_name_is_refused_with_the_list(kind):
    with pytest.raises(ImageError, match="PNG, JPEG, WebP, BMP or GIF"):
        load_image(OTHER_FORMATS[kind])


@PROPERTY
@given(st.sampled_from(list(OTHER_FORMATS)), st.lists(st.tuples(st.integers(0, 200), st.integers(0, 255)),
                                                       max_size=8))
def test_mutated_files_of_other_formats_give_an_image_error(kind, mutations):
    data = bytearray(OTHER_FORMATS[kind])
    for position, value in mutations:
        data[position % len(data)] = value
    with pytest.raises(ImageError):
        load_image(bytes(data))
