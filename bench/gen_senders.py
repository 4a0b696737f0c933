#!/usr/bin/env python3
"""Writes a seeded CSV of fake senders for the benchmarks: same seed, same file."""
import csv
import random
import sys

FIRST = ["Jane", "Ahmed", "Aigerim", "Olga", "Tom", "Priya", "Erlan", "Maria", "Sven", "Zhanna",
         "Дмитрий", "Әлия", "Нұрлан", "Chen", "Fatima", "Lars", "Grace", "Yerlan", "Ingrid", "Kofi"]
LAST = ["Smith", "Khan", "Nurlanova", "Petrova", "Brown", "Patel", "Sadykov", "García", "Berg",
        "Қасымова", "Иванов", "Өмірбек", "Li", "Hassan", "Larsen", "Okafor", "Ahmetov", "Lund"]
STREETS = ["High Street", "Station Road", "Church Lane", "Mill Road", "Park Avenue", "Queen Street"]
TOWNS = [("Leeds", "LS1 4AP"), ("Glasgow", "G1 1XQ"), ("Cardiff", "CF10 1EP"), ("York", "YO1 7HH")]


def main():
    count = int(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 2016
    rng = random.Random(seed)
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["name", "org", "role", "address1", "address2", "country", "email"])
    for i in range(count):
        town, postcode = rng.choice(TOWNS)
        out.writerow([
            f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}",
            f"Unite {town} Branch",
            rng.choice(["Member", "Branch Secretary", "Steward", ""]),
            f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
            f"{town} {postcode}",
            "GB",
            f"member{i}@example.org",
        ])


if __name__ == "__main__":
    main()
