#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""gen-std14-metrics.py: write core/sc-pdf-std14-data.h, the metrics of the PDF standard 14 fonts.

A PDF may use a standard-14 font without a /Widths array; the redaction engine then needs the
glyph widths the reader assumes. Those come from the AFM files of the URW base35 fonts, which
are metric-compatible with Adobe's core fonts and are what poppler renders in their place.
The glyph-name tables of the four simple-font encodings are not in any AFM; they are written
below as data, from the PDF 1.7 specification (ISO 32000-1), Annex D.

Standard library only. The output depends on nothing but the AFM files and this script, so
running it again gives the identical header.

Usage: tools/pdf/gen-std14-metrics.py [--afm-dir DIR] [--output FILE]
"""

import argparse
import os
import sys

DEFAULT_AFM_DIR = "/usr/share/fonts/type1/urw-base35"
DEFAULT_OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                              "..", "..", "core", "sc-pdf-std14-data.h")

# PostScript name of each standard-14 font, in the order of the C table, with the URW font
# that stands in for it and whether its built-in encoding is StandardEncoding.
FONTS = [
    ("Helvetica", "NimbusSans-Regular", True),
    ("Helvetica-Bold", "NimbusSans-Bold", True),
    ("Helvetica-Oblique", "NimbusSans-Italic", True),
    ("Helvetica-BoldOblique", "NimbusSans-BoldItalic", True),
    ("Times-Roman", "NimbusRoman-Regular", True),
    ("Times-Bold", "NimbusRoman-Bold", True),
    ("Times-Italic", "NimbusRoman-Italic", True),
    ("Times-BoldItalic", "NimbusRoman-BoldItalic", True),
    ("Courier", "NimbusMonoPS-Regular", True),
    ("Courier-Bold", "NimbusMonoPS-Bold", True),
    ("Courier-Oblique", "NimbusMonoPS-Italic", True),
    ("Courier-BoldOblique", "NimbusMonoPS-BoldItalic", True),
    ("Symbol", "StandardSymbolsPS", False),
    ("ZapfDingbats", "D050000L", False),
]

# ------------------------------------------------------------------------------------------
# Encodings (PDF 1.7, Annex D.2). Each table lists (first code, glyph names...) runs; codes
# not covered are undefined. None inside a run marks a single undefined code.

ASCII_20_7E = (
    "space exclam quotedbl numbersign dollar percent ampersand quotesingle "
    "parenleft parenright asterisk plus comma hyphen period slash "
    "zero one two three four five six seven eight nine colon semicolon less equal greater "
    "question at A B C D E F G H I J K L M N O P Q R S T U V W X Y Z bracketleft backslash "
    "bracketright asciicircum underscore grave a b c d e f g h i j k l m n o p q r s t u v w "
    "x y z braceleft bar braceright asciitilde").split()

# ISO Latin-1 glyphs at 0xA1..0xFF as WinAnsi, PDFDoc and Annex D name them.
LATIN1_A1_FF = (
    "exclamdown cent sterling currency yen brokenbar section dieresis copyright "
    "ordfeminine guillemotleft logicalnot hyphen registered macron degree plusminus "
    "twosuperior threesuperior acute mu paragraph periodcentered cedilla onesuperior "
    "ordmasculine guillemotright onequarter onehalf threequarters questiondown "
    "Agrave Aacute Acircumflex Atilde Adieresis Aring AE Ccedilla Egrave Eacute Ecircumflex "
    "Edieresis Igrave Iacute Icircumflex Idieresis Eth Ntilde Ograve Oacute Ocircumflex "
    "Otilde Odieresis multiply Oslash Ugrave Uacute Ucircumflex Udieresis Yacute Thorn "
    "germandbls agrave aacute acircumflex atilde adieresis aring ae ccedilla egrave eacute "
    "ecircumflex edieresis igrave iacute icircumflex idieresis eth ntilde ograve oacute "
    "ocircumflex otilde odieresis divide oslash ugrave uacute ucircumflex udieresis yacute "
    "thorn ydieresis").split()


def words(text):
    return [None if w == "-" else w for w in text.split()]


def standard_encoding():
    # StandardEncoding: ASCII but quoteright at 0x27 and quoteleft at 0x60.
    ascii_std = list(ASCII_20_7E)
    ascii_std[0x27 - 0x20] = "quoteright"
    ascii_std[0x60 - 0x20] = "quoteleft"
    return [
        (0x20, ascii_std),
        (0xA1, words(
            "exclamdown cent sterling fraction yen florin section currency quotesingle "
            "quotedblleft guillemotleft guilsinglleft guilsinglright fi fl - "
            "endash dagger daggerdbl periodcentered - paragraph bullet quotesinglbase "
            "quotedblbase quotedblright guillemotright ellipsis perthousand - questiondown - "
            "grave acute circumflex tilde macron breve dotaccent dieresis - ring cedilla - "
            "hungarumlaut ogonek caron emdash")),
        (0xE1, words("AE - ordfeminine - - - - Lslash Oslash OE ordmasculine")),
        (0xF1, words("ae - - - dotlessi - - lslash oslash oe germandbls")),
    ]


def winansi_encoding():
    # Annex D, notes: the Euro was added at 0x80 in PDF 1.3; space is also encoded at 0xA0
    # and hyphen at 0xAD; "all unused codes greater than 40 [octal] map to the bullet
    # character", which is why 0x7F, 0x81, 0x8D, 0x8F, 0x90 and 0x9D are bullets, as
    # Acrobat, pdf.js and Ghostscript read them.
    return [
        (0x20, ASCII_20_7E),
        (0x7F, words(
            "bullet Euro bullet quotesinglbase florin quotedblbase ellipsis dagger daggerdbl "
            "circumflex perthousand Scaron guilsinglleft OE bullet Zcaron bullet "
            "bullet quoteleft quoteright quotedblleft quotedblright bullet endash emdash "
            "tilde trademark scaron guilsinglright oe bullet zcaron Ydieresis space")),
        (0xA1, LATIN1_A1_FF),
    ]


def macroman_encoding():
    # Annex D lists only the Latin character set, so the Mac OS codes of mathematical and
    # Greek symbols (notequal at 0xAD, infinity at 0xB0, ...) and the Apple logo stay
    # undefined; 0xDB stays currency (Apple moved it to the Euro, PDF did not); space is
    # also encoded at 0xCA.
    return [
        (0x20, ASCII_20_7E),
        (0x80, words(
            "Adieresis Aring Ccedilla Eacute Ntilde Odieresis Udieresis aacute agrave "
            "acircumflex adieresis atilde aring ccedilla eacute egrave "
            "ecircumflex edieresis iacute igrave icircumflex idieresis ntilde oacute ograve "
            "ocircumflex odieresis otilde uacute ugrave ucircumflex udieresis "
            "dagger degree cent sterling section bullet paragraph germandbls registered "
            "copyright trademark acute dieresis - AE Oslash "
            "- plusminus - - yen mu - - - - - ordfeminine ordmasculine - ae oslash "
            "questiondown exclamdown logicalnot - florin - - guillemotleft guillemotright "
            "ellipsis space Agrave Atilde Otilde OE oe "
            "endash emdash quotedblleft quotedblright quoteleft quoteright divide - "
            "ydieresis Ydieresis fraction currency guilsinglleft guilsinglright fi fl "
            "daggerdbl periodcentered quotesinglbase quotedblbase perthousand Acircumflex "
            "Ecircumflex Aacute Edieresis Egrave Iacute Icircumflex Idieresis Igrave Oacute "
            "Ocircumflex "
            "- Ograve Uacute Ucircumflex Ugrave dotlessi circumflex tilde macron breve "
            "dotaccent ring cedilla hungarumlaut ogonek caron")),
    ]


def pdfdoc_encoding():
    # PDFDocEncoding: 0x09, 0x0A and 0x0D are text controls without a glyph; 0x7F, 0x9F and
    # 0xAD are undefined; the Euro sits at 0xA0 (PDF 1.3).
    latin1 = list(LATIN1_A1_FF)
    latin1[0xAD - 0xA1] = None
    return [
        (0x18, words("breve caron circumflex dotaccent hungarumlaut ogonek ring tilde")),
        (0x20, ASCII_20_7E),
        (0x80, words(
            "bullet dagger daggerdbl ellipsis emdash endash florin fraction guilsinglleft "
            "guilsinglright minus perthousand quotedblbase quotedblleft quotedblright "
            "quoteleft quoteright quotesinglbase trademark fi fl Lslash OE Scaron Ydieresis "
            "Zcaron dotlessi lslash oe scaron zcaron - Euro")),
        (0xA1, latin1),
    ]


def build_table(runs):
    table = [None] * 256
    for first, names in runs:
        for i, name in enumerate(names):
            code = first + i
            if code > 255 or table[code] is not None:
                sys.exit("encoding run at 0x%02X overlaps or overflows" % first)
            table[code] = name
    return table


ENCODINGS = [
    ("StandardEncoding", standard_encoding),
    ("WinAnsiEncoding", winansi_encoding),
    ("MacRomanEncoding", macroman_encoding),
    ("PDFDocEncoding", pdfdoc_encoding),
]

# ------------------------------------------------------------------------------------------
# AFM reading


class Afm:
    def __init__(self, path):
        self.path = path
        self.header = {}
        self.widths = {}
        self.codes = {}
        self.boxes = {}
        in_metrics = False
        with open(path, encoding="latin-1") as f:
            for line in f:
                line = line.strip()
                if line.startswith("StartCharMetrics"):
                    in_metrics = True
                elif line.startswith("EndCharMetrics"):
                    in_metrics = False
                elif in_metrics and line:
                    self._char_metric(line)
                elif not in_metrics and " " in line:
                    key, value = line.split(" ", 1)
                    self.header.setdefault(key, value.strip())
        if not self.widths:
            sys.exit("%s: no character metrics" % path)

    def _char_metric(self, line):
        fields = {}
        for item in line.split(";"):
            item = item.split()
            if item:
                fields[item[0]] = item[1:]
        if "N" not in fields or "C" not in fields:
            sys.exit("%s: character metric without C or N: %s" % (self.path, line))
        name = fields["N"][0]
        width = int(round(float((fields.get("WX") or fields.get("W0X"))[0])))
        if self.widths.get(name, width) != width:
            sys.exit("%s: two widths for %s" % (self.path, name))
        self.widths[name] = width
        code = int(fields["C"][0])
        if 0 <= code <= 255:
            if self.codes.get(code, name) != name:
                sys.exit("%s: two glyphs at code %d" % (self.path, code))
            self.codes[code] = name
        if "B" in fields:
            self.boxes[name] = [int(round(float(v))) for v in fields["B"]]

    def number(self, key):
        value = self.header.get(key)
        return int(round(float(value))) if value is not None else None

    def bbox(self):
        return [int(round(float(v))) for v in self.header["FontBBox"].split()]

    def ascent_descent(self):
        """Ascender and Descender, which the URW files leave at 0. Adobe's core-font AFMs
        give the top of "d" and the bottom of "p" there, so those glyph boxes stand in;
        fonts without them (Symbol, ZapfDingbats) use CapHeight and the FontBBox bottom."""
        ascent = self.number("Ascender")
        descent = self.number("Descender")
        if not ascent:
            ascent = self.boxes["d"][3] if "d" in self.boxes else self.number("CapHeight")
            if ascent is None:
                ascent = self.bbox()[3]
        if not descent:
            descent = self.boxes["p"][1] if "p" in self.boxes else self.bbox()[1]
        return ascent, descent


# ------------------------------------------------------------------------------------------
# Output


def c_ident(ps_name):
    return ps_name.lower().replace("-", "_")


def c_string(name):
    if name is None:
        return "NULL"
    if not all(33 <= ord(c) <= 126 and c not in "\\\"?" for c in name):
        sys.exit("glyph name %r needs escaping" % name)
    return '"%s"' % name


def wrap(items, indent="  ", width=100):
    """Lines of comma-separated @items, each line at most @width columns."""
    lines, line = [], indent
    for item in items:
        piece = item + ","
        if line != indent and len(line) + 1 + len(piece) > width:
            lines.append(line)
            line = indent
        line += ("" if line == indent else " ") + piece
    if line != indent:
        lines.append(line)
    return lines


def emit_encoding(out, ident, table):
    out.append("static const char *const %s[256] = {" % ident)
    for row in range(0, 256, 4):
        cells = [c_string(table[row + i]) for i in range(4)]
        out.append("  /* 0x%02X */ %s," % (row, ", ".join(cells)))
    out.append("};")
    out.append("")


def generate(afm_dir):
    encodings = {name: build_table(fn()) for name, fn in ENCODINGS}
    standard = encodings["StandardEncoding"]

    out = [
        "/* SPDX-License-Identifier: GPL-3.0-or-later */",
        "/* sc-pdf-std14-data.h: metrics of the PDF standard 14 fonts and the glyph names of",
        " * the simple-font encodings, for sc-pdf-std14.c only (which defines the types).",
        " *",
        " * GENERATED by tools/pdf/gen-std14-metrics.py from the AFM files of the URW base35",
        " * fonts (metric-compatible with the standard 14 fonts) and the encoding tables of the",
        " * PDF 1.7 specification, Annex D. Do not edit by hand: change the script and run it.",
        " */",
        "",
        "#pragma once",
        "",
    ]

    for enc_name, _ in ENCODINGS:
        emit_encoding(out, "sc_pdf_enc_" + enc_name, encodings[enc_name])

    font_rows = []
    for ps_name, urw_name, latin in FONTS:
        afm = Afm(os.path.join(afm_dir, urw_name + ".afm"))
        ident = c_ident(ps_name)

        if latin:
            # The Latin fonts' codes are StandardEncoding; a mismatch means other AFM files.
            mismatch = [c for c in range(256) if afm.codes.get(c) != standard[c]]
            if mismatch:
                sys.exit("%s: codes differ from StandardEncoding at %s"
                         % (afm.path, ", ".join("0x%02X" % c for c in mismatch)))
            builtin = "sc_pdf_enc_StandardEncoding"
        else:
            builtin = "sc_pdf_builtin_" + ident
            emit_encoding(out, builtin, [afm.codes.get(c) for c in range(256)])

        names = sorted(afm.widths)  # ASCII names: Python order is strcmp order
        out.append("/* %s: %s, version %s, %d glyphs. */"
                   % (ps_name, afm.header.get("FontName", urw_name),
                      afm.header.get("Version", "?"), len(names)))
        out.append("static const ScPdfStd14Width sc_pdf_widths_%s[] = {" % ident)
        out.extend(wrap(["{ %s, %d }" % (c_string(n), afm.widths[n]) for n in names]))
        out.append("};")
        out.append("")

        bbox = afm.bbox()
        ascent, descent = afm.ascent_descent()
        font_rows.append(
            "  { %s, { %d, %d, %d, %d }, %d, %d,\n"
            "    sc_pdf_widths_%s, G_N_ELEMENTS (sc_pdf_widths_%s),\n"
            "    %s },"
            % (c_string(ps_name), bbox[0], bbox[1], bbox[2], bbox[3], ascent, descent,
               ident, ident, builtin))

    out.append("static const ScPdfStd14Font sc_pdf_std14_fonts[] = {")
    out.extend(font_rows)
    out.append("};")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--afm-dir", default=DEFAULT_AFM_DIR)
    parser.add_argument("--output", default=os.path.normpath(DEFAULT_OUTPUT))
    args = parser.parse_args()

    text = generate(args.afm_dir)
    with open(args.output, "w", encoding="ascii", newline="\n") as f:
        f.write(text)


if __name__ == "__main__":
    main()
