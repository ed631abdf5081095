#!/usr/bin/env python3
"""Generates examples/kultur-fritid-2024: the report package of a committee of one
municipality (Kultur- och fritidsnämnden, Tranemo kommun), followed up per 30 April 2024
(Tertialrapport 1), with sections of its own and no investments or staff data.

Raw data only, as a municipality has it: the municipality's SIE 4 export for 2023 and for
2024 (vouchers up to 2024-05-06, with other committees' ansvar mixed in so the scope filter
matters), the original budget, the budget changes, the forecast with the managers'
comments, goals and texts. Deterministic: a fixed seed, no clock; run it twice and the
files are the same bytes.

    python3 tools/gen-example-kultur/generate.py [--out DIR]
"""
from __future__ import annotations

import argparse
import random
from pathlib import Path

SEED = 20240430
REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "examples" / "kultur-fritid-2024"
STATIC = Path(__file__).resolve().parent / "static"

# The committee's ansvar (dimension 1) and the yearly budget per account, in kronor.
ANSVAR = {
    "6000": "Kultur- och fritidsförvaltning, ledning",
    "6010": "Bibliotek",
    "6020": "Fritidsgårdar",
    "6030": "Idrotts- och fritidsanläggningar",
    "6040": "Kulturskola",
}
# Other committees in the same ledger (outside scope).
OTHER = {"2100": "Äldreomsorg", "3100": "Grundskola", "4100": "Gata och park"}

ACCOUNTS = {
    "1229": "Ack avskrivningar inventarier",
    "1930": "Bank",
    "2440": "Leverantörsskulder",
    "2710": "Personalens källskatt",
    "2920": "Upplupna semesterlöner",
    "3110": "Entréavgifter",
    "3510": "Terminsavgifter kulturskola",
    "3710": "Hyror idrottsanläggningar",
    "3810": "Statsbidrag",
    "3990": "Kommunbidrag",
    "4010": "Material och varor",
    "4610": "Bidrag till föreningar",
    "5011": "Löner månadsanställda",
    "5021": "Löner timanställda",
    "5410": "Arbetsgivaravgifter och pensioner",
    "6110": "Lokalhyror internt",
    "6210": "El och värme",
    "6420": "Böcker och medier",
    "7010": "Konsulttjänster och arrangemang",
    "7810": "Avskrivningar inventarier",
    "8410": "Internränta",
}

# Budget 2024 per (account, ansvar) in kronor (ledger sign: income negative).
BUDGET_2024 = {
    ("3110", "6030"): -1_450_000,
    ("3110", "6020"): -120_000,
    ("3510", "6040"): -980_000,
    ("3710", "6030"): -2_150_000,
    ("3810", "6040"): -640_000,
    ("3810", "6010"): -210_000,
    ("5011", "6000"): 2_350_000,
    ("5011", "6010"): 4_120_000,
    ("5011", "6020"): 3_260_000,
    ("5011", "6030"): 2_870_000,
    ("5011", "6040"): 5_430_000,
    ("5021", "6020"): 640_000,
    ("5021", "6030"): 410_000,
    ("5410", "6000"): 940_000,
    ("5410", "6010"): 1_650_000,
    ("5410", "6020"): 1_560_000,
    ("5410", "6030"): 1_310_000,
    ("5410", "6040"): 2_170_000,
    ("6110", "6010"): 1_880_000,
    ("6110", "6020"): 1_240_000,
    ("6110", "6030"): 6_950_000,
    ("6110", "6040"): 1_120_000,
    ("6210", "6030"): 1_780_000,
    ("4010", "6010"): 160_000,
    ("4010", "6020"): 230_000,
    ("4010", "6030"): 540_000,
    ("4010", "6040"): 310_000,
    ("4610", "6000"): 2_900_000,
    ("6420", "6010"): 720_000,
    ("7010", "6000"): 380_000,
    ("7010", "6040"): 260_000,
    ("7810", "6030"): 1_190_000,
    ("7810", "6010"): 140_000,
    ("8410", "6030"): 310_000,
}

# How the year's amounts fall per month (per mille; sums to 1000 per profile).
PROFILE = {
    "flat": [83, 83, 84, 83, 83, 84, 83, 83, 84, 83, 83, 84],
    "pay": [84, 82, 84, 83, 84, 86, 118, 56, 80, 82, 83, 78],
    "season": [110, 105, 100, 95, 80, 40, 20, 25, 95, 110, 110, 110],
    "grants": [0, 480, 0, 0, 0, 0, 0, 0, 520, 0, 0, 0],
    "terms": [0, 500, 0, 0, 0, 0, 0, 0, 500, 0, 0, 0],
    "state": [0, 0, 500, 0, 0, 0, 0, 0, 0, 500, 0, 0],
    "energy": [150, 140, 120, 80, 50, 30, 25, 30, 60, 90, 110, 115],
}
PROFILE_OF = {
    "3110": "season", "3510": "terms", "3710": "season", "3810": "state",
    "5011": "pay", "5021": "pay", "5410": "pay", "6210": "energy",
    "4610": "grants",
}

# What happened in 2024, as outcome Jan-Apr relative to budget (per mille of the
# profiled budget): these are the deviations the forecast comments explain.
DEVIATION_2024 = {
    ("3110", "6030"): 880,   # the swimming hall closed three weeks in March
    ("3710", "6030"): 920,
    ("5021", "6020"): 1310,  # more extra staff at the youth centres
    ("6210", "6030"): 1180,  # higher energy prices
    ("6420", "6010"): 1120,
    ("7010", "6040"): 1450,  # the culture school's spring concert
}
# 2023 was a calmer year: everything at 96 % of 2024's budget, with noise.
LEVEL_2023 = 960

SUPPLIERS = ["Ahlsell AB", "Bokus AB", "Adlibris AB", "Ellevio AB", "Staples Sverige AB",
             "Stadium AB", "Tranemo Energi AB", "Musikhuset i Borås AB", "Inet AB"]


def kr(ore: int) -> str:
    sign = "-" if ore < 0 else ""
    ore = abs(ore)
    return f"{sign}{ore // 100}.{ore % 100:02d}"


def month_days(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def budget_2024_ore():
    return {k: v * 100 for k, v in BUDGET_2024.items()}


def monthly(total_ore: int, profile: str) -> list[int]:
    """The year's amount per month by the profile, in öre, summing exactly to the total."""
    weights = PROFILE[profile]
    parts = [total_ore * w // 1000 for w in weights]
    parts[11] += total_ore - sum(parts)
    return parts


def kommunbidrag(budget: dict) -> int:
    """Budgeted net cost, öre (the kommunbidrag that balances it)."""
    return sum(v for (a, _), v in budget.items() if a != "3990")


def ledger(year: int, rnd: random.Random, last_month: int, last_day: int):
    """Vouchers of one year: list of (date, text, [(account, ansvar or None, öre)])."""
    budget = budget_2024_ore()
    vouchers = []
    for (acct, ansvar), total in sorted(budget.items()):
        if year == 2024:
            dev = DEVIATION_2024.get((acct, ansvar), 1000)
        else:
            dev = LEVEL_2023
        base = monthly(total, PROFILE_OF.get(acct, "flat"))
        for m in range(1, last_month + 1):
            amount = base[m - 1] * dev // 1000
            if amount == 0:
                continue
            # Noise of ±3 % on everything but grants and internal rents.
            if acct not in ("4610", "6110", "7810", "8410"):
                amount = amount * (1000 + rnd.randint(-30, 30)) // 1000
            amount -= amount % 100  # whole kronor in the ledger, mostly
            if acct in ("4010", "6420", "7010", "6210") and amount > 0:
                # Several invoices a month.
                n = rnd.randint(2, 4)
                cuts = sorted(rnd.sample(range(1, 100), n - 1))
                shares = [b - a for a, b in zip([0] + cuts, cuts + [100])]
                parts = [amount * s // 100 for s in shares]
                parts[-1] += amount - sum(parts)
                for p in parts:
                    day = rnd.randint(2, min(28, month_days(year, m)))
                    supplier = rnd.choice(SUPPLIERS)
                    vouchers.append(((year, m, day), f"Faktura {supplier}",
                                     [(acct, ansvar, p), ("2440", None, -p)]))
                continue
            day = {"5011": 25, "5021": 25, "5410": 25, "4610": 15, "6110": 1,
                   "7810": month_days(year, m), "8410": month_days(year, m)}.get(acct)
            if day is None:
                day = rnd.randint(3, min(28, month_days(year, m)))
            if m == last_month and day > last_day:
                day = last_day
            text = {
                "5011": "Lön", "5021": "Lön timanställda", "5410": "PO-pålägg",
                "4610": "Föreningsbidrag", "6110": "Internhyra", "7810": "Avskrivningar",
                "8410": "Internränta", "3110": "Kassaredovisning entréer",
                "3510": "Terminsavgifter", "3710": "Uthyrning anläggningar",
                "3810": "Statsbidrag",
            }[acct]
            other = {"5011": "2710", "5021": "2710", "5410": "2920", "7810": "1229",
                     "8410": "1930", "6110": "1930"}.get(acct, "1930")
            vouchers.append(((year, m, day), text, [(acct, ansvar, amount), (other, None, -amount)]))
    kb_month = monthly(-kommunbidrag(budget) * (1000 if year == 2024 else LEVEL_2023) // 1000, "flat")
    for m in range(1, last_month + 1):
        vouchers.append(((year, m, 1), "Kommunbidrag",
                         [("3990", "6000", kb_month[m - 1]), ("1930", None, -kb_month[m - 1])]))
    # Other committees of the municipality (outside scope).
    for m in range(1, last_month + 1):
        for ansvar in OTHER:
            amount = rnd.randint(200_000, 900_000) * 100
            vouchers.append(((year, m, 25), "Lön", [("5011", ansvar, amount), ("2710", None, -amount)]))
    # A budget change decided in March 2024: a new youth centre opens in April.
    vouchers.sort(key=lambda v: (v[0], v[1], v[2][0][0], v[2][0][1] or ""))
    return vouchers


def q(s: str) -> str:
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def write_sie(path: Path, year: int, vouchers, gen: str):
    lines = [
        "#FLAGGA 0",
        "#FORMAT PC8",
        "#SIETYP 4",
        '#PROGRAM "Raindance" "2024.1"',
        f"#GEN {gen}",
        '#FNAMN "Tranemo kommun"',
        "#ORGNR 212000-1488",
        f"#RAR 0 {year}0101 {year}1231",
        f"#RAR -1 {year - 1}0101 {year - 1}1231",
        '#KPTYP "KBAS"',
        '#DIM 1 "Ansvar"',
    ]
    for k, name in sorted({**ANSVAR, **OTHER}.items()):
        lines.append(f"#OBJEKT 1 {q(k)} {q(name)}")
    for acct, name in sorted(ACCOUNTS.items()):
        lines.append(f"#KONTO {acct} {q(name)}")
    for n, ((y, m, d), text, rows) in enumerate(vouchers, start=1):
        assert sum(r[2] for r in rows) == 0
        lines.append(f"#VER A {n} {y}{m:02d}{d:02d} {q(text)}")
        lines.append("{")
        for acct, ansvar, amount in rows:
            objs = f'{{1 "{ansvar}"}}' if ansvar else "{}"
            lines.append(f"   #TRANS {acct} {objs} {kr(amount)}")
        lines.append("}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp437"))


def write_budget(out: Path):
    budget = budget_2024_ore()
    rows = ["konto;ansvar;belopp"]
    for (acct, ansvar), v in sorted(budget.items()):
        rows.append(f"{acct};{ansvar};{kr(v)}")
    rows.append(f"3990;6000;{kr(-kommunbidrag(budget))}")
    (out / "budget").mkdir(parents=True, exist_ok=True)
    (out / "budget" / "budget-2024.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    changes = [
        "omrade;nyckel;forklaring;konto;ansvar;belopp",
        "Lönerevidering 2024;lonerevidering;avser löner april–december 2024;5011;6010;98000.00",
        "Lönerevidering 2024;lonerevidering;;5011;6020;77000.00",
        "Lönerevidering 2024;lonerevidering;;5011;6030;68000.00",
        "Lönerevidering 2024;lonerevidering;;5011;6040;129000.00",
        "Lönerevidering 2024;lonerevidering;;3990;6000;-372000.00",
        "Fritidsgård Centrum;fritidsgard;ny fritidsgård från april, beslut KF 2024-03-18 § 24;5011;6020;420000.00",
        "Fritidsgård Centrum;fritidsgard;;6110;6020;180000.00",
        "Fritidsgård Centrum;fritidsgard;;3990;6000;-600000.00",
    ]
    (out / "budget" / "budgetforandringar-2024.csv").write_text("\n".join(changes) + "\n", encoding="utf-8")


def write_forecast(out: Path):
    # Full-year forecast per row and ansvar (kronor), with the managers' comments.
    lines = [
        "rad;ansvar;prognos;kommentar",
        "intakter;6010;-210000.00;",
        "intakter;6020;-120000.00;",
        "intakter;6030;-3280000.00;Badhuset var stängt tre veckor i mars för reparation av reningsverket, entréintäkterna kommer inte igen",
        "intakter;6040;-1620000.00;",
        "personalkostnader;6000;3290000.00;",
        "personalkostnader;6010;5868000.00;",
        "personalkostnader;6020;6117000.00;Fler timanställda på fritidsgårdarna under vintern, bemanningen ses över inför hösten",
        "personalkostnader;6030;4658000.00;",
        "personalkostnader;6040;7729000.00;",
        "lokalkostnader;6010;1880000.00;",
        "lokalkostnader;6020;1420000.00;",
        "lokalkostnader;6030;9050000.00;Högre el- och värmepriser än budgeterat i idrottshallarna och badhuset",
        "lokalkostnader;6040;1120000.00;",
        "ovriga_kostnader;6000;3280000.00;",
        "ovriga_kostnader;6010;930000.00;Inköp av e-böcker har ökat mer än väntat",
        "ovriga_kostnader;6020;230000.00;",
        "ovriga_kostnader;6030;540000.00;",
        "ovriga_kostnader;6040;690000.00;Vårkonserten blev dyrare, inköp av instrument skjuts till 2025 för att hålla ramen",
        "kapitalkostnad;6010;140000.00;",
        "kapitalkostnad;6030;1500000.00;",
        "kommunbidrag;6000;-42242000.00;Enligt budget efter beslutade förändringar",
    ]
    (out / "prognos").mkdir(parents=True, exist_ok=True)
    (out / "prognos" / "prognos-2024.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    out: Path = args.out
    rnd = random.Random(SEED)
    write_sie(out / "huvudbok" / "huvudbok-2023.se", 2023, ledger(2023, rnd, 12, 31), "20240115")
    v2024 = ledger(2024, rnd, 5, 6)
    write_sie(out / "huvudbok" / "huvudbok-2024.se", 2024, v2024, "20240506")
    write_budget(out)
    write_forecast(out)
    for src in sorted(STATIC.rglob("*")):
        if src.is_file():
            dst = out / src.relative_to(STATIC)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())


if __name__ == "__main__":
    main()
