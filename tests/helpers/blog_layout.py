"""An independent re-implementation of the blog layout described in SPEC §1, used only as a
reference: its state_dict keys and forward pass are what users' checkpoints hold."""

import torch
from torch import nn


class SpatialGatingUnit(nn.Module):
    def __init__(self, d_ffn, seq_len, heads=1):
        super().__init__()
        self.heads = heads
        self.norm = nn.LayerNorm(d_ffn // 2)
        shape = (seq_len, seq_len) if heads == 1 else (heads, seq_len, seq_len)
        self.weight = nn.Parameter(torch.empty(shape).uniform_(-0.3, 0.3))
        self.bias = nn.Parameter(torch.randn(shape[:-1]) * 0.1 + 1.0)

    def forward(self, x):
        u, v = x.chunk(2, dim=-1)
        v = self.norm(v)
        if self.heads == 1:
            v = torch.einsum("bnd,mn->bmd", v, self.weight) + self.bias[None, :, None]
        else:
            b, n, _ = v.shape
            v = v.view(b, n, self.heads, -1).permute(0, 2, 1, 3)  # b h n d
            v = torch.einsum("bhnd,hmn->bhmd", v, self.weight) + self.bias[None, :, :, None]
            v = v.permute(0, 2, 1, 3).reshape(b, n, -1)
        return u * v


class gMLPBlock(nn.Module):  # noqa: N801 - the blog's class names
    def __init__(self, d_model, d_ffn, seq_len, heads=1):
        super().__init__()
        self.norm = nn.LayerNorm(d_model)
        self.channel_proj_U = nn.Sequential(nn.Linear(d_model, d_ffn), nn.GELU())
        self.sgu = SpatialGatingUnit(d_ffn, seq_len, heads)
        self.channel_proj_V = nn.Sequential(nn.Linear(d_ffn // 2, d_model), nn.GELU())

    def forward(self, x):
        return x + self.channel_proj_V(self.sgu(self.channel_proj_U(self.norm(x))))


class gMLP(nn.Module):  # noqa: N801
    def __init__(self, d_model, d_ffn, seq_len, num_layers, heads=1):
        super().__init__()
        self.layers = nn.ModuleList(gMLPBlock(d_model, d_ffn, seq_len, heads) for _ in range(num_layers))

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class PatchEmbed(nn.Module):
    def __init__(self, patch, embed):
        super().__init__()
        self.proj = nn.Conv2d(3, embed, kernel_size=patch, stride=patch)

    def forward(self, x):
        return self.proj(x).flatten(2).transpose(1, 2)


class gMLP_Vision(nn.Module):  # noqa: N801
    def __init__(self, image_size=32, patch=8, embed=512, num_layers=3, heads=1):
        super().__init__()
        n = (image_size // patch) ** 2
        self.patch_embed = PatchEmbed(patch, embed)
        self.cls_token = nn.Parameter(torch.randn(1, 1, embed) * 0.02)
        self.pos_embed = nn.Parameter(torch.randn(1, n + 1, embed) * 0.02)
        self.blocks = gMLP(embed, 4 * embed, n + 1, num_layers, heads)
        self.norm = nn.LayerNorm(embed)

    def forward(self, x):
        x = self.patch_embed(x)
        x = torch.cat([self.cls_token.expand(x.shape[0], -1, -1), x], dim=1) + self.pos_embed
        return self.norm(self.blocks(x))[:, 0]


class Image_Classification(nn.Module):  # noqa: N801
    def __init__(self, embed=512, fc_dim=256, num_classes=10, num_layers=3, heads=1, patch=8):
        super().__init__()
        self.model = gMLP_Vision(patch=patch, embed=embed, num_layers=num_layers, heads=heads)
        self.fc_1 = nn.Linear(embed, fc_dim)
        self.act = nn.GELU()
        self.head = nn.Linear(fc_dim, num_classes)

    def forward(self, x):
        return self.head(self.act(self.fc_1(self.model(x))))
