#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""export_gguf.py: write the trained model as GGUF v3, architecture `bert` with llama.cpp's tensor names,
a token-classification head cls.weight/cls.bias, labels in `sichtung.labels`, and the WordPiece vocabulary
in llama.cpp's phantom-space form ("##x" -> "x", word-initial "x" -> "\u2581x", [specials] unchanged),
as convert_hf_to_gguf.py writes BERT vocabularies. All tensors F32.
--verify reads the file back, rebuilds the torch model from it and compares logits with the checkpoint.

  export_gguf.py --model OUT/model.pt --out OUT/sichtung-ner.gguf [--verify]
"""
import argparse, os, struct, sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "gguf"))
from gguf_writer import GGUFWriter, GGUFValueType as VT, GGMLType
from model import Bert, Config
from tokenizer import SPECIALS, PAD, UNK, CLS, SEP, MASK

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
    return m


def phantom(tok):
    if tok in SPECIALS:
        return tok
    return tok[2:] if tok.startswith("##") else "\u2581" + tok


def export(ck, path):
    c, vocab, labels = ck["config"], ck["vocab"], ck["labels"]
    w = GGUFWriter()
    w.add("general.architecture", "bert")
    w.add("general.name", "sichtung-ner")
    w.add("general.license", "CC-BY-4.0")
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
    st = ck["state"]
    for gname, tname in tensor_map(c).items():
        a = st[tname].detach().float().numpy()
        w.add_tensor(gname, a, a.shape, GGMLType.F32)
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
    tensors = {}
    for name, ne, ty, o in infos:
        assert ty == 0
        n = int(np.prod(ne))
        tensors[name] = np.frombuffer(b, dtype="<f4", count=n, offset=base + o).reshape(list(reversed(ne)))
    return ver, kv, tensors


def verify(ck, path):
    ver, kv, tensors = read_gguf(path)
    assert ver == 3 and kv["general.architecture"] == "bert"
    c = dict(ck["config"])
    assert kv["bert.block_count"] == c["layers"] and kv["bert.embedding_length"] == c["hidden"]
    assert kv["sichtung.labels"] == ck["labels"]
    toks = kv["tokenizer.ggml.tokens"]
    assert len(toks) == c["vocab_size"] == tensors["token_embd.weight"].shape[0]
    model = Bert(Config(**c))
    ref = Bert(Config(**c))
    ref.load_state_dict(ck["state"])
    st = model.state_dict()
    st.update(ref.state_dict())  # MLM head is not exported; take it from the checkpoint
    for g, t in tensor_map(c).items():
        st[t] = torch.from_numpy(tensors[g].copy())
    model.load_state_dict(st)
    model.eval(); ref.eval()
    ids = torch.randint(5, c["vocab_size"], (2, 17)); ids[:, 0] = CLS; ids[:, -1] = SEP
    mask = torch.ones_like(ids)
    with torch.no_grad():
        d = (model.token_logits(ids, mask) - ref.token_logits(ids, mask)).abs().max().item()
    assert d == 0.0, d
    print(f"export_gguf: verify ok: GGUF v{ver}, {len(kv)} keys, {len(tensors)} tensors, "
          f"{len(toks)} tokens, {len(kv['sichtung.labels'])} labels; logits identical (max |diff| {d})")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="tools/out/train/model.pt")
    ap.add_argument("--out", default="tools/out/train/sichtung-ner.gguf")
    ap.add_argument("--verify", action="store_true")
    a = ap.parse_args()
    ck = torch.load(a.model, map_location="cpu")
    export(ck, a.out)
    print(f"export_gguf: wrote {a.out} ({os.path.getsize(a.out) / 1e6:.1f} MB)")
    if a.verify:
        verify(ck, a.out)


if __name__ == "__main__":
    main()
