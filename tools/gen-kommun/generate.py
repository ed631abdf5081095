#!/usr/bin/env python3
"""Generate the municipality example examples/herrljunga-kommun-2023/.

A municipality folder (docs/PACKAGE.md, "The whole municipality") with four committees of
Herrljunga kommun per 31 August 2023 on one shared ledger:

- servicenamnd_it: the seed's committee, a copy of examples/servicenamnd-it-2023 (which
  tools/gen-example/generate.py writes) except its ledgers; it must give the same figures
  here as alone (ansvar 8500-8599);
- kultur_fritid: Kultur- och fritidsnämnden (ansvar 5000-5099);
- social: Socialnämnden (ansvar 4000-4999; the seed ledger's ansvar 4100 is theirs);
- bygg_miljo: Bygg- och miljönämnden (ansvar 7000-7099).

The shared ledger (SIE 4, 2022 and 2023) is the seed's ledger with the three committees'
vouchers added. The seed's rows of Kommunstyrelsen (1100), Bildningsnämnden (3100, not in
the folder) and Finansförvaltningen (1900), and the kommunbidrag counter-entries on 1900,
lie outside every committee's scope; the municipality check states them.

Raw records only (vouchers, budget lines, budget changes, forecast lines, texts); every
figure of the reports is computed by the engine. Deterministic: fixed random seed, no
clock. Python 3.11, standard library only.

    python3 tools/gen-kommun/generate.py [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
from pathlib import Path

SEED = 20230901
REPO = Path(__file__).resolve().parents[2]
SEED_PACKAGE = REPO / "examples" / "servicenamnd-it-2023"
DEFAULT_OUT = REPO / "examples" / "herrljunga-kommun-2023"
STATIC = Path(__file__).resolve().parent / "static"

NEW_ACCOUNTS = {
    "3110": ("Taxor och avgifter", "I"),
    "3410": ("Uthyrning av lokaler och anläggningar", "I"),
    "3610": ("Statsbidrag", "I"),
    "4010": ("Inköp av böcker och media", "K"),
    "4610": ("Köp av huvudverksamhet", "K"),
    "4690": ("Bidrag till föreningar", "K"),
    "6110": ("Lokalhyror", "K"),
    "6210": ("El och uppvärmning", "K"),
}

# Committees: id, folder, name, ansvar {id: name}, budget lines (konto, ansvar, kronor per
# year, ledger sign), outcome factor 2023 per row (the year's course against budget),
# forecast deviation per row and ansvar (kronor, + = more cost), with comments.
COMMITTEES = [
    {
        "id": "kultur_fritid",
        "dir": "kultur-fritid",
        "name": "Kultur- och fritidsnämnden",
        "short": "Kultur- och fritidsnämnden",
        "scope": "5000-5099",
        "ansvar": {
            "5010": "Kulturskola",
            "5020": "Bibliotek",
            "5030": "Fritid och idrott",
            "5040": "Fritidsgårdar",
        },
        "budget": [
            ("3110", "5010", -2_150_000), ("3410", "5030", -1_480_000),
            ("3610", "5020", -620_000),
            ("5011", "5010", 7_900_000), ("5011", "5020", 5_600_000),
            ("5011", "5030", 4_300_000), ("5011", "5040", 3_900_000),
            ("5410", "5010", 2_480_000), ("5410", "5020", 1_760_000),
            ("5410", "5030", 1_350_000), ("5410", "5040", 1_220_000),
            ("5810", "5010", 650_000), ("5810", "5020", 460_000),
            ("5810", "5030", 350_000), ("5810", "5040", 320_000),
            ("6110", "5010", 1_800_000), ("6110", "5020", 2_400_000),
            ("6110", "5030", 6_000_000), ("6110", "5040", 1_200_000),
            ("6210", "5030", 1_350_000),
            ("4010", "5020", 900_000), ("4690", "5030", 2_600_000),
            ("6410", "5020", 240_000), ("6550", "5010", 180_000),
            ("7010", "5030", 420_000),
            ("7830", "5030", 1_850_000), ("8410", "5030", 540_000),
        ],
        "trend": {"intakter": 0.93, "personalkostnader": 1.02, "lokalkostnader": 1.0,
                  "ovriga_kostnader": 1.04, "kapitalkostnad": 1.0},
        "forecast": [
            ("intakter", "5030", 180_000, "Lägre uthyrning av idrottshallen under renoveringen av omklädningsrummen"),
            ("personalkostnader", "5010", 260_000, "Vikarier i kulturskolan under sjukskrivningar"),
            ("ovriga_kostnader", "5030", 150_000, "Högre föreningsbidrag efter nämndens beslut i maj"),
            ("lokalkostnader", "5030", 90_000, "Elpriset över budgeterad nivå"),
        ],
        "pay_change": [("5011", "5010", 160_000), ("5011", "5020", 110_000),
                       ("5011", "5030", 90_000), ("5011", "5040", 80_000),
                       ("5410", "5010", 50_300), ("5410", "5020", 34_600),
                       ("5410", "5030", 28_300), ("5410", "5040", 25_100)],
        "kb_ansvar": "5010",
        "decision": "Kultur- och fritidsnämnden godkänner upprättad delårsrapport per {{ period.end }}.",
        "author": "Erik Lindqvist",
    },
    {
        "id": "social",
        "dir": "social",
        "name": "Socialnämnden",
        "short": "Socialnämnden",
        "scope": "4000-4999",
        "ansvar": {
            "4100": "Socialnämnden",
            "4210": "Hemtjänst",
            "4220": "Särskilt boende",
            "4310": "Individ- och familjeomsorg",
            "4320": "LSS",
        },
        "budget": [
            ("3110", "4210", -6_800_000), ("3110", "4220", -11_400_000),
            ("3610", "4310", -9_600_000), ("3610", "4320", -12_900_000),
            ("5011", "4210", 48_500_000), ("5011", "4220", 71_200_000),
            ("5011", "4310", 22_800_000), ("5011", "4320", 36_400_000),
            ("5011", "4100", 64_000_000),
            ("5410", "4210", 15_230_000), ("5410", "4220", 22_360_000),
            ("5410", "4310", 7_160_000), ("5410", "4320", 11_430_000),
            ("5410", "4100", 20_100_000),
            ("5810", "4210", 3_980_000), ("5810", "4220", 5_840_000),
            ("5810", "4310", 1_870_000), ("5810", "4320", 2_990_000),
            ("5810", "4100", 4_760_000),
            ("6110", "4220", 24_600_000), ("6110", "4320", 9_600_000),
            ("6110", "4310", 1_800_000), ("6210", "4220", 3_200_000),
            ("4610", "4310", 31_500_000), ("4610", "4320", 14_200_000),
            ("4540", "4100", 40_000), ("6410", "4100", 600_000),
            ("6420", "4100", 20_000), ("6550", "4100", 1_640_000),
            ("7830", "4220", 3_400_000), ("8410", "4220", 1_100_000),
        ],
        "trend": {"intakter": 1.01, "personalkostnader": 1.015, "lokalkostnader": 1.0,
                  "ovriga_kostnader": 1.12, "kapitalkostnad": 1.0},
        "forecast": [
            ("ovriga_kostnader", "4310", 4_200_000, "Fler externa placeringar av barn och unga än budgeterat"),
            ("personalkostnader", "4220", 1_650_000, "Bemanning över budget på två avdelningar i särskilt boende"),
            ("intakter", "4320", -600_000, "Högre statsbidrag för personlig assistans"),
        ],
        "pay_change": [("5011", "4210", 970_000), ("5011", "4220", 1_420_000),
                       ("5011", "4310", 456_000), ("5011", "4320", 728_000),
                       ("5410", "4210", 304_800), ("5410", "4220", 446_200),
                       ("5410", "4310", 143_300), ("5410", "4320", 228_700)],
        "kb_ansvar": "4210",
        # The seed ledger already holds this ansvar's bookings (its IT-related costs and
        # staff); no vouchers are added on it.
        "seed_ansvar": {"4100"},
        "decision": "Socialnämnden godkänner upprättad delårsrapport per {{ period.end }}.",
        "author": "Maria Holm",
    },
    {
        "id": "bygg_miljo",
        "dir": "bygg-miljo",
        "name": "Bygg- och miljönämnden",
        "short": "Bygg- och miljönämnden",
        "scope": "7000-7099",
        "ansvar": {
            "7010": "Bygglov",
            "7020": "Miljö- och hälsoskydd",
            "7030": "Kart och mät",
        },
        "budget": [
            ("3110", "7010", -3_900_000), ("3110", "7020", -1_650_000),
            ("3110", "7030", -980_000),
            ("5011", "7010", 3_100_000), ("5011", "7020", 3_600_000),
            ("5011", "7030", 1_900_000),
            ("5410", "7010", 974_000), ("5410", "7020", 1_131_000),
            ("5410", "7030", 597_000),
            ("5810", "7010", 255_000), ("5810", "7020", 295_000),
            ("5810", "7030", 156_000),
            ("6110", "7010", 420_000), ("6110", "7020", 420_000),
            ("6110", "7030", 240_000),
            ("6410", "7030", 680_000), ("6550", "7010", 310_000),
            ("6590", "7020", 450_000), ("7110", "7020", 120_000),
            ("7830", "7030", 260_000), ("8410", "7030", 60_000),
        ],
        "trend": {"intakter": 1.11, "personalkostnader": 0.97, "lokalkostnader": 1.0,
                  "ovriga_kostnader": 0.95, "kapitalkostnad": 1.0},
        "forecast": [
            ("intakter", "7010", -450_000, "Fler bygglovsansökningar än väntat, främst nya småhus"),
            ("personalkostnader", "7020", -300_000, "Vakant tjänst som miljöinspektör under våren"),
        ],
        "pay_change": [("5011", "7010", 62_000), ("5011", "7020", 72_000),
                       ("5011", "7030", 38_000), ("5410", "7010", 19_500),
                       ("5410", "7020", 22_600), ("5410", "7030", 11_900)],
        "kb_ansvar": "7010",
        "decision": "Bygg- och miljönämnden godkänner upprättad delårsrapport per {{ period.end }}.",
        "author": "Jonas Berg",
    },
]

ROWS = [
    ("intakter", range(3000, 3900)),
    ("kommunbidrag", range(3900, 4000)),
    ("personalkostnader", range(5000, 6000)),
    ("lokalkostnader", range(6100, 6300)),
    ("kapitalkostnad", list(range(7800, 7900)) + list(range(8400, 8500))),
    ("ovriga_kostnader", list(range(4000, 5000)) + list(range(6000, 6100)) + list(range(6300, 7800))),
]


def row_of(acct: str) -> str:
    a = int(acct)
    for rid, r in ROWS:
        if a in r:
            return rid
    raise ValueError(acct)


def kr(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    return f"{sign}{abs(ore) // 100}.{abs(ore) % 100:02d}"


def ore_of(text: str) -> int:
    neg = text.startswith("-")
    whole, _, frac = text.lstrip("-").partition(".")
    v = int(whole) * 100 + int((frac + "00")[:2])
    return -v if neg else v


# ---------------------------------------------------------------------------------------
# Reading the seed ledger (the format tools/gen-example/generate.py writes)
# ---------------------------------------------------------------------------------------

class Ver:
    def __init__(self, series, number, date, text, rows):
        self.series, self.number, self.date, self.text, self.rows = series, number, date, text, rows


def read_seed(path: Path):
    lines = path.read_bytes().decode("cp437").split("\r\n")
    head, accounts, objects, ib, vers = [], {}, [], {}, []
    cur = None
    for line in lines:
        if not line:
            continue
        if line.startswith("#KONTO "):
            m = re.match(r'#KONTO (\d+) "(.*)"$', line)
            accounts[m.group(1)] = [m.group(2), None]
        elif line.startswith("#KTYP "):
            a, t = line.split()[1:3]
            accounts[a][1] = t
        elif line.startswith("#OBJEKT "):
            m = re.match(r'#OBJEKT (\d+) "(.*?)" "(.*)"$', line)
            objects.append((int(m.group(1)), m.group(2), m.group(3)))
        elif line.startswith("#IB 0 "):
            _, _, a, v = line.split()
            ib[a] = ore_of(v)
        elif line.startswith(("#IB -1", "#UB", "#RES")):
            continue
        elif line.startswith("#VER "):
            m = re.match(r'#VER (\S+) (\d+) (\d{8}) "(.*)" (\d{8})$', line)
            d = dt.datetime.strptime(m.group(3), "%Y%m%d").date()
            cur = Ver(m.group(1), int(m.group(2)), d, m.group(4), [])
            vers.append(cur)
        elif line in ("{", "}"):
            continue
        elif line.strip().startswith("#TRANS "):
            m = re.match(r'\s*#TRANS (\d+) (\{.*?\}) (\S+)$', line)
            cur.rows.append((m.group(1), m.group(2), ore_of(m.group(3))))
        else:
            head.append(line)
    return head, accounts, objects, ib, vers


def write_ledger(path: Path, head, accounts, objects, ib, vers, prev=None):
    out = []
    for line in head:
        out.append(line)
        if line.startswith("#DIM 20"):
            break
    used = sorted({r[0] for v in vers for r in v.rows} | set(ib)
                  | (set(prev[0]) | set(prev[1]) | set(prev[2]) if prev else set()))
    for a in used:
        out.append(f'#KONTO {a} "{accounts[a][0]}"')
        out.append(f"#KTYP {a} {accounts[a][1]}")
    for d, i, n in sorted(objects, key=lambda o: (o[0], int(o[1]))):
        out.append(f'#OBJEKT {d} "{i}" "{n}"')
    tr: dict[str, int] = {}
    for v in vers:
        for a, _, amt in v.rows:
            tr[a] = tr.get(a, 0) + amt
    res = {a: s for a, s in tr.items() if int(a[0]) >= 3}
    bal = sorted({a for a in used if int(a[0]) <= 2})
    ub = {a: ib.get(a, 0) + tr.get(a, 0) for a in bal}
    if prev:
        p_ib, p_ub, p_res = prev
        out += [f"#IB -1 {a} {kr(p_ib[a])}" for a in sorted(p_ib)]
        out += [f"#UB -1 {a} {kr(p_ub[a])}" for a in sorted(p_ub)]
    out += [f"#IB 0 {a} {kr(ib.get(a, 0))}" for a in bal]
    out += [f"#UB 0 {a} {kr(ub[a])}" for a in bal]
    if prev:
        out += [f"#RES -1 {a} {kr(prev[2][a])}" for a in sorted(prev[2])]
    out += [f"#RES 0 {a} {kr(res[a])}" for a in sorted(res)]
    for v in vers:
        out.append(f'#VER {v.series} {v.number} {v.date:%Y%m%d} "{v.text}" {v.date:%Y%m%d}')
        out.append("{")
        for a, objs, amt in v.rows:
            out.append(f"   #TRANS {a} {objs} {kr(amt)}")
        out.append("}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(out) + "\r\n").encode("cp437"))
    return {a: ib.get(a, 0) for a in bal}, ub, res


# ---------------------------------------------------------------------------------------
# The committees' vouchers
# ---------------------------------------------------------------------------------------

SEASON = [1.00, 0.96, 1.02, 1.00, 1.03, 1.10, 0.70, 0.92, 1.02, 1.04, 1.06, 1.15]
VERKSAMHET = {"kultur_fritid": "300", "social": "500", "bygg_miljo": "800"}


def objs(ansvar: str, verks: str) -> str:
    return f'{{1 "{ansvar}" 20 "{verks}"}}'


def monthly(rnd, annual_ore: int, month: int, acct: str, factor: float) -> int:
    """A month's amount: rent and capital cost even and in whole kronor; the rest with the
    season and some noise, in öre."""
    if acct in ("6110", "7830", "8410"):
        return annual_ore // 12 // 100000 * 100000 if acct == "6110" else annual_ore // 12 // 100 * 100
    base = annual_ore / 12 * SEASON[month - 1] * factor
    return int(round(base * rnd.uniform(0.97, 1.03)))


def committee_vouchers(c, year: int, last_month: int, rnd) -> list[Ver]:
    """Vouchers of one committee: salaries, supplier invoices, income, kommunbidrag."""
    out = []
    prior = year < 2023
    scale = 0.965 if prior else 1.0
    verks = VERKSAMHET[c["id"]]
    # Kommunbidrag covers the budgeted net cost (after the pay revision in 2023).
    kb_year = sum(b[2] for b in c["budget"]) * 100
    if prior:
        kb_year = int(kb_year * scale) // 100 * 100
    else:
        kb_year += sum(p[2] for p in c["pay_change"]) * 100
    for m in range(1, last_month + 1):
        d = dt.date(year, m, 25)
        salary, other, income = [], [], []
        for acct, ans, kronor in c["budget"]:
            if ans in c.get("seed_ansvar", ()):
                continue
            row = row_of(acct)
            factor = (c["trend"][row] if not prior else 1.0) * scale
            amt = monthly(rnd, kronor * 100, m, acct, factor)
            if amt == 0:
                continue
            line = (acct, objs(ans, verks), amt)
            if row == "personalkostnader":
                salary.append(line)
            elif row == "intakter":
                income.append(line)
            else:
                other.append(line)
        if salary:
            out.append(Ver("D", 0, d, f"Löner {c['short']} {year}-{m:02d}",
                           salary + [("1930", "{}", -sum(r[2] for r in salary))]))
        for line in other:
            day = dt.date(year, m, rnd.randint(3, 27))
            out.append(Ver("D", 0, day, f"Leverantörsfaktura {c['short']} konto {line[0]}",
                           [line, ("2440", "{}", -line[2])]))
        for line in income:
            day = dt.date(year, m, rnd.randint(5, 28))
            out.append(Ver("D", 0, day, f"Intäkter {c['short']} {year}-{m:02d}",
                           [line, ("1930", "{}", -line[2])]))
        kb = kb_year // 12 if m < 12 else kb_year - 11 * (kb_year // 12)
        out.append(Ver("D", 0, dt.date(year, m, 1), f"Kommunbidrag {c['short']} {year}-{m:02d}",
                       [("3990", objs(c["kb_ansvar"], verks), -kb),
                        ("7990", '{1 "1900" 20 "930"}', kb)]))
    return out


def kommun_ledgers(out: Path):
    rnd = random.Random(SEED)
    prev = None
    for year in (2022, 2023):
        head, accounts, objects, ib, vers = read_seed(SEED_PACKAGE / "huvudbok" / f"huvudbok-{year}.se")
        for a, (name, kind) in NEW_ACCOUNTS.items():
            accounts.setdefault(a, [name, kind])
        known = {(d, i) for d, i, _ in objects}
        for c in COMMITTEES:
            for i, n in c["ansvar"].items():
                if (1, i) not in known:
                    objects.append((1, i, n))
            objects.append((20, VERKSAMHET[c["id"]], c["name"].replace("nämnden", "verksamhet")))
        new = []
        for c in COMMITTEES:
            # 2023: January-August and a few September invoices (outside the period).
            new += committee_vouchers(c, year, 12 if year == 2022 else 8, rnd)
            if year == 2023:
                new += [v for v in committee_vouchers(c, year, 9, random.Random(SEED + 9))
                        if v.date.month == 9 and v.text.startswith("Leverantörsfaktura")][:3]
        new.sort(key=lambda v: (v.date, v.text))
        for n, v in enumerate(new, 1):
            v.number = n
        merged = sorted(vers + new, key=lambda v: v.date)  # stable: seed order kept
        prev = write_ledger(out / "huvudbok" / f"huvudbok-{year}.se", head, accounts, objects,
                            ib if year == 2022 else carry(prev), merged,
                            prev if year == 2023 else None)


def carry(prev):
    """Opening balances of 2023: closing balances of 2022, the year's result on equity."""
    _, ub, res = prev
    ib = dict(ub)
    ib["2010"] = ib.get("2010", 0) + sum(res.values())
    return ib


# ---------------------------------------------------------------------------------------
# Package files of the three committees
# ---------------------------------------------------------------------------------------

DELAR_TOML = """# Rapportpaket: delårsrapport per 31 augusti 2023 för {name} i Herrljunga kommun.
# Genereras av tools/gen-kommun/generate.py; ingår i kommunmappen ../kommun.toml.
# Alla sökvägar är relativa till den här mappen.

[report]
committee = "{name}"
year = 2023
through_month = 8
memo_date = "2023-09-12"
author = "{author}"
author_title = "Controller"
decision = "{decision}"
distribution = ["Nämndens sekreterare"]
for_information = ["Ekonomichef, Herrljunga kommun"]

[[municipality]]
id = "herrljunga"
name = "Herrljunga"

# Kommunens gemensamma huvudbok (SIE 4); nämndens ansvar är {scope}.
[ledger]
current = "../huvudbok/huvudbok-2023.se"
prior = "../huvudbok/huvudbok-2022.se"
scope_dimension = 1
scope_objects = ["{scope}"]

[[row]]
id = "intakter"
label = "Intäkter"
kind = "income"
accounts = ["3000-3899"]

[[row]]
id = "personalkostnader"
label = "Personalkostnader"
kind = "cost"
accounts = ["5000-5999"]

[[row]]
id = "lokalkostnader"
label = "Lokalkostnader, energi, VA"
kind = "cost"
accounts = ["6100-6299"]

[[row]]
id = "ovriga_kostnader"
label = "Övriga kostnader"
kind = "cost"
accounts = ["4000-4999", "6000-6099", "6300-7799"]

[[row]]
id = "kapitalkostnad"
label = "Kapitalkostnad"
kind = "cost"
accounts = ["7800-7899", "8400-8499"]

[[row]]
id = "kommunbidrag"
label = "Kommunbidrag"
kind = "contribution"
accounts = ["3900-3999"]

[budget]
file = "budget/budget-2023.csv"
changes = "budget/budgetforandringar-2023.csv"

[forecast]
file = "prognos/prognos-2023.csv"

[texts]
dir = "texter"

# The report's sections: only those the committee writes (no staff data, no investments).
[[section]]
id = "sammanfattning"

[[section]]
id = "verksamhetsberattelse"

[[section]]
id = "ekonomi"

[[section]]
id = "drift"
"""


def write_committee(out: Path, c):
    d = out / c["dir"]
    (d / "budget").mkdir(parents=True, exist_ok=True)
    (d / "prognos").mkdir(parents=True, exist_ok=True)
    (d / "delar.toml").write_text(DELAR_TOML.format(**c), encoding="utf-8")
    net = sum(b[2] for b in c["budget"])
    with open(d / "budget" / "budget-2023.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write("konto;ansvar;belopp\n")
        for acct, ans, kronor in c["budget"]:
            f.write(f"{acct};{ans};{kronor}.00\n")
        f.write(f"3990;{c['kb_ansvar']};{-net}.00\n")
    pay = sum(p[2] for p in c["pay_change"])
    with open(d / "budget" / "budgetforandringar-2023.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write("omrade;nyckel;forklaring;konto;ansvar;belopp\n")
        for i, (acct, ans, kronor) in enumerate(c["pay_change"]):
            note = "lönerevision från 1 april 2023" if i == 0 else ""
            key = "lonerevidering" if i == 0 else ""
            f.write(f"Lönerevidering 2023;{key};{note};{acct};{ans};{kronor}.00\n")
        f.write(f"Lönerevidering 2023;;;3990;{c['kb_ansvar']};{-pay}.00\n")
    # Forecast per row and ansvar: the budget after changes plus the managers' deviations.
    budget: dict[tuple[str, str], int] = {}
    for acct, ans, kronor in c["budget"] + c["pay_change"]:
        key = (row_of(acct), ans)
        budget[key] = budget.get(key, 0) + kronor
    budget[("kommunbidrag", c["kb_ansvar"])] = -net - pay
    comments = {(r, a): (dev, text) for r, a, dev, text in c["forecast"]}
    with open(d / "prognos" / "prognos-2023.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write("rad;ansvar;prognos;kommentar\n")
        for (r, a), v in sorted(budget.items()):
            dev, text = comments.get((r, a), (0, ""))
            f.write(f"{r};{a};{v + dev}.00;{text}\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    out: Path = ap.parse_args().out
    if out.exists():
        shutil.rmtree(out)
    kommun_ledgers(out)
    # The seed's committee: its package without its ledgers, reading the shared ones.
    it = out / "servicenamnd-it"
    shutil.copytree(SEED_PACKAGE, it, ignore=shutil.ignore_patterns("huvudbok", "README.md"))
    toml = (it / "delar.toml").read_text(encoding="utf-8")
    for year in (2023, 2022):
        old = f'"huvudbok/huvudbok-{year}.se"'
        assert old in toml
        toml = toml.replace(old, f'"../huvudbok/huvudbok-{year}.se"')
    (it / "delar.toml").write_text(toml, encoding="utf-8")
    for c in COMMITTEES:
        write_committee(out, c)
    # Hand-written parts: kommun.toml, README, texts.
    for src in sorted(STATIC.rglob("*")):
        if src.is_file():
            dst = out / src.relative_to(STATIC)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())
    print("wrote", out)


if __name__ == "__main__":
    main()
