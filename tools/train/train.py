#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""train.py: stage 1 MLM pre-training on court sentences, stage 2 token classification on
LER (19 classes) + GermEval (PER/LOC/ORG/OTH) + synthetic administrative sentences (synth.py) in one
BIO label set (common.LABELS); optionally court sentences tagged by an earlier model
(pseudo_label.py, source "pseudo" in --ner-mix).

  train.py --data DIR --vocab VOCAB --out DIR [--mlm-steps N] [--ner-steps N] ...
Writes OUT/mlm.pt (after stage 1) and OUT/model.pt (final), each {"config", "labels", "state"}.
"""
import argparse, json, math, os, random, sys, time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from model import Bert, Config
from tokenizer import WordPiece, PAD, CLS, SEP, MASK, SPECIALS
from common import LABELS, IGNORE, read_jsonl, encode_words, pad_batch, collate


def batches_forever(examples, batch, rng, bucket=50):
    """Shuffled, length-bucketed batches, epoch after epoch. Yields (epoch, list). @examples is a
    list, or a function of the random generator giving each epoch's list (a new mixture)."""
    epoch = 0
    make = examples if callable(examples) else (lambda _rng: examples)
    while True:
        examples = make(rng)
        idx = list(range(len(examples)))
        rng.shuffle(idx)
        chunks = [idx[i:i + batch * bucket] for i in range(0, len(idx), batch * bucket)]
        out = []
        for ch in chunks:
            ch.sort(key=lambda i: len(examples[i][0]))
            out += [ch[i:i + batch] for i in range(0, len(ch), batch)]
        rng.shuffle(out)
        for b in out:
            yield epoch, [examples[i] for i in b]
        epoch += 1


def spans_of(tags):
    """(type, start, end) of every IOB2 mention; an I- tag without its B- starts none."""
    out, i = [], 0
    while i < len(tags):
        if tags[i].startswith("B-"):
            typ, j = tags[i][2:], i + 1
            while j < len(tags) and tags[j] == "I-" + typ:
                j += 1
            out.append((typ, i, j))
            i = j
        else:
            i += 1
    return out


def mention_pool(rows):
    """Every mention of the training sentences, by type: what --ner-augment draws from."""
    pool = {}
    for r in rows:
        for typ, i, j in spans_of(r["tags"]):
            pool.setdefault(typ, []).append(tuple(r["tokens"][i:j]))
    return pool


def gazetteer_mentions(src):
    """Names from the gazetteers (as synth.py fills its templates), by the mention types of @src
    they can stand for: people, places and companies. LER's people and streets stay as they are
    (the corpus shortens them to initials)."""
    import synth
    g = synth.Gen(random.Random(0))
    first = synth.FIRST
    if src == "germeval":
        return {"PER": lambda r: ([r.choice(first)] if r.random() < 0.6 else []) + [r.choice(g.surnames)],
                "LOC": lambda r: [r.choice(g.cities)] if r.random() < 0.8 else r.choice(g.countries).split(),
                "ORG": lambda r: r.choice(g.companies).split()}
    if src == "ler":
        return {"ST": lambda r: [r.choice(g.cities)],
                "LD": lambda r: r.choice(g.countries).split(),
                "UN": lambda r: r.choice(g.companies).split()}
    return {}


def replace_mentions(tokens, tags, pool, rng, gazetteer=None, p_gazetteer=0.0):
    """The sentence with every mention swapped for a random mention of its type from @pool (the
    same corpus's training part) or, with probability @p_gazetteer where @gazetteer has the type,
    a name from the gazetteers: the context stays, the names change."""
    out_t, out_g, last = [], [], 0
    for typ, i, j in spans_of(tags):
        out_t += tokens[last:i]
        out_g += tags[last:i]
        if gazetteer and typ in gazetteer and rng.random() < p_gazetteer:
            new = gazetteer[typ](rng)
        else:
            new = list(rng.choice(pool[typ])) if pool.get(typ) else tokens[i:j]
        out_t += new
        out_g += ["B-" + typ] + ["I-" + typ] * (len(new) - 1)
        last = j
    return out_t + tokens[last:], out_g + tags[last:]


def lr_at(step, total, peak, warmup_frac=0.06):
    w = max(1, int(total * warmup_frac))
    if step < w:
        return peak * (step + 1) / w
    return peak * max(0.0, (total - step) / max(1, total - w))


def mask_tokens(ids, vocab_size, rng_t, p=0.15):
    labels = ids.clone()
    special = ids < len(SPECIALS)
    prob = torch.full(ids.shape, p)
    prob[special] = 0.0
    sel = torch.bernoulli(prob, generator=rng_t).bool()
    labels[~sel] = IGNORE
    ids = ids.clone()
    r = torch.rand(ids.shape, generator=rng_t)
    ids[sel & (r < 0.8)] = MASK
    rnd = sel & (r >= 0.8) & (r < 0.9)
    ids[rnd] = torch.randint(len(SPECIALS), vocab_size, ids.shape, generator=rng_t)[rnd]
    return ids, labels


def save(path, model, extra=None):
    d = {"config": model.c.to_dict(), "labels": LABELS, "state": model.state_dict()}
    d.update(extra or {})
    torch.save(d, path)


def run_stage(name, model, examples, steps, batch, lr, loss_fn, rng, log_every, val_fn=None, ckpt_fn=None,
              ckpt_every=500):
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    gen = batches_forever(examples, batch, rng)
    model.train()
    t0 = time.time()
    run_loss, n, t_val = 0.0, 0, 0.0
    n_examples = len(examples(random.Random(0)) if callable(examples) else examples)
    steps_per_epoch = math.ceil(n_examples / batch)
    for step in range(steps):
        epoch, b = next(gen)
        for g in opt.param_groups:
            g["lr"] = lr_at(step, steps, lr)
        loss = loss_fn(b)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        run_loss += loss.item()
        n += 1
        if (step + 1) % log_every == 0 or step + 1 == steps:
            el = time.time() - t0 - t_val
            msg = (f"{name}: step {step + 1}/{steps} epoch {epoch + (step % steps_per_epoch + 1) / steps_per_epoch:.2f} "
                   f"loss {run_loss / n:.4f} lr {opt.param_groups[0]['lr']:.2e} {el / (step + 1):.3f} s/step")
            if val_fn is not None and ((step + 1) % (log_every * 4) == 0 or step + 1 == steps):
                tv = time.time()
                msg += f" val_loss {val_fn():.4f}"
                t_val += time.time() - tv
                model.train()
            print(msg, flush=True)
            run_loss, n = 0.0, 0
        if ckpt_fn is not None and (step + 1) % ckpt_every == 0:
            ckpt_fn(step + 1)  # a stage can be cut short and the next one started from here (--init)
    el = time.time() - t0 - t_val
    sps = el / max(1, steps)
    print(f"{name}: {steps} steps in {el:.1f} s (without validation) = {sps:.3f} s/step; {steps_per_epoch} steps/epoch "
          f"(batch {batch}, {n_examples} sequences) -> {steps_per_epoch * sps / 60:.1f} min/epoch at this speed",
          flush=True)
    return {"steps": steps, "seconds": el, "s_per_step": sps, "steps_per_epoch": steps_per_epoch}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="tools/out/train")
    ap.add_argument("--vocab", default="tools/out/train/vocab.txt")
    ap.add_argument("--out", default="tools/out/train")
    ap.add_argument("--layers", type=int, default=4)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--heads", type=int, default=4)
    ap.add_argument("--ffn", type=int, default=1024)
    ap.add_argument("--max-pos", type=int, default=256)
    ap.add_argument("--mlm-steps", type=int, default=20000)
    ap.add_argument("--mlm-batch", type=int, default=64)
    ap.add_argument("--mlm-max-len", type=int, default=128)
    ap.add_argument("--mlm-lr", type=float, default=5e-4)
    ap.add_argument("--ner-steps", type=int, default=3000)
    ap.add_argument("--ner-batch", type=int, default=32)
    ap.add_argument("--ner-lr", type=float, default=2e-4)
    ap.add_argument("--ner-mix", default="ler:1,germeval:1,synth:1",
                    help="sentences of each source per epoch, as multiples of the source's size "
                         "(a fraction is a fresh random subset each epoch)")
    ap.add_argument("--ner-augment", type=float, default=0.0,
                    help="share of the LER and GermEval sentences of each epoch whose mentions are "
                         "swapped for other mentions of the same type (mention replacement)")
    ap.add_argument("--ner-augment-gazetteer", type=float, default=0.0,
                    help="in a swapped sentence, share of the people, places and companies that come "
                         "from the gazetteers instead of the corpus")
    ap.add_argument("--gazetteer", action="store_true",
                    help="gazetteer-match features as an extra input embedding (gazfeat.py)")
    ap.add_argument("--gazetteer-dropout", type=float, default=0.2,
                    help="share of the pieces whose gazetteer feature is dropped in training")
    ap.add_argument("--dropout", type=float, default=0.1)
    ap.add_argument("--log-every", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--init", help="start from this checkpoint (e.g. OUT/mlm.pt, or a shipped .gguf) instead of random weights")
    a = ap.parse_args()
    if a.threads:
        torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    rng_t = torch.Generator().manual_seed(a.seed)

    wp = WordPiece.load(a.vocab)
    cfg = Config(vocab_size=len(wp), hidden=a.hidden, layers=a.layers, heads=a.heads, ffn=a.ffn,
                 max_pos=a.max_pos, n_labels=len(LABELS), dropout=a.dropout)
    matcher = None
    if a.gazetteer:
        import gazfeat
        matcher = gazfeat.Matcher(gazfeat.load_lists())
        cfg.gaz_ids = gazfeat.n_ids()
    model = Bert(cfg)
    if a.init and a.init.endswith(".gguf"):
        # a shipped model: the encoder and classifier from the file, the MLM head (not exported) fresh
        from export_gguf import read_gguf, tensor_map, unphantom
        _, kv, tensors, _ = read_gguf(a.init)
        if [unphantom(t) for t in kv["tokenizer.ggml.tokens"]] != wp.tokens or kv["sichtung.labels"] != LABELS:
            sys.exit(f"train: {a.init} has another vocabulary or label list than {a.vocab}")
        st = model.state_dict()
        for g, t in tensor_map(cfg.to_dict()).items():
            if g in tensors:  # a model without gazetteer features can start one with them
                st[t] = torch.from_numpy(tensors[g].copy())
        model.load_state_dict(st)
        print(f"train: initialised from {a.init}", flush=True)
    elif a.init:
        ck = torch.load(a.init, map_location="cpu")
        # a checkpoint without gazetteer features can start a model with them
        model.load_state_dict(ck["state"], strict=not (a.gazetteer and "gaz.weight" not in ck["state"]))
        print(f"train: initialised from {a.init}", flush=True)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"train: config {json.dumps(cfg.to_dict())}; {n_params / 1e6:.2f} M parameters; "
          f"torch {torch.__version__}, {torch.get_num_threads()} threads", flush=True)
    stats = {}

    # ---- stage 1: MLM ----
    def mlm_examples(name):
        ex = []
        for r in read_jsonl(os.path.join(a.data, name)):
            ids = wp.encode(r["text"])[: a.mlm_max_len - 2]
            if ids:
                ex.append(([CLS] + ids + [SEP], None))
        return ex
    t = time.time()
    mlm_tr, mlm_va = mlm_examples("mlm_train.jsonl"), mlm_examples("mlm_val.jsonl")
    print(f"mlm: {len(mlm_tr)} train / {len(mlm_va)} val sequences encoded in {time.time() - t:.1f} s", flush=True)

    def mlm_loss(b, gen=rng_t):
        ids = pad_batch([e[0] for e in b], PAD)
        mask = (ids != PAD).long()
        inp, lab = mask_tokens(ids, cfg.vocab_size, gen)
        h = model.encode(inp, mask)
        sel = lab != IGNORE  # vocabulary projection only at the masked positions
        return F.cross_entropy(model.mlm_logits(h[sel]), lab[sel])

    def mlm_val():
        model.eval()
        g = torch.Generator().manual_seed(0)
        tot, n = 0.0, 0
        with torch.no_grad():
            for i in range(0, min(len(mlm_va), 256), 64):
                tot += mlm_loss(mlm_va[i:i + 64], g).item()
                n += 1
        return tot / n

    if a.mlm_steps > 0:
        stats["mlm"] = run_stage("mlm", model, mlm_tr, a.mlm_steps, a.mlm_batch, a.mlm_lr, mlm_loss, rng,
                                 a.log_every, mlm_val,
                                 lambda s: save(os.path.join(a.out, "mlm.pt"), model, {"mlm_step": s}))
        save(os.path.join(a.out, "mlm.pt"), model)

    # ---- stage 2: token classification ----
    def encode_example(tokens, tags):
        feats = matcher.word_features(tokens) if matcher is not None else None
        ids, labels, _, gaz = encode_words(wp, tokens, tags, a.max_pos, feats)
        return (ids, labels, gaz) if matcher is not None else (ids, labels)

    sources, rows, pools, gazetteers = {}, {}, {}, {}
    mix = {k: float(v) for k, v in (x.split(":") for x in a.ner_mix.split(","))}
    # pseudo: court sentences tagged by an earlier model (pseudo_label.py), only when mixed in
    for src in ("ler", "germeval", "synth") + (("pseudo",) if "pseudo" in mix else ()):
        rows[src] = read_jsonl(os.path.join(a.data, f"{src}_train.jsonl"))
        pools[src] = mention_pool(rows[src])
        gazetteers[src] = gazetteer_mentions(src) if a.ner_augment_gazetteer > 0 else {}
        sources[src] = []
        for r in rows[src]:
            sources[src].append(encode_example(r["tokens"], r["tags"]))
    assert set(mix) <= set(sources), f"--ner-mix: unknown source in {a.ner_mix}"

    def augmented(src, k, r):
        tokens, tags = replace_mentions(rows[src][k]["tokens"], rows[src][k]["tags"], pools[src], r,
                                        gazetteers[src], a.ner_augment_gazetteer)
        return encode_example(tokens, tags)

    def ner_epoch(r):
        out = []
        for src, w in mix.items():
            ex = sources[src]
            picked = list(range(len(ex))) * int(w) + r.sample(range(len(ex)), round((w - int(w)) * len(ex)))
            # the synthetic sentences are filled from gazetteers already; pseudo-labelled ones stay as tagged
            aug = a.ner_augment if src in ("ler", "germeval") else 0.0
            out += [augmented(src, k, r) if aug > 0 and r.random() < aug else ex[k] for k in picked]
        return out
    ner_tr = ner_epoch
    ner_va = []
    for r in read_jsonl(os.path.join(a.data, "ler_val.jsonl"))[:200]:
        ner_va.append(encode_example(r["tokens"], r["tags"]))
    print(f"ner: {', '.join(f'{k} {len(v)}' for k, v in sources.items())} train sentences, mixed "
          f"{a.ner_mix} per epoch ({len(ner_epoch(random.Random(0)))}); {len(LABELS)} labels", flush=True)

    def ner_loss(b):
        ids, mask, labels, gaz = collate(b)
        if gaz is not None and model.training and a.gazetteer_dropout > 0:
            gaz = gaz * (torch.rand(gaz.shape, generator=rng_t) >= a.gazetteer_dropout).long()
        logits = model.token_logits(ids, mask, gaz)
        return F.cross_entropy(logits.view(-1, len(LABELS)), labels.view(-1), ignore_index=IGNORE)

    def ner_val():
        model.eval()
        tot, n = 0.0, 0
        with torch.no_grad():
            for i in range(0, len(ner_va), 32):
                tot += ner_loss(ner_va[i:i + 32]).item()
                n += 1
        return tot / n

    if a.ner_steps > 0:
        stats["ner"] = run_stage("ner", model, ner_tr, a.ner_steps, a.ner_batch, a.ner_lr, ner_loss, rng,
                                 a.log_every, ner_val)
    save(os.path.join(a.out, "model.pt"), model, {"vocab": wp.tokens, "train_stats": stats,
                                                 "args": vars(a)})
    with open(os.path.join(a.out, "train_stats.json"), "w") as f:
        json.dump({"stats": stats, "args": vars(a), "n_params": n_params}, f, indent=1)
    print(f"train: wrote {os.path.join(a.out, 'model.pt')}", flush=True)


if __name__ == "__main__":
    main()
