import pytest
import torch

from gmlp_core.data import DataError, ImageSet, split_validation

CLASSES = ("a", "b", "c")


def image_set(per_class: int) -> ImageSet:
    labels = torch.arange(3).repeat_interleave(per_class)
    images = torch.arange(len(labels), dtype=torch.uint8).view(-1, 1, 1, 1).expand(-1, 3, 2, 2).contiguous()
    return ImageSet(images, labels, CLASSES)  # image i is filled with the value i: its identity


def identities(data: ImageSet) -> set[int]:
    return set(data.images[:, 0, 0, 0].tolist())


def test_validation_split_is_stratified_disjoint_and_complete():
    data = image_set(20)
    train, val = split_validation(data, 15, seed=0)
    assert len(val) == 15 and len(train) == 45
    assert torch.bincount(val.labels).tolist() == [5, 5, 5]
    assert identities(train).isdisjoint(identities(val))
    assert identities(train) | identities(val) == identities(data)
    assert all(data.labels[i] == label for i, label in zip(val.images[:, 0, 0, 0].tolist(), val.labels.tolist()))


def test_validation_split_is_fixed_by_its_seed():
    data = image_set(20)
    assert identities(split_validation(data, 15, seed=1)[1]) == identities(split_validation(data, 15, seed=1)[1])
    assert identities(split_validation(data, 15, seed=1)[1]) != identities(split_validation(data, 15, seed=2)[1])


def test_no_validation_split_keeps_every_image_for_training():
    train, val = split_validation(image_set(4), 0)
    assert len(train) == 12 and len(val) == 0


def test_a_class_too_small_to_hold_out_is_named():
    with pytest.raises(DataError, match="class 'a' has 4 images; cannot hold out 4"):
        split_validation(image_set(4), 12)
