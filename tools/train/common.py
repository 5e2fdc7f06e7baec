# SPDX-License-Identifier: GPL-3.0-or-later
"""common.py: label set, data loading and word-level encoding shared by train.py and evaluate.py."""
import json, math, os

import torch

from tokenizer import WordPiece, PAD, CLS, SEP

LER_TYPES = ["PER", "RR", "AN", "LD", "ST", "STR", "LDS", "ORG", "UN", "INN", "GRT", "MRK",
             "GS", "VO", "EUN", "VS", "VT", "RS", "LIT"]
# GermEval PER and ORG share LER's PER and ORG; LOC and OTH are types of their own.
EXTRA_TYPES = ["LOC", "OTH"]
TYPES = LER_TYPES + EXTRA_TYPES
LABELS = ["O"] + [f"{p}-{t}" for t in TYPES for p in ("B", "I")]
LABEL_ID = {l: i for i, l in enumerate(LABELS)}
IGNORE = -100
# for GermEval reporting: fine LER types -> PER/LOC/ORG
COARSE = {"PER": "PER", "RR": "PER", "AN": "PER", "LD": "LOC", "ST": "LOC", "STR": "LOC", "LDS": "LOC",
          "LOC": "LOC", "ORG": "ORG", "UN": "ORG", "INN": "ORG", "GRT": "ORG", "MRK": "ORG"}


# Weight of the label-transition log-probabilities added to the per-word log-probabilities when
# decoding (evaluate.py, pseudo_label.py, and the C tagger through the GGUF's sichtung.transitions).
TRANSITION_WEIGHT = 0.5


def label_transitions(data_dir, weight=TRANSITION_WEIGHT):
    """weight · log P(label | previous label) and weight · log P(first label) over the LER and GermEval
    training sentences (add-one smoothed), as lists [from][to] and [label]."""
    n = len(LABELS)
    counts = [[1.0] * n for _ in range(n)]
    first = [1.0] * n
    for src in ("ler", "germeval"):
        for r in read_jsonl(os.path.join(data_dir, f"{src}_train.jsonl")):
            prev = None
            for t in r["tags"]:
                k = LABEL_ID.get(t, 0)
                if prev is None:
                    first[k] += 1
                else:
                    counts[prev][k] += 1
                prev = k
    trans = [[weight * math.log(c / sum(row)) for c in row] for row in counts]
    start = [weight * math.log(c / sum(first)) for c in first]
    return trans, start


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def encode_words(wp: WordPiece, tokens, tags=None, max_len=256, feats=None):
    """[CLS] pieces [SEP]; the label of each word sits on its first piece, others IGNORE.
    Returns ids, labels, first-piece positions of the words that fit (a prefix of the words), and
    the gazetteer feature id of every piece (@feats: one per word; none: all 0)."""
    ids, labels, first, gaz = [CLS], [IGNORE], [], [0]
    for i, w in enumerate(tokens):
        p = wp.encode_word(w)
        if len(ids) + len(p) > max_len - 1:
            break
        first.append(len(ids))
        ids.extend(p)
        labels.append(LABEL_ID[tags[i]] if tags is not None else IGNORE)
        labels.extend([IGNORE] * (len(p) - 1))
        gaz.extend([feats[i] if feats is not None else 0] * len(p))
    ids.append(SEP)
    labels.append(IGNORE)
    gaz.append(0)
    return ids, labels, first, gaz


def pad_batch(seqs, value):
    T = max(len(s) for s in seqs)
    return torch.tensor([s + [value] * (T - len(s)) for s in seqs], dtype=torch.long)


def collate(examples):
    """(ids, labels[, gaz]) examples -> ids, mask, labels, gaz (None where the examples have none)."""
    ids = pad_batch([e[0] for e in examples], PAD)
    labels = pad_batch([e[1] for e in examples], IGNORE)
    mask = (ids != PAD).long()
    gaz = pad_batch([e[2] for e in examples], 0) if len(examples[0]) > 2 else None
    return ids, mask, labels, gaz
