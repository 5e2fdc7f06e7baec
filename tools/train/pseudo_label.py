#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""pseudo_label.py: tags the unannotated court sentences of the training split (mlm_train.jsonl, already
tokenised: words separated by spaces) with a trained model and keeps the sentences it is sure of, as
extra token-classification data for a second model (self-training). Only the 19 LER classes are
allowed; decoding is the IOB2-constrained best path with the label transitions of the training tags, as
evaluate.py and the C tagger do. A sentence is
kept when every word's chosen label has at least --min-prob probability and it has at least one
mention, or, for a share --keep-empty of them, none.

  pseudo_label.py --model GGUF|PT --data DIR [--out DIR/pseudo_train.jsonl] [--min-prob P] [--limit N]
"""
import argparse, json, os, random, sys, time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Bert, Config
from tokenizer import WordPiece
from common import LABELS, LER_TYPES, read_jsonl, encode_words, collate, label_transitions
from evaluate import viterbi, TRANS, START


def load_model(path):
    """A checkpoint of train.py or an exported GGUF, as (model, wordpiece)."""
    if path.endswith(".gguf"):
        from export_gguf import read_gguf, config_from_gguf, model_from_gguf, unphantom
        _, kv, tensors, _ = read_gguf(path)
        if kv["sichtung.labels"] != LABELS:
            sys.exit(f"pseudo_label: {path} has another label list")
        return (model_from_gguf(config_from_gguf(kv, tensors), tensors),
                WordPiece([unphantom(t) for t in kv["tokenizer.ggml.tokens"]]))
    ck = torch.load(path, map_location="cpu")
    model = Bert(Config(**ck["config"]))
    model.load_state_dict(ck["state"])
    model.eval()
    return model, WordPiece(ck["vocab"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--data", default="tools/out/train")
    ap.add_argument("--out")
    ap.add_argument("--min-prob", type=float, default=0.8)
    ap.add_argument("--keep-empty", type=float, default=0.25)
    ap.add_argument("--max-words", type=int, default=120)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--limit", type=int, default=0, help="only the first N sentences (a quick run)")
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    out = a.out or os.path.join(a.data, "pseudo_train.jsonl")
    model, wp = load_model(a.model)
    allowed = torch.zeros(len(LABELS))
    for i, l in enumerate(LABELS):
        if l != "O" and l[2:] not in LER_TYPES:
            allowed[i] = float("-inf")
    tr, st = label_transitions(a.data)
    trans, start = TRANS + torch.tensor(tr), START + torch.tensor(st)
    sents = [r["text"].split() for r in read_jsonl(os.path.join(a.data, "mlm_train.jsonl"))]
    if a.limit:
        sents = sents[:a.limit]
    # sorted by length, so that a batch pads little
    sents = sorted((s for s in sents if 3 <= len(s) <= a.max_words), key=len)
    rng = random.Random(a.seed)
    kept, n_mentions, empty = [], 0, 0
    t0 = time.time()
    with torch.no_grad():
        for i in range(0, len(sents), 64):
            chunk = sents[i:i + 64]
            enc = [encode_words(wp, s, None, 256) for s in chunk]
            ids, mask, _, _ = collate([(e[0], e[1]) for e in enc])
            logp = (model.token_logits(ids, mask) + allowed).log_softmax(-1)
            for j, s in enumerate(chunk):
                first = enc[j][2]
                if len(first) < len(s):
                    continue  # cut off by the position limit
                lp = logp[j, first]
                path = viterbi(lp, trans, start)
                p = lp[torch.arange(len(path)), torch.tensor(path)].exp()
                if float(p.min()) < a.min_prob:
                    continue
                tags = [LABELS[k] for k in path]
                m = sum(t.startswith("B-") for t in tags)
                if m == 0:
                    if rng.random() >= a.keep_empty:
                        continue
                    empty += 1
                n_mentions += m
                kept.append({"tokens": s, "tags": tags})
    with open(out, "w", encoding="utf-8") as f:
        for r in kept:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"pseudo_label: {len(kept)} of {len(sents)} sentences kept ({empty} without mentions), "
          f"{n_mentions} mentions, min probability {a.min_prob}, {time.time() - t0:.0f} s -> {out}", flush=True)


if __name__ == "__main__":
    main()
