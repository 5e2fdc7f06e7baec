#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""prepare_data.py: deterministic train/validation splits of the corpora in ../shared/corpora (beside the checkout).

Writes JSONL into OUT (default tools/out/train):
  ler_train.jsonl / ler_val.jsonl            {"tokens": [...], "tags": [...]}  19 LER classes, IOB2
  germeval_train.jsonl / germeval_val.jsonl  {"tokens": [...], "tags": [...]}  PER/LOC/ORG/OTH (outer column;
                                             -deriv/-part variants mapped to O)
  mlm_train.jsonl / mlm_val.jsonl            {"text": ...}  court sentences (1,000 for val), TIMEX3 tags stripped; sentences
                                             identical to an LER validation sentence are dropped
  splits.json                                counts, seed, sources
Split: by sentence, shuffled with random.Random(SEED), the first 10 % are validation.
"""
import argparse, json, os, random, re, sys

CORPORA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "corpora"))
SEED = 20240611
VAL_FRAC = 0.10
TIMEX = re.compile(r"</?TIMEX3[^>]*>")


def read_conll(path):
    sents, toks, tags = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if toks:
                    sents.append({"tokens": toks, "tags": tags})
                toks, tags = [], []
                continue
            tok, tag = line.rsplit(" ", 1)
            toks.append(tok)
            tags.append(tag)
    if toks:
        sents.append({"tokens": toks, "tags": tags})
    return sents


def map_germeval_tag(tag):
    if tag == "O" or tag.endswith("deriv") or tag.endswith("part"):
        return "O"
    return tag  # B-PER, I-LOC, ...


def read_germeval(path):
    sents, toks, tags = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#"):
                continue
            if not line.strip():
                if toks:
                    sents.append({"tokens": toks, "tags": tags})
                toks, tags = [], []
                continue
            cols = line.split("\t")
            toks.append(cols[1])
            tags.append(map_germeval_tag(cols[2]))
    if toks:
        sents.append({"tokens": toks, "tags": tags})
    # an I- whose B- was a deriv/part variant: make it O as well
    for s in sents:
        prev = "O"
        for i, t in enumerate(s["tags"]):
            if t.startswith("I-") and prev[2:] != t[2:]:
                s["tags"][i] = t = "O"
            prev = t
    return sents


def read_court(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "\t" not in line:
                continue
            text = " ".join(TIMEX.sub("", line.split("\t", 1)[1]).split())
            if text:
                out.append(text)
    return out


def split(items, seed_offset, n_val=None):
    idx = list(range(len(items)))
    random.Random(SEED + seed_offset).shuffle(idx)
    if n_val is None:
        n_val = int(round(len(items) * VAL_FRAC))
    val = sorted(idx[:n_val])
    train = sorted(idx[n_val:])
    return [items[i] for i in train], [items[i] for i in val]


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out", nargs="?", default="tools/out/train")
    ap.add_argument("--corpora", default=CORPORA)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    ler = read_conll(os.path.join(a.corpora, "ler/ler_dev.conll"))
    ge = read_germeval(os.path.join(a.corpora, "germeval2014/dev.tsv"))
    court = read_court(os.path.join(a.corpora, "ler/court_sentences_timex.tsv"))

    ler_tr, ler_va = split(ler, 0)
    ge_tr, ge_va = split(ge, 1)
    val_texts = {" ".join(s["tokens"]) for s in ler_va}
    court_kept = [t for t in court if t not in val_texts]
    n_dropped = len(court) - len(court_kept)
    mlm_tr, mlm_va = split(court_kept, 2, n_val=1000)  # MLM val only for a loss curve

    for name, rows in [("ler_train", ler_tr), ("ler_val", ler_va), ("germeval_train", ge_tr),
                       ("germeval_val", ge_va)]:
        write_jsonl(os.path.join(a.out, name + ".jsonl"), rows)
    write_jsonl(os.path.join(a.out, "mlm_train.jsonl"), [{"text": t} for t in mlm_tr])
    write_jsonl(os.path.join(a.out, "mlm_val.jsonl"), [{"text": t} for t in mlm_va])

    counts = {"seed": SEED, "val_frac": VAL_FRAC,
              "ler": {"train": len(ler_tr), "val": len(ler_va)},
              "germeval": {"train": len(ge_tr), "val": len(ge_va)},
              "mlm": {"train": len(mlm_tr), "val": len(mlm_va), "court_total": len(court),
                      "dropped_equal_to_ler_val": n_dropped}}
    with open(os.path.join(a.out, "splits.json"), "w") as f:
        json.dump(counts, f, indent=1)
    print("prepare_data:", json.dumps(counts))


if __name__ == "__main__":
    main()
