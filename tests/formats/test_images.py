import io
import struct
import zlib

import numpy as np
import pytest
import torch
from PIL import Image

from gmlp_core.formats.images import ImageError, load_image, model_image, patch_grid, patch_mosaic, to_tensor
from tests.helpers import ROOT

SAMPLE = ROOT / "gmlp_core" / "ui" / "samples" / "cat_0000.jpg"


def encode(img: Image.Image, fmt: str, **kwargs) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def gradient(width=40, height=30) -> Image.Image:
    x = np.linspace(0, 255, width, dtype=np.uint8)[None, :, None].repeat(height, 0)
    y = np.linspace(0, 255, height, dtype=np.uint8)[:, None, None].repeat(width, 1)
    return Image.fromarray(np.concatenate([x, y, 255 - x], axis=2), "RGB")


def test_grayscale_becomes_rgb_with_equal_channels():
    img = load_image(encode(gradient().convert("L"), "PNG"))
    pixels = np.asarray(img)
    assert img.mode == "RGB" and (pixels[..., 0] == pixels[..., 2]).all()


def test_palette_with_transparency_is_composited_on_white():
    palette = Image.new("P", (4, 4), 0)
    palette.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    palette.putpixel((1, 1), 1)
    img = load_image(encode(palette, "PNG", transparency=0))
    assert img.getpixel((0, 0)) == (255, 255, 255)
    assert img.getpixel((1, 1)) == (255, 0, 0)


def test_rgba_is_composited_on_white():
    rgba = Image.new("RGBA", (2, 1), (0, 0, 255, 0))
    rgba.putpixel((1, 0), (0, 0, 255, 128))
    img = load_image(encode(rgba, "PNG"))
    assert img.getpixel((0, 0)) == (255, 255, 255)
    assert img.getpixel((1, 0))[0] in (127, 128) and img.getpixel((1, 0))[2] == 255


def test_cmyk_jpeg_converts_to_rgb():
    img = load_image(encode(Image.new("CMYK", (8, 8), (0, 255, 255, 0)), "JPEG"))
    red, green, blue = img.getpixel((4, 4))
    assert img.mode == "RGB" and red > 200 and green < 60 and blue < 60


def test_16_bit_grayscale_is_scaled_not_clipped():
    values = np.array([[0, 32768, 65535]], dtype=np.uint16)
    img = load_image(encode(Image.fromarray(values), "PNG"))
    assert [img.getpixel((i, 0))[0] for i in range(3)] == [0, 128, 255]


def test_exif_orientation_is_applied():
    wide = gradient(40, 20)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    img = load_image(encode(wide, "JPEG", exif=exif.tobytes()))
    assert img.size == (20, 40)


def test_animated_gif_gives_the_first_frame():
    frames = [Image.new("RGB", (8, 8), colour) for colour in [(255, 0, 0), (0, 0, 255)]]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    red, _, blue = load_image(data).getpixel((4, 4))
    assert red > 200 and blue < 50


@pytest.mark.parametrize("fmt", ["WEBP", "BMP"])
def test_webp_and_bmp_load(fmt):
    assert load_image(encode(gradient(), fmt)).size == (40, 30)


def test_one_pixel_image_becomes_a_full_model_input():
    img = load_image(encode(Image.new("RGB", (1, 1), (10, 20, 30)), "PNG"))
    small = model_image(img, 32)
    assert small.size == (32, 32) and small.getpixel((31, 31)) == (10, 20, 30)


def test_extreme_aspect_ratio_is_centre_cropped_to_square():
    strip = Image.new("RGB", (3000, 3), (0, 0, 0))
    strip.paste((255, 255, 255), (1497, 0, 1503, 3))
    small = model_image(load_image(encode(strip, "PNG")), 32)
    assert small.size == (32, 32) and small.getpixel((16, 16)) == (255, 255, 255)


def test_path_and_pil_inputs_are_accepted(tmp_path):
    path = tmp_path / "g.png"
    gradient().save(path)
    assert load_image(path).size == load_image(gradient().convert("L")).size == (40, 30)


def test_to_tensor_normalises_per_channel():
    x = to_tensor(Image.new("RGB", (2, 2), (255, 0, 51)), mean=(0.5, 0.5, 0.5), std=(0.5, 0.25, 0.1))
    assert x.shape == (1, 3, 2, 2)
    assert torch.allclose(x[0, :, 0, 0], torch.tensor([1.0, -2.0, -3.0]))


def test_patch_grid_reads_patches_row_by_row():
    pixels = np.arange(4 * 4 * 1, dtype=np.uint8).reshape(4, 4, 1)
    patches = patch_grid(pixels, 2)
    assert patches.shape == (4, 2, 2, 1)
    assert patches[1, :, :, 0].tolist() == [[2, 3], [6, 7]]
    assert patch_mosaic(pixels, 2).shape == (5, 5, 1)


def test_empty_file_is_refused():
    with pytest.raises(ImageError, match="the file is empty"):
        load_image(b"")


def test_non_image_is_refused():
    with pytest.raises(ImageError, match="not an image"):
        load_image(b"hello, this is a text file")


def test_truncated_image_is_refused():
    data = encode(gradient(200, 200), "PNG")
    with pytest.raises(ImageError, match="truncated or corrupt"):
        load_image(data[: len(data) // 2])


def test_decompression_bomb_is_refused_before_decoding():
    data = bytearray(encode(Image.new("L", (1, 1)), "PNG"))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4:ihdr + 12] = struct.pack(">II", 30000, 30000)
    data[ihdr + 17:ihdr + 21] = struct.pack(">I", zlib.crc32(bytes(data[ihdr:ihdr + 17])))
    with pytest.raises(ImageError, match="too many pixels"):
        load_image(bytes(data))


def test_missing_path_is_named(tmp_path):
    with pytest.raises(ImageError, match="does not exist"):
        load_image(tmp_path / "nope.png")


def _reencoded(fmt: str) -> bytearray:
    buffer = io.BytesIO()
    Image.open(SAMPLE).save(buffer, fmt)
    return bytearray(buffer.getvalue())


def _broken_inputs() -> dict:
    png, bmp = _reencoded("PNG"), _reencoded("BMP")
    png[8:12] = b"\0\0\0\0"  # the IHDR chunk's length
    bmp[28:30] = b"\x07\x00"  # 7 bits per pixel
    return {"truncated jpeg": SAMPLE.read_bytes()[:458], "webp without data": b"RIFF\x80\x01\x00\x00WEBPVP8 ",
            "png with a zeroed IHDR length": bytes(png), "bmp with 7 bits per pixel": bytes(bmp)}


@pytest.mark.parametrize("name", list(_broken_inputs()))
def test_broken_files_raise_image_error_not_pillows_own(name):
    with pytest.raises(ImageError, match="truncated or corrupt|not an image"):
        load_image(_broken_inputs()[name])
