# SPDX-License-Identifier: GPL-3.0-or-later
"""gen_model.py: tiny random-weight decoder models around the learned test vocabularies.

Writes one GGUF per vocabulary kind that llama.cpp loads as a real model: architecture
"llama" for spm, llama3, gpt2 and default, "qwen2" (with q/k/v biases) for qwen2. The weights
are random (seeded), so the models only serve tokenizer and loader checks, and the engine's
numerics against llama.cpp.

    /usr/bin/python3 tools/gguf/gen_model.py [--layers 2] [--embd 64] [--heads 4] [--kv-heads 2]
        [--ff 128] [--dtype f16|f32|bf16|q8_0] [--sentences N] [--size V] [OUTDIR]

OUTDIR defaults to tools/out/ (git-ignored).
"""

from __future__ import annotations

import argparse
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gen_vocab import DEFAULT_CORPUS, REPO, Vocab, build_all  # noqa: E402
from gguf_writer import GGMLType, GGUFValueType, GGUFWriter  # noqa: E402

DTYPES = {"f32": GGMLType.F32, "f16": GGMLType.F16, "bf16": GGMLType.BF16, "q8_0": GGMLType.Q8_0}


def write_model(path: str, name: str, arch: str, vocab: Vocab, args, rng: random.Random) -> None:
    n_embd, n_head, n_head_kv = args.embd, args.heads, args.kv_heads
    n_embd_kv = n_embd // n_head * n_head_kv
    n_vocab = len(vocab.tokens)
    wtype = DTYPES[args.dtype]

    w = GGUFWriter()
    w.add("general.architecture", arch)
    w.add("general.name", name)
    w.add("general.file_type", {"f32": 0, "f16": 1, "q8_0": 7, "bf16": 32}[args.dtype],
          GGUFValueType.UINT32)
    w.add(f"{arch}.context_length", args.ctx, GGUFValueType.UINT32)
    w.add(f"{arch}.embedding_length", n_embd, GGUFValueType.UINT32)
    w.add(f"{arch}.block_count", args.layers, GGUFValueType.UINT32)
    w.add(f"{arch}.feed_forward_length", args.ff, GGUFValueType.UINT32)
    w.add(f"{arch}.attention.head_count", n_head, GGUFValueType.UINT32)
    w.add(f"{arch}.attention.head_count_kv", n_head_kv, GGUFValueType.UINT32)
    w.add(f"{arch}.attention.layer_norm_rms_epsilon", 1e-5, GGUFValueType.FLOAT32)
    w.add(f"{arch}.rope.freq_base", 10000.0, GGUFValueType.FLOAT32)
    w.add(f"{arch}.rope.dimension_count", n_embd // n_head, GGUFValueType.UINT32)
    w.add(f"{arch}.vocab_size", n_vocab, GGUFValueType.UINT32)
    vocab.write_metadata(w)

    def rand(*shape, scale=0.02):
        n = 1
        for d in shape:
            n *= d
        return [rng.gauss(0.0, scale) for _ in range(n)]

    def ones(n):
        return [1.0] * n

    w.add_tensor("token_embd.weight", rand(n_vocab, n_embd), (n_vocab, n_embd), wtype)
    for i in range(args.layers):
        p = f"blk.{i}."
        w.add_tensor(p + "attn_norm.weight", ones(n_embd), (n_embd,), GGMLType.F32)
        w.add_tensor(p + "attn_q.weight", rand(n_embd, n_embd), (n_embd, n_embd), wtype)
        w.add_tensor(p + "attn_k.weight", rand(n_embd_kv, n_embd), (n_embd_kv, n_embd), wtype)
        w.add_tensor(p + "attn_v.weight", rand(n_embd_kv, n_embd), (n_embd_kv, n_embd), wtype)
        if arch == "qwen2":
            w.add_tensor(p + "attn_q.bias", rand(n_embd), (n_embd,), GGMLType.F32)
            w.add_tensor(p + "attn_k.bias", rand(n_embd_kv), (n_embd_kv,), GGMLType.F32)
            w.add_tensor(p + "attn_v.bias", rand(n_embd_kv), (n_embd_kv,), GGMLType.F32)
        w.add_tensor(p + "attn_output.weight", rand(n_embd, n_embd), (n_embd, n_embd), wtype)
        w.add_tensor(p + "ffn_norm.weight", ones(n_embd), (n_embd,), GGMLType.F32)
        w.add_tensor(p + "ffn_gate.weight", rand(args.ff, n_embd), (args.ff, n_embd), wtype)
        w.add_tensor(p + "ffn_up.weight", rand(args.ff, n_embd), (args.ff, n_embd), wtype)
        w.add_tensor(p + "ffn_down.weight", rand(n_embd, args.ff), (n_embd, args.ff), wtype)
    w.add_tensor("output_norm.weight", ones(n_embd), (n_embd,), GGMLType.F32)
    w.add_tensor("output.weight", rand(n_vocab, n_embd), (n_vocab, n_embd), wtype)
    w.write(path)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir", nargs="?", default=os.path.join(REPO, "tools", "out"))
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--sentences", type=int, default=6000)
    ap.add_argument("--size", type=int, default=3000)
    ap.add_argument("--layers", type=int, default=2)
    ap.add_argument("--embd", type=int, default=64)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--kv-heads", type=int, default=2)
    ap.add_argument("--ff", type=int, default=128)
    ap.add_argument("--ctx", type=int, default=512)
    ap.add_argument("--dtype", choices=sorted(DTYPES), default="f16")
    ap.add_argument("--seed", type=int, default=1234)
    args = ap.parse_args()
    if args.embd % args.heads or args.heads % args.kv_heads:
        ap.error("--embd must divide by --heads and --heads by --kv-heads")

    os.makedirs(args.outdir, exist_ok=True)
    vocabs = build_all(args.corpus, args.sentences, args.size)
    for kind, v in vocabs.items():
        arch = "qwen2" if kind == "qwen2" else "llama"
        path = os.path.join(args.outdir, f"tiny-{kind}.gguf")
        write_model(path, f"sichtung-tiny-{kind}", arch, v, args, random.Random(args.seed))
        print(f"{path}: {arch}, {len(v.tokens)} tokens, {len(v.merges)} merges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
