"""The choices a picker draws, and what it accepts back from the browser."""

import numpy as np
import pytest
from PIL import Image
import io

from gmlp_core.ui.pickers import patch_tiles, picked_index, picture_tiles, png


def test_a_gallery_tile_carries_its_picture_and_its_caption_as_text():
    tiles = picture_tiles([b"\xff\xd8one", b"\xff\xd8two"], ["cat", "<b>dog</b>"])
    assert [t["src"][:23] for t in tiles] == ["data:image/jpeg;base64,"] * 2
    assert [t["label"] for t in tiles] == ["cat", "<b>dog</b>"]  # drawn with textContent: never parsed as HTML
    with pytest.raises(ValueError, match="2 pictures but 1 captions"):
        picture_tiles([b"a", b"b"], ["cat"])


def test_patches_are_numbered_in_reading_order_and_name_themselves_on_hover():
    tiles = patch_tiles(3, "patch")
    assert [t["label"] for t in tiles] == [str(k) for k in range(9)]
    assert tiles[4]["title"] == "patch 4" and all(t["src"] is None for t in tiles)


@pytest.mark.parametrize("sent, count, expected", [
    (0, 4, 0), (3, 4, 3), (4, 4, None), (-1, 4, None), (True, 4, None), (1.0, 4, None), ("2", 4, None),
    (None, 4, None), ([1], 4, None), (2**70, 4, None)])
def test_only_the_number_of_a_choice_chooses(sent, count, expected):
    assert picked_index(sent, count) == expected


def test_the_picture_under_the_patches_is_the_pixels_themselves():
    pixels = np.random.default_rng(0).integers(0, 256, (8, 8, 3), dtype=np.uint8)
    assert (np.asarray(Image.open(io.BytesIO(png(pixels)))) == pixels).all()
