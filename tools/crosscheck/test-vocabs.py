# SPDX-License-Identifier: GPL-3.0-or-later
"""test-vocabs.py: write the hand-built vocabularies of tests/test-tokenizer.c as tiny models,
so the ids that test expects can be confirmed against llama.cpp:

    /usr/bin/python3 tools/crosscheck/test-vocabs.py [OUTDIR]
    tools/crosscheck/compare-tokenizers.sh tools/out/test-*.gguf   (SENTENCES=test-lines.txt)

Keep the tables in step with make_spm() and make_bpe() there."""

import argparse
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "gguf"))

from gen_model import write_model  # noqa: E402
from gen_vocab import (REPO, TOKEN_BYTE, TOKEN_CONTROL, TOKEN_NORMAL, TOKEN_UNKNOWN,  # noqa: E402
                       TOKEN_USER_DEFINED, Vocab, bytes_to_unicode)

SPM_PIECES = [("▁", -10, TOKEN_NORMAL), ("M", -10, TOKEN_NORMAL), ("a", -10, TOKEN_NORMAL),
              ("ß", -10, TOKEN_NORMAL), ("§", -10, TOKEN_NORMAL), ("5", -10, TOKEN_NORMAL),
              ("▁M", -3, TOKEN_NORMAL), ("Ma", -1, TOKEN_NORMAL), ("aß", -2, TOKEN_NORMAL),
              ("▁Maß", -4, TOKEN_NORMAL), ("▁§", -5, TOKEN_NORMAL),
              ("<|im_start|>", 0, TOKEN_CONTROL), ("[ABS]", 0, TOKEN_USER_DEFINED)]
BPE_MERGES = ["Ã Ł", "a ÃŁ", "M aÃŁ", "Ġ i", "s t", "Ġi st", "1 2", "12 3", "' s"]


def spm() -> Vocab:
    v = Vocab("llama", None)
    v.unk = v.add("<unk>", 0.0, TOKEN_UNKNOWN)
    v.bos = v.add("<s>", 0.0, TOKEN_CONTROL)
    v.eos = v.add("</s>", 0.0, TOKEN_CONTROL)
    for b in range(256):
        v.add(f"<0x{b:02X}>", 0.0, TOKEN_BYTE)
    for text, score, ttype in SPM_PIECES:
        v.add(text, float(score), ttype)
    v.add_space_prefix = True
    return v


def bpe(pre: str) -> Vocab:
    v = Vocab("gpt2", pre)
    b2u = bytes_to_unicode()
    for b in range(256):
        v.add(b2u[b])
    for m in BPE_MERGES:
        v.add(m.replace(" ", ""))
        v.merges.append(m)
    v.bos = v.add("<|im_start|>", 0.0, TOKEN_CONTROL)
    v.eos = v.add("<|im_end|>", 0.0, TOKEN_CONTROL)
    v.add("[ABS]", 0.0, TOKEN_USER_DEFINED)
    return v


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir", nargs="?", default=os.path.join(REPO, "tools", "out"))
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    shape = argparse.Namespace(embd=32, heads=2, kv_heads=1, ff=32, layers=1, ctx=64, dtype="f32")
    vocabs = {"spm": spm(), "qwen2": bpe("qwen2"), "llama3": bpe("llama3"),
              "gpt2": bpe("gpt-2"), "default": bpe("default")}
    for name, v in vocabs.items():
        path = os.path.join(args.outdir, f"test-{name}.gguf")
        write_model(path, f"sichtung-test-{name}", "llama", v, shape, random.Random(1))
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
