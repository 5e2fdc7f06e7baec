#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""evaluate.py: span-level micro-F1 (exact spans, seqeval-style IOB2 chunking, written by hand) on the
validation split: the 19 LER classes on ler_val (logits of the non-LER types LOC/OTH masked), and
PER/LOC/ORG on germeval_val (predicted fine LER types mapped to PER/LOC/ORG; OTH not scored), and the
LER classes on the synthetic administrative sentences of synth_val.
Words cut off by the position limit count as predicted O. Decoding: the best IOB2-valid path, with the label
transitions of the training tags added (common.label_transitions; --no-transitions: without), as the C tagger.

  evaluate.py --model OUT/model.pt --data DIR [--json OUT.json]
"""
import argparse, collections, json, os, sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Bert, Config
from tokenizer import WordPiece
from common import LABELS, LER_TYPES, COARSE, read_jsonl, encode_words, collate, label_transitions


def get_spans(tags):
    """seqeval (default, non-strict) chunking: a chunk ends at O, at B-, or at a type change;
    an I- after O or of another type starts a chunk. Returns {(type, start, end_exclusive)}."""
    spans, start, typ = set(), None, None
    for i, t in enumerate(list(tags) + ["O"]):
        p, _, ty = t.partition("-") if t != "O" else ("O", "", "")
        if typ is not None and (p in ("O", "B") or ty != typ):
            spans.add((typ, start, i))
            typ = None
        if p in ("B", "I") and typ is None:
            start, typ = i, ty
    return spans


def prf(gold_sents, pred_sents, types, mapping=None):
    per = collections.defaultdict(lambda: [0, 0, 0])  # tp, n_pred, n_gold
    for g, p in zip(gold_sents, pred_sents):
        gs, ps = get_spans(g), get_spans(p)
        if mapping:
            gs = {(mapping.get(t, t), s, e) for t, s, e in gs}
            ps = {(mapping.get(t, t), s, e) for t, s, e in ps}
        gs = {x for x in gs if x[0] in types}
        ps = {x for x in ps if x[0] in types}
        for x in ps:
            per[x[0]][1] += 1
            if x in gs:
                per[x[0]][0] += 1
        for x in gs:
            per[x[0]][2] += 1

    def f(tp, npred, ngold):
        pr = tp / npred if npred else 0.0
        rc = tp / ngold if ngold else 0.0
        return {"p": pr, "r": rc, "f1": 2 * pr * rc / (pr + rc) if pr + rc else 0.0, "support": ngold}
    tot = [sum(v[i] for v in per.values()) for i in range(3)]
    return {"micro": f(*tot), "per_type": {t: f(*per[t]) for t in types}}


def bio_transitions():
    """Allowed IOB2 moves as an additive matrix [from, to] (0 or -inf) and the start vector: I-X only
    after B-X or I-X. The C tagger (core/sc-ner.c) decodes with the same constraint."""
    n = len(LABELS)
    trans = torch.zeros(n, n)
    start = torch.zeros(n)
    for j, l in enumerate(LABELS):
        if l.startswith("I-"):
            start[j] = float("-inf")
            for i, k in enumerate(LABELS):
                if k[2:] != l[2:] or k == "O":
                    trans[i, j] = float("-inf")
    return trans, start


def viterbi(scores, trans, start):
    """Best label path through per-word log-probabilities scores [T, n] under the moves allowed."""
    T = scores.shape[0]
    if T == 0:
        return []
    v = scores[0] + start
    back = []
    for t in range(1, T):
        cand = v[:, None] + trans
        best, arg = cand.max(0)
        v = best + scores[t]
        back.append(arg)
    path = [int(v.argmax())]
    for arg in reversed(back):
        path.append(int(arg[path[-1]]))
    return path[::-1]


def predict(model, wp, sents, allowed=None, max_len=256, batch=32, decode="viterbi", transitions=None,
            matcher=None):
    trans, start = TRANS, START
    if transitions is not None:
        trans = trans + torch.tensor(transitions[0])
        start = start + torch.tensor(transitions[1])
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(sents), batch):
            chunk = sents[i:i + batch]
            enc = [encode_words(wp, s["tokens"], None, max_len,
                                matcher.word_features(s["tokens"]) if matcher else None) for s in chunk]
            ids, mask, _, gaz = collate([(e[0], e[1], e[3]) for e in enc])
            logits = model.token_logits(ids, mask, gaz if matcher else None)
            if allowed is not None:
                logits = logits + allowed
            best = logits.argmax(-1)
            logp = logits.log_softmax(-1)
            for j, s in enumerate(chunk):
                first = enc[j][2]
                if decode == "viterbi":
                    tags = [LABELS[k] for k in viterbi(logp[j, first], trans, start)]
                else:
                    tags = [LABELS[best[j, k].item()] for k in first]
                out.append(tags + ["O"] * (len(s["tokens"]) - len(tags)))
    return out


TRANS, START = bio_transitions()


def self_test():
    assert get_spans(["B-PER", "I-PER", "O", "I-LOC", "B-LOC", "B-LOC", "I-ORG"]) == \
        {("PER", 0, 2), ("LOC", 3, 4), ("LOC", 4, 5), ("LOC", 5, 6), ("ORG", 6, 7)}
    r = prf([["B-PER", "I-PER", "O", "B-GS"]], [["B-PER", "O", "O", "B-GS"]], ["PER", "GS"])
    assert abs(r["micro"]["f1"] - 0.5) < 1e-9, r


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="tools/out/train/model.pt")
    ap.add_argument("--data", default="tools/out/train")
    ap.add_argument("--json")
    ap.add_argument("--decode", choices=("viterbi", "argmax"), default="viterbi",
                    help="IOB2-constrained best path (as the C tagger) or per-word argmax")
    ap.add_argument("--no-transitions", action="store_true",
                    help="decode without the label transitions of the training tags")
    a = ap.parse_args()
    self_test()
    ck = torch.load(a.model, map_location="cpu")
    assert ck["labels"] == LABELS, "label set of the checkpoint differs from common.LABELS"
    model = Bert(Config(**ck["config"]))
    model.load_state_dict(ck["state"])
    wp = WordPiece(ck["vocab"])
    max_len = ck["config"]["max_pos"]
    tr = None if a.no_transitions else label_transitions(a.data)
    matcher = None
    if ck["config"].get("gaz_ids"):
        import gazfeat
        matcher = gazfeat.Matcher(gazfeat.load_lists())

    res = {}
    ler = read_jsonl(os.path.join(a.data, "ler_val.jsonl"))
    allowed = torch.zeros(len(LABELS))
    for i, l in enumerate(LABELS):
        if l != "O" and l[2:] not in LER_TYPES:
            allowed[i] = float("-inf")
    pred = predict(model, wp, ler, allowed, max_len, decode=a.decode, transitions=tr, matcher=matcher)
    res["ler19"] = prf([s["tags"] for s in ler], pred, LER_TYPES)
    coarse7 = {**{t: t for t in LER_TYPES}, "RR": "PER", "AN": "PER", "LD": "LOC", "ST": "LOC", "STR": "LOC",
               "LDS": "LOC", "UN": "ORG", "INN": "ORG", "GRT": "ORG", "MRK": "ORG", "GS": "NRM", "VO": "NRM",
               "EUN": "NRM", "VS": "REG", "VT": "REG"}
    res["ler7_coarse"] = prf([s["tags"] for s in ler], pred, ["PER", "LOC", "ORG", "NRM", "REG", "RS", "LIT"],
                             coarse7)
    syn = read_jsonl(os.path.join(a.data, "synth_val.jsonl"))
    pred = predict(model, wp, syn, allowed, max_len, decode=a.decode, transitions=tr, matcher=matcher)
    res["synth_admin"] = prf([s["tags"] for s in syn], pred, LER_TYPES)
    ge = read_jsonl(os.path.join(a.data, "germeval_val.jsonl"))
    pred = predict(model, wp, ge, None, max_len, decode=a.decode, transitions=tr, matcher=matcher)
    res["germeval_plo"] = prf([s["tags"] for s in ge], pred, ["PER", "LOC", "ORG"], COARSE)

    for k, v in res.items():
        m = v["micro"]
        print(f"evaluate: {k:13s} micro P {m['p']:.4f} R {m['r']:.4f} F1 {m['f1']:.4f} (gold spans {m['support']})")
        print("   " + " ".join(f"{t}:{x['f1']:.2f}/{x['support']}" for t, x in v["per_type"].items()))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
