#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""prepare.py: corpus → split → vocabulary → tokenised training and validation examples.

  prepare.py OUT_DIR [--corpus ../shared/corpora/ler/court_sentences_timex.tsv]
             [--train N] [--val N] [--long N] [--merges N] [--shuffled P] [--cli PATH]

Validation examples are numbered as `sichtung-cli ask` numbers them; --shuffled (default 0.2)
of the training examples get a random numbering instead.

Writes OUT_DIR/vocab.json, OUT_DIR/tokenizer.gguf (vocabulary only), OUT_DIR/train.jsonl,
OUT_DIR/val.jsonl and OUT_DIR/train_long.jsonl (answers of 5-10 words, for the second training
stage), one example a line with "prompt_ids" and "answer_ids" (the answer and <|im_end|>), and
OUT_DIR/split.json (sizes). With --cli the encoder is checked against
`sichtung-cli tokenize` on passages, questions, answers and whole prompts.
"""
import argparse
import json
import os
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "gguf"))

import data  # noqa: E402
import spm  # noqa: E402
from gguf_writer import GGUFWriter, GGUFValueType  # noqa: E402

EXAMPLE_SEED = {"train": 1, "val": 2, "train_long": 3}


def tokenizer_gguf(vocab, path):
    w = GGUFWriter()
    w.add("general.architecture", "llama")
    w.add("general.name", "sichtung-assistant-bench-vocab")
    spm.add_to_gguf(w, vocab, GGUFValueType)
    w.add("tokenizer.chat_template", data.CHAT_TEMPLATE)
    w.write(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--corpus", default=os.path.join(HERE, "..", "..", "..", "..", "shared",
                                                     "corpora", "ler",
                                                     "court_sentences_timex.tsv"))
    ap.add_argument("--train", type=int, default=30000)
    ap.add_argument("--val", type=int, default=1000)
    ap.add_argument("--merges", type=int, default=3500)
    ap.add_argument("--shuffled", type=float, default=0.2,
                    help="share of training examples with the passages in random order")
    ap.add_argument("--long", type=int, default=15000,
                    help="extra training examples with answers of 5-10 words (train_long.jsonl)")
    ap.add_argument("--cli", default=None)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    t0 = time.time()

    sentences = data.load_sentences(a.corpus)
    split = data.split_of(sentences)
    pools = {w: data.passage_pool(sentences, split, w) for w in ("train", "val")}
    n_split = {w: sum(1 for v in split.values() if v == w) for w in ("train", "val")}
    print(f"{len(sentences)} sentences, distinct texts train {n_split['train']} val "
          f"{n_split['val']}; passages train {len(pools['train'])} val {len(pools['val'])}",
          flush=True)

    examples = {}
    for which, n in (("train", a.train), ("val", a.val)):
        rng = random.Random(EXAMPLE_SEED[which])
        shuffled = a.shuffled if which == "train" else 0.0
        examples[which] = [data.make_example(rng, pools[which], shuffled) for _ in range(n)]
    rng = random.Random(EXAMPLE_SEED["train_long"])
    examples["train_long"] = [data.make_example(rng, pools["train"], a.shuffled, (5, 10))
                              for _ in range(a.long)]
    print(f"examples drawn ({time.time() - t0:.0f} s)", flush=True)

    # Vocabulary from training text only: sentences once each, the fixed prompt parts as often
    # as the examples show them.
    texts = [(t, 1) for t, w in split.items() if w == "train"]
    frame = examples["train"][:2000]
    for ex in frame:
        texts.append((ex["prompt"].replace("<|im_start|>", "\n").replace("<|im_end|>", "\n"),
                      max(1, a.train // len(frame))))
        texts.append((" " + ex["answer"], max(1, a.train // len(frame))))
    chars, pieces = spm.learn(texts, a.merges)
    vocab = spm.Vocab.build(chars, pieces)
    vocab.save(os.path.join(a.out, "vocab.json"))
    tokenizer_gguf(vocab, os.path.join(a.out, "tokenizer.gguf"))
    print(f"vocabulary: {len(vocab.tokens)} tokens ({len(chars)} characters, {len(pieces)} "
          f"pieces; {time.time() - t0:.0f} s)", flush=True)

    stats = {"sentences": len(sentences), "distinct_train": n_split["train"],
             "distinct_val": n_split["val"], "passages_train": len(pools["train"]),
             "passages_val": len(pools["val"]), "vocab": len(vocab.tokens)}
    for which in ("train", "val", "train_long"):
        lens, gold1 = [], 0
        with open(os.path.join(a.out, which + ".jsonl"), "w", encoding="utf-8") as f:
            for ex in examples[which]:
                ex["prompt_ids"] = vocab.encode(ex["prompt"], bos=True)
                # the reply starts with a space: its words are the passage's "▁word" tokens
                ex["answer_ids"] = vocab.encode(" " + ex["answer"]) + [spm.IM_END]
                lens.append(len(ex["prompt_ids"]) + len(ex["answer_ids"]))
                gold1 += ex["gold_number"] == 1
                f.write(json.dumps(ex, ensure_ascii=False) + "\n")
        lens.sort()
        stats[which] = {"n": len(lens), "tokens_median": lens[len(lens) // 2],
                        "tokens_max": lens[-1], "gold_is_1": gold1 / len(lens)}
        print(f"{which}: {len(lens)} examples, tokens median {lens[len(lens) // 2]} max "
              f"{lens[-1]}, gold passage shown as [1] in {100 * gold1 / len(lens):.1f} %",
              flush=True)

    if a.cli:
        gguf = os.path.join(a.out, "tokenizer.gguf")
        sample = examples["val"][:300]
        texts = []
        for ex in sample:
            texts += ex["passages"] + [ex["question"], " " + ex["answer"]]
        n, n_eq, first = spm.verify(vocab, a.cli, gguf, texts, os.path.join(a.out, "tok.txt"))
        # whole prompts, newlines and special tokens included
        n_p = n_peq = 0
        import subprocess
        for ex in sample[:40]:
            path = os.path.join(a.out, "prompt.txt")
            with open(path, "w", encoding="utf-8") as f:
                f.write(ex["prompt"])
            got = json.loads(subprocess.run([a.cli, "tokenize", "--model", gguf, "--file", path,
                                             "--bos", "--special"], check=True,
                                            capture_output=True, text=True).stdout)
            n_p += 1
            n_peq += got == ex["prompt_ids"]
        print(f"tokenizer check against sichtung-cli: {n_eq}/{n} texts, {n_peq}/{n_p} whole "
              f"prompts identical", flush=True)
        if first:
            print("first difference:", first, flush=True)
        stats["tokenizer_check"] = {"texts": n, "identical": n_eq, "prompts": n_p,
                                    "prompts_identical": n_peq}
        if n_eq != n or n_peq != n_p:
            sys.exit("the Python encoder does not match Sichtung's tokenizer")
    with open(os.path.join(a.out, "split.json"), "w") as f:
        json.dump(stats, f, indent=1)


if __name__ == "__main__":
    main()
