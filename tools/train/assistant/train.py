#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""train.py: trains the assistant benchmark model on DATA_DIR/train.jsonl (see prepare.py).

  train.py DATA_DIR CHECKPOINT [--steps N | --minutes M] [--batch N] [--lr X] [--seed S] [--dim N]
           [--layers N] [--heads N] [--ff N] [--rope-base B] [--init CHECKPOINT] [--extra FILE]
           [--induction-mix P] [--induction-len T] [--induction-batch N]

run.sh starts it from induction.py's checkpoint (its shape and weights: a model that copies),
with train_long.jsonl (answers of 5-10 words, several times as many copied tokens per example)
mixed into the task, and a share --induction-mix of the steps spent on induction.py's copying
rows instead of the task.

The loss is the cross-entropy of the answer tokens and the closing <|im_end|> only; the prompt
is context. Batches are drawn from length buckets (the examples sorted by length, cut into
blocks of 8 batches, shuffled inside each block) to keep padding small; padding goes at the end,
where causal attention never reads it. AdamW, linear warm-up, cosine decay to a tenth over --steps or, with --minutes,
over the wall-clock budget (then the number of steps depends on the machine; it is reported).
At the end: validation loss and greedy exact match on DATA_DIR/val.jsonl.
"""
import argparse
import json
import os
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import data  # noqa: E402
import induction  # noqa: E402
from model import add_shape_arguments, model_from_arguments  # noqa: E402
import spm  # noqa: E402


def read_examples(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def make_batch(examples):
    """ids [B, T] (padded with 0), and (row, position, target) of every loss token."""
    seqs = [ex["prompt_ids"] + ex["answer_ids"] for ex in examples]
    T = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), T, dtype=torch.long)
    rows, pos, tgt = [], [], []
    for b, (ex, s) in enumerate(zip(examples, seqs)):
        ids[b, :len(s)] = torch.tensor(s)
        n_p = len(ex["prompt_ids"])
        for k, t in enumerate(ex["answer_ids"]):
            rows.append(b)
            pos.append(n_p + k - 1)
            tgt.append(t)
    return ids, torch.tensor(rows), torch.tensor(pos), torch.tensor(tgt)


def batches(examples, batch, rng):
    order = sorted(range(len(examples)), key=lambda i: len(examples[i]["prompt_ids"]))
    block = batch * 8
    while True:
        chunks = []
        for s in range(0, len(order), block):
            part = order[s:s + block]
            rng.shuffle(part)
            chunks += [part[k:k + batch] for k in range(0, len(part), batch)]
        rng.shuffle(chunks)
        for c in chunks:
            yield [examples[i] for i in c]


def loss_of(model, examples):
    ids, rows, pos, tgt = make_batch(examples)
    h = model.hidden(ids)[rows, pos]
    return F.cross_entropy(model.output(h), tgt, reduction="sum"), len(tgt)


@torch.no_grad()
def val_loss(model, examples, batch=16):
    model.eval()
    tot, n = 0.0, 0
    for s in range(0, len(examples), batch):
        l, k = loss_of(model, examples[s:s + batch])
        tot += l.item()
        n += k
    model.train()
    return tot / n


@torch.no_grad()
def greedy(model, prompt_ids, max_new=64):
    ids = list(prompt_ids)
    out = []
    for _ in range(max_new):
        logits = model(torch.tensor([ids]))[0, -1]
        t = int(logits.argmax())
        if t == spm.IM_END:
            break
        out.append(t)
        ids.append(t)
    return out


@torch.no_grad()
def exact_match(model, examples, vocab):
    """Share of examples whose greedy answer is the gold answer, the copied words only, and the
    citation only."""
    model.eval()
    em = words = cite = 0
    for ex in examples:
        text = vocab.decode(greedy(model, ex["prompt_ids"])).strip()
        em += text == ex["answer"]
        words += text.startswith(data.answer_prefix(ex) + " [")
        cite += text.endswith(f"[{ex['gold_number']}].")
    model.train()
    n = max(1, len(examples))
    return em / n, words / n, cite / n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("checkpoint")
    ap.add_argument("--steps", type=int, default=1500)
    ap.add_argument("--minutes", type=float, default=0,
                    help="train for this long instead of --steps (the schedule follows time)")
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--lr", type=float, default=3e-3)
    ap.add_argument("--warmup", type=int, default=150)
    ap.add_argument("--seed", type=int, default=1)
    add_shape_arguments(ap)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--init", default=None,
                    help="start from this checkpoint (its weights and shape)")
    ap.add_argument("--extra", default=None,
                    help="a further file of DATA_DIR mixed into the training examples")
    ap.add_argument("--induction-mix", type=float, default=0.0,
                    help="share of the steps that train on induction.py's copying rows instead")
    ap.add_argument("--induction-batch", type=int, default=32)
    ap.add_argument("--induction-len", type=int, default=64)
    ap.add_argument("--n-val", type=int, default=200)
    ap.add_argument("--n-em", type=int, default=200)
    a = ap.parse_args()

    rng, vocab = induction.start(a)
    train = read_examples(os.path.join(a.data, "train.jsonl"))
    if a.extra:
        train += read_examples(os.path.join(a.data, a.extra))
    val = read_examples(os.path.join(a.data, "val.jsonl"))
    pieces = induction.piece_ids(vocab)
    model, c, _ = model_from_arguments(len(vocab.tokens), a)
    print(f"model: {model.n_params()} parameters, {c.to_dict()}", flush=True)

    decay = [p for n, p in model.named_parameters() if p.dim() == 2]
    other = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01},
                             {"params": other, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, 0.98))
    it = batches(train, a.batch, rng)
    t0 = time.time()
    log = []
    run, run_n = 0.0, 0
    step = 0
    while True:
        step += 1
        if a.minutes > 0:
            frac = (time.time() - t0) / (60 * a.minutes)
            last = frac >= 1
        else:
            frac = step / a.steps
            last = step == a.steps
        lr = induction.learning_rate(a.lr, step, a.warmup, frac)
        for g in opt.param_groups:
            g["lr"] = lr
        copying = a.induction_mix > 0 and rng.random() < a.induction_mix
        if copying:
            loss, n, _ = induction.induction_loss(
                model, induction.induction_batch(rng, pieces, a.induction_batch,
                                                 a.induction_len))
        else:
            loss, n = loss_of(model, next(it))
        opt.zero_grad()
        (loss / n).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if not copying:
            run += loss.item()
            run_n += n
        if step % 50 == 0:
            print(f"step {step} loss {run / max(1, run_n):.4f} lr {lr:.2e} "
                  f"{time.time() - t0:.0f} s",
                  flush=True)
            run, run_n = 0.0, 0
        if step % 500 == 0 or last:
            vl = val_loss(model, val[:a.n_val])
            log.append({"step": step, "val_loss": vl, "seconds": time.time() - t0})
            print(f"  validation loss {vl:.4f}", flush=True)
            torch.save({"config": c.to_dict(), "state": model.state_dict(), "log": log},
                       a.checkpoint)
        if last:
            break
    train_s = time.time() - t0
    em, words, cite = exact_match(model, val[:a.n_em], vocab)
    result = {"parameters": model.n_params(), "config": c.to_dict(), "steps": step,
              "batch": a.batch, "examples_seen": step * a.batch, "train_seconds": train_s,
              "val_loss": log[-1]["val_loss"], "val_exact_match": em,
              "val_words_match": words, "val_citation_match": cite, "n_em": a.n_em, "log": log}
    print(json.dumps({k: v for k, v in result.items() if k != "log"}), flush=True)
    torch.save({"config": c.to_dict(), "state": model.state_dict(), "log": log,
                "result": result}, a.checkpoint)


if __name__ == "__main__":
    main()
