import json

import pytest
import torch

from gmlp_core.formats.checkpoints import save_checkpoint
from gmlp_core.evaluate import main as evaluate_main
from gmlp_core.analysis.accuracy import topk_accuracy
from gmlp_core.models import GMLPVision, preset
from tests.helpers.synthetic import write_image_folder


def test_topk_on_a_hand_made_example():
    logits = torch.tensor([
        [5.0, 4.0, 3.0, 2.0, 1.0, 0.0],  # label 0: top-1
        [5.0, 4.0, 3.0, 2.0, 1.0, 0.0],  # label 2: top-3
        [0.0, 1.0, 2.0, 3.0, 4.0, 5.0],  # label 1: top-5
        [0.0, 1.0, 2.0, 3.0, 4.0, 5.0],  # label 0: outside the top-5
    ])
    labels = torch.tensor([0, 2, 1, 0])
    assert topk_accuracy(logits, labels) == [0.25, 0.25, 0.5, 0.5, 0.75]


def test_topk_is_non_decreasing_and_capped_by_class_count():
    logits, labels = torch.randn(50, 3), torch.randint(0, 3, (50,))
    accuracy = topk_accuracy(logits, labels)
    assert accuracy == sorted(accuracy) and accuracy[2:] == [1.0, 1.0, 1.0]


@pytest.fixture(scope="module")
def tiny_checkpoint_and_split(tmp_path_factory):
    root = write_image_folder(tmp_path_factory.mktemp("data"), {"test": 3})
    path = save_checkpoint(GMLPVision(preset("tiny")).eval(), tmp_path_factory.mktemp("ck") / "t.safetensors")
    return path, root / "test"


def test_evaluate_json_schema(tiny_checkpoint_and_split, capsys):
    path, split = tiny_checkpoint_and_split
    assert evaluate_main(["--checkpoint", str(path), "--data-dir", str(split), "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(result) == {"top1", "top2", "top3", "top4", "top5", "n", "per_class", "confusion"}
    assert result["n"] == 30
    assert all(0.0 <= result[f"top{k}"] <= 1.0 for k in range(1, 6))
    assert [result[f"top{k}"] for k in range(1, 6)] == sorted(result[f"top{k}"] for k in range(1, 6))
    assert len(result["per_class"]) == 10 and len(result["confusion"]) == 10
    assert sum(map(sum, result["confusion"])) == 30
    assert sum(result["confusion"][i][i] for i in range(10)) / 30 == pytest.approx(result["top1"])


def test_evaluate_reports_a_missing_directory(tiny_checkpoint_and_split, tmp_path, capsys):
    path, _ = tiny_checkpoint_and_split
    assert evaluate_main(["--checkpoint", str(path), "--data-dir", str(tmp_path / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_a_model_left_in_training_mode_is_evaluated_without_drop_path():
    from gmlp_core.data import ImageSet
    from gmlp_core.analysis.accuracy import predict_logits
    model = GMLPVision(preset("tiny").replace(drop_path=0.5))
    images = ImageSet(torch.randint(0, 256, (8, 3, 32, 32), dtype=torch.uint8), torch.arange(8) % 10,
                      tuple(f"c{i}" for i in range(10)))
    model.eval()
    expected = predict_logits(model, images, (0.5,) * 3, (0.5,) * 3)
    model.train()
    assert torch.allclose(predict_logits(model, images, (0.5,) * 3, (0.5,) * 3), expected)
    assert model.training  # the caller's mode is restored


def test_record_writes_the_test_result_into_the_checkpoint_once(tmp_path, capsys):
    """A run trained with --skip-test gets its one reading of test/ recorded as the trainer would have."""
    from gmlp_core.formats.checkpoints import load_checkpoint, read_metadata
    root = write_image_folder(tmp_path / "data", {"test": 2})
    path = save_checkpoint(GMLPVision(preset("tiny")).eval(), tmp_path / "run.safetensors",
                           snapshots=torch.randn(3, 2, 2, 16, 16), preset="tiny", history=[{"epoch": 1}])
    before, before_info = load_checkpoint(path)
    assert evaluate_main(["--checkpoint", str(path), "--data-dir", str(root / "test"), "--json", "--record"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    _, meta = read_metadata(path)
    assert meta["test"] == {f"top{k}": result[f"top{k}"] for k in range(1, 6)} and meta["test_images"] == 20
    assert meta["per_class"] == result["per_class"] and meta["confusion"] == result["confusion"]
    assert meta["preset"] == "tiny" and meta["history"] == [{"epoch": 1}]  # the rest of the record is kept
    after, after_info = load_checkpoint(path)
    assert all(torch.equal(a, b) for a, b in zip(before.state_dict().values(), after.state_dict().values()))
    assert torch.equal(before_info.snapshots, after_info.snapshots)
    # test/ is read once: a second recording is refused and leaves the file as it was
    assert evaluate_main(["--checkpoint", str(path), "--data-dir", str(root / "test"), "--record"]) == 2
    assert "already holds a test record" in capsys.readouterr().err
    assert read_metadata(path)[1] == meta


def test_record_refuses_a_file_it_cannot_rewrite(tmp_path, capsys):
    root = write_image_folder(tmp_path / "data", {"test": 1})
    foreign = tmp_path / "foreign.pt"
    torch.save(GMLPVision(preset("tiny")).state_dict(), foreign)
    assert evaluate_main(["--checkpoint", str(foreign), "--data-dir", str(root / "test"), "--record"]) == 2
    assert "--record" in capsys.readouterr().err
