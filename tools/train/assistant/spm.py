#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""spm.py: a SentencePiece-style ("llama" in GGUF terms) vocabulary and its encoder.

The vocabulary: <unk> <s> </s> <|im_start|> <|im_end|>, the 256 byte tokens <0x00>..<0xFF>, every
character seen in the training text, then pieces learned by BPE on pre-tokens of the form
"▁?word-characters" (a space is "▁"). A learned piece's score is minus its merge rank, so the
SPM algorithm (start from characters, repeatedly merge the adjacent pair whose concatenation is
in the vocabulary with the best score, leftmost on ties, unknown characters as UTF-8 bytes)
reaches it. This is llama.cpp's llm_tokenizer_spm, which core/sc-tokenizer.c follows.

Every multi-character piece matches ^▁?\\w+$, so no merge reaches across a chunk
"▁?\\w+ | any other character": the encoder works chunk by chunk with a cache, and gives the
same ids as the real tokenizer (checked against `sichtung-cli tokenize` by verify()).
add_space_prefix is off: the text is encoded as written.
"""
import collections
import heapq
import json
import re
import subprocess

SPECIALS = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"]
UNK, BOS, EOS_S, IM_START, IM_END = range(5)
N_BYTES = 256
CHUNK = re.compile(r"▁?\w+|.", re.S)
SPECIAL_SPLIT = re.compile(r"(<\|im_start\|>|<\|im_end\|>|<s>|</s>|<unk>)")


def learn(texts_with_weight, n_merges, min_char_count=2):
    """texts_with_weight: [(text, weight)]. Returns (chars, pieces), pieces in merge order."""
    counts = collections.Counter()
    for text, w in texts_with_weight:
        for chunk in CHUNK.findall(text.replace(" ", "▁")):
            counts[chunk] += w
    chars = collections.Counter()
    for chunk, n in counts.items():
        for c in chunk:
            chars[c] += n
    char_list = sorted(c for c, n in chars.items() if n >= min_char_count or c == "▁")
    char_set = set(char_list)

    words = [[list(chunk), n] for chunk, n in counts.items()
             if len(chunk) > 1 and all(c in char_set for c in chunk)]
    pair_count = collections.Counter()
    where = collections.defaultdict(set)
    for wi, (syms, n) in enumerate(words):
        for a, b in zip(syms, syms[1:]):
            pair_count[(a, b)] += n
            where[(a, b)].add(wi)
    heap = [(-n, p) for p, n in pair_count.items()]
    heapq.heapify(heap)
    pieces, piece_set = [], set(char_list)

    while len(pieces) < n_merges and heap:
        negn, pair = heapq.heappop(heap)
        if pair_count.get(pair, 0) != -negn:
            continue
        if -negn < 2:
            break
        a, b = pair
        new = a + b
        if new not in piece_set:
            pieces.append(new)
            piece_set.add(new)
        changed = collections.Counter()
        for wi in list(where[pair]):
            syms, n = words[wi]
            i, out = 0, []
            touched = False
            while i < len(syms):
                if i + 1 < len(syms) and syms[i] == a and syms[i + 1] == b:
                    out.append(new)
                    i += 2
                    touched = True
                else:
                    out.append(syms[i])
                    i += 1
            if not touched:
                continue
            for p, q in zip(syms, syms[1:]):
                pair_count[(p, q)] -= n
                changed[(p, q)] += 0
            for p, q in zip(out, out[1:]):
                pair_count[(p, q)] += n
                where[(p, q)].add(wi)
                changed[(p, q)] += 0
            words[wi][0] = out
        pair_count.pop(pair, None)
        for p in changed:
            c = pair_count.get(p, 0)
            if c > 0:
                heapq.heappush(heap, (-c, p))
    return char_list, pieces


class Vocab:
    def __init__(self, tokens, scores):
        self.tokens = tokens
        self.scores = scores
        self.id = {t: i for i, t in enumerate(tokens)}
        self.cache = {}

    @classmethod
    def build(cls, chars, pieces):
        tokens = list(SPECIALS) + ["<0x%02X>" % b for b in range(N_BYTES)]
        scores = [0.0] * len(tokens)
        for c in chars:
            tokens.append(c)
            scores.append(0.0)
        for rank, p in enumerate(pieces):
            tokens.append(p)
            scores.append(-float(rank + 1))
        return cls(tokens, scores)

    def types(self):
        """GGUF token types: 2 unknown, 3 control, 6 byte, 1 normal."""
        out = []
        for i in range(len(self.tokens)):
            if i == UNK:
                out.append(2)
            elif i < len(SPECIALS):
                out.append(3)
            elif i < len(SPECIALS) + N_BYTES:
                out.append(6)
            else:
                out.append(1)
        return out

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"tokens": self.tokens, "scores": self.scores}, f, ensure_ascii=False)

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            d = json.load(f)
        return cls(d["tokens"], d["scores"])

    def _spm(self, chunk):
        syms = list(chunk)
        while len(syms) > 1:
            best, best_i = None, -1
            for i in range(len(syms) - 1):
                t = self.id.get(syms[i] + syms[i + 1])
                if t is not None and (best is None or self.scores[t] > best):
                    best, best_i = self.scores[t], i
            if best_i < 0:
                break
            syms[best_i:best_i + 2] = [syms[best_i] + syms[best_i + 1]]
        out = []
        for s in syms:
            t = self.id.get(s)
            if t is not None:
                out.append(t)
            else:
                out.extend(len(SPECIALS) + b for b in s.encode("utf-8"))
        return out

    def encode(self, text, bos=False):
        """Ids of @text, special-token texts recognised (parse_special), no space prefix."""
        ids = [BOS] if bos else []
        for frag in SPECIAL_SPLIT.split(text):
            if not frag:
                continue
            if frag in self.id and self.id[frag] < len(SPECIALS):
                ids.append(self.id[frag])
                continue
            for chunk in CHUNK.findall(frag.replace(" ", "▁")):
                got = self.cache.get(chunk)
                if got is None:
                    got = self._spm(chunk)
                    self.cache[chunk] = got
                ids.extend(got)
        return ids

    def decode(self, ids):
        out = bytearray()
        for i in ids:
            t = self.tokens[i]
            if len(SPECIALS) <= i < len(SPECIALS) + N_BYTES:
                out.append(i - len(SPECIALS))
            elif i >= len(SPECIALS):
                out += t.replace("▁", " ").encode("utf-8")
        return out.decode("utf-8", errors="replace")


def add_to_gguf(w, vocab, vt):
    """Tokenizer metadata for gguf_writer.GGUFWriter @w (@vt: its GGUFValueType)."""
    w.add("tokenizer.ggml.model", "llama")
    w.add("tokenizer.ggml.pre", "default")
    w.add_array("tokenizer.ggml.tokens", vocab.tokens, vt.STRING)
    w.add_array("tokenizer.ggml.scores", vocab.scores, vt.FLOAT32)
    w.add_array("tokenizer.ggml.token_type", vocab.types(), vt.INT32)
    w.add("tokenizer.ggml.bos_token_id", BOS, vt.UINT32)
    w.add("tokenizer.ggml.eos_token_id", IM_END, vt.UINT32)
    w.add("tokenizer.ggml.unknown_token_id", UNK, vt.UINT32)
    w.add("tokenizer.ggml.add_bos_token", True)
    w.add("tokenizer.ggml.add_eos_token", False)
    w.add("tokenizer.ggml.add_space_prefix", False)


def verify(vocab, cli, model_path, texts, tmp_path):
    """Encodes @texts with `sichtung-cli tokenize --lines` and compares; returns (n, n_equal,
    first mismatch). Texts are one line each, so newlines are checked through whole prompts
    separately by the caller."""
    with open(tmp_path, "w", encoding="utf-8") as f:
        for t in texts:
            f.write(t + "\n")
    out = subprocess.run([cli, "tokenize", "--model", model_path, "--lines", tmp_path,
                          "--special"], check=True, capture_output=True, text=True).stdout
    got = [json.loads(line) for line in out.splitlines() if line.strip()]
    n_eq, first = 0, None
    for t, g in zip(texts, got):
        g = g["ids"] if isinstance(g, dict) else g
        mine = vocab.encode(t)
        if mine == g:
            n_eq += 1
        elif first is None:
            first = (t, mine, g)
    return len(got), n_eq, first
