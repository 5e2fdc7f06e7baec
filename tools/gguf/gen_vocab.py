# SPDX-License-Identifier: GPL-3.0-or-later
"""gen_vocab.py: learn small German vocabularies for tokenizer tests and write them as GGUF.

Learns BPE on the first N sentences of the LER court-decision corpus (TIMEX3 tags stripped;
the corpus is used for training only) and builds

  spm     tokenizer.ggml.model "llama": SentencePiece-style pieces with "▁", scores,
          <unk> <s> </s>, byte tokens <0x00>…<0xFF>
  llama3  tokenizer.ggml.model "gpt2", pre "llama3": byte-level BPE with merges and
          <|begin_of_text|>, <|end_of_text|>, header and <|eot_id|> control tokens
  qwen2   the same alphabet, pre "qwen2", with <|endoftext|>, <|im_start|>, <|im_end|> and a
          user-defined <|aktenzeichen|>
  gpt2, default
          the llama3 vocabulary under pre "gpt-2" and "default"

As a script it writes vocabulary-only GGUF files (no tensors) for inspection; gen_model.py
adds random weights so llama.cpp can load them as models.

    /usr/bin/python3 tools/gguf/gen_vocab.py [--sentences N] [--size V] [OUTDIR]
"""

from __future__ import annotations

import argparse
import collections
import copy
import heapq
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gguf_writer import GGUFValueType, GGUFWriter  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_CORPUS = os.path.join(os.path.dirname(REPO), "shared", "corpora", "ler",
                              "court_sentences_timex.tsv")

TOKEN_NORMAL, TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_USER_DEFINED, TOKEN_UNUSED, TOKEN_BYTE = 1, 2, 3, 4, 5, 6

SPM_SPACE = "\u2581"


def read_corpus(path: str, n_sentences: int) -> list[str]:
    tag = re.compile(r"</?TIMEX3[^>]*>")
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t", 1)
            if len(parts) != 2:
                continue
            text = tag.sub("", parts[1]).strip()
            if text:
                out.append(text)
            if len(out) >= n_sentences:
                break
    return out


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's printable stand-ins for the 256 byte values."""
    bs = list(range(0x21, 0x7F)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


# An approximation of the llama3 split, good enough to learn merges with.
_PRE = re.compile(r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\w]?[^\W\d_]+|\d{1,3}| ?[^\s\w]+[\r\n]*|"
                  r"\s*[\r\n]+|\s+(?!\S)|\s+")


def learn_bpe(word_counts: dict[tuple, int], n_merges: int) -> list[tuple[str, str]]:
    """Classic BPE: repeatedly merge the most frequent adjacent pair (ties: smallest pair)."""
    words = [list(w) for w in word_counts]
    counts = list(word_counts.values())
    pair_count: dict[tuple, int] = collections.defaultdict(int)
    where: dict[tuple, set] = collections.defaultdict(set)
    for i, w in enumerate(words):
        for a, b in zip(w, w[1:]):
            pair_count[(a, b)] += counts[i]
            where[(a, b)].add(i)

    heap = [(-c, p) for p, c in pair_count.items()]
    heapq.heapify(heap)
    merges = []
    while len(merges) < n_merges and heap:
        neg, pair = heapq.heappop(heap)
        if pair_count.get(pair, 0) != -neg or -neg < 2:
            if pair_count.get(pair, 0) >= 2 and pair_count[pair] != -neg:
                heapq.heappush(heap, (-pair_count[pair], pair))
            continue
        merges.append(pair)
        a, b = pair
        joined = a + b
        changed = collections.defaultdict(int)
        for i in list(where[pair]):
            w = words[i]
            c = counts[i]
            j = 0
            new = []
            while j < len(w):
                if j + 1 < len(w) and w[j] == a and w[j + 1] == b:
                    new.append(joined)
                    j += 2
                else:
                    new.append(w[j])
                    j += 1
            if new == w:
                continue
            for p in zip(w, w[1:]):
                pair_count[p] -= c
                changed[p] += 0
            for p in zip(new, new[1:]):
                pair_count[p] += c
                where[p].add(i)
                changed[p] += 0
            words[i] = new
        pair_count.pop(pair, None)
        where.pop(pair, None)
        for p in changed:
            if pair_count.get(p, 0) > 0:
                heapq.heappush(heap, (-pair_count[p], p))
            else:
                pair_count.pop(p, None)
    return merges


class Vocab:
    """What the tokenizer.ggml.* keys hold."""

    def __init__(self, model: str, pre: str | None):
        self.model = model
        self.pre = pre
        self.tokens: list[str] = []
        self.scores: list[float] = []
        self.types: list[int] = []
        self.merges: list[str] = []
        self.ids: dict[str, int] = {}
        self.bos = self.eos = self.unk = self.pad = None
        self.add_bos = False
        self.add_eos = False
        self.add_space_prefix = None

    def add(self, text: str, score: float = 0.0, ttype: int = TOKEN_NORMAL) -> int:
        if text in self.ids:
            return self.ids[text]
        self.ids[text] = len(self.tokens)
        self.tokens.append(text)
        self.scores.append(score)
        self.types.append(ttype)
        return self.ids[text]

    def write_metadata(self, w: GGUFWriter) -> None:
        w.add("tokenizer.ggml.model", self.model)
        if self.pre is not None:
            w.add("tokenizer.ggml.pre", self.pre)
        w.add_array("tokenizer.ggml.tokens", self.tokens, GGUFValueType.STRING)
        w.add_array("tokenizer.ggml.scores", self.scores, GGUFValueType.FLOAT32)
        w.add_array("tokenizer.ggml.token_type", self.types, GGUFValueType.INT32)
        if self.model == "gpt2":
            w.add_array("tokenizer.ggml.merges", self.merges, GGUFValueType.STRING)
        for key, value in (("bos", self.bos), ("eos", self.eos), ("unknown", self.unk),
                           ("padding", self.pad)):
            if value is not None:
                w.add(f"tokenizer.ggml.{key}_token_id", value, GGUFValueType.UINT32)
        w.add("tokenizer.ggml.add_bos_token", self.add_bos, GGUFValueType.BOOL)
        w.add("tokenizer.ggml.add_eos_token", self.add_eos, GGUFValueType.BOOL)
        if self.add_space_prefix is not None:
            w.add("tokenizer.ggml.add_space_prefix", self.add_space_prefix, GGUFValueType.BOOL)


def build_spm(sentences: list[str], size: int) -> Vocab:
    v = Vocab("llama", None)
    v.unk = v.add("<unk>", 0.0, TOKEN_UNKNOWN)
    v.bos = v.add("<s>", 0.0, TOKEN_CONTROL)
    v.eos = v.add("</s>", 0.0, TOKEN_CONTROL)
    for b in range(256):
        v.add(f"<0x{b:02X}>", 0.0, TOKEN_BYTE)
    v.add_bos = True
    v.add_space_prefix = True

    words = collections.Counter()
    chars = collections.Counter()
    for s in sentences:
        for word in s.split(" "):
            if word:
                w = SPM_SPACE + word
                words[tuple(w)] += 1
                chars.update(w)
    # characters seen at least twice are pieces; rarer ones fall back to bytes
    alphabet = sorted((c for c, n in chars.items() if n >= 2), key=lambda c: (-chars[c], c))
    if SPM_SPACE not in alphabet:
        alphabet.insert(0, SPM_SPACE)
    n_merges = max(0, size - len(v.tokens) - len(alphabet))
    merges = learn_bpe(dict(words), n_merges)
    # earlier merges score higher, so the greedy SentencePiece loop replays them in order
    for i, (a, b) in enumerate(merges):
        v.add(a + b, float(-i))
    for i, c in enumerate(alphabet):
        v.add(c, float(-len(merges) - i))
    return v


def build_bpe(sentences: list[str], size: int, pre: str, specials: list[tuple[str, int]]) -> Vocab:
    v = Vocab("gpt2", pre)
    b2u = bytes_to_unicode()
    for b in range(256):
        v.add(b2u[b])

    words = collections.Counter()
    for s in sentences:
        for piece in _PRE.findall(s):
            words[tuple(b2u[b] for b in piece.encode("utf-8"))] += 1
    merges = learn_bpe(dict(words), max(0, size - 256 - len(specials)))
    for a, b in merges:
        v.add(a + b)
        v.merges.append(f"{a} {b}")
    for text, ttype in specials:
        v.add(text, 0.0, ttype)
    return v


def build_all(corpus: str, n_sentences: int, size: int) -> dict[str, Vocab]:
    sentences = read_corpus(corpus, n_sentences)
    out = {"spm": build_spm(sentences, size)}

    llama3 = build_bpe(sentences, size, "llama3", [
        ("<|begin_of_text|>", TOKEN_CONTROL), ("<|end_of_text|>", TOKEN_CONTROL),
        ("<|start_header_id|>", TOKEN_CONTROL), ("<|end_header_id|>", TOKEN_CONTROL),
        ("<|eot_id|>", TOKEN_CONTROL)])
    llama3.bos = llama3.ids["<|begin_of_text|>"]
    llama3.eos = llama3.ids["<|end_of_text|>"]
    llama3.add_bos = True
    out["llama3"] = llama3

    qwen2 = build_bpe(sentences, size, "qwen2", [
        ("<|endoftext|>", TOKEN_CONTROL), ("<|im_start|>", TOKEN_CONTROL),
        ("<|im_end|>", TOKEN_CONTROL), ("<|aktenzeichen|>", TOKEN_USER_DEFINED)])
    qwen2.bos = qwen2.ids["<|endoftext|>"]
    qwen2.eos = qwen2.ids["<|im_end|>"]
    qwen2.pad = qwen2.ids["<|endoftext|>"]
    qwen2.add_bos = False
    out["qwen2"] = qwen2

    for pre in ("gpt-2", "default"):
        clone = copy.deepcopy(llama3)
        clone.pre = pre
        clone.add_bos = False
        out["gpt2" if pre == "gpt-2" else "default"] = clone
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("outdir", nargs="?", default=os.path.join(REPO, "tools", "out"))
    ap.add_argument("--corpus", default=DEFAULT_CORPUS)
    ap.add_argument("--sentences", type=int, default=6000)
    ap.add_argument("--size", type=int, default=3000)
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    for name, v in build_all(args.corpus, args.sentences, args.size).items():
        w = GGUFWriter()
        w.add("general.architecture", "llama")
        w.add("general.name", f"sichtung-vocab-{name}")
        v.write_metadata(w)
        path = os.path.join(args.outdir, f"vocab-{name}.gguf")
        w.write(path)
        print(f"{path}: {len(v.tokens)} tokens, {len(v.merges)} merges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
