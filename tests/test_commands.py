"""Every command refuses bad arguments up front, in one line naming the problem, before loading or training."""

import pytest

from gmlp_core import convert, evaluate, language, train, train_lm
from tests.helpers import ROOT
from tests.helpers.synthetic import write_image_folder

TINY = str(ROOT / "checkpoints" / "tiny.safetensors")
LM = str(ROOT / "checkpoints" / "lm-gmlp.safetensors")


def refused(main, argv: list[str], capsys, says: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert stopped.value.code == 2 and says in error and "Traceback" not in error


@pytest.mark.parametrize("argv, says", [
    (["--batch-size", "0"], "--batch-size: must be a whole number >= 1"),
    (["--batch-size", "-5"], "--batch-size: must be a whole number >= 1"),
    (["--lr", "nan"], "--lr: must be a finite number"),
    (["--mixup", "-1"], "mixup must be >= 0"),
    (["--out", "run.pt"], "--out: must name a .safetensors file"),
    (["--out", TINY + "/run.safetensors"], "--out: cannot write"),
    (["--resume", "missing.state.pt"], "--resume: no such file"),
    (["--preset", "nope"], "--preset: invalid choice"),
])
def test_train_refuses_bad_arguments(argv, says, capsys, tmp_path):
    base = {"--preset": "tiny", "--data-dir": str(tmp_path), "--out": str(tmp_path / "m.safetensors")}
    base.update(dict(zip(argv[::2], argv[1::2])))
    refused(train.main, [x for pair in base.items() for x in pair], capsys, says)


def test_train_refuses_too_few_images_and_a_corrupt_one_before_training(tmp_path, capsys):
    root = write_image_folder(tmp_path / "data", {"train": 3})
    args = ["--preset", "tiny", "--data-dir", str(root), "--out", str(tmp_path / "m.safetensors"), "--val-size", "0",
            "--quiet", "--device", "cpu"]
    assert train.main(args) == 2 and "fewer than one batch of 128" in capsys.readouterr().err
    (root / "train" / "cat" / "0000.png").write_bytes(b"not a picture")
    assert train.main(args + ["--batch-size", "8"]) == 2
    assert "0000.png: not a readable image" in capsys.readouterr().err
    assert not (tmp_path / "m.safetensors").exists()


@pytest.mark.parametrize("argv, says", [
    (["--preset", "nope"], "--preset: invalid choice"),
    (["--batch-size", "0"], "--batch-size: must be a whole number >= 1"),
    (["--eval-every", "0"], "--eval-every: must be a whole number >= 1"),
    (["--data", "missing.txt"], "--data: no such file"),
    (["--steps", "-3"], "--steps: must be a whole number >= 1"),
])
def test_train_lm_refuses_bad_arguments(argv, says, capsys, tmp_path):
    text = tmp_path / "t.txt"
    text.write_text("to be or not to be " * 50)
    base = {"--arch": "gmlp", "--data": str(text), "--out": str(tmp_path / "m.safetensors"), "--steps": "2"}
    base.update(dict(zip(argv[::2], argv[1::2])))
    refused(train_lm.main, [x for pair in base.items() for x in pair], capsys, says)


@pytest.mark.parametrize("argv, says", [
    (["--checkpoint", TINY, "--data-dir", ".", "--batch-size", "0"], "--batch-size: must be a whole number >= 1"),
    (["--checkpoint", "missing.safetensors", "--data-dir", "."], "--checkpoint: no such file"),
])
def test_evaluate_refuses_bad_arguments(argv, says, capsys):
    refused(evaluate.main, argv, capsys, says)


def test_evaluate_names_a_language_model_as_the_wrong_kind(capsys, tmp_path):
    assert evaluate.main(["--checkpoint", LM, "--data-dir", str(tmp_path)]) == 2
    assert "evaluate measures image classifiers" in capsys.readouterr().err


@pytest.mark.parametrize("argv, says", [
    ([TINY, TINY + "/out.safetensors"], "target: cannot write"),
    ([TINY, "out.pt"], "target: must name a .safetensors file"),
    (["missing.pt", "out.safetensors"], "source: no such file"),
    ([TINY, "out.safetensors", "--std", "0", "1", "1"], "--std: must be a number > 0"),
])
def test_convert_refuses_bad_arguments(argv, says, capsys):
    refused(convert.main, argv, capsys, says)


@pytest.mark.parametrize("argv, says", [
    (["--temperature", "nan"], "--temperature: must be a finite number"),
    (["--temperature", "0"], "--temperature: must be a number > 0"),
    (["--top-k", "0"], "--top-k: must be a whole number >= 1"),
    (["--length", "-1"], "--length: must be a whole number >= 0"),
])
def test_language_refuses_bad_arguments(argv, says, capsys):
    refused(language.main, ["--checkpoint", LM, *argv], capsys, says)
