# SPDX-License-Identifier: GPL-3.0-or-later
"""compare.py: hold Sichtung's token ids against llama.cpp's for one model (used by
compare-tokenizers.sh). Arguments: LLAMA_JSON LINES_PLAIN LINES_SPECIAL WHOLE_PLAIN WHOLE_SPECIAL
NAME; the four Sichtung files hold JSON arrays, one per line. Prints a summary line and the
first differences; exits 1 on any difference."""

import json
import sys


def main() -> int:
    ref_path, lp, ls, wp, ws, name = sys.argv[1:7]
    ref = json.load(open(ref_path, encoding="utf-8"))
    ours = {
        "plain": [json.loads(x) for x in open(lp, encoding="utf-8") if x.strip()],
        "special": [json.loads(x) for x in open(ls, encoding="utf-8") if x.strip()],
    }
    whole = {"plain": json.load(open(wp, encoding="utf-8")),
             "special": json.load(open(ws, encoding="utf-8"))}
    n_lines = len(ref["lines"])
    same = {"plain": 0, "special": 0}
    shown = 0
    for mode in ("plain", "special"):
        if len(ours[mode]) != n_lines:
            print(f"{name}: {mode}: {len(ours[mode])} lines from Sichtung, {n_lines} from llama.cpp")
            return 1
        for i, entry in enumerate(ref["lines"]):
            if entry[mode] == ours[mode][i]:
                same[mode] += 1
            elif shown < 5:
                shown += 1
                print(f"  {name} line {i + 1} ({mode}): {entry['text']!r}")
                print(f"    llama.cpp: {entry[mode]}")
                print(f"    Sichtung:  {ours[mode][i]}")
    whole_same = sum(ref["whole"][m] == whole[m] for m in ("plain", "special"))
    print(f"{name}: lines identical {same['plain']}/{n_lines} (plain), "
          f"{same['special']}/{n_lines} (special); whole file identical {whole_same}/2")
    ok = same["plain"] == n_lines and same["special"] == n_lines and whole_same == 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
