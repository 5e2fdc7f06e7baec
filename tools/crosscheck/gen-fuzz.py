# SPDX-License-Identifier: GPL-3.0-or-later
"""gen-fuzz.py: write seeded random lines of tricky text for compare-tokenizers.sh.

    /usr/bin/python3 tools/crosscheck/gen-fuzz.py [N_LINES] [SEED] > fuzz.txt
    SENTENCES=fuzz.txt tools/crosscheck/compare-tokenizers.sh

Lines mix German words, digits of several scripts, punctuation and symbols, Unicode spaces,
combining marks, emoji, apostrophe contractions, carriage returns and special-token texts."""

import random
import sys

PIECES = [
    "Antrag", "gemäß", "Straße", "ÄÖÜ", "äöüß", "Bescheid", "der", "die", "das", "Klage",
    "§", "§§", "€", "$", "%", "&", "+", "<", "=", ">", "^", "~", "|", "`", "@", "#", "*",
    ".", ",", ";", ":", "!", "?", "-", "–", "—", "/", "\\", "(", ")", "[", "]", "{", "}",
    "„", "“", "‚", "‘", "»", "«", "'", "\"", "'s", "'S", "'t", "'re", "'RE", "'ve", "'m",
    "'ll", "'Ll", "'d", "'x", "0", "1", "12", "123", "1234", "12345", "٣٤٥", "①", "½", "²",
    "Ⅻ", " ", "  ", "   ", "\t", "\r", "\r\n", "\u00a0", "\u2003", "\u3000", "\u202f",
    "\u0085", "e\u0301", "\u0308", "😀", "👩‍⚖️", "中文", "Ω", "ſ", "İ", "ǅ", "\u200b", "\u00ad",
    "\u0001", "\u007f", "▁", "<0x41>", "<s>", "</s>", "<unk>", "<|im_start|>", "<|im_end|>",
    "<|endoftext|>", "<|begin_of_text|>", "<|eot_id|>", "<|aktenzeichen|>", "<|im_", "|>",
]


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rng = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 7)
    out = []
    for _ in range(n):
        line = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 24)))
        out.append(line.replace("\n", " "))
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
