#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""eval_cli.py: scores the C tagger from outside: writes a validation split as CoNLL, tags it with
`sichtung-cli tag` and scores the output with evaluate.py's prf, so the numbers are comparable with
evaluate.py's (which runs the torch checkpoint). Unlike evaluate.py, sentences longer than the model's
context are tagged in overlapping windows instead of being cut off.

  eval_cli.py [--data DIR] [--cli PATH] [--model GGUF] [--device D] [--task ler19|ler7_coarse|synth_admin|
              germeval_plo|all] [--keep DIR]
"""
import argparse, json, os, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from common import LER_TYPES, COARSE, read_jsonl
from evaluate import prf

COARSE7 = ["PER", "LOC", "ORG", "NRM", "REG", "RS", "LIT"]
# task: (split, --tagset, scored types, mapping of gold types to what the CLI prints)
TASKS = {
    "ler19": ("ler_val", "ler", LER_TYPES, None),
    "ler7_coarse": ("ler_val", "coarse", COARSE7,
                    {"RR": "PER", "AN": "PER", "LD": "LOC", "ST": "LOC", "STR": "LOC", "LDS": "LOC",
                     "UN": "ORG", "INN": "ORG", "GRT": "ORG", "MRK": "ORG", "GS": "NRM", "VO": "NRM",
                     "EUN": "NRM", "VS": "REG", "VT": "REG"}),
    "synth_admin": ("synth_val", "ler", LER_TYPES, None),
    "germeval_plo": ("germeval_val", "all", ["PER", "LOC", "ORG"], COARSE),
}


def write_conll(sents, path):
    with open(path, "w", encoding="utf-8") as f:
        for s in sents:
            for t in s["tokens"]:
                f.write(t + "\n")
            f.write("\n")


def read_tags(path):
    sents, cur = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                if cur:
                    sents.append(cur)
                cur = []
                continue
            tok, tag = line.split("\t")
            cur.append((tok, tag))
    if cur:
        sents.append(cur)
    return sents


def run_task(a, task, tmp):
    split, tagset, types, mapping = TASKS[task]
    sents = [s for s in read_jsonl(os.path.join(a.data, split + ".jsonl")) if s["tokens"]]
    conll = os.path.join(tmp, split + ".conll")
    out = os.path.join(tmp, f"{task}.tags")
    write_conll(sents, conll)
    cmd = [a.cli, "tag", conll, "--input-format", "conll", "--tagset", tagset]
    if a.model:
        cmd += ["--model", a.model]
    if a.device:
        cmd += ["--device", a.device]
    t0 = time.time()
    with open(out, "w", encoding="utf-8") as f:
        subprocess.run(cmd, stdout=f, check=True)
    dt = time.time() - t0
    got = read_tags(out)
    assert len(got) == len(sents), f"{task}: {len(got)} sentences back for {len(sents)}"
    for g, s in zip(got, sents):
        assert [t for t, _ in g] == s["tokens"], f"{task}: tokens differ in {s['tokens'][:5]}"
    pred = [[tag for _, tag in g] for g in got]
    # the CLI prints coarse classes already; gold fine types map to them in prf
    res = prf([s["tags"] for s in sents], pred, types, mapping)
    n_tok = sum(len(s["tokens"]) for s in sents)
    m = res["micro"]
    print(f"eval_cli: {task:13s} micro P {m['p']:.4f} R {m['r']:.4f} F1 {m['f1']:.4f} "
          f"(gold spans {m['support']}; {len(sents)} sentences, {n_tok} tokens in {dt:.1f} s)")
    print("   " + " ".join(f"{t}:{x['f1']:.2f}/{x['support']}" for t, x in res["per_type"].items()))
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default="tools/out/train")
    ap.add_argument("--cli", default="_build/core/cli/sichtung-cli")
    ap.add_argument("--model", help="GGUF file (default: what sichtung-cli finds)")
    ap.add_argument("--device", help="cpu, vulkan, auto …")
    ap.add_argument("--task", default="ler19", choices=list(TASKS) + ["all"])
    ap.add_argument("--json", help="write the scores here")
    ap.add_argument("--keep", help="keep the CoNLL input and tagged output in this directory")
    a = ap.parse_args()
    tasks = list(TASKS) if a.task == "all" else [a.task]
    with tempfile.TemporaryDirectory() as tmp:
        d = a.keep or tmp
        os.makedirs(d, exist_ok=True)
        res = {t: run_task(a, t, d) for t in tasks}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
