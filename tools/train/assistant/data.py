#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""data.py: the synthetic extractive-question task of the assistant benchmark model.

Sentences come from the LER court decisions (court_sentences_timex.tsv, TIMEX3 tags stripped,
tokenised punctuation rejoined). They are split into training and validation parts by sentence
text: the distinct texts, sorted, are shuffled with random.Random(SPLIT_SEED) and the last
VAL_FRACTION go to validation, so a sentence that occurs twice never sits on both sides.

An example is a set of 3-5 passages (one or two consecutive sentences of one court, 15-35
words), each standing for one text document named "Auszug-<k>.txt", and a question that quotes
2-4 consecutive words of one passage (the gold passage):

    Wie geht die Stelle „der Beklagte hat“ in den Auszügen weiter? Zitiere sie mit den drei
    folgenden Wörtern.

The answer quotes the passage from there on, with the next 2-4 words (the count is named in the
question; trailing punctuation of the last word dropped), and cites the gold passage by the
number the prompt gives it:

    „der Beklagte hat die Kosten des“ [1].

Every word of such an answer is a copy of what follows the previous word where it occurs
earlier in the prompt. make_example(quoting=False) gives the older form, "Welche drei Wörter
folgen in den Auszügen auf „der Beklagte hat“?" answered by "die Kosten des [1].".

Prompts are rendered exactly as core/sc-assistant.c builds them for a question (system prompt,
"Auszüge aus der Akte:", passage blocks "[n] (title, Seite 1): text", "Frage: …") in ChatML
(core/sc-chat.c). The passages are numbered in the order `sichtung-cli ask` shows them:
the BM25 matches of the question first (sc_passages_rank(), simulated here with SQLite FTS5 and
the same query building), then the others in reading order.
"""
import random
import re
import sqlite3

SPLIT_SEED = 20240
VAL_FRACTION = 0.10
MIN_WORDS, MAX_WORDS = 15, 35
NUMBER_WORDS = {2: "zwei", 3: "drei", 4: "vier", 5: "fünf", 6: "sechs", 7: "sieben", 8: "acht",
                9: "neun", 10: "zehn"}

# core/sc-assistant.c: system_prompt
SYSTEM_PROMPT = (
    "Du bist ein sorgfältiger Assistent in einer deutschen Behörde. Du arbeitest nur mit den "
    "nummerierten Auszügen aus der Akte, die dir gegeben werden. Belege jede Aussage mit der "
    "Nummer des Auszugs in eckigen Klammern, zum Beispiel [1] oder [2]. Erfinde nichts. Wenn "
    "die Auszüge eine Frage nicht beantworten, sage das. Antworte auf Deutsch.")

IM_START, IM_END = "<|im_start|>", "<|im_end|>"

CHAT_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + "
    "message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}"
    "{{ '<|im_start|>assistant\\n' }}{% endif %}")

_TIMEX = re.compile(r"</?TIMEX3[^>]*>")


def title_for(doc_index):
    return f"Auszug-{doc_index + 1}.txt"


def clean_sentence(s):
    """Untokenised form of a LER sentence: tags removed, spaces before punctuation joined."""
    s = _TIMEX.sub("", s)
    s = " ".join(s.split())
    s = re.sub(r" ([.,;:!?)\]])", r"\1", s)
    s = re.sub(r"([(\[]) ", r"\1", s)
    s = s.replace("„ ", "„").replace(" “", "“")
    return s.strip()


def load_sentences(path):
    """[(court, sentence)] in file order."""
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            court, _, text = line.rstrip("\n").partition("\t")
            text = clean_sentence(text)
            if text:
                out.append((court, text))
    return out


def split_of(sentences):
    """{text: 'train' | 'val'} by distinct sentence text, see the module comment."""
    texts = sorted({t for _, t in sentences})
    random.Random(SPLIT_SEED).shuffle(texts)
    n_val = int(len(texts) * VAL_FRACTION)
    val = set(texts[len(texts) - n_val:])
    return {t: ("val" if t in val else "train") for t in texts}


def passage_pool(sentences, split, which):
    """Passage texts of one part: single sentences and pairs of consecutive sentences of the same
    court, both in @which, of MIN_WORDS..MAX_WORDS words."""
    pool = []
    for i, (court, text) in enumerate(sentences):
        if split[text] != which:
            continue
        n = len(text.split())
        if MIN_WORDS <= n <= MAX_WORDS:
            pool.append(text)
        if i + 1 < len(sentences):
            court2, text2 = sentences[i + 1]
            if court2 == court and split[text2] == which:
                n2 = n + len(text2.split())
                if MIN_WORDS <= n2 <= MAX_WORDS and n >= 5:
                    pool.append(text + " " + text2)
    # "„…“" would be confused with the quote of the question
    return [p for p in pool if "„" not in p and "“" not in p and "[" not in p]


# ---- retrieval as core/sc-passages.c does it ----------------------------------------------------

STOP_WORDS = set("""
aber alle allem allen aller alles als also am an auch auf aus bei beim bin bis bitte da damit dann
das dass dem den denn der des die dies diese diesem diesen dieser dieses doch dort du durch ein eine
einem einen einer eines er es etwas für gegen gibt hat hatte haben hier ich ihm ihn ihr ihre im in
ins ist ja kann kein keine man mit muss nach nicht noch nun nur ob oder ohne sein seine sich sie sind
so soll über um und uns unter vom von vor war warum was welche welcher welches wenn wer werden wie
wieso wird wo wurde zu zum zur wann worum womit wozu geht steht stehen mir mich the of and what when
who is""".split())


def build_match(query):
    """sc-passages.c build_match(): content words as prefixes, OR-ed; None when none is left."""
    parts, seen = [], set()
    i, n = 0, len(query)
    while i < n:
        if not query[i].isalnum():
            i += 1
            continue
        j = i
        while j < n and (query[j].isalnum() or query[j] == "-"):
            j += 1
        word = query[i:j].lower()
        i = j
        digits = word[0].isdigit()
        if (not digits and len(word) < 3) or word in STOP_WORDS:
            continue
        if "-" in word:
            sub = build_match(word.replace("-", " "))
            if sub is not None and sub not in seen:
                parts.append(sub)
                seen.add(sub)
            continue
        keep = len(word)
        if not digits:
            if len(word) >= 7:
                keep = len(word) - 2
            elif len(word) >= 5:
                keep = len(word) - 1
        stem = word[:keep]
        if stem in seen:
            continue
        parts.append('"%s"%s' % (stem, "" if digits else "*"))
        seen.add(stem)
        if not digits and len(word) >= 10:
            first = word[:max(6, len(word) * 3 // 5)]
            if first not in seen:
                parts[-1] += ' OR "%s"*' % first
                seen.add(first)
    return " OR ".join(parts) if parts else None


def shown_order(passages, question, max_passages=6):
    """Indices of @passages (reading order) in the order `ask` numbers them."""
    match = build_match(question)
    ranked = []
    if match is not None:
        db = sqlite3.connect(":memory:")
        db.execute("CREATE VIRTUAL TABLE p USING fts5 (text, tokenize = "
                   "'unicode61 remove_diacritics 0')")
        db.executemany("INSERT INTO p (rowid, text) VALUES (?, ?)",
                       [(i + 1, t) for i, t in enumerate(passages)])
        rows = db.execute("SELECT rowid FROM p WHERE p MATCH ? ORDER BY bm25 (p), rowid LIMIT ?",
                          (match, max_passages)).fetchall()
        db.close()
        ranked = [r[0] - 1 for r in rows]
    for i in range(len(passages)):
        if len(ranked) >= max_passages:
            break
        if i not in ranked:
            ranked.append(i)
    return ranked


# ---- prompts ---------------------------------------------------------------------------------------

def render_prompt(blocks, question):
    """The ChatML prompt of sc-assistant.c build_prompt() for @blocks [(number, title, text)]."""
    user = "Auszüge aus der Akte:\n\n"
    for number, title, text in blocks:
        user += f"[{number}] ({title}, Seite 1): {text}\n\n"
    user += f"Frage: {question.strip()}"
    return (f"{IM_START}system\n{SYSTEM_PROMPT}{IM_END}\n"
            f"{IM_START}user\n{user}{IM_END}\n"
            f"{IM_START}assistant\n")


def _occurs(words, seq):
    k = len(seq)
    return sum(1 for i in range(len(words) - k + 1) if words[i:i + k] == seq)


def answer_prefix(ex):
    """The answer before its citation (examples written before "answer_prefix" existed hold the
    copied words only)."""
    return ex.get("answer_prefix", " ".join(ex["answer_words"]))


def make_example(rng, pool, shuffled=0.0, answer_words=(2, 4), quoting=True):
    """One example as a dict: passages (reading order), gold (index there), question, answer words
    and, after shown_order(), the prompt numbering and answer text. With probability @shuffled the
    passages are numbered in a random order instead, so that the citation has to be read from
    the prompt rather than guessed as [1]."""
    for _ in range(100):
        n = rng.randint(3, 5)
        passages = rng.sample(pool, n)
        if len(set(passages)) < n:
            continue
        gold = rng.randrange(n)
        words = passages[gold].split()
        q = rng.randint(2, 4)
        a = rng.randint(*answer_words)
        if len(words) < q + a:
            continue
        s = rng.randrange(len(words) - q - a + 1)
        quote, answer = words[s:s + q], words[s + q:s + q + a]
        answer = answer[:-1] + [answer[-1].rstrip(".,;:!?")]
        if not answer[-1] or any(c in w for w in answer for c in "„“[]"):
            continue
        # the quote (and its last two words) must point to one place only
        split = [p.split() for p in passages]
        if sum(_occurs(w, quote) for w in split) != 1:
            continue
        if sum(_occurs(w, quote[-2:]) for w in split) != 1:
            continue
        if quoting:
            question = (f"Wie geht die Stelle „{' '.join(quote)}“ in den Auszügen weiter? "
                        f"Zitiere sie mit den {NUMBER_WORDS[a]} folgenden Wörtern.")
            prefix = f"„{' '.join(quote + answer)}“"
        else:
            question = (f"Welche {NUMBER_WORDS[a]} Wörter folgen in den Auszügen auf "
                        f"„{' '.join(quote)}“?")
            prefix = " ".join(answer)
        order = shown_order(passages, question)
        if rng.random() < shuffled:
            rng.shuffle(order)
        number = order.index(gold) + 1
        blocks = [(k + 1, title_for(i), passages[i]) for k, i in enumerate(order)]
        return {
            "passages": passages,
            "gold": gold,
            "question": question,
            "answer_words": answer,
            "order": order,
            "gold_number": number,
            "prompt": render_prompt(blocks, question),
            "answer_prefix": prefix,
            "answer": prefix + f" [{number}].",
        }
    raise RuntimeError("no example could be drawn")
