#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""model.py: a small llama-architecture decoder in torch, with the conventions of Sichtung's
decoder (core/sc-model-llama.c, core/sc-ops-ref.c), so that the weights export unchanged:

  RMSNorm with weight (eps in the config); rope in llama's "normal" mode: the pairs (2j, 2j+1)
  of each head turn by pos * base^(-2j / head_dim); causal attention scaled by 1/sqrt(head_dim);
  SwiGLU feed-forward down(silu(gate(h)) * up(h)); untied output matrix; no biases.
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class Config:
    def __init__(self, n_vocab, n_embd=192, n_layer=3, n_head=6, n_ff=512, n_ctx=1024,
                 eps=1e-5, rope_base=10000.0):
        self.n_vocab, self.n_embd, self.n_layer, self.n_head = n_vocab, n_embd, n_layer, n_head
        self.n_ff, self.n_ctx, self.eps, self.rope_base = n_ff, n_ctx, eps, rope_base

    def to_dict(self):
        return dict(self.__dict__)


def add_shape_arguments(ap):
    """The model's shape as command-line options (train.py, induction.py)."""
    ap.add_argument("--dim", type=int, default=128)
    ap.add_argument("--layers", type=int, default=3)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ff", type=int, default=384)
    ap.add_argument("--rope-base", type=float, default=10000.0)


def model_from_arguments(n_vocab, a):
    """(model, config, True) from the checkpoint a.init (its shape and weights) or
    (model, config, False), a new model of the shape the options give."""
    if a.init:
        start = torch.load(a.init, map_location="cpu")
        c = Config(**start["config"])
        model = Decoder(c)
        model.load_state_dict(start["state"])
        return model, c, True
    c = Config(n_vocab, a.dim, a.layers, a.heads, a.ff, rope_base=a.rope_base)
    return Decoder(c), c, False


class RMSNorm(nn.Module):
    def __init__(self, n, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(n))
        self.eps = eps

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rope_tables(n_pos, head_dim, base):
    j = torch.arange(head_dim // 2, dtype=torch.float64)
    inv = base ** (-2.0 * j / head_dim)
    theta = torch.arange(n_pos, dtype=torch.float64)[:, None] * inv[None, :]
    return torch.cos(theta).float(), torch.sin(theta).float()   # [T, D/2]


def apply_rope(x, cos, sin):
    """x: [B, H, T, D]; rotates the pairs (2j, 2j+1)."""
    x0, x1 = x[..., 0::2], x[..., 1::2]
    y0 = x0 * cos - x1 * sin
    y1 = x0 * sin + x1 * cos
    return torch.stack((y0, y1), dim=-1).flatten(-2)


class Block(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.n_head = c.n_head
        self.attn_norm = RMSNorm(c.n_embd, c.eps)
        self.wq = nn.Linear(c.n_embd, c.n_embd, bias=False)
        self.wk = nn.Linear(c.n_embd, c.n_embd, bias=False)
        self.wv = nn.Linear(c.n_embd, c.n_embd, bias=False)
        self.wo = nn.Linear(c.n_embd, c.n_embd, bias=False)
        self.ffn_norm = RMSNorm(c.n_embd, c.eps)
        self.gate = nn.Linear(c.n_embd, c.n_ff, bias=False)
        self.up = nn.Linear(c.n_embd, c.n_ff, bias=False)
        self.down = nn.Linear(c.n_ff, c.n_embd, bias=False)

    def forward(self, x, cos, sin, mask):
        B, T, C = x.shape
        H, D = self.n_head, C // self.n_head
        h = self.attn_norm(x)
        q = self.wq(h).view(B, T, H, D).transpose(1, 2)
        k = self.wk(h).view(B, T, H, D).transpose(1, 2)
        v = self.wv(h).view(B, T, H, D).transpose(1, 2)
        q, k = apply_rope(q, cos, sin), apply_rope(k, cos, sin)
        att = (q @ k.transpose(-1, -2)) * (1.0 / math.sqrt(D)) + mask
        y = torch.softmax(att, dim=-1) @ v
        x = x + self.wo(y.transpose(1, 2).reshape(B, T, C))
        h = self.ffn_norm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Decoder(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.c = c
        self.tok_embd = nn.Embedding(c.n_vocab, c.n_embd)
        self.blocks = nn.ModuleList(Block(c) for _ in range(c.n_layer))
        self.norm = RMSNorm(c.n_embd, c.eps)
        self.output = nn.Linear(c.n_embd, c.n_vocab, bias=False)
        cos, sin = rope_tables(c.n_ctx, c.n_embd // c.n_head, c.rope_base)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)
        for m in self.modules():
            if isinstance(m, (nn.Linear, nn.Embedding)):
                nn.init.normal_(m.weight, std=0.02)
        for b in self.blocks:
            nn.init.normal_(b.wo.weight, std=0.02 / math.sqrt(2 * c.n_layer))
            nn.init.normal_(b.down.weight, std=0.02 / math.sqrt(2 * c.n_layer))

    def hidden(self, ids):
        """ids [B, T] → final normed hidden states [B, T, C]."""
        T = ids.shape[1]
        x = self.tok_embd(ids)
        mask = torch.full((T, T), float("-inf")).triu(1)
        cos, sin = self.cos[:T], self.sin[:T]
        for b in self.blocks:
            x = b(x, cos, sin, mask)
        return self.norm(x)

    def forward(self, ids):
        return self.output(self.hidden(ids))

    def n_params(self):
        return sum(p.numel() for p in self.parameters())


def gguf_tensors(model):
    """(GGUF name, numpy array in torch's [out, in] order) — gguf_writer reverses the shape into
    ggml's ne[] = [in, out], as the loader expects."""
    out = [("token_embd.weight", model.tok_embd.weight)]
    for i, b in enumerate(model.blocks):
        p = f"blk.{i}."
        out += [(p + "attn_norm.weight", b.attn_norm.weight), (p + "attn_q.weight", b.wq.weight),
                (p + "attn_k.weight", b.wk.weight), (p + "attn_v.weight", b.wv.weight),
                (p + "attn_output.weight", b.wo.weight), (p + "ffn_norm.weight", b.ffn_norm.weight),
                (p + "ffn_gate.weight", b.gate.weight), (p + "ffn_up.weight", b.up.weight),
                (p + "ffn_down.weight", b.down.weight)]
    out += [("output_norm.weight", model.norm.weight), ("output.weight", model.output.weight)]
    return [(n, t.detach().float().contiguous().numpy()) for n, t in out]
