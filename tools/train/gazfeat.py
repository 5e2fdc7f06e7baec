# SPDX-License-Identifier: GPL-3.0-or-later
"""gazfeat.py: gazetteer-match features of the findings model. Each word gets one of 2^(lists+1)
feature ids: bit k set when the word lies inside a match of list k (longest match over the words'
basic tokens, as tokenizer.basic_split splits them), the top bit when a match starts at the word.
The model adds a learnt vector per feature id to the word's piece embeddings. The lists travel in
the GGUF (`sichtung.gazetteer.*`), so the C tagger (core/sc-ner.c) matches exactly these entries.
"""
import os, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tokenizer import basic_split

CORPORA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                        "shared", "corpora"))
# name, source list(s) in ler/gazetteers
LISTS = [
    ("surname", ["personennamen.list"]),
    ("city", ["stadtnamen.list"]),
    ("country", ["laendernamen.list"]),
    ("street", ["strassennamen.list"]),
    ("company", ["firmennamen.list"]),
    ("landscape", ["landschaftsbezeichnungen.list"]),
]
MAX_WORDS = 8  # longest entry, in basic tokens, that is matched


def n_ids(n_lists=len(LISTS)):
    return 1 << (n_lists + 1)


def load_lists(corpora=CORPORA):
    """{name: sorted entries}, each entry its basic tokens joined by single spaces."""
    out = {}
    for name, files in LISTS:
        entries = set()
        for fn in files:
            with open(os.path.join(corpora, "ler", "gazetteers", fn), encoding="utf-8") as f:
                for line in f:
                    toks = basic_split(line.strip())
                    # an entry must contain a capital letter (no lower-case words, no bare numbers)
                    if toks and len(toks) <= MAX_WORDS and any(c.isupper() for c in "".join(toks)):
                        entries.add(" ".join(toks))
        out[name] = sorted(entries)
    return out


class Matcher:
    def __init__(self, lists):
        self.names = list(lists)
        self.sets = [set(lists[n]) for n in self.names]

    def word_features(self, words):
        """Feature id of every word of one sentence."""
        stream, owner = [], []
        for w, word in enumerate(words):
            for t in basic_split(word):
                stream.append(t)
                owner.append(w)
        feats = [0] * len(words)
        start_bit = 1 << len(self.names)
        for k, s in enumerate(self.sets):
            i = 0
            while i < len(stream):
                best = 0
                key = stream[i]
                for n in range(1, min(MAX_WORDS, len(stream) - i) + 1):
                    if n > 1:
                        key = key + " " + stream[i + n - 1]
                    if key in s:
                        best = n
                if best:
                    feats[owner[i]] |= start_bit
                    for j in range(i, i + best):
                        feats[owner[j]] |= 1 << k
                    i += best
                else:
                    i += 1
        return feats


def piece_features(word_feats, n_pieces):
    """Per piece of [CLS] words [SEP] (n_pieces[w] pieces per word): the word's feature id, 0 for
    [CLS] and [SEP]."""
    out = [0]
    for f, n in zip(word_feats, n_pieces):
        out += [f] * n
    return out + [0]
