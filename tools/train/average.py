#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""average.py: the element-wise mean of the weights of checkpoints trained from the same model
(train.py's OUT/model.pt files with the same configuration), written as one checkpoint.

  average.py --out OUT.pt IN1.pt IN2.pt [...]
"""
import argparse, os, sys

import torch


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("models", nargs="+")
    a = ap.parse_args()
    cks = [torch.load(p, map_location="cpu") for p in a.models]
    base = cks[0]
    for p, ck in zip(a.models[1:], cks[1:]):
        if ck["config"] != base["config"] or ck["labels"] != base["labels"] or ck["vocab"] != base["vocab"] \
                or ck["state"].keys() != base["state"].keys():
            sys.exit(f"average: {p} is not a model of the same shape as {a.models[0]}")
    state = {}
    for k, v in base["state"].items():
        if v.is_floating_point():
            state[k] = sum(ck["state"][k].float() for ck in cks) / len(cks)
        else:
            state[k] = v
    out = dict(base)
    out["state"] = state
    out["averaged_from"] = [os.path.basename(p) for p in a.models]
    torch.save(out, a.out)
    print(f"average: wrote {a.out}, the mean of {len(cks)} models")


if __name__ == "__main__":
    main()
