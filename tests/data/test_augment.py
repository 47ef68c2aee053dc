import pytest
import torch

from gmlp_core.data import BatchMixer, GroupTrivialAugment, augment


def test_augment_keeps_shape_and_is_reproducible():
    x = torch.randn(6, 3, 32, 32)
    a = augment(x, torch.Generator().manual_seed(1))
    assert a.shape == x.shape
    assert torch.equal(a, augment(x, torch.Generator().manual_seed(1)))
    assert not torch.equal(a, x)


def test_mixer_gives_soft_targets_that_sum_to_one():
    torch.manual_seed(0)
    x, y = torch.randn(8, 3, 32, 32), torch.arange(8) % 10
    mixed, target = BatchMixer(10, mixup_alpha=0.8, cutmix_alpha=1.0, prob=1.0)(x, y)
    assert mixed.shape == x.shape and target.shape == (8, 10)
    assert torch.allclose(target.sum(1), torch.ones(8))
    assert not torch.equal(mixed, x) and (target.max(1).values < 1).any()
    plain, onehot = BatchMixer(10, 0.8, 1.0, prob=0.0)(x, y)
    assert torch.equal(plain, x) and torch.equal(onehot.argmax(1), y) and torch.equal(onehot.sum(1), torch.ones(8))


def test_mixer_repeats_under_the_same_seed():
    x, y = torch.randn(8, 3, 32, 32), torch.arange(8)
    mixer = BatchMixer(10, mixup_alpha=0.8, cutmix_alpha=1.0, prob=0.5)
    runs = []
    for _ in range(2):
        torch.manual_seed(3)
        runs.append([mixer(x, y) for _ in range(4)])
    assert all(torch.equal(a[0], b[0]) and torch.equal(a[1], b[1]) for a, b in zip(*runs))


@pytest.mark.parametrize("kwargs, field", [({"mixup_alpha": -1.0}, "alpha"), ({"prob": 1.5}, "probability")])
def test_mixer_rejects_bad_settings(kwargs, field):
    with pytest.raises(ValueError, match=field):
        BatchMixer(10, **kwargs)


def test_group_trivial_augment_changes_images_reproducibly():
    x = torch.randint(0, 256, (32, 3, 32, 32), dtype=torch.uint8)
    policy = GroupTrivialAugment(group=8)
    torch.manual_seed(5)
    a = policy(x)
    torch.manual_seed(5)
    assert torch.equal(a, policy(x))
    assert a.shape == x.shape and a.dtype == torch.uint8 and not torch.equal(a, x)
    with pytest.raises(ValueError, match="uint8"):
        policy(x.float())
