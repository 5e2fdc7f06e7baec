#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""export_gguf.py: write the trained model as GGUF v3, architecture `bert` with llama.cpp's tensor names,
a token-classification head cls.weight/cls.bias, labels in `sichtung.labels`, and the WordPiece vocabulary
in llama.cpp's phantom-space form ("##x" -> "x", word-initial "x" -> "\u2581x", [specials] unchanged),
as convert_hf_to_gguf.py writes BERT vocabularies. Weight matrices and embeddings are F16, norms and biases
F32 (--f32: everything F32). The label transitions of the training tags (common.label_transitions, from
--data) go into `sichtung.transitions` (weighted log-probabilities, [from][to] flattened) and
`sichtung.transitions.start`; the C tagger adds them when decoding, as evaluate.py does.
--verify reads the file back, rebuilds the torch model from it and compares logits with the checkpoint.
--golden FILE writes the reference for tests/test-ner.c: German sentences, their words and WordPiece ids,
and the logits of the model rebuilt from the GGUF file at every position. --no-export skips writing the
GGUF (--verify and --golden then read the existing --out file; --golden needs no checkpoint).

  export_gguf.py --model OUT/model.pt --out OUT/sichtung-ner.gguf [--f32] [--verify] [--golden FILE]
  export_gguf.py --no-export --out data/models/sichtung-ner.gguf --golden tests/data/ner-golden.json
"""
import argparse, hashlib, json, os, struct, sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "gguf"))
from gguf_writer import GGUFWriter, GGUFValueType as VT, GGMLType
from model import Bert, Config
from tokenizer import SPECIALS, PAD, UNK, CLS, SEP, MASK, WordPiece, basic_split
from common import label_transitions, encode_words
import gazfeat

U32 = VT.UINT32


def tensor_map(c):
    m = {"token_embd.weight": "tok.weight", "position_embd.weight": "pos.weight",
         "token_types.weight": "typ.weight", "token_embd_norm.weight": "emb_ln.weight",
         "token_embd_norm.bias": "emb_ln.bias", "cls.weight": "cls.weight", "cls.bias": "cls.bias"}
    for i in range(c["layers"]):
        for g, t in [("attn_q", "q"), ("attn_k", "k"), ("attn_v", "v"), ("attn_output", "o"),
                     ("attn_output_norm", "ln1"), ("ffn_up", "up"), ("ffn_down", "down"),
                     ("layer_output_norm", "ln2")]:
            for s in ("weight", "bias"):
                m[f"blk.{i}.{g}.{s}"] = f"blocks.{i}.{t}.{s}"
    if c.get("gaz_ids"):
        m["gazetteer_embd.weight"] = "gaz.weight"
    return m


def phantom(tok):
    if tok in SPECIALS:
        return tok
    return tok[2:] if tok.startswith("##") else "\u2581" + tok


def unphantom(tok):
    if tok in SPECIALS:
        return tok
    return tok[1:] if tok.startswith("\u2581") else "##" + tok


def export(ck, path, f16=True, transitions=None):
    c, vocab, labels = ck["config"], ck["vocab"], ck["labels"]
    w = GGUFWriter()
    w.add("general.architecture", "bert")
    w.add("general.name", "sichtung-ner")
    w.add("general.license", "CC-BY-SA-4.0")
    w.add("general.source.url", "LER (Leitner et al. 2019), GermEval 2014 (Benikova et al. 2014)")
    w.add("bert.context_length", c["max_pos"], U32)
    w.add("bert.embedding_length", c["hidden"], U32)
    w.add("bert.block_count", c["layers"], U32)
    w.add("bert.feed_forward_length", c["ffn"], U32)
    w.add("bert.attention.head_count", c["heads"], U32)
    w.add("bert.attention.layer_norm_epsilon", float(c["eps"]), VT.FLOAT32)
    w.add("bert.attention.causal", False)
    w.add("bert.pooling_type", 0, U32)  # none: per-token outputs
    w.add("tokenizer.ggml.model", "bert")
    w.add("tokenizer.ggml.pre", "default")
    w.add_array("tokenizer.ggml.tokens", [phantom(t) for t in vocab], VT.STRING)
    w.add_array("tokenizer.ggml.token_type", [3 if t in SPECIALS else 1 for t in vocab], VT.INT32)
    w.add("tokenizer.ggml.token_type_count", c["type_vocab"], U32)
    for k, v in [("padding", PAD), ("unknown", UNK), ("cls", CLS), ("seperator", SEP), ("mask", MASK)]:
        w.add(f"tokenizer.ggml.{k}_token_id", v, U32)
    w.add("tokenizer.ggml.add_bos_token", True)  # [CLS] ... [SEP]
    w.add("tokenizer.ggml.add_eos_token", True)
    w.add("sichtung.tokenizer.cased", True)
    w.add_array("sichtung.labels", list(labels), VT.STRING)
    w.add("sichtung.label_scheme", "IOB2; label of a word on its first sub-token")
    if transitions is not None:
        trans, start = transitions
        w.add_array("sichtung.transitions", [x for row in trans for x in row], VT.FLOAT32)
        w.add_array("sichtung.transitions.start", start, VT.FLOAT32)
    if c.get("gaz_ids"):
        # the lists of the gazetteer-match features (gazfeat.py), sorted for the C tagger's
        # binary search (code-point order is UTF-8 byte order)
        lists = gazfeat.load_lists()
        assert gazfeat.n_ids(len(lists)) == c["gaz_ids"]
        w.add_array("sichtung.gazetteer.lists", list(lists), VT.STRING)
        w.add("sichtung.gazetteer.max_words", gazfeat.MAX_WORDS, U32)
        for name, entries in lists.items():
            w.add_array(f"sichtung.gazetteer.{name}", sorted(entries), VT.STRING)
    st = ck["state"]
    for gname, tname in tensor_map(c).items():
        a = st[tname].detach().float().numpy()
        # matrices and embeddings as halves; norms and biases (vectors) stay F32
        ty = GGMLType.F16 if f16 and a.ndim == 2 else GGMLType.F32
        w.add_tensor(gname, a, a.shape, ty)
    w.write(path)


# ---- a minimal reader for --verify ----
def read_gguf(path):
    b = open(path, "rb").read()
    off = 0
    def rd(fmt):
        nonlocal off
        v = struct.unpack_from(fmt, b, off)
        off += struct.calcsize(fmt)
        return v[0] if len(v) == 1 else v
    def rstr():
        nonlocal off
        n = rd("<Q"); s = b[off:off + n].decode("utf-8"); off += n; return s
    SC = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}
    def rval(t):
        if t == 8:
            return rstr()
        if t == 9:
            et, n = rd("<I"), rd("<Q")
            return [rval(et) for _ in range(n)]
        return rd(SC[t])
    assert b[:4] == b"GGUF"
    off = 4
    ver, nt, nkv = rd("<I"), rd("<Q"), rd("<Q")
    kv = {}
    for _ in range(nkv):
        k = rstr(); kv[k] = rval(rd("<I"))
    infos = []
    for _ in range(nt):
        name = rstr(); nd = rd("<I"); ne = [rd("<Q") for _ in range(nd)]; ty = rd("<I"); o = rd("<Q")
        infos.append((name, ne, ty, o))
    align = kv.get("general.alignment", 32)
    base = (off + align - 1) // align * align
    tensors, types = {}, {}
    for name, ne, ty, o in infos:
        assert ty in (0, 1), (name, ty)
        n = int(np.prod(ne))
        a = np.frombuffer(b, dtype="<f4" if ty == 0 else "<f2", count=n, offset=base + o)
        tensors[name] = a.astype(np.float32).reshape(list(reversed(ne)))
        types[name] = ty
    return ver, kv, tensors, types


def config_from_gguf(kv, tensors):
    return dict(vocab_size=tensors["token_embd.weight"].shape[0], hidden=kv["bert.embedding_length"],
                layers=kv["bert.block_count"], heads=kv["bert.attention.head_count"],
                ffn=kv["bert.feed_forward_length"], max_pos=kv["bert.context_length"],
                type_vocab=tensors["token_types.weight"].shape[0],
                eps=kv["bert.attention.layer_norm_epsilon"], n_labels=len(kv["sichtung.labels"]),
                gaz_ids=tensors["gazetteer_embd.weight"].shape[0] if "gazetteer_embd.weight" in tensors else 0)


def model_from_gguf(c, tensors, base_state=None):
    """The torch model with the GGUF's weights (the MLM head, not exported, from @base_state)."""
    model = Bert(Config(**c))
    st = model.state_dict()
    if base_state is not None:
        st.update(base_state)
    for g, t in tensor_map(c).items():
        st[t] = torch.from_numpy(tensors[g].copy())
    model.load_state_dict(st)
    model.eval()
    return model


def verify(ck, path):
    ver, kv, tensors, types = read_gguf(path)
    assert ver == 3 and kv["general.architecture"] == "bert"
    c = dict(ck["config"])
    assert kv["bert.block_count"] == c["layers"] and kv["bert.embedding_length"] == c["hidden"]
    assert kv["sichtung.labels"] == ck["labels"]
    toks = kv["tokenizer.ggml.tokens"]
    assert len(toks) == c["vocab_size"] == tensors["token_embd.weight"].shape[0]
    assert [unphantom(t) for t in toks] == list(ck["vocab"])
    ref = Bert(Config(**c))
    ref.load_state_dict(ck["state"])
    ref.eval()
    model = model_from_gguf(c, tensors, ref.state_dict())
    ids = torch.randint(5, c["vocab_size"], (2, 17)); ids[:, 0] = CLS; ids[:, -1] = SEP
    mask = torch.ones_like(ids)
    gaz = torch.randint(0, c["gaz_ids"], ids.shape) if c.get("gaz_ids") else None
    with torch.no_grad():
        want = ref.token_logits(ids, mask, gaz)
        d = (model.token_logits(ids, mask, gaz) - want).abs().max().item()
        scale = want.abs().max().item()
    f16 = GGMLType.F16 in types.values()
    # F32 reproduces the checkpoint exactly; halves round each weight by at most 2^-11 relative
    limit = 0.0 if not f16 else 0.02 * max(1.0, scale)
    assert d <= limit, (d, limit)
    print(f"export_gguf: verify ok: GGUF v{ver}, {len(kv)} keys, {len(tensors)} tensors, "
          f"{len(toks)} tokens, {len(kv['sichtung.labels'])} labels; {'F16' if f16 else 'F32'} weights, "
          f"logits max |diff| {d:.2e} (logit scale {scale:.2f})")


# ---- the golden file of tests/test-ner.c ----
GOLDEN_SENTENCES = [
    "Der Kläger, Herr Jürgen Weiß aus München, verlangt von der Müller GmbH 1.250,00 € gemäß § 433 Abs. 2 BGB.",
    "Das Bundesverwaltungsgericht hat am 12. März 2018 (Az. 3 C 19.15) entschieden, dass die Straße "
    "„Am Großen Graben“ in Düsseldorf gesperrt bleibt.",
    "Frau Dr. Özlem Şahin-Größer wohnt in der Schloßstraße 7a, 10115 Berlin; Tel.: +49 (30) 123-456.",
    "Nach Art. 3 Abs. 1 GG i.V.m. §§ 1, 2 VwVfG und der Verordnung (EU) 2016/679 ist dies unzulässig!",
]
# Pre-split corpus words as a CoNLL file has them (encode_word: basic split inside the word, [UNK] if empty).
GOLDEN_WORDS = ["z.B.", "Straße", "§§", "1.250,00", "GmbH-Geschäftsführer", "\u00ad", "Ärzte­kammer",
                "Zoë", "e\u0301", "ﬁnal", "Ⅻ", "𝔘nicode", "x" * 101]


def _long_text():
    # more words than one window holds, so that the tagger needs several
    parts = []
    i = 0
    while len(" ".join(parts).split()) < 300:
        parts.append(GOLDEN_SENTENCES[i % len(GOLDEN_SENTENCES)])
        i += 1
    return " ".join(parts)


def golden(path, out):
    ver, kv, tensors, _ = read_gguf(path)
    c = config_from_gguf(kv, tensors)
    labels = kv["sichtung.labels"]
    wp = WordPiece([unphantom(t) for t in kv["tokenizer.ggml.tokens"]])
    model = model_from_gguf(c, tensors)
    matcher = None
    if c["gaz_ids"]:
        names = kv["sichtung.gazetteer.lists"]
        matcher = gazfeat.Matcher({n: kv[f"sichtung.gazetteer.{n}"] for n in names})
    res = {"model_sha256": hashlib.sha256(open(path, "rb").read()).hexdigest(),
           "labels": labels, "max_pos": c["max_pos"], "sentences": [], "words": [], "long": {}}
    for text in GOLDEN_SENTENCES:
        words = basic_split(text)
        wf = matcher.word_features(words) if matcher else [0] * len(words)
        ids, _, _, feats = encode_words(wp, words, None, c["max_pos"], wf)
        assert ids == [CLS] + wp.encode(text) + [SEP]
        with torch.no_grad():
            logits = model.token_logits(torch.tensor([ids]), torch.ones(1, len(ids), dtype=torch.long),
                                        torch.tensor([feats]) if matcher else None)[0]
        first, n = [], 1
        for w in words:
            first.append(n)
            n += len(wp.encode_word(w))
        res["sentences"].append({"text": text, "words": words, "ids": ids, "first": first,
                                 "word_features": wf, "features": feats,
                                 "logits": [[round(float(x), 6) for x in row] for row in logits]})
    res["words"] = [{"word": w, "ids": wp.encode_word(w)} for w in GOLDEN_WORDS]
    text = _long_text()
    res["long"] = {"text": text, "words": basic_split(text), "ids": wp.encode(text)}
    with open(out, "w", encoding="utf-8") as f:
        json.dump(res, f, ensure_ascii=False, indent=None, separators=(",", ":"))
        f.write("\n")
    print(f"export_gguf: wrote {out} ({len(GOLDEN_SENTENCES)} sentences, {len(GOLDEN_WORDS)} words, "
          f"long text of {len(res['long']['ids'])} pieces)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="tools/out/train/model.pt")
    ap.add_argument("--out", default="tools/out/train/sichtung-ner.gguf")
    ap.add_argument("--verify", action="store_true")
    ap.add_argument("--f32", action="store_true", help="all tensors F32 (default: matrices F16)")
    ap.add_argument("--golden", metavar="FILE", help="write the golden file of tests/test-ner.c")
    ap.add_argument("--no-export", action="store_true", help="use the existing --out file")
    ap.add_argument("--data", default="tools/out/train",
                    help="the splits whose training tags give the label transitions")
    ap.add_argument("--no-transitions", action="store_true", help="no sichtung.transitions")
    a = ap.parse_args()
    ck = None
    if not a.no_export or a.verify:
        ck = torch.load(a.model, map_location="cpu")
    if not a.no_export:
        export(ck, a.out, f16=not a.f32,
               transitions=None if a.no_transitions else label_transitions(a.data))
        print(f"export_gguf: wrote {a.out} ({os.path.getsize(a.out) / 1e6:.1f} MB)")
    if a.verify:
        verify(ck, a.out)
    if a.golden:
        golden(a.out, a.golden)


if __name__ == "__main__":
    main()
