"""Hostile and broken checkpoint files, made at test time (never committed): the library's and the app's
uploader tests both go through every one of them."""

import io
import json
import tempfile
import zipfile
from pathlib import Path

import torch
from safetensors import safe_open
from safetensors.torch import save_file

from gmlp_core.models import GMLPVision, VisionConfig
from tests.helpers import ROOT

TINY = ROOT / "checkpoints" / "tiny.safetensors"


def tiny_tensors_and_header() -> tuple[dict, dict]:
    with safe_open(str(TINY), "pt") as file:
        return {k: file.get_tensor(k) for k in file.keys()}, dict(file.metadata())


def safetensors_bytes(tensors: dict, header: dict) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "crafted.safetensors"
        save_file(tensors, str(path), metadata=header)
        return path.read_bytes()


def with_config(**changes) -> bytes:
    tensors, header = tiny_tensors_and_header()
    config = json.loads(header["config"])
    config.update(changes)
    return safetensors_bytes(tensors, {**header, "config": json.dumps(config)})


def with_meta(meta) -> bytes:
    tensors, header = tiny_tensors_and_header()
    return safetensors_bytes(tensors, {**header, "meta": json.dumps(meta)})


def torch_bytes(obj) -> bytes:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    return buffer.getvalue()


def deflated(data: bytes) -> bytes:
    """The same torch.save zip with every entry compressed."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            target.writestr(entry.filename, source.read(entry.filename))
    return out.getvalue()



def small_state() -> dict:
    return GMLPVision(VisionConfig(d_model=16, d_ffn=32, depth=1, heads=1)).state_dict()


def hostile_files() -> dict[str, tuple[bytes, str, str]]:
    """name -> (the file's bytes, its upload name, a regex its refusal must match)."""
    tensors, header = tiny_tensors_and_header()
    return {
        "a config asking for 16,384-wide blocks": (with_config(d_model=16384, d_ffn=16384), "wide.safetensors",
                                                   "parameters; the app loads models up to"),
        "a config asking for 30,000 blocks": (with_config(depth=30000), "deep.safetensors", "depth is 30,000"),
        "a config asking for 65,536 tokens": (with_config(image_size=256, patch_size=1), "tokens.safetensors",
                                              "65,536 tokens"),
        "heads 0": (with_config(heads=0), "heads.safetensors", "heads must be >= 1"),
        "a float where an int is meant": (with_config(d_model=32.0), "float.safetensors", "d_model must be int"),
        "JSON nested 50,000 deep": (safetensors_bytes(tensors, {**header, "meta": "[" * 50_000 + "]" * 50_000}),
                                    "nested.safetensors", "nested too deep"),
        "an unknown arch": (safetensors_bytes(tensors, {**header, "arch": "evil"}), "evil.safetensors",
                            "unknown arch"),
        "class names that do not match": (with_meta({"class_names": ["a", "b", "c"]}), "names.safetensors",
                                          "class_names"),
        "a stride-0 tensor": (torch_bytes({**small_state(), "head.weight": torch.zeros(1).expand(4096, 4096)}),
                              "stride0.pt", "stride 0"),
        "a compressed torch zip": (deflated(torch_bytes(small_state())), "deflated.pt", "compressed"),
        "integer state-dict keys": (torch_bytes({1: torch.zeros(2)}), "keys.pt", "keys are parameter names"),
        "random bytes after a pickle opcode": (b"\x80" + bytes(range(256)) * 4, "random.pt", "refused|corrupt"),
    }
