"""Decode, validate, resize and cut images into the model's patch grid."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np
import torch
from einops import rearrange
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import ExplainedError

MAX_PIXELS = 40_000_000  # above this an image is refused as a likely decompression bomb
MAX_BYTES = 25 * 1024 * 1024
ACCEPTED = "PNG, JPEG, WebP, BMP or GIF"
UPLOAD_TYPES = ("png", "jpg", "jpeg", "webp", "bmp", "gif")
FORMATS = ("PNG", "JPEG", "WEBP", "BMP", "GIF")  # Pillow's names: the only decoders a file is given to


class ImageError(ExplainedError):
    """An input that cannot be used as a picture; the message says what was wrong and what is accepted."""


def corrupt_image(err: Exception) -> ImageError:
    """A decoder's error as an ImageError; its code tells a cut-off file (an upload that did not finish) from
    one whose data is broken, so other languages can say which without the decoder's English."""
    message = f"the image is truncated or corrupt ({err}); upload a complete {ACCEPTED} file"
    if "truncated" in str(err).lower():  # codes written out: tests/ui/test_errors.py reads them from the source
        return ImageError(message, "image_truncated", detail=str(err), accepted=ACCEPTED)
    return ImageError(message, "image_corrupt", detail=str(err), accepted=ACCEPTED)


def _open(source) -> Image.Image:
    if isinstance(source, Image.Image):
        return source
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ImageError(f"image file {path} does not exist")
        source = path.read_bytes()
    if isinstance(source, (bytearray, memoryview)):
        source = bytes(source)
    if not isinstance(source, bytes):
        raise ImageError(f"expected image bytes, a file path or a PIL image, got {type(source).__name__}")
    if not source:
        raise ImageError(f"the file is empty (0 bytes); upload a {ACCEPTED} image", "image_empty", accepted=ACCEPTED)
    if len(source) > MAX_BYTES:
        raise ImageError(f"the file is {len(source) / 2**20:.1f} MB; the limit is {MAX_BYTES // 2**20} MB",
                         "image_too_big", mb=round(len(source) / 2**20, 1), limit=MAX_BYTES // 2**20)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            return Image.open(io.BytesIO(source), formats=FORMATS)  # detected by content, not by file name
    except UnidentifiedImageError:
        raise ImageError(f"the file is not an image the app reads ({ACCEPTED}); upload one of those", "image_unreadable",
                         accepted=ACCEPTED) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageError(f"the image has too many pixels (limit {MAX_PIXELS:,}); it may be a decompression bomb",
                         "image_too_many_pixels", limit=MAX_PIXELS) from None
    except Exception as err:  # a decoder's own words for a broken header, whatever their type
        raise corrupt_image(err) from None


def _to_rgb(img: Image.Image) -> Image.Image:
    """Any mode -> RGB: alpha composited on white, 16-bit and float scaled to 8 bits, CMYK converted."""
    if img.mode in ("I;16", "I;16L", "I;16B", "I;16N", "I", "F"):
        values = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") or values.max(initial=0) > 255 else 255.0
        if img.mode == "F":
            low, high = values.min(initial=0), values.max(initial=1)
            values, top = values - low, max(high - low, 1e-12)
        img = Image.fromarray(np.clip(values / top * 255.0 + 0.5, 0, 255).astype(np.uint8), mode="L")
    if img.mode == "P" and "transparency" in img.info or img.mode in ("LA", "PA", "La", "RGBa"):
        img = img.convert("RGBA")
    if img.mode == "RGBA":
        background = Image.new("RGBA", img.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, img)
    return img.convert("RGB")


def load_image(source) -> Image.Image:
    """bytes | path | PIL.Image -> RGB PIL.Image, upright (EXIF orientation applied), first frame if animated."""
    img = _open(source)
    width, height = img.size
    if width * height > MAX_PIXELS:
        raise ImageError(f"the image is {width}x{height} = {width * height:,} pixels; the limit is {MAX_PIXELS:,} "
                         "(it may be a decompression bomb)", "image_too_many_pixels", limit=MAX_PIXELS)
    if width < 1 or height < 1:
        raise ImageError(f"the image has no pixels ({width}x{height})", "image_no_pixels", size=f"{width}x{height}")
    try:
        img.seek(0)
        img.load()
        img = ImageOps.exif_transpose(img)
        return _to_rgb(img)
    except Exception as err:  # crafted data reaches decoder paths that raise anything (RuntimeError, ...)
        raise corrupt_image(err) from None


PREVIEW_SIDE = 512  # pixels; a 12-megapixel photo drawn pixel by pixel is 50 MB of chart


def preview(img: Image.Image, side: int = PREVIEW_SIDE) -> Image.Image:
    """A copy no larger than side x side (aspect kept) for showing the original picture."""
    return ImageOps.contain(img, (side, side), method=Image.Resampling.LANCZOS) if max(img.size) > side else img


def kept_share(img: Image.Image) -> float:
    """The share of a picture the centre square crop keeps: 1 for a square, 0.25 for a 4:1 strip."""
    return min(img.size) / max(img.size)


def model_image(img: Image.Image, size: int) -> Image.Image:
    """Centre crop to a square, then an antialiased (Lanczos) resize to size x size."""
    return ImageOps.fit(img, (size, size), method=Image.Resampling.LANCZOS)


def normalize(images: torch.Tensor, mean, std) -> torch.Tensor:
    """uint8 (b, C, H, W) -> float (b, C, H, W) in [0, 1], standardised per channel."""
    mean_t = torch.tensor(mean, device=images.device).view(1, -1, 1, 1)
    std_t = torch.tensor(std, device=images.device).view(1, -1, 1, 1)
    return (images.float() / 255.0 - mean_t) / std_t


CHANNEL_MODES = {1: "L", 3: "RGB", 4: "RGBA"}  # a model's in_chans -> the picture mode it reads


def to_tensor(img: Image.Image, mean, std, channels: int = 3) -> torch.Tensor:
    """RGB image -> (1, channels, H, W) float, normalised per channel (grey for 1 channel, opaque RGBA for 4)."""
    if channels not in CHANNEL_MODES:
        raise ImageError(f"a model reading {channels} channels; pictures give 1 (grey), 3 (RGB) or 4 (RGBA)",
                         "image_channels", channels=channels)
    pixels = np.array(img.convert(CHANNEL_MODES[channels])).reshape(img.height, img.width, channels)
    return normalize(rearrange(torch.from_numpy(pixels), "h w c -> 1 c h w"), mean, std)


def patch_grid(pixels: np.ndarray, patch_size: int) -> np.ndarray:
    """(H, W, C) -> (num_patches, patch, patch, C) in the order the model reads them (row by row)."""
    height, width = pixels.shape[:2]
    if height % patch_size or width % patch_size:
        raise ImageError(f"a {width}x{height} image does not split into {patch_size}x{patch_size} patches")
    return rearrange(pixels, "(gh p1) (gw p2) c -> (gh gw) p1 p2 c", p1=patch_size, p2=patch_size)


def patch_mosaic(pixels: np.ndarray, patch_size: int, gap: int = 1, fill: int = 255) -> np.ndarray:
    """(H, W, C) uint8 -> the same picture with `gap` white pixels between patches, for display."""
    patches = patch_grid(pixels, patch_size)
    grid = pixels.shape[0] // patch_size
    step = patch_size + gap
    side = grid * step - gap
    out = np.full((side, side, pixels.shape[2]), fill, dtype=pixels.dtype)
    for index, patch in enumerate(patches):
        row, col = divmod(index, grid)
        out[row * step:row * step + patch_size, col * step:col * step + patch_size] = patch
    return out
