import torch

from gmlp_core.training.loop import lr_at, make_optimizer, update


def test_learning_rate_warms_up_then_decays_to_zero():
    rates = [lr_at(step, 100, 10, 1.0) for step in range(100)]
    assert rates[9] == 1.0 and rates[0] == 0.1
    assert rates[10:] == sorted(rates[10:], reverse=True) and rates[-1] < 1e-3


def test_update_steps_at_the_given_rate_and_clips_the_gradient():
    layer = torch.nn.Linear(3, 1, bias=False)
    with torch.no_grad():
        layer.weight.fill_(1.0)
    optimizer = torch.optim.SGD(layer.parameters(), lr=123.0)
    loss = 1000.0 * layer(torch.ones(1, 3)).sum()  # gradient (1000, 1000, 1000), norm 1732
    update(layer, optimizer, loss, lr=0.5, clip=1.0)
    assert optimizer.param_groups[0]["lr"] == 0.5
    assert torch.allclose(layer.weight, torch.full((1, 3), 1.0 - 0.5 / 3 ** 0.5), atol=1e-5)


def test_norms_biases_and_embeddings_are_not_decayed():
    model = torch.nn.Sequential(torch.nn.Linear(4, 4), torch.nn.LayerNorm(4))
    decay, no_decay = make_optimizer(model, 1e-3, 0.1).param_groups
    assert [p.shape for p in decay["params"]] == [(4, 4)] and decay["weight_decay"] == 0.1
    assert len(no_decay["params"]) == 3 and no_decay["weight_decay"] == 0.0
