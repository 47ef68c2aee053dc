import pytest
import torch

from gmlp_core.playground import IGNORE, TASKS, make_task
from gmlp_core.playground.tasks import POSITION, majority, recall


def batch(task, seed=0, size=32):
    return task.batch(torch.Generator().manual_seed(seed), size)


@pytest.mark.parametrize("name", list(TASKS))
def test_a_seed_makes_the_same_sequences_and_another_seed_others(name):
    task = make_task(name)
    first, again, other = batch(task), batch(task), batch(task, seed=1)
    assert all(torch.equal(a, b) for a, b in zip(first, again))
    assert not torch.equal(first[0], other[0])
    x, y = first
    assert x.shape == y.shape == (32, task.length)
    assert int(x.max()) < task.vocab and int(x.min()) >= 0
    assert len(task.symbols) == task.vocab


@pytest.mark.parametrize("name, source", [
    ("reverse", [15 - i for i in range(16)]),
    ("shift", [(i - 3) % 16 for i in range(16)]),
    ("swap", [(i + 8) % 16 for i in range(16)]),
])
def test_position_tasks_copy_the_input_at_their_source(name, source):
    task = make_task(name, length=16)
    assert task.kind == POSITION and list(task.source) == source
    x, y = batch(task)
    assert torch.equal(y, x[:, source])


def test_recall_answers_each_question_with_the_value_paired_with_its_key():
    task = recall(pairs=5, keys=8, values=8)
    x, y = batch(task, size=64)
    assert task.source is None and task.length == 15 and task.vocab == 16
    for seq, target in zip(x.tolist(), y.tolist()):
        keys, values = seq[0:10:2], seq[1:10:2]
        assert len(set(keys)) == 5 and all(k < 8 for k in keys) and all(8 <= v < 16 for v in values)
        assert target[:10] == [IGNORE] * 10
        questions = seq[10:]
        assert sorted(questions) == sorted(keys)
        assert target[10:] == [values[keys.index(q)] for q in questions]


def test_majority_has_one_most_common_token_and_answers_it_everywhere():
    task = majority(length=16, vocab=4)
    x, y = batch(task, size=200)
    for seq, target in zip(x.tolist(), y.tolist()):
        counts = sorted((seq.count(t), t) for t in range(4))
        assert counts[-1][0] > counts[-2][0]
        assert target == [counts[-1][1]] * 16


@pytest.mark.parametrize("call, message", [
    (lambda: make_task("sort"), "task must be one of"),
    (lambda: make_task("reverse", length=2), "length must be 4..64"),
    (lambda: make_task("swap", length=15), "length must be even"),
    (lambda: recall(pairs=9, keys=8), "pairs must be 1..8"),
])
def test_bad_task_settings_say_what_is_accepted(call, message):
    with pytest.raises(ValueError, match=message):
        call()
