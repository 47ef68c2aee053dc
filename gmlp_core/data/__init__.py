"""Data sets: images as device-resident uint8 tensors (imagesets, augment) and character corpora."""

from .augment import TRIVIAL_AUGMENT_GROUP, BatchMixer, GroupTrivialAugment, augment
from .corpus import Corpus, consecutive_windows, fixed_windows, load_corpus, random_windows
from .imagesets import (CIFAR10_CLASSES, CIFAR10_MEAN, CIFAR10_STD, DataError, ImageSet, load_image_folder,
                        load_torchvision_cifar10, split_validation)

__all__ = [
    "CIFAR10_CLASSES", "CIFAR10_MEAN", "CIFAR10_STD", "TRIVIAL_AUGMENT_GROUP", "BatchMixer", "Corpus", "DataError",
    "GroupTrivialAugment", "ImageSet", "augment", "consecutive_windows", "fixed_windows", "load_corpus",
    "load_image_folder", "load_torchvision_cifar10", "random_windows", "split_validation",
]
