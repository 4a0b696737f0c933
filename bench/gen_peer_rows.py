#!/usr/bin/env python3
"""The peers' workload rows (../shared/bench/peers/gen_data.py), as a senders CSV.

    gen_peer_rows.py N [--ascii] > senders.csv

The same N rows as gen_data.py with its fixed seed (bench/run.sh checks that
against the peers' copy when it is there), under the column names protest.sh
gives them (name, email, address). Of 1,000 senders 289 have names outside
basic Latin (87 Cyrillic; Vietnamese, Azerbaijani, accented Latin), and so do
the prisoners most letters list. With --ascii every field is transliterated
to basic Latin (Жанболат Мамай: Zhanbolat Mamai): the same letters, of about
the same lengths, without the scripts.
Only the Python standard library is used.
"""
import csv
import random
import sys
import unicodedata

ASCII_FIRST = ["Anna", "James", "Maria", "David", "Sarah", "Michael", "Laura",
               "Peter", "Helen", "Thomas", "Ruth", "Daniel", "Grace", "Samuel",
               "Alice", "Robert", "Emma", "George", "Clare", "Oliver"]
ASCII_LAST = ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Evans",
              "Walker", "Hughes", "Green", "Hall", "Wood", "Clarke", "Baker",
              "Turner", "Hill", "Moore", "Ward", "Carter", "Price", "Murphy"]
ACCENTED = ["José Martínez", "Zoë Müller", "François Dupré", "Łukasz Żółkiewski",
            "Renée Lefèvre", "Søren Ødegaard", "Antonín Dvořák-Nováková",
            "Inês Gonçalves", "Kateřina Šimková", "Đorđe Kovačević",
            "Nguyễn Văn An", "Ayşe Yılmaz", "Ərşad Məmmədov", "Björn Åström",
            "Niamh Ó Briain", "Nuño Ibáñez", "Gülşen Öztürk", "Tomás Ruíz"]
CYRILLIC = ["Жанболат Мамай", "Ольга Кузнецова", "Дмитрий Соколов",
            "Айгерим Нурланова", "Сергей Иванов", "Мария Петренко",
            "Ерлан Сейткалиев", "Наталья Ковальчук"]

ORG_HEAD = ["Friends of", "Committee for", "Network for", "Alliance for",
            "Campaign for", "Society for", "Coalition for"]
ORG_TAIL = ["Free Expression", "Prisoners of Conscience", "Human Rights",
            "Press Freedom", "Civil Liberties", "Justice and Dignity",
            "the Right to Protest"]
ORG_PLACE = ["North London", "Leeds", "Édimbourg", "Cork", "Göteborg",
             "Kraków", "Almaty", "Bristol", "Toronto", "Melbourne"]

STREETS = ["High Street", "Station Road", "Church Lane", "Mill Road",
           "Victoria Street", "Rue de la Paix", "Königstraße", "Ulica Długa",
           "Park Avenue", "Queen's Road"]
TOWNS = [("London", "N1 9GU", "United Kingdom"),
         ("Leeds", "LS2 7HY", "United Kingdom"),
         ("Cork", "T12 X8N2", "Ireland"),
         ("Göteborg", "411 01", "Sweden"),
         ("Kraków", "31-008", "Poland"),
         ("Toronto", "ON M5V 2T6", "Canada"),
         ("Bristol", "BS1 4DJ", "United Kingdom"),
         ("Montréal", "QC H2X 1Y4", "Canada")]

COUNTRIES = ["Arcadia", "Veloria", "Norvania", "Estmark", "Karvonia",
             "Solamar", "Zembla", "Ruritania", "Marovia", "Dravonia"]
EMBASSY_STREETS = ["Kensington Palace Gardens", "Belgrave Square",
                   "Avenue Louise", "Embassy Row", "Unter den Linden",
                   "Via Nomentana", "Strandvägen", "Aleje Ujazdowskie"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December"]


def person(rng):
    r = rng.random()
    if r < 0.70:
        return f"{rng.choice(ASCII_FIRST)} {rng.choice(ASCII_LAST)}"
    if r < 0.90:
        return rng.choice(ACCENTED)
    return rng.choice(CYRILLIC)


def slug(i, name):
    ascii_part = "".join(c for c in name.lower() if "a" <= c <= "z")
    return f"{ascii_part[:12] or 'sender'}{i}"


def make_row(i, rng):
    sender = "Жанболат Мамай" if i == 0 else person(rng)
    town, postcode, country = rng.choice(TOWNS)
    sender_address = [f"{rng.randint(1, 250)} {rng.choice(STREETS)}"]
    if rng.random() < 0.4:
        sender_address.append(f"Flat {rng.randint(1, 40)}")
    sender_address.append(f"{town} {postcode}, {country}")
    state = rng.choice(COUNTRIES)
    ambassador = person(rng)
    n_prisoners = rng.randint(1, 5)
    prisoners = []
    if i == 0:
        prisoners.append("Жанболат Мамай")
    while len(prisoners) < n_prisoners:
        p = person(rng)
        if p not in prisoners:
            prisoners.append(p)
    etown, epost, ecountry = rng.choice(TOWNS)
    return {
        "id": i,
        "name": sender,
        "email": f"{slug(i, sender)}@example.org",
        "organisation": f"{rng.choice(ORG_HEAD)} {rng.choice(ORG_TAIL)} "
                        f"({rng.choice(ORG_PLACE)})",
        "address": sender_address,
        "recipient_name": f"H.E. {ambassador}",
        "recipient_title": f"Ambassador of the Republic of {state}",
        "recipient_email": f"ambassador{i}@embassy-{state.lower()}.example",
        "embassy_name": f"Embassy of the Republic of {state}",
        "embassy_address": [f"{rng.randint(1, 60)} {rng.choice(EMBASSY_STREETS)}",
                            f"{etown} {epost}", ecountry],
        "date": f"{rng.randint(1, 28)} {rng.choice(MONTHS)} 2026",
        "prisoners": prisoners,
    }


CYRILLIC_LATIN = dict(zip(
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n",
     "o", "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y",
     "", "e", "yu", "ya"]))
OTHER_LATIN = {"ł": "l", "ø": "o", "đ": "d", "ß": "ss", "ə": "e", "ı": "i"}


def to_ascii(text):
    out = []
    for c in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(c):
            continue
        lower = c.lower()
        latin = CYRILLIC_LATIN.get(lower, OTHER_LATIN.get(lower))
        if latin is None:
            latin = lower
        if c != lower:
            latin = latin.capitalize()
        out.append(latin)
    text = "".join(out)
    if not text.isascii():
        sys.exit(f"gen_peer_rows.py: no ASCII for {text!r}")
    return text


LIST_FIELDS = ("address", "embassy_address", "prisoners")
SEP = " | "


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    if len(args) != 1 or any(a != "--ascii" for a in argv if a.startswith("--")):
        sys.exit(__doc__)
    ascii_only = "--ascii" in argv
    rng = random.Random(20260101)
    rows = [make_row(i, rng) for i in range(int(args[0]))]
    out = csv.DictWriter(sys.stdout, fieldnames=list(rows[0].keys()) if rows else [],
                         quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    out.writeheader()
    for r in rows:
        row = {k: (SEP.join(v) if k in LIST_FIELDS else str(v)) for k, v in r.items()}
        out.writerow({k: to_ascii(v) if ascii_only else v for k, v in row.items()})


if __name__ == "__main__":
    sys.stdout.reconfigure(encoding="utf-8", newline="")
    main(sys.argv[1:])
