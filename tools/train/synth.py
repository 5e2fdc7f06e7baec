#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""synth.py: synthetic administrative sentences (Bescheide, Anträge, Widersprüche, Anhörungen, Vermerke,
letters, e-mails) and news-style sentences with LER-style IOB2 tags, filled from the gazetteers with fictitious
people and addresses.

Court decisions in LER anonymise people and streets to initials ("Herr K.", "A-Straße"); administrative files
carry full names and real street names. These sentences teach the model that form. Every person is made up
(a first name from the list below, a surname from the surname gazetteer); addresses combine real street and
city names at random, so no address belongs to anyone.

  synth.py OUT_DIR [--n 4000] [--n-news 2000] [--seed S]   writes OUT_DIR/synth_train.jsonl and synth_val.jsonl (10 %)
"""
import argparse, json, os, random

CORPORA = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "corpora"))

FIRST = """Anna Maria Sophie Laura Julia Lena Katharina Sarah Lisa Hannah Leonie Lea Johanna Emma Mia Clara Marie
Sabine Petra Monika Andrea Claudia Susanne Birgit Karin Ursula Renate Gisela Heike Stefanie Nicole Jana Melanie
Aylin Elif Zeynep Fatma Olga Natalia Agnieszka Ioana Fatima Amira
Thomas Michael Andreas Stefan Peter Klaus Jürgen Wolfgang Frank Uwe Markus Christian Martin Alexander Daniel
Tobias Jan Lukas Felix Jonas Leon Paul Maximilian Niklas David Simon Florian Sebastian Matthias Holger Dieter
Mehmet Ahmet Mustafa Ali Murat Piotr Tomasz Andrei Dimitri Yusuf Omar Karl-Heinz Hans-Peter""".split()
TITLES = ["", "", "", "", "Dr.", "Prof. Dr."]
LAWS = ["VwVfG", "LVwVfG", "VwGO", "SGB X", "SGB II", "SGB XII", "SGB III", "SGB V", "SGB VI", "BGB", "ZPO",
        "AufenthG", "AsylG", "BauGB", "LBauO", "EStG", "AO", "GewO", "BImSchG", "LTranspG", "LDSG", "IFG",
        "StVO", "StVG", "OWiG", "BAföG", "WoGG", "BEEG", "BKGG", "GKG", "KAG", "PolG", "GemO", "SchulG",
        "Verwaltungsverfahrensgesetzes", "Baugesetzbuches", "Bürgerlichen Gesetzbuchs", "Zweiten Buches Sozialgesetzbuch"]
EU = ["DSGVO", "DS-GVO", "AEUV", "GRCh"]
ORDINANCES = ["BauNVO", "StVZO", "FeV", "BeschV", "AufenthV", "GebOSt", "ArbZV", "PlanZV"]
COURTS_CITY = ["Verwaltungsgericht", "Sozialgericht", "Amtsgericht", "Landgericht", "Arbeitsgericht", "Finanzgericht"]
COURTS_FIXED = ["Oberverwaltungsgericht Rheinland-Pfalz", "Bundesverwaltungsgericht", "Bundessozialgericht",
                "Bundesfinanzhof", "Bundesgerichtshof", "Landessozialgericht Rheinland-Pfalz",
                "Verwaltungsgerichtshof Baden-Württemberg", "Bundesverfassungsgericht"]
COURT_ABBR = ["BVerwG", "BSG", "BFH", "BGH", "OVG Koblenz", "OVG Münster", "VGH Mannheim", "VG Mainz", "VG Trier",
              "LSG Rheinland-Pfalz", "SG Speyer", "BVerfG", "OVG Rheinland-Pfalz"]
AUTH_CITY = ["Kreisverwaltung", "Stadtverwaltung", "Jobcenter", "Finanzamt", "Bürgeramt", "Ordnungsamt der Stadt",
             "Ausländerbehörde der Stadt", "Bauaufsichtsbehörde der Stadt", "Jugendamt der Stadt",
             "Sozialamt des Landkreises", "Straßenverkehrsbehörde der Stadt"]
AUTH_FIXED = ["Landesamt für Soziales , Jugend und Versorgung", "Bundesagentur für Arbeit",
              "Deutsche Rentenversicherung Bund", "Aufsichts- und Dienstleistungsdirektion",
              "Struktur- und Genehmigungsdirektion Süd", "Landesbetrieb Mobilität", "Bundesamt für Migration und Flüchtlinge",
              "Landesbeauftragte für den Datenschutz und die Informationsfreiheit", "Familienkasse"]
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember"]
PARTS = ["Satz", "Nr.", "Halbsatz"]


def read_list(name, limit=None, filt=None):
    out = []
    with open(os.path.join(CORPORA, "ler", "gazetteers", name), encoding="utf-8") as f:
        for line in f:
            w = line.strip()
            if w and (filt is None or filt(w)):
                out.append(w)
    return out


class Gen:
    def __init__(self, rng):
        self.r = rng
        self.surnames = read_list("personennamen.list",
                                  filt=lambda w: w[:1].isupper() and w.isalpha() and 3 <= len(w) <= 14)
        self.cities = read_list("stadtnamen.list", filt=lambda w: " " not in w and len(w) <= 20 and w[:1].isupper())
        self.streets = read_list("strassennamen.list",
                                 filt=lambda w: w[:1].isupper() and not any(c.isdigit() for c in w) and len(w) <= 30
                                 and any(s in w for s in ("straße", "weg", "gasse", "platz", "allee", "ring",
                                                          "Straße", "Weg", "Platz", "damm", "ufer")))
        countries = read_list("laendernamen.list")
        self.countries = countries[0::2]  # short name, official name, short name, ...
        self.companies = read_list("firmennamen.list",
                                   filt=lambda w: 2 <= len(w.split()) <= 5 and w[:1].isupper()
                                   and any(s in w for s in ("GmbH", "AG", "KG", "e.K.", "UG", "OHG", "mbH")))

    def c(self, xs):
        return self.r.choice(xs)

    def num(self, lo, hi):
        return str(self.r.randint(lo, hi))

    # each returns a list of (tokens, tag) where tag is None for O
    def per(self):
        t = self.c(TITLES)
        first = self.c(FIRST)
        last = self.c(self.surnames)
        toks = t.split() if self.r.random() < 0.5 else []
        if self.r.random() < 0.08:
            toks += [first, self.c(FIRST)]
        elif self.r.random() < 0.85:
            toks += [first]
        toks += [last]
        if self.r.random() < 0.06:
            toks[-1] = last + "-" + self.c(self.surnames)
        return toks

    def street(self):
        no = self.num(1, 180) + (self.c(["a", "b", "c"]) if self.r.random() < 0.1 else "")
        return self.c(self.streets).split() + [no]

    def date(self):
        d, m, y = self.r.randint(1, 28), self.r.randint(1, 12), self.r.randint(2015, 2026)
        if self.r.random() < 0.5:
            return [f"{d:02d}.{m:02d}.{y}"]
        return [f"{d}.", MONTHS[m - 1], str(y)]

    def birth(self):
        d, m, y = self.r.randint(1, 28), self.r.randint(1, 12), self.r.randint(1935, 2006)
        return [f"{d:02d}.{m:02d}.{y}"]

    def norm(self):
        if self.r.random() < 0.12:
            return ["Art.", self.num(1, 99), "Abs.", self.num(1, 4)] + (["lit.", self.c("abcdef")]
                                                                     if self.r.random() < 0.5 else []) + [self.c(EU)], "EUN"
        toks = ["§" if self.r.random() < 0.85 else "§§", self.num(1, 250)]
        if self.r.random() < 0.3:
            toks[-1] += self.c(["a", "b"])
        if toks[0] == "§§":
            toks += [self.c(["ff.", "f.", "bis " + self.num(251, 260)])] if self.r.random() < 0.5 else ["und", self.num(251, 300)]
            toks = " ".join(toks).split()
        else:
            if self.r.random() < 0.7:
                toks += [self.c(["Abs.", "Absatz"]), self.num(1, 8)]
            if self.r.random() < 0.4:
                toks += [self.c(PARTS), self.num(1, 6)]
        if self.r.random() < 0.1:
            return toks + [self.c(ORDINANCES)], "VO"
        law = self.c(LAWS)
        if " " in law[4:] or (law.endswith("es") and len(law) > 12):  # a name in the genitive
            toks += ["des"]
        return toks + law.split(), "GS"

    def aktenzeichen(self):
        return [self.c([f"{self.num(1, 99)}-{self.num(100, 999)}/{self.num(2019, 2026)}",
                        f"{self.c(['AZ', 'II', 'III', '32', '41'])}/{self.num(1000, 9999)}-{self.num(10, 26)}",
                        f"{self.num(10, 99)}.{self.num(10, 99)}.{self.num(100, 999)}"])]

    def court_az(self):
        return [self.num(1, 12), self.c(["K", "L", "B", "C", "A", "S"]), f"{self.num(10, 2999)}/{self.num(18, 26)}"]

    def rs(self):
        kind = self.c(["Urteil", "Beschluss"])
        toks = self.c(COURT_ABBR).split() + [",", kind, "vom"] + self.date() + ["-"] + self.court_az() + ["-"]
        if self.r.random() < 0.4:
            toks += ["Rn.", self.num(5, 60)]
        return toks

    def grt(self):
        if self.r.random() < 0.6:
            return [self.c(COURTS_CITY), self.c(self.cities)]
        return self.c(COURTS_FIXED).split()

    def inn(self):
        if self.r.random() < 0.65:
            return self.c(AUTH_CITY).split() + [self.c(self.cities)]
        return self.c(AUTH_FIXED).split()

    def un(self):
        return self.c(self.companies).split()

    def org(self):
        city = self.c(self.cities)
        return self.c([["SPD"], ["CDU"], ["CSU"], ["FDP"], ["Grünen"], ["Linken"], ["AfD"],
                       ["Bundesregierung"], ["Bundestag"], ["Bundesrat"], ["Landtag"], ["EU-Kommission"],
                       ["Vereinten", "Nationen"], ["NATO"], ["UNO"], ["DGB"], ["IG", "Metall"], ["Verdi"],
                       ["Deutschen", "Bahn"], ["Bundeswehr"], ["ADAC"], ["Caritas"], ["Diakonie"],
                       ["Universität", city], ["Hochschule", city], ["FC", city], ["SV", city],
                       ["TSV", city], ["Stadtwerke", city], ["Sparkasse", city], ["Volkshochschule", city],
                       ["Deutschen", "Fußball-Bund"], ["Europäischen", "Zentralbank"], ["Bundesbank"]])

    def phone(self):
        return self.c([[f"0{self.num(30, 9999)}", self.num(10000, 9999999)],
                       [f"0{self.num(30, 9999)}/{self.num(10000, 9999999)}"],
                       ["+49", self.num(30, 999), self.num(100000, 99999999)]])

    def email(self, name):
        dom = self.c(["example.org", "example.com", "mail.example.de", "posteo.example", "web.example"])
        return [f"{name[-2].lower() if len(name) > 1 else 'info'}.{name[-1].lower()}@{dom}".replace("dr..", "")]

    def iban(self):
        return ["DE" + self.num(10, 99)] + [self.num(1000, 9999) for _ in range(4)] + [self.num(10, 99)]


# Templates: strings of space-separated tokens; {X} slots expand to tagged tokens; X in
# PER, STR, ST, INN, GRT, NORM, RS, UN, RR, AN (tagged) and DATE, BIRTH, AZ, PLZ, PHONE, MAIL, IBAN, MONEY (untagged).
TEMPLATES = """
Sehr geehrte Frau {PER} ,
Sehr geehrter Herr {PER} ,
An Frau {PER} , {STR} , {PLZ} {ST}
Herrn {PER} {STR} {PLZ} {ST}
{PER} , geb. am {BIRTH} , wohnhaft {STR} in {PLZ} {ST} , beantragt die Übernahme der Kosten .
Die Antragstellerin {PER} , wohnhaft in der {STR} , {PLZ} {ST} , ist am {BIRTH} geboren .
Der Antragsteller wohnt seit dem {DATE} in der {STR} in {ST} .
Ihr Antrag vom {DATE} auf Leistungen nach {NORM} wird abgelehnt .
Auf Ihren Antrag vom {DATE} ergeht folgender Bescheid ( Az. {AZ} ) :
Rechtsgrundlage ist {NORM} in Verbindung mit {NORM} .
Gemäß {NORM} ist vor Erlass eines Verwaltungsakts der Beteiligte anzuhören .
Nach {NORM} kann ein rechtswidriger begünstigender Verwaltungsakt zurückgenommen werden .
Die Anordnung der sofortigen Vollziehung beruht auf {NORM} .
Gegen diesen Bescheid kann innerhalb eines Monats nach Bekanntgabe Widerspruch bei der {INN} , {STR} , {PLZ} {ST} , erhoben werden .
Gegen diesen Bescheid kann innerhalb eines Monats nach seiner Bekanntgabe Klage beim {GRT} erhoben werden .
Die Klage ist schriftlich oder zur Niederschrift beim {GRT} , {STR} , {PLZ} {ST} , einzulegen .
Mit freundlichen Grüßen Im Auftrag {PER}
Im Auftrag gez. {PER} Sachbearbeiterin
Ihre Ansprechpartnerin : {PER} , Telefon {PHONE} , E-Mail {MAIL}
Sachbearbeiter : Herr {PER} , Zimmer {NUM} , Tel. {PHONE}
Hiermit lege ich gegen den Bescheid der {INN} vom {DATE} ( Az. {AZ} ) Widerspruch ein .
Ich , {PER} , wohnhaft {STR} , {PLZ} {ST} , erhebe Widerspruch gegen den Bescheid vom {DATE} .
In der Verwaltungssache {PER} gegen {INN} wegen Baugenehmigung
Der Bevollmächtigte , Rechtsanwalt {AN} , trägt vor , der Bescheid verstoße gegen {NORM} .
Vertreten durch Rechtsanwältin {AN} , {STR} , {PLZ} {ST}
Die Widerspruchsführerin beruft sich auf die Rechtsprechung des {GRT} ( {RS} ) .
Nach der Rechtsprechung des Bundesverwaltungsgerichts ( {RS} ) ist dies nicht zu beanstanden .
Vgl. {RS} .
Das {GRT} hat mit {RS} entschieden , dass {NORM} keine Anwendung findet .
Vermerk : Am {DATE} rief Frau {PER} an und bat um Fristverlängerung bis zum {DATE} .
Vermerk : Herr {PER} sprach am {DATE} persönlich vor und legte die Unterlagen vor .
Rücksprache mit {PER} ( {INN} ) am {DATE} : keine Einwände .
Die Firma {UN} , vertreten durch den Geschäftsführer {PER} , beantragt die Erteilung einer Genehmigung nach {NORM} .
Der Auftrag wurde an die {UN} , {STR} , {PLZ} {ST} , vergeben .
Die Zahlung ist auf das Konto IBAN {IBAN} bei der Sparkasse {ST} zu leisten .
Der Betrag von {MONEY} ist bis zum {DATE} auf das Konto {IBAN} zu überweisen .
Bitte überweisen Sie den Betrag unter Angabe des Aktenzeichens {AZ} .
Anhörung gemäß {NORM} : Sie erhalten Gelegenheit , sich bis zum {DATE} zu äußern .
Von : {PER} < {MAIL} > Gesendet : {DATE} An : {PER} Betreff : Ihr Antrag
Hallo Frau {PER} , anbei die angeforderten Unterlagen . Viele Grüße {PER}
Liebe Kolleginnen und Kollegen , Herr {PER} aus {ST} hat heute angerufen .
Die Ehefrau des Antragstellers , {PER} , geboren am {BIRTH} in {ST} , ist nicht erwerbstätig .
Das Kind {PER} , geb. {BIRTH} , lebt im Haushalt der Mutter .
Der Sachverhalt wurde von {PER} , {INN} , geprüft .
Die {INN} hat mit Schreiben vom {DATE} mitgeteilt , dass die Voraussetzungen nach {NORM} nicht vorliegen .
Das Grundstück {STR} in {ST} liegt im Geltungsbereich des Bebauungsplans .
Der Beschwerdeführer {PER} wandte sich am {DATE} an die {INN} .
Der Vorsitzende Richter am {GRT} {RR} hat die Sache der Kammer übertragen .
Richterin am {GRT} {RR}
In dem Verwaltungsrechtsstreit des Herrn {PER} , {STR} , {PLZ} {ST} , - Kläger - gegen das Land Rheinland-Pfalz , vertreten durch die {INN} , - Beklagter -
Ein Bußgeld in Höhe von {MONEY} wird nach {NORM} festgesetzt .
Die Kosten des Verfahrens trägt {PER} ( {NORM} ) .
Die Informationen wurden nach {NORM} an {PER} , {STR} , {ST} übermittelt .
Geschäftszeichen : {AZ} Bearbeiter : {PER} Datum : {DATE}
Ihr Zeichen : {AZ} , Unser Zeichen : {AZ} , {ST} , den {DATE}
Frau {PER} teilte mit , dass sie zum {DATE} nach {ST} verzogen ist ( neue Anschrift : {STR} ) .
""".strip().split("\n")

# News and encyclopaedia style (the register of GermEval), same label set: ST for cities, LD for
# countries, ORG for parties, clubs, associations, universities.
NEWS_TEMPLATES = """
{PER} wurde {YEAR} in {ST} geboren und studierte an der {ORG} .
Der Politiker {PER} ( {ORG} ) kritisierte die Pläne der {ORG} scharf .
{PER} ist seit {YEAR} Bürgermeisterin von {ST} .
Am Montag reiste {PER} nach {LD} , um dort mit Vertretern der {ORG} zu sprechen .
Die {UN} mit Sitz in {ST} meldete für das vergangene Jahr einen Rekordumsatz .
Laut {PER} , Sprecher der {ORG} , sei die Lage in {ST} angespannt .
Der {ORG} gewann das Spiel gegen den {ORG} mit 2 : 1 .
{ST} ist eine Stadt im Süden von {LD} mit rund {NUM} Einwohnern .
Das Unternehmen {UN} wurde {YEAR} von {PER} gegründet .
Zwischen {LD} und {LD} wurde ein neues Abkommen unterzeichnet .
Die Ausstellung in {ST} zeigt Werke von {PER} und {PER} .
Nach Angaben der {ORG} kamen mehr als {NUM} Menschen nach {ST} .
{PER} wechselt von {ST} zum {ORG} .
Die Delegation aus {LD} traf in {ST} ein .
In {ST} demonstrierten am Samstag Tausende gegen die Politik der {ORG} .
Der Roman von {PER} spielt in {ST} und {LD} .
{PER} , der Trainer des {ORG} , zeigte sich zufrieden .
Die Kirche in {ST} wurde im {NUM} . Jahrhundert erbaut .
Der Fluss fließt durch {LD} und mündet bei {ST} in die Nordsee .
Wie die {ORG} mitteilte , soll das Werk in {ST} geschlossen werden .
""".strip().split("\n")


def render(g, tpl):
    tokens, tags = [], []

    def put(toks, typ):
        for i, t in enumerate(toks):
            tokens.append(t)
            tags.append("O" if typ is None else ("B-" if i == 0 else "I-") + typ)

    names = []
    for w in tpl.split():
        if w.startswith("{") and w.endswith("}"):
            k = w[1:-1]
            if k in ("PER", "RR", "AN"):
                p = g.per()
                names.append(p)
                n_title = sum(1 for t in p if t in ("Dr.", "Prof."))
                put(p[:n_title], None)  # academic titles stay outside the name, as in LER
                put(p[n_title:], k)
            elif k == "STR":
                put(g.street(), "STR")  # LER tags "Bundesstraße 43" as one STR span
            elif k == "ST":
                put([g.c(g.cities)], "ST")
            elif k == "INN":
                put(g.inn(), "INN")
            elif k == "GRT":
                put(g.grt(), "GRT")
            elif k == "NORM":
                toks, typ = g.norm()
                put(toks, typ)
            elif k == "RS":
                put(g.rs(), "RS")
            elif k == "UN":
                put(g.un(), "UN")
            elif k == "ORG":
                put(g.org(), "ORG")
            elif k == "LD":
                put(g.c(g.countries).split(), "LD")
            elif k == "YEAR":
                put([g.num(1900, 2024)], None)
            elif k == "DATE":
                put(g.date(), None)
            elif k == "BIRTH":
                put(g.birth(), None)
            elif k == "AZ":
                put(g.aktenzeichen(), None)
            elif k == "PLZ":
                put([f"{g.r.randint(1067, 99998):05d}"], None)
            elif k == "PHONE":
                put(g.phone(), None)
            elif k == "MAIL":
                put(g.email(names[-1] if names else ["info"]), None)
            elif k == "IBAN":
                put(g.iban(), None)
            elif k == "MONEY":
                put([f"{g.r.randint(5, 9999)},{g.r.randint(0, 99):02d}", g.c(["Euro", "EUR", "€"])], None)
            elif k == "NUM":
                put([g.num(1, 420)], None)
            else:
                raise KeyError(k)
        else:
            put([w], None)
    return {"tokens": tokens, "tags": tags}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--n", type=int, default=4000)
    ap.add_argument("--n-news", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=20240612)
    a = ap.parse_args()
    g = Gen(random.Random(a.seed))
    rows = [render(g, TEMPLATES[i % len(TEMPLATES)]) for i in range(a.n)]
    rows += [render(g, NEWS_TEMPLATES[i % len(NEWS_TEMPLATES)]) for i in range(a.n_news)]
    random.Random(a.seed + 1).shuffle(rows)
    n_val = len(rows) // 10
    for name, part in (("synth_val", rows[:n_val]), ("synth_train", rows[n_val:])):
        with open(os.path.join(a.out, name + ".jsonl"), "w", encoding="utf-8") as f:
            for r in part:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"synth: {len(rows) - n_val} train / {n_val} val sentences from {len(TEMPLATES)} + {len(NEWS_TEMPLATES)} templates; "
          f"{len(g.surnames)} surnames, {len(g.cities)} cities, {len(g.streets)} streets, {len(g.companies)} companies")


if __name__ == "__main__":
    main()
