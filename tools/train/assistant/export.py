#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""export.py: writes the trained checkpoint as a GGUF ("llama" architecture, F32, ChatML template)
and checks Sichtung's decoder against torch.

  export.py DATA_DIR CHECKPOINT OUT.gguf [--cli PATH] [--n N]

The check (with --cli): for N validation examples, prompt + answer + <|im_end|> are scored by
`sichtung-cli score --logprobs --device cpu` and by torch; it reports the largest absolute
difference of the per-token log-probabilities over all positions and over the answer tokens,
and how often the two argmax tokens agree. Results go to OUT.gguf's directory as
crosscheck.json.
"""
import argparse
import json
import os
import subprocess
import sys

import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "gguf"))

import data  # noqa: E402
import spm  # noqa: E402
from gguf_writer import GGMLType, GGUFValueType as VT, GGUFWriter  # noqa: E402
from model import Config, Decoder, gguf_tensors  # noqa: E402


def load(checkpoint):
    ck = torch.load(checkpoint, map_location="cpu")
    model = Decoder(Config(**ck["config"]))
    model.load_state_dict(ck["state"])
    model.eval()
    return model, ck


def export(model, vocab, path):
    c = model.c
    w = GGUFWriter()
    w.add("general.architecture", "llama")
    w.add("general.name", "sichtung-assistant-bench")
    w.add("general.description",
          "Small copy-trained decoder for benchmarking the assistant's citations and attribution "
          "(extractive questions over court-decision passages); not a chat model.")
    w.add("general.license", "CC-BY-4.0")
    w.add("general.source.url", "LER (Leitner, Rehm, Moreno-Schneider 2019)")
    w.add("llama.context_length", c.n_ctx, VT.UINT32)
    w.add("llama.embedding_length", c.n_embd, VT.UINT32)
    w.add("llama.block_count", c.n_layer, VT.UINT32)
    w.add("llama.feed_forward_length", c.n_ff, VT.UINT32)
    w.add("llama.attention.head_count", c.n_head, VT.UINT32)
    w.add("llama.attention.head_count_kv", c.n_head, VT.UINT32)
    w.add("llama.rope.dimension_count", c.n_embd // c.n_head, VT.UINT32)
    w.add("llama.rope.freq_base", float(c.rope_base), VT.FLOAT32)
    w.add("llama.attention.layer_norm_rms_epsilon", float(c.eps), VT.FLOAT32)
    w.add("general.file_type", 0, VT.UINT32)  # all F32
    spm.add_to_gguf(w, vocab, VT)
    w.add("tokenizer.chat_template", data.CHAT_TEMPLATE)
    for name, a in gguf_tensors(model):
        w.add_tensor(name, a.reshape(-1), a.shape, GGMLType.F32)
    w.write(path)


@torch.no_grad()
def crosscheck(model, examples, cli, gguf, tmp):
    worst_all = worst_answer = 0.0
    agree = total = 0
    rows = []
    for ex in examples:
        ids = ex["prompt_ids"] + ex["answer_ids"]
        with open(tmp, "w") as f:
            f.write(" ".join(map(str, ids)))
        got = json.loads(subprocess.run(
            [cli, "score", "--model", gguf, "--tokens-file", tmp, "--logprobs", "--device",
             "cpu", "--threads", "2"], check=True, capture_output=True, text=True).stdout)
        logp = torch.log_softmax(model(torch.tensor([ids]))[0].double(), -1)
        mine = [float(logp[i, ids[i + 1]]) for i in range(len(ids) - 1)]
        diff = [abs(a - b) for a, b in zip(mine, got["logprobs"])]
        n_p = len(ex["prompt_ids"])
        worst_all = max(worst_all, max(diff))
        worst_answer = max(worst_answer, max(diff[n_p - 1:]))
        am = logp.argmax(-1).tolist()
        agree += sum(int(a == b) for a, b in zip(am, got["argmax"]))
        total += len(ids)
        rows.append({"tokens": len(ids), "max_abs_diff": max(diff),
                     "answer_logprob_torch": sum(mine[n_p - 1:]),
                     "answer_logprob_sichtung": sum(got["logprobs"][n_p - 1:])})
    return {"examples": len(examples), "max_abs_logprob_diff": worst_all,
            "max_abs_logprob_diff_answer": worst_answer, "argmax_agreement": agree / total,
            "rows": rows}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("checkpoint")
    ap.add_argument("out")
    ap.add_argument("--cli", default=None)
    ap.add_argument("--n", type=int, default=8)
    a = ap.parse_args()
    torch.set_num_threads(2)
    vocab = spm.Vocab.load(os.path.join(a.data, "vocab.json"))
    model, ck = load(a.checkpoint)
    export(model, vocab, a.out)
    print(f"wrote {a.out} ({os.path.getsize(a.out)} bytes, {model.n_params()} parameters)",
          flush=True)
    if a.cli:
        with open(os.path.join(a.data, "val.jsonl"), encoding="utf-8") as f:
            val = [json.loads(next(f)) for _ in range(a.n)]
        r = crosscheck(model, val, a.cli, a.out, a.out + ".ids")
        os.remove(a.out + ".ids")
        print(f"torch vs sichtung-cli score on {r['examples']} validation sequences: max |Δ "
              f"log p| {r['max_abs_logprob_diff']:.2e} (answer tokens "
              f"{r['max_abs_logprob_diff_answer']:.2e}), argmax agreement "
              f"{100 * r['argmax_agreement']:.2f} %", flush=True)
        with open(os.path.join(os.path.dirname(os.path.abspath(a.out)), "crosscheck.json"),
                  "w") as f:
            json.dump(r, f, indent=1)


if __name__ == "__main__":
    main()
