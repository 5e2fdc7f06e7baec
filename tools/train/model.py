# SPDX-License-Identifier: GPL-3.0-or-later
"""model.py: a compact post-LN BERT encoder (as llama.cpp's `bert` graph computes it) with an MLM head
for pre-training and a token-classification head (exported as cls.weight / cls.bias).

Per layer: x = LN(x + Wo·attn(Wq x, Wk x, Wv x));  x = LN(x + W_down·gelu_tanh(W_up x)).
Embeddings: LN(tok + pos + token_type[0]).
"""
import math
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class Config:
    vocab_size: int = 16000
    hidden: int = 256
    layers: int = 4
    heads: int = 4
    ffn: int = 1024
    max_pos: int = 256
    type_vocab: int = 2
    eps: float = 1e-12
    dropout: float = 0.1
    n_labels: int = 1
    gaz_ids: int = 0  # gazetteer-match feature ids (gazfeat.py); 0: none

    def to_dict(self):
        return asdict(self)


def gelu_tanh(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x * x * x)))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads = c.heads
        self.q = nn.Linear(c.hidden, c.hidden)
        self.k = nn.Linear(c.hidden, c.hidden)
        self.v = nn.Linear(c.hidden, c.hidden)
        self.o = nn.Linear(c.hidden, c.hidden)
        self.ln1 = nn.LayerNorm(c.hidden, eps=c.eps)
        self.up = nn.Linear(c.hidden, c.ffn)
        self.down = nn.Linear(c.ffn, c.hidden)
        self.ln2 = nn.LayerNorm(c.hidden, eps=c.eps)
        self.drop = nn.Dropout(c.dropout)

    def forward(self, x, mask_bias):
        B, T, H = x.shape
        d = H // self.heads
        def split(t):
            return t.view(B, T, self.heads, d).transpose(1, 2)
        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        att = (q @ k.transpose(-1, -2)) / math.sqrt(d) + mask_bias
        att = self.drop(att.softmax(-1))
        y = (att @ v).transpose(1, 2).reshape(B, T, H)
        x = self.ln1(x + self.drop(self.o(y)))
        x = self.ln2(x + self.drop(self.down(gelu_tanh(self.up(x)))))
        return x


class Bert(nn.Module):
    def __init__(self, c: Config):
        super().__init__()
        self.c = c
        self.tok = nn.Embedding(c.vocab_size, c.hidden)
        self.pos = nn.Embedding(c.max_pos, c.hidden)
        self.typ = nn.Embedding(c.type_vocab, c.hidden)
        self.emb_ln = nn.LayerNorm(c.hidden, eps=c.eps)
        # one vector per gazetteer-match feature id, added to the pieces of the matching words
        self.gaz = nn.Embedding(c.gaz_ids, c.hidden) if c.gaz_ids else None
        self.drop = nn.Dropout(c.dropout)
        self.blocks = nn.ModuleList([Layer(c) for _ in range(c.layers)])
        # MLM head (not exported): transform + tied decoder
        self.mlm_dense = nn.Linear(c.hidden, c.hidden)
        self.mlm_ln = nn.LayerNorm(c.hidden, eps=c.eps)
        self.mlm_bias = nn.Parameter(torch.zeros(c.vocab_size))
        # token-classification head (exported as cls.*)
        self.cls = nn.Linear(c.hidden, c.n_labels)
        self.apply(self._init)
        if self.gaz is not None:
            nn.init.zeros_(self.gaz.weight)  # starts as the model without features

    @staticmethod
    def _init(m):
        if isinstance(m, (nn.Linear, nn.Embedding)):
            nn.init.normal_(m.weight, std=0.02)
        if isinstance(m, nn.Linear) and m.bias is not None:
            nn.init.zeros_(m.bias)

    def reset_classifier(self, n_labels):
        self.c.n_labels = n_labels
        self.cls = nn.Linear(self.c.hidden, n_labels)
        self._init(self.cls)

    def encode(self, ids, attn_mask, gaz=None):
        B, T = ids.shape
        pos = torch.arange(T, device=ids.device).unsqueeze(0)
        x = self.tok(ids) + self.pos(pos) + self.typ(torch.zeros_like(ids))
        if self.gaz is not None and gaz is not None:
            x = x + self.gaz(gaz)
        x = self.drop(self.emb_ln(x))
        bias = (1.0 - attn_mask[:, None, None, :].float()) * -1e4
        for b in self.blocks:
            x = b(x, bias)
        return x

    def mlm_logits(self, h):
        h = self.mlm_ln(gelu_tanh(self.mlm_dense(h)))
        return h @ self.tok.weight.t() + self.mlm_bias

    def token_logits(self, ids, attn_mask, gaz=None):
        return self.cls(self.drop(self.encode(ids, attn_mask, gaz)))
