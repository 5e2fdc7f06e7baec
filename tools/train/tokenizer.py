#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tokenizer.py: a cased WordPiece vocabulary learned on the training text only, and its encoder.

Pre-tokenisation as BERT's BasicTokenizer without lower-casing/accent stripping: split on whitespace,
every punctuation character (Unicode P*, and ASCII symbols) is a word of its own. Vocabulary learning
starts from all characters of the training words (word-initial form "x", continuation "##x") and merges
the most frequent adjacent pair (BPE-style counts, exact via a lazy max-heap) until the vocabulary size is
reached. Encoding is WordPiece's greedy longest-match-first, as in BERT and llama.cpp.
Special tokens: [PAD]=0 [UNK]=1 [CLS]=2 [SEP]=3 [MASK]=4.

  tokenizer.py DATA_DIR VOCAB_OUT [--vocab-size N]   learns from DATA_DIR/{mlm,ler,germeval}_train.jsonl
"""
import argparse, collections, heapq, json, os, sys, unicodedata

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
PAD, UNK, CLS, SEP, MASK = range(5)
MAX_CHARS_PER_WORD = 100


def is_punct(ch):
    cp = ord(ch)
    if 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126:
        return True
    return unicodedata.category(ch).startswith("P")


def basic_split(text):
    """Whitespace, then every punctuation character on its own. NFC, cased."""
    out = []
    for w in unicodedata.normalize("NFC", text).split():
        cur = []
        for ch in w:
            if is_punct(ch):
                if cur:
                    out.append("".join(cur))
                    cur = []
                out.append(ch)
            elif unicodedata.category(ch) in ("Cc", "Cf"):
                continue
            else:
                cur.append(ch)
        if cur:
            out.append("".join(cur))
    return out


def learn(word_counts, vocab_size, min_freq=2):
    """word_counts: {word: count}. Returns a list of tokens (specials first)."""
    words = [(list(w[:1]) + ["##" + c for c in w[1:]], n) for w, n in word_counts.items()
             if len(w) <= MAX_CHARS_PER_WORD]
    alphabet = collections.Counter()
    for syms, n in words:
        for s in syms:
            alphabet[s] += n
    vocab = list(SPECIALS) + sorted(s for s, n in alphabet.items() if n >= 1)
    vocab_set = set(vocab)
    pair_count = collections.Counter()
    where = collections.defaultdict(set)
    for i, (syms, n) in enumerate(words):
        for a, b in zip(syms, syms[1:]):
            pair_count[(a, b)] += n
            where[(a, b)].add(i)
    heap = [(-c, p) for p, c in pair_count.items()]
    heapq.heapify(heap)
    while len(vocab) < vocab_size and heap:
        negc, pair = heapq.heappop(heap)
        c = pair_count.get(pair, 0)
        if c != -negc:
            if c > 0:
                heapq.heappush(heap, (-c, pair))
            continue
        if c < min_freq:
            break
        a, b = pair
        new = a + (b[2:] if b.startswith("##") else b)
        if new not in vocab_set:
            vocab.append(new)
            vocab_set.add(new)
        touched = set()
        for i in list(where.get(pair, ())):
            syms, n = words[i]
            for x, y in zip(syms, syms[1:]):
                pair_count[(x, y)] -= n
                if pair_count[(x, y)] <= 0:
                    del pair_count[(x, y)]
                where[(x, y)].discard(i)
            j, merged = 0, []
            while j < len(syms):
                if j + 1 < len(syms) and syms[j] == a and syms[j + 1] == b:
                    merged.append(new)
                    j += 2
                else:
                    merged.append(syms[j])
                    j += 1
            words[i] = (merged, n)
            for x, y in zip(merged, merged[1:]):
                pair_count[(x, y)] += n
                where[(x, y)].add(i)
                touched.add((x, y))
        where.pop(pair, None)
        for p in touched:
            if p in pair_count:
                heapq.heappush(heap, (-pair_count[p], p))
    return vocab


class WordPiece:
    def __init__(self, tokens):
        self.tokens = list(tokens)
        self.ids = {t: i for i, t in enumerate(self.tokens)}
        self.cache = {}

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls([line.rstrip("\n") for line in f])

    def __len__(self):
        return len(self.tokens)

    def _piece(self, word):
        if word in self.cache:
            return self.cache[word]
        if len(word) > MAX_CHARS_PER_WORD:
            return [UNK]
        out, start = [], 0
        while start < len(word):
            end, cur = len(word), None
            while start < end:
                sub = word[start:end] if start == 0 else "##" + word[start:end]
                if sub in self.ids:
                    cur = self.ids[sub]
                    break
                end -= 1
            if cur is None:
                out = [UNK]
                break
            out.append(cur)
            start = end
        self.cache[word] = out
        return out

    def encode_word(self, word):
        """Ids of one pre-tokenised corpus word (may contain punctuation: split as BERT would)."""
        ids = []
        for w in basic_split(word):
            ids.extend(self._piece(w))
        return ids or [UNK]

    def encode(self, text):
        ids = []
        for w in basic_split(text):
            ids.extend(self._piece(w))
        return ids

    def decode(self, ids):
        s = ""
        for i in ids:
            t = self.tokens[i]
            s += t[2:] if t.startswith("##") else (" " + t if s else t)
        return s


def training_texts(data_dir):
    for name in ("mlm_train", "ler_train", "germeval_train"):
        with open(os.path.join(data_dir, name + ".jsonl"), encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                yield r["text"] if "text" in r else " ".join(r["tokens"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data_dir")
    ap.add_argument("vocab_out")
    ap.add_argument("--vocab-size", type=int, default=16000)
    a = ap.parse_args()
    wc = collections.Counter()
    for t in training_texts(a.data_dir):
        wc.update(basic_split(t))
    vocab = learn(wc, a.vocab_size)
    with open(a.vocab_out, "w", encoding="utf-8") as f:
        for t in vocab:
            f.write(t + "\n")
    wp = WordPiece(vocab)
    n_words = sum(wc.values())
    n_pieces = sum(len(wp._piece(w)) * n for w, n in wc.items())
    n_unk = sum(n for w, n in wc.items() if wp._piece(w) == [UNK])
    print(f"tokenizer: {len(vocab)} tokens from {len(wc)} word types / {n_words} words; "
          f"{n_pieces / n_words:.3f} pieces per word, {n_unk} UNK words")
    print("tokenizer: example:", [wp.tokens[i] for i in wp.encode("Das Bundesverwaltungsgericht hat am 12. März 2018 entschieden (§ 114 Abs. 1 ZPO).")])


if __name__ == "__main__":
    main()
