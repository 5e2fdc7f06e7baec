#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""induction.py: teaches the benchmark model to copy, before it learns the task.

Answering the task means copying: each word of the answer is what follows the previous word
where it occurs earlier in the prompt. Transformers do this with two attention heads in two
layers (a "previous-token" head and an "induction" head that matches the current token against
what the first one wrote), but a model this small, trained from scratch on a few thousand
steps of the task, does not find them: the loss stays flat. So the model starts with both
(previous_token_init(), induction_head_init(): weights set by hand, all of them trainable
afterwards, the output matrix a copy of the embedding) and this script trains it on rows of
random word pieces:

  - half of the rows repeat a segment of 4-24 distinct pieces over and over (every token of
    the later periods is a copy);
  - the other half hold one segment twice at random places among random pieces (the case of
    the task); the segment's pieces occur nowhere else, so the earlier copy is unambiguous.

The loss covers the copied tokens only. It prints the greedy accuracy and the loss on a fixed
set of held-out rows drawn from all pieces. train.py mixes such rows into the task
(--induction-mix) so that training on the task does not unlearn copying over longer distances.

  induction.py DATA_DIR CHECKPOINT [--minutes M] [--len T] [--batch N] [--lr X]
               [--heads N] [--rope-base B] [--previous-token-init] [--init CHECKPOINT]

The model has 2 heads of 64 and a rope base of 500,000 (run.sh): rope turns the query and key
pairs by the distance between two positions, so only its slow pairs can match content across a
prompt of several hundred tokens; with heads of 32 and base 10,000 there are too few of them.
"""
import argparse
import math
import os
import random
import sys
import time

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from model import add_shape_arguments, model_from_arguments  # noqa: E402
import spm  # noqa: E402


def piece_ids(vocab):
    """Ids of the learnt multi-character pieces: the tokens the task copies."""
    return [i for i, t in enumerate(vocab.tokens)
            if i >= len(spm.SPECIALS) + spm.N_BYTES and len(t) > 1]


def induction_batch(rng, pieces, batch, length):
    """ids [B, T], (rows, positions, targets) of the copied tokens.

    Half of the rows repeat a segment of 4-24 distinct pieces over and over after a few random
    pieces (every token of the second and later periods is a copy: a dense signal); the other
    half hold one segment twice at random places among random pieces (the case of the task)."""
    ids = torch.empty(batch, length, dtype=torch.long)
    rows, pos, tgt = [], [], []
    for b in range(batch):
        n = rng.randint(4, min(24, length // 3))
        seg = rng.sample(pieces, n)
        used = set(seg)
        if b % 2 == 0:
            lead = rng.randint(0, 8)
            row = [rng.choice(pieces) for _ in range(lead)]
            while len(row) < length:
                row += seg
            row = row[:length]
            copies = range(lead + n, length)
        else:
            row = [rng.choice(pieces) for _ in range(length)]
            first = rng.randrange(0, length - 2 * n + 1)
            second = rng.randrange(first + n, length - n + 1)
            # the segment's pieces occur nowhere else up to the second copy's end, so the
            # earlier occurrence is unambiguous
            for i in range(second + n):
                while row[i] in used and not first <= i < first + n:
                    row[i] = rng.choice(pieces)
            row[first:first + n] = seg
            row[second:second + n] = seg
            copies = range(second + 1, second + n)
        ids[b] = torch.tensor(row)
        for i in copies:
            rows.append(b)
            pos.append(i - 1)
            tgt.append(row[i])
    return ids, torch.tensor(rows), torch.tensor(pos), torch.tensor(tgt)


def previous_token_init(model, heads=2, sharpness=0.75, pairs=6):
    """Starts the model with a previous-token head, the first half of the copying circuit.

    The embeddings carry a large constant in dimension 0 (so that it is nearly the same after
    RMSNorm for every token), the token's identity in dimensions 1 to C/2 - 1 and nothing yet in
    the upper half. In the first layer, @heads heads attend from every position to the one
    before it (their query and key read only the constant dimension; with rope,
    q_i . k_j = sum over the @pairs fastest rotary pairs of cos((j - i + 1) theta_p), largest at
    j = i - 1) and write what they read from the token dimensions into the upper half of the
    residual stream. A head of a later layer then only has to learn to match the current token
    against the upper half to find the token after an earlier occurrence: the other half, which
    training finds by itself far more slowly. Everything stays trainable."""
    c = model.c
    d = c.n_embd // c.n_head
    half = c.n_embd // 2
    assert heads * d <= half
    with torch.no_grad():
        e = model.tok_embd.weight
        e[:, half:] = 0.0
        e[:, 0] = 1.0
        b = model.blocks[0]
        for h in range(heads):
            rows = slice(h * d, (h + 1) * d)
            b.wq.weight[rows] = 0.0
            b.wk.weight[rows] = 0.0
            b.wv.weight[rows] = 0.0
            b.wo.weight[:, rows] = 0.0
            for p in range(pairs):
                theta = c.rope_base ** (-2.0 * p / d)
                b.wq.weight[h * d + 2 * p, 0] = sharpness
                b.wk.weight[h * d + 2 * p, 0] = sharpness * math.cos(theta)
                b.wk.weight[h * d + 2 * p + 1, 0] = sharpness * math.sin(theta)
            for k in range(d):
                src = 1 + h * d + k
                if src < half:
                    b.wv.weight[h * d + k, src] = 1.0
                    b.wo.weight[half + h * d + k, h * d + k] = 1.0


def induction_head_init(model, layer=1, head=0, sharpness=8.0, gain=4.0, pairs=12):
    """Starts head @head of @layer as the second half of the copying circuit: its query reads
    the current token's dimensions, its key the upper half, where previous_token_init() puts the
    token before each position, so it attends to the token after an earlier occurrence of the
    current one; its value and output copy that token's dimensions into the residual stream,
    where the output matrix (a copy of the embedding at the start) turns them into its logit.
    Only the @pairs slowest rotary pairs of the head take part in the match: rope turns the
    faster ones by the distance between the two positions, which would scramble it."""
    c = model.c
    d = c.n_embd // c.n_head
    half = c.n_embd // 2
    b = model.blocks[layer]
    base = head * d
    with torch.no_grad():
        rows = slice(base, base + d)
        b.wq.weight[rows] = 0.0
        b.wk.weight[rows] = 0.0
        b.wv.weight[rows] = 0.0
        b.wo.weight[:, rows] = 0.0
        for j in range(2 * pairs):
            r = d - 2 * pairs + j
            b.wq.weight[base + r, 1 + j] = sharpness
            b.wk.weight[base + r, half + j] = sharpness
        for k in range(min(d, half - 1)):
            b.wv.weight[base + k, 1 + k] = 1.0
            b.wo.weight[1 + k, base + k] = gain


def induction_loss(model, batch):
    ids, rows, pos, tgt = batch
    h = model.hidden(ids)[rows, pos]
    logits = model.output(h)
    return F.cross_entropy(logits, tgt, reduction="sum"), len(tgt), logits


@torch.no_grad()
def induction_accuracy(model, held_out):
    model.eval()
    right = n = 0
    loss = 0.0
    for batch in held_out:
        l, k, logits = induction_loss(model, batch)
        right += int((logits.argmax(-1) == batch[3]).sum())
        n += k
        loss += l.item()
    model.train()
    return right / n, loss / n


def learning_rate(peak, step, warmup, frac):
    """Linear warm-up over @warmup steps, then cosine decay to a tenth of @peak as @frac (the
    share of the budget used) goes from 0 to 1."""
    return (peak * min(1.0, step / warmup)
            * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * min(1.0, frac)))))


def start(a):
    """Threads, seeds and the vocabulary of DATA_DIR, as train.py and this script use them."""
    torch.set_num_threads(a.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(a.seed)
    return random.Random(a.seed), spm.Vocab.load(os.path.join(a.data, "vocab.json"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("checkpoint")
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--len", type=int, default=64)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    add_shape_arguments(ap)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--init", default=None)
    ap.add_argument("--previous-token-init", action="store_true")
    a = ap.parse_args()

    rng, vocab = start(a)
    pieces = piece_ids(vocab)
    model, c, loaded = model_from_arguments(len(vocab.tokens), a)
    if not loaded:
        if a.previous_token_init:
            previous_token_init(model, heads=max(1, (c.n_embd // 2) // (c.n_embd // c.n_head)))
            induction_head_init(model)
        # the output matrix starts as a copy of the embedding (it stays a separate tensor): a
        # piece read through attention then already points at itself in the logits, and the
        # copying circuit does not first have to align 3,900 embeddings with their outputs
        with torch.no_grad():
            model.output.weight.copy_(model.tok_embd.weight)
    held_rng = random.Random(12345)
    held_out = [induction_batch(held_rng, pieces, 64, a.len) for _ in range(4)]
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.98), weight_decay=0.0)
    t0 = time.time()
    step = 0
    run, run_n = 0.0, 0
    while True:
        step += 1
        frac = (time.time() - t0) / (60 * a.minutes)
        lr = learning_rate(a.lr, step, a.warmup, frac)
        for g in opt.param_groups:
            g["lr"] = lr
        loss, n, _ = induction_loss(model, induction_batch(rng, pieces, a.batch, a.len))
        opt.zero_grad()
        (loss / n).backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        run += loss.item()
        run_n += n
        if step % 100 == 0 or frac >= 1:
            acc, hl = induction_accuracy(model, held_out)
            print(f"step {step} loss {run / run_n:.3f} held-out loss {hl:.3f} copied {acc:.1%} "
                  f"lr {lr:.1e} {time.time() - t0:.0f} s", flush=True)
            run, run_n = 0.0, 0
            torch.save({"config": c.to_dict(), "state": model.state_dict()}, a.checkpoint)
        if frac >= 1:
            break


if __name__ == "__main__":
    main()
