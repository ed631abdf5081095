#!/usr/bin/env python3
"""Generate the example report package examples/servicenamnd-it-2023/.

The package is a test fixture built to reproduce the seed report (the interim report per
31 August 2023 of the joint IT committee of Herrljunga and Vårgårda). This script holds the
design targets (row totals in öre, the municipality split, the staff percentages); the
package it writes holds only raw records: SIE 4 vouchers, budget lines, forecast lines,
register lines, employments and sick spells. Every figure of the report must come out of
the engine's computation on those records (see tools/gen-example/verify.py).

Deterministic: fixed random seed, no clock. Python 3.11, standard library only.

    python3 tools/gen-example/generate.py [--out DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from fractions import Fraction
from pathlib import Path

SEED = 20230831
REPO = Path(__file__).resolve().parents[2]
DEFAULT_OUT = REPO / "examples" / "servicenamnd-it-2023"

# ---------------------------------------------------------------------------------------
# Design (test-fixture input). Amounts in öre, ledger signs (income negative).
# ---------------------------------------------------------------------------------------

KEY_GEMENSAM_H = Fraction(4300, 10000)  # "43.00" / "57.00"
KEY_KAPITAL_H = Fraction(4778, 10000)  # "47.78" / "52.22"

# Row totals Jan-Aug (utfall) chosen so that every cell rounds to the seed both
# independently and with largest remainder, and nettokostnad has the fraction .8 tkr that
# the seed's Herrljunga + Vårgårda (rounded on their own) lose.
UTFALL = {
    2022: {
        "intakter": -445723855,
        "personalkostnader": 619331240,
        "ovriga_kostnader": 891494827,
        "kapitalkostnad": 373479118,
    },
    2023: {
        "intakter": -513144719,
        "personalkostnader": 890810347,
        "ovriga_kostnader": 993008176,
        "kapitalkostnad": 387206739,
    },
}
# Herrljunga's exact share of nettokostnad (fraction .45 tkr; Vårgårda gets ~.35).
NETTO_H = {2022: 622045000, 2023: 771245000, "budget": 1227945000}
# Specific (one municipality only) amounts per year and row; Övriga kostnader on 8520
# (Herrljungaspec) is solved so that Herrljunga's share hits NETTO_H.
SPECIFIC = {
    2022: {"intakter": {"H": -15000000, "V": -20000000}, "ovriga_kostnader": {"V": 95000000}},
    2023: {"intakter": {"H": -38000000, "V": -30000000}, "ovriga_kostnader": {"V": 85000000}},
}
# Kommunbidrag per month (kronor in öre): Herrljunga internal, Vårgårda invoiced a conto.
KB_MONTH = {2022: {"H": 70010000, "V": 89255000}, 2023: {"H": 102328750, "V": 112382500}}

# Budget 2023 after changes: row totals and the changes themselves.
BUDGET_TOTAL = {
    "intakter": -801320000,
    "personalkostnader": 1288090000,
    "ovriga_kostnader": 1553020000,
    "kapitalkostnad": 561390000,
}
LONEREVIDERING = 26800000  # on 8520, personalkostnader
KAPITAL_CHANGE = 38300000  # on 8520, kapitalkostnad
FORECAST_SHIFT = 20000000  # more income and more other costs, on common ansvar

INVEST_2023_9101 = 23791240  # Reinvestering IT, Jan-Aug 2023

# Staff targets (percent, truncated to two decimals).
STAFF_TARGET = {
    "sjuk_total": 317, "sjuk_k": 146, "sjuk_m": 426,
    "lang_total": 1950, "lang_m": 2379, "heltid_k": 4029, "heltid_m": 5970,
}

HOLIDAYS = {
    2022: ["0101", "0106", "0415", "0418", "0526", "0606", "0624", "1226"],
    2023: ["0106", "0407", "0410", "0501", "0518", "0606", "0623", "1225", "1226"],
}

# ---------------------------------------------------------------------------------------
# Chart of accounts and objects (as in Herrljunga kommun's export).
# ---------------------------------------------------------------------------------------

ACCOUNTS = {
    "1120": ("Verksamhetsfastigheter", "T"),
    "1221": ("Inventarier datorer och IT-utrustning", "T"),
    "1229": ("Ack avskrivningar datorer och IT-utrustning", "T"),
    "1511": ("Kundfordringar", "T"),
    "1930": ("Bank", "T"),
    "2010": ("Eget kapital", "S"),
    "2440": ("Leverantörsskulder", "S"),
    "2710": ("Personalens källskatt", "S"),
    "2730": ("Lagstadgade sociala avgifter och pensioner", "S"),
    "3450": ("Försäljning av IT-tjänster", "I"),
    "3451": ("Försäljning av IT-tjänster till Vårgårda kommun", "I"),
    "3510": ("Vidarefakturering licenser och telefoni", "I"),
    "3620": ("Bidrag från Arbetsförmedlingen", "I"),
    "3990": ("Kommunbidrag", "I"),
    "3991": ("Bidrag från Vårgårda kommun", "I"),
    "4540": ("Förbrukningsinventarier IT", "K"),
    "5011": ("Månadslön", "K"),
    "5410": ("Sociala avgifter enligt lag och avtal", "K"),
    "5610": ("Kurser och konferenser", "K"),
    "5810": ("Pensionskostnader", "K"),
    "6310": ("Leasing av IT-utrustning", "K"),
    "6410": ("Licenser och programvaror", "K"),
    "6420": ("Tele- och datakommunikation", "K"),
    "6550": ("IT-tjänster", "K"),
    "6590": ("Övriga främmande tjänster", "K"),
    "7010": ("Reparation och underhåll inventarier", "K"),
    "7110": ("Resekostnader", "K"),
    "7830": ("Avskrivningar inventarier", "K"),
    "7990": ("Kommunbidrag, intern fördelning", "K"),
    "8011": ("Preliminär kommunalskatt", "I"),
    "8410": ("Intern ränta", "K"),
    "8490": ("Intern ränta, intäkt", "I"),
}

ANSVAR = {
    "1100": "Kommunstyrelsen",
    "1900": "Finansförvaltning",
    "3100": "Bildningsnämnden",
    "4100": "Socialnämnden",
    "8510": "IT gemensamt",
    "8511": "Växel och telefoni",
    "8520": "IT Herrljungaspec",
    "8530": "IT Vårgårdaspec",
}
VERKSAMHET = {
    "100": "Politisk verksamhet",
    "407": "Grundskola",
    "510": "Vård och omsorg",
    "920": "IT-verksamhet",
    "921": "Växel och telefoni",
    "930": "Finansiering",
}
VERK_OF = {"1100": "100", "1900": "930", "3100": "407", "4100": "510",
           "8510": "920", "8511": "921", "8520": "920", "8530": "920"}
PROJEKT = {
    "4105": "Tillbyggnad Altorpskolan",
    "9101": "Reinvestering IT",
    "9201": "Ombyggnation Wifi Bildning",
    "9202": "Reinv trådlöst nätverk Hlj",
    "9301": "Nätverk",
}
CLASS_OF = {"8510": "C", "8511": "C", "8520": "H", "8530": "V"}

SUPPLIERS = {
    "6410": ["Microsoft Ireland Operations Ltd", "Visma Public Sector AB", "Formpipe Software AB",
             "Tietoevry Sweden AB", "Sokigo AB", "Adobe Systems Software Ireland", "Lime Technologies AB"],
    "6420": ["Telia Sverige AB", "Tele2 Sverige AB", "IP-Only Networks AB", "Telavox AB", "Zitius Service Delivery AB"],
    "6550": ["Advania Sverige AB", "CGI Sverige AB", "Inera AB", "Conscia Sverige AB", "Cygate AB", "Axians AB"],
    "4540": ["Atea Sverige AB", "Dustin Sverige AB", "Komplett Services AB"],
    "6310": ["Atea Finance AB", "Dustin Finance AB"],
    "6590": ["Adda Inköpscentral AB", "Postnord Sverige AB", "Iron Mountain AB"],
    "7010": ["Elektroskandia AB", "Atea Sverige AB"],
    "7110": ["Västtrafik AB", "SJ AB"],
    "5610": ["Dataföreningen i Sverige", "SKR Företag AB", "Ability Partner AB"],
}


# ---------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------

def kr(ore: int) -> str:
    """Öre as a SIE/CSV amount: kronor with two decimals, '.' decimal point."""
    sign = "-" if ore < 0 else ""
    a = abs(ore)
    return f"{sign}{a // 100}.{a % 100:02d}"


def workdays(year: int, start: dt.date, end: dt.date) -> list[dt.date]:
    hol = {dt.date(year, int(h[:2]), int(h[2:])) for h in HOLIDAYS[year]}
    out = []
    d = start
    while d <= end:
        if d.weekday() < 5 and d not in hol:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


def weekday_in_month(rnd: random.Random, year: int, month: int, lo: int = 1, hi: int = 31) -> dt.date:
    days = [d for d in workdays(year, dt.date(year, month, 1), month_end(year, month)) if lo <= d.day <= hi]
    return rnd.choice(days)


def objs(ansvar: str | None = None, projekt: str | None = None) -> dict[int, str]:
    o: dict[int, str] = {}
    if ansvar:
        o[1] = ansvar
        o[20] = VERK_OF[ansvar]
    if projekt:
        o[6] = projekt
    return o


class Line:
    __slots__ = ("acct", "objs", "nat", "amt", "bucket", "text")

    def __init__(self, acct, o, nat=None, amt=None, bucket=None):
        self.acct, self.objs, self.nat, self.amt, self.bucket = acct, o, nat, amt, bucket


class Voucher:
    def __init__(self, series, date, text, lines, finish):
        self.series, self.date, self.text, self.lines, self.finish = series, date, text, lines, finish
        self.number = 0


def bal_to(acct, o=None):
    """Finish: one balancing line on acct."""
    def f(v):
        s = sum(l.amt for l in v.lines)
        v.lines.append(Line(acct, o or {}, amt=-s))
    return f


def row_of(acct: str) -> str | None:
    a = int(acct)
    if 3000 <= a <= 3899:
        return "intakter"
    if 3900 <= a <= 3999:
        return "kommunbidrag"
    if 5000 <= a <= 5999:
        return "personalkostnader"
    if 6100 <= a <= 6299:
        return "lokalkostnader"
    if 4000 <= a <= 4999 or 6000 <= a <= 6099 or 6300 <= a <= 7799:
        return "ovriga_kostnader"
    if 7800 <= a <= 7899 or 8400 <= a <= 8499:
        return "kapitalkostnad"
    return None


# ---------------------------------------------------------------------------------------
# Staff (HR records 2023 and the payroll roster for both years)
# ---------------------------------------------------------------------------------------

def build_staff(rnd: random.Random):
    """Roster with kön, birth year, rate, schedule, ansvar, hire/leave dates, salary."""
    P = []

    def add(kon, born, rate, ansvar, salary, hired="2016-03-01", left=None, week=40.0):
        P.append(dict(kon=kon, born=born, rate=rate, ansvar=ansvar, salary=round(salary * 0.84, -2),
                      hired=dt.date.fromisoformat(hired),
                      left=dt.date.fromisoformat(left) if left else None, week=week))

    # Women (12): 9 full time (one hired 2023), 3 part time.
    add("K", 1978, 100, "8510", 52400)                     # IT-chef
    add("K", 1985, 100, "8510", 39800, hired="2022-08-15")
    add("K", 1969, 100, "8511", 29900, week=38.25)
    add("K", 1990, 100, "8510", 36200, hired="2022-10-01")
    add("K", 1972, 100, "8511", 29100, week=38.25)
    add("K", 1981, 100, "8510", 41500, hired="2022-06-01")
    add("K", 1996, 100, "8510", 31800, hired="2022-09-01")
    add("K", 1964, 100, "8511", 30400, week=38.25)
    add("K", 1992, 100, "8510", 38900, hired="2023-02-13")  # new hire (start solved)
    add("K", 1975, 75, "8511", 28700, week=38.25)
    add("K", 1960, 80, "8510", 35100)
    add("K", 1999, 50, "8510", 27400, hired="2022-11-01")
    # Men (18): 13 full time (one hired 2023), 5 part time.
    add("M", 1983, 100, "8510", 44700)
    add("M", 1962, 100, "8510", 40300)
    add("M", 1988, 100, "8510", 38600, hired="2022-08-22")
    add("M", 1991, 100, "8510", 37200)
    add("M", 1997, 100, "8510", 31900, hired="2022-09-01")
    add("M", 1979, 100, "8510", 43100)
    add("M", 1986, 100, "8510", 39400, hired="2022-05-02")
    add("M", 1966, 100, "8511", 30800, week=38.25)
    add("M", 1993, 100, "8510", 35800, hired="2022-12-01")
    add("M", 1984, 100, "8510", 41200)
    add("M", 2000, 100, "8510", 29800, hired="2022-10-15")
    add("M", 1975, 100, "8510", 42500)
    add("M", 1987, 100, "8510", 40100, hired="2023-03-06")  # new hire (start solved)
    add("M", 1970, 75, "8511", 29400, week=38.25)
    add("M", 1958, 80, "8510", 36900)
    add("M", 1995, 75, "8510", 30600)
    add("M", 1981, 90, "8510", 38200, hired="2022-09-19")
    add("M", 1989, 75, "8510", 33700, hired="2022-11-14")
    # Left during 2022 (payroll 2022 only, not in the 2023 HR file).
    add("M", 1961, 100, "8510", 42800, left="2022-06-30")
    add("K", 1988, 100, "8510", 37600, left="2022-08-31")
    return P


def hours_2023(p, start=None) -> int:
    """Ordinary hours Jan-Aug 2023 in hundredths."""
    s = max(start or p["hired"], dt.date(2023, 1, 1))
    days = len(workdays(2023, s, dt.date(2023, 8, 31)))
    per_day = Fraction(str(p["week"])) / 5 * Fraction(p["rate"], 100)
    return int(round(days * per_day * 100))


def pct(num: int, den: int) -> int:
    """Percent in hundredths, truncated (the kommun's HR statistics)."""
    return (num * 10000) // den


def solve_staff(P):
    """Choose the two 2023 hires' start dates so that the full-time shares truncate to the
    seed, then choose sick hours so that every sick-leave figure truncates to the seed."""
    cur = [p for p in P if p["left"] is None]
    iw = next(i for i, p in enumerate(cur) if p["kon"] == "K" and p["hired"].year == 2023)
    im = next(i for i, p in enumerate(cur) if p["kon"] == "M" and p["hired"].year == 2023)
    starts_w = workdays(2023, dt.date(2023, 1, 16), dt.date(2023, 4, 28))
    starts_m = workdays(2023, dt.date(2023, 1, 16), dt.date(2023, 5, 31))
    best = None
    for sw in starts_w:
        for sm in starts_m:
            h = []
            for i, p in enumerate(cur):
                st = sw if i == iw else sm if i == im else None
                h.append(hours_2023(p, st))
            fw = sum(x for x, p in zip(h, cur) if p["kon"] == "K" and p["rate"] == 100)
            fm = sum(x for x, p in zip(h, cur) if p["kon"] == "M" and p["rate"] == 100)
            if pct(fw, fw + fm) != STAFF_TARGET["heltid_k"] or pct(fm, fw + fm) != STAFF_TARGET["heltid_m"]:
                continue
            wo = sum(x for x, p in zip(h, cur) if p["kon"] == "K")
            mo = sum(x for x, p in zip(h, cur) if p["kon"] == "M")
            sick = solve_sick(wo, mo)
            if sick:
                # prefer starts near the roster's planned dates
                score = abs((sw - cur[iw]["hired"]).days) + abs((sm - cur[im]["hired"]).days)
                if best is None or score < best[0]:
                    best = (score, sw, sm, h, sick)
    assert best, "no staff solution"
    _, sw, sm, h, sick = best
    cur[iw]["hired"] = sw
    cur[im]["hired"] = sm
    for p, x in zip(cur, h):
        p["hours"] = x
    return cur, sick


def solve_sick(wo: int, mo: int):
    """Sick hours (hundredths) for women, men and men's long-term, meeting all targets."""
    t = STAFF_TARGET
    ws_lo = -(-wo * t["sjuk_k"] // 10000)
    ms_lo = -(-mo * t["sjuk_m"] // 10000)
    best = None
    for ws in range(ws_lo, ws_lo + 400):
        if pct(ws, wo) != t["sjuk_k"]:
            break
        for ms in range(ms_lo, ms_lo + 400):
            if pct(ms, mo) != t["sjuk_m"]:
                break
            if pct(ws + ms, wo + mo) != t["sjuk_total"]:
                continue
            lo = ms * t["lang_m"] // 10000
            for L in range(lo, lo + 30):
                if pct(L, ms) == t["lang_m"] and pct(L, ws + ms) == t["lang_total"]:
                    mid = abs(Fraction(ws * 10000, wo) - Fraction(2 * t["sjuk_k"] + 1, 2))
                    if best is None or mid < best[0]:
                        best = (mid, ws, ms, L)
    return best[1:] if best else None


def sick_spells(rnd: random.Random, cur, sick):
    """Spread the sick hours over spells: short spells for women and men, two men with
    long spells (60 days or more)."""
    ws, ms, L = sick
    spells = []
    busy: dict[str, set] = {}
    women = [p for p in cur if p["kon"] == "K"]
    men = [p for p in cur if p["kon"] == "M"]

    def short_spells(people, total):
        # short spells of 1-9 workdays; hours follow the schedule, the last takes the rest.
        out = []
        left = total
        while left > 0:
            p = rnd.choice(people)
            per_day = int(round(Fraction(str(p["week"])) / 5 * Fraction(p["rate"], 100) * 100))
            start_lo = max(p["hired"], dt.date(2023, 1, 2))
            d0 = rnd.choice(workdays(2023, start_lo, dt.date(2023, 8, 18)))
            nd = rnd.choice([1, 1, 2, 2, 3, 3, 4, 5, 7, 9])
            h = per_day * nd
            if h >= left:
                h = left
                nd = max(1, -(-h // per_day))
            wd = workdays(2023, d0, d0 + dt.timedelta(days=40))[:nd]
            span = {wd[0] + dt.timedelta(days=i) for i in range(-2, (wd[-1] - wd[0]).days + 3)}
            if span & busy.setdefault(p["id"], set()):
                continue
            busy[p["id"]] |= span
            out.append([p, wd[0], wd[-1], h])
            left -= h
        return out

    spells += short_spells(women, ws)
    long_men = [p for p in men if p["hired"].year < 2022 and p["rate"] == 100][:2]
    L1 = int(L * 0.56)
    L2 = L - L1
    # Man A: sick from November 2022 into January 2023 (61 days, most of it before the period).
    spells.append([long_men[0], dt.date(2022, 11, 21), dt.date(2023, 1, 27), L1])
    # Man B: 25 % sick leave April-June 2023 (75 days).
    spells.append([long_men[1], dt.date(2023, 4, 3), dt.date(2023, 6, 16), L2])
    others = [p for p in men if p not in long_men]
    spells += short_spells(others, ms - L)
    spells.sort(key=lambda s: (s[1], s[0]["id"]))
    return spells


# ---------------------------------------------------------------------------------------
# Ledger
# ---------------------------------------------------------------------------------------

def month_pay(p, year, month) -> float | None:
    """Natural gross monthly salary of a person, or None if not employed that month."""
    first, last = dt.date(year, month, 1), month_end(year, month)
    if p["hired"] > last or (p["left"] and p["left"] < first):
        return None
    s = p["salary"] * p["rate"] / 100
    if year == 2022:
        s /= 1.021  # before the 2023 pay revision
    elif month >= 4:
        s *= 1.0  # revision paid from April (retroactive in May)
    if p["hired"] > first:
        s *= (last.day - p["hired"].day + 1) / last.day
    return s


def build_ledger(year: int, rnd: random.Random, staff, sick_rnd_unused=None):
    V: list[Voucher] = []
    last_month = 12 if year == 2022 else 9
    last_day = dt.date(year, 12, 31) if year == 2022 else dt.date(2023, 9, 5)

    def add(series, date, text, lines, finish):
        if date <= last_day:
            V.append(Voucher(series, date, text, lines, finish))

    def L(acct, ansvar=None, nat=None, projekt=None, amt=None):
        o = objs(ansvar, projekt)
        b = None
        if ansvar in CLASS_OF and isinstance(nat, float):
            b = (row_of(acct), CLASS_OF[ansvar])
        return Line(acct, o, nat=nat, amt=amt, bucket=b)

    invno = [5100000 + (year - 2022) * 300000]

    def inv():
        # supplier invoice numbers: each supplier has its own series
        invno[0] += 1
        return rnd.randint(10000, 9999999)

    # -- Salaries (series L): aggregated per ansvar and account, paid the 25th.
    other_staff = {"1100": 410000.0, "3100": 3650000.0, "4100": 5120000.0}
    for m in range(1, last_month + 1):
        d = dt.date(year, m, 25)
        while d.weekday() >= 5:
            d -= dt.timedelta(days=1)
        gross: dict[str, float] = {}
        for p in staff:
            s = month_pay(p, year, m)
            if s is None:
                continue
            s *= rnd.uniform(0.985, 1.03)  # overtime, on-call, deductions
            if m == 6:
                s *= 1.06  # semestertillägg
            if year == 2023 and m == 5:
                s *= 1.018  # retroactive pay revision Apr (paid in May)
            gross[p["ansvar"]] = gross.get(p["ansvar"], 0.0) + s
        for a, base in other_staff.items():
            gross[a] = base * (1.03 if year == 2023 else 1.0) * rnd.uniform(0.97, 1.04) * (1.06 if m == 6 else 1)
        lines = []
        for a in sorted(gross):
            g = gross[a]
            lines.append(L("5011", a, nat=-0.0 + g))
            lines.append(L("5410", a, nat=g * 0.3142))
            lines.append(L("5810", a, nat=g * 0.0745))
        def fin(v):
            g = sum(l.amt for l in v.lines if l.acct == "5011")
            soc = sum(l.amt for l in v.lines if l.acct in ("5410", "5810"))
            tax = int(round(g * 0.302))
            v.lines.append(Line("2710", {}, amt=-tax))
            v.lines.append(Line("2730", {}, amt=-soc))
            v.lines.append(Line("1930", {}, amt=-(g - tax)))
        add("L", d, f"Lön {year}-{m:02d}", lines, fin)

    # -- Courses (5610), a few a year, common ansvar.
    for m in range(1, last_month + 1):
        if m in (7, 12):
            continue
        for _ in range(rnd.choice([0, 1, 1, 2])):
            d = weekday_in_month(rnd, year, m)
            sup = rnd.choice(SUPPLIERS["5610"])
            add("A", d, f"{sup} fakt {inv()}", [L("5610", "8510", nat=rnd.uniform(2500, 18000))], bal_to("2440"))

    # -- Supplier invoices, other costs (series A).
    spec_acc = {"C": [("6410", 30), ("6420", 22), ("6550", 20), ("4540", 11), ("6310", 9), ("6590", 4), ("7010", 2), ("7110", 2)],
                "H": [("6410", 60), ("6550", 25), ("4540", 15)],
                "V": [("6410", 55), ("6550", 30), ("4540", 15)]}
    for m in range(1, last_month + 1):
        # Annual licences in January (periodiseringseffekt), the rest spread.
        if m == 1:
            for sup, amt in [("Microsoft Ireland Operations Ltd", 1180000.0), ("Visma Public Sector AB", 312000.0),
                             ("Tietoevry Sweden AB", 268000.0), ("Formpipe Software AB", 96000.0)]:
                d = weekday_in_month(rnd, year, 1, 9, 27)
                add("A", d, f"{sup} fakt {inv()} årslicens", [L("6410", "8510", nat=amt * rnd.uniform(0.95, 1.08))], bal_to("2440"))
        # Telephony: Telia invoice split between växel and other committees' phones.
        d = weekday_in_month(rnd, year, m, 3, 12)
        add("A", d, f"Telia Sverige AB fakt {inv()} mobil och fast telefoni", [
            L("6420", "8511", nat=rnd.uniform(52000, 61000)),
            L("6420", "1100", nat=rnd.uniform(8000, 11000)),
            L("6420", "3100", nat=rnd.uniform(21000, 26000)),
        ], bal_to("2440"))
        n = rnd.randint(18, 30)
        accs, w = zip(*spec_acc["C"])
        for _ in range(n):
            a = rnd.choices(accs, weights=w)[0]
            ans = "8511" if (a == "6420" and rnd.random() < 0.6) else "8510"
            sup = rnd.choice(SUPPLIERS[a])
            amt = rnd.lognormvariate(9.9, 0.9)
            d = weekday_in_month(rnd, year, m)
            lines = [L(a, ans, nat=amt)]
            if rnd.random() < 0.12:  # invoice shared with another committee
                lines.append(L(a, rnd.choice(["1100", "3100", "4100"]), nat=amt * rnd.uniform(0.1, 0.6)))
            add("A", d, f"{sup} fakt {inv()}", lines, bal_to("2440"))
        for cls, ans, cnt in (("H", "8520", (1, 3) if year == 2022 else (1, 4)), ("V", "8530", (1, 4))):
            accs, w = zip(*spec_acc[cls])
            for _ in range(rnd.randint(*cnt)):
                a = rnd.choices(accs, weights=w)[0]
                sup = rnd.choice(SUPPLIERS[a])
                d = weekday_in_month(rnd, year, m)
                mu = 10.1 if (year == 2022 and cls == "H") else 10.35
                add("A", d, f"{sup} fakt {inv()}", [L(a, ans, nat=rnd.lognormvariate(mu, 0.7))], bal_to("2440"))
        # Payment of supplier invoices (leverantörsreskontra), end of month.
        # (added after scaling, see pay_suppliers)

    # -- Income (series K customer invoices, series M internal).
    for m in range(1, last_month + 1):
        d = month_end(year, m)
        while d.weekday() >= 5:
            d -= dt.timedelta(days=1)
        # Internal sale of IT services to Herrljunga's committees.
        lines = []
        for a in ("1100", "3100", "4100"):
            amt = {"1100": 61000, "3100": 148000, "4100": 122000}[a] * rnd.uniform(0.93, 1.07)
            lines.append(L("3450", "8510", nat=-amt))
            lines.append(L("6550", a, nat=("mirror", len(lines) - 1)))
        add("M", d, f"Internfakturering IT-tjänster {year}-{m:02d}", lines, None)
        # Re-invoiced licences and telephony, common.
        add("M", d, f"Vidarefakturering telefoni {year}-{m:02d}", [
            L("3510", "8511", nat=-rnd.uniform(52000, 64000)),
            L("6420", "3100"),
        ], None)
        # Arbetsförmedlingen (lönebidrag, nystartsjobb), monthly.
        add("K", d, f"Arbetsförmedlingen lönebidrag {year}-{m:02d}", [L("3620", "8510", nat=-rnd.uniform(19000, 27000))], bal_to("1511"))
        # Specific income: Herrljunga units and Vårgårda kommun re-invoiced specific licences.
        add("M", d, f"Vidarefakturering Herrljungaspecifika licenser {year}-{m:02d}", [
            L("3510", "8520", nat=-rnd.uniform(15000, 22000) * (2.5 if year == 2023 else 1.0)),
            L("6410", "4100"),
        ], None)
        if m % 3 == 0:
            add("K", d, f"Faktura Vårgårda kommun IT-tjänster kv {m // 3} {year}", [
                L("3451", "8510", nat=-rnd.uniform(330000, 390000)),
            ], bal_to("1511"))
            add("K", d, f"Faktura Vårgårda kommun specifika licenser kv {m // 3} {year}", [
                L("3510", "8530", nat=-rnd.uniform(90000, 110000) * (1.5 if year == 2023 else 1.0)),
            ], bal_to("1511"))

    # -- Kommunbidrag (monthly) and capital cost (monthly), series M.
    for m in range(1, last_month + 1):
        d = dt.date(year, m, 1)
        kb = KB_MONTH[year]
        add("M", d, f"Kommunbidrag Servicenämnd IT {year}-{m:02d}", [
            L("3990", "8510", amt=-kb["H"]), L("7990", "1900", amt=kb["H"])], None)
        add("K", d, f"Bidrag Vårgårda kommun servicenämnd IT {year}-{m:02d}", [
            L("3991", "8510", amt=-kb["V"]), L("1511", None, amt=kb["V"])], None)
        d2 = month_end(year, m)
        dep = 400000.0 + (12000.0 if (year == 2023 or m >= 5) else 0.0) + (9000.0 if year == 2023 and m >= 4 else 0.0)
        rate = 0.0125 if year == 2022 else 0.015
        add("M", d2, f"Kapitalkostnader {year}-{m:02d}", [
            L("7830", "8510", nat=dep),
            L("1229", None, amt=None),
            L("8410", "8510", nat=dep * rate * 12 * 0.45 * rnd.uniform(0.99, 1.01)),
            L("8490", "1900", amt=None),
        ], "capital")

    # -- Investments (balance accounts, project dimension).
    if year == 2023:
        for (mm, dd, sup, w) in [(2, 14, "Atea Sverige AB", 0.21), (3, 22, "Conscia Sverige AB", 0.34),
                                 (5, 9, "Atea Sverige AB", 0.17), (6, 13, "Axians AB", 0.19), (8, 24, "Dustin Sverige AB", 0.09)]:
            add("A", dt.date(2023, mm, dd), f"{sup} fakt {inv()} accesspunkter switchar", [
                Line("1221", objs("8510", "9101"), nat=w, bucket=("invest", "9101"))], bal_to("2440"))
        add("A", dt.date(2023, 9, 4), f"Atea Sverige AB fakt {inv()} switchar", [
            Line("1221", objs("8510", "9101"), amt=4812500)], bal_to("2440"))
        for (mm, dd, amt) in [(3, 15, 184250000), (6, 20, 96312500)]:
            add("A", dt.date(2023, mm, dd), f"Skanska Sverige AB fakt {inv()} Altorpskolan", [
                Line("1120", objs("3100", "4105"), amt=amt)], bal_to("2440"))
    else:
        for (mm, dd, amt) in [(4, 11, 38417500), (9, 28, 52120000), (11, 17, 61943750)]:
            add("A", dt.date(2022, mm, dd), f"Atea Sverige AB fakt {inv()} nätverksutrustning", [
                Line("1221", objs("8510", "9101"), amt=amt)], bal_to("2440"))
    return V


def solve_targets(year: int):
    """Bucket targets Jan-Aug (row, class) -> öre, solving Övriga kostnader on 8520."""
    U = UTFALL[year]
    S = SPECIFIC[year]
    t = {}
    for row in ("intakter", "ovriga_kostnader"):
        for cls, v in S.get(row, {}).items():
            t[(row, cls)] = v
    g, k = KEY_GEMENSAM_H, KEY_KAPITAL_H
    IH, IV, OV = t[("intakter", "H")], t[("intakter", "V")], t[("ovriga_kostnader", "V")]
    common_no_oh = (U["intakter"] - IH - IV) + U["personalkostnader"] + (U["ovriga_kostnader"] - OV)
    rest = IH + g * common_no_oh + k * U["kapitalkostnad"]
    OH = round((NETTO_H[year] - rest) / (1 - g))
    t[("ovriga_kostnader", "H")] = OH
    t[("intakter", "C")] = U["intakter"] - IH - IV
    t[("ovriga_kostnader", "C")] = U["ovriga_kostnader"] - OV - OH
    t[("personalkostnader", "C")] = U["personalkostnader"]
    t[("kapitalkostnad", "C")] = U["kapitalkostnad"]
    return t


SCALE: dict = {}


def scale(V, year, targets):
    """Scale every bucket's natural amounts so that Jan-Aug sums to the target exactly."""
    buckets: dict = {}
    for v in V:
        for l in v.lines:
            if l.bucket is not None and l.nat is not None and l.nat != 0.0:
                buckets.setdefault(l.bucket, []).append((v, l))
    for b, items in buckets.items():
        if b not in targets:
            raise SystemExit(f"no target for bucket {b} in {year}")
        nat = sum(l.nat for v, l in items if v.date.month <= 8)
        f = targets[b] / nat
        if b[0] != "invest":
            SCALE[(year,) + b] = round(f / 100, 3)
        for v, l in items:
            l.amt = int(round(l.nat * f))
        jan_aug = [l for v, l in items if v.date.month <= 8]
        diff = targets[b] - sum(l.amt for l in jan_aug)
        max(jan_aug, key=lambda l: abs(l.amt)).amt += diff
    missing = set(targets) - set(buckets)
    assert not missing, missing


def finish_all(V, year):
    for v in V:
        for l in v.lines:
            if l.amt is None and isinstance(l.nat, float):
                l.amt = int(round(l.nat * 100))
        for l in v.lines:
            if l.amt is None and isinstance(l.nat, tuple):
                l.amt = -v.lines[l.nat[1]].amt
        # counter-lines of internal invoices that mirror an income line
        if v.finish is None:
            inc = [l for l in v.lines if l.amt is not None]
            zero = [l for l in v.lines if l.amt is None]
            for z in zero:
                z.amt = -sum(l.amt for l in inc)
            continue
        if v.finish == "capital":
            v.lines[1].amt = -v.lines[0].amt
            v.lines[3].amt = -v.lines[2].amt
            continue
        for l in v.lines:
            if l.amt is None:
                raise SystemExit(f"unset line in {v.text}")
        v.finish(v)
    # Internal sale lines: the 6550 counter-lines were given natural amounts; balance the
    # voucher on 1930 already (bal_to). Nothing more to do.


def pay_suppliers(V, year):
    """Monthly payment of the month's supplier invoices (debit 2440, credit 1930)."""
    out = []
    last = 12 if year == 2022 else 8
    for m in range(1, last + 1):
        s = sum(l.amt for v in V if v.series == "A" and v.date.month == m and v.date.year == year
                for l in v.lines if l.acct == "2440")
        d = month_end(year, m)
        while d.weekday() >= 5:
            d -= dt.timedelta(days=1)
        out.append(Voucher("B", d, f"Betalning leverantörsreskontra {year}-{m:02d}",
                           [Line("2440", {}, amt=-s), Line("1930", {}, amt=s)], None))
        # tax account: withheld tax, social fees and pensions of the month's payroll
        s = sum(l.amt for v in V if v.series == "L" and v.date.month == m for l in v.lines if l.acct in ("2710", "2730"))
        out.append(Voucher("B", d, f"Skattekonto och pensionsavgifter {year}-{m:02d}",
                           [Line("2710", {}, amt=-sum(l.amt for v in V if v.series == "L" and v.date.month == m for l in v.lines if l.acct == "2710")),
                            Line("2730", {}, amt=-sum(l.amt for v in V if v.series == "L" and v.date.month == m for l in v.lines if l.acct == "2730")),
                            Line("1930", {}, amt=s)], None))
        # customer payments of the month's K invoices
        s = sum(l.amt for v in V if v.series == "K" and v.date.month == m for l in v.lines if l.acct == "1511")
        out.append(Voucher("B", d, f"Inbetalningar kundreskontra {year}-{m:02d}",
                           [Line("1511", {}, amt=-s), Line("1930", {}, amt=s)], None))
    return out


def tax_revenue(V, year):
    """Monthly preliminary municipal tax from Skatteverket (finansförvaltningen, outside the
    committee), so that the bank account of this excerpt stays positive."""
    out = []
    last = 12 if year == 2022 else 8
    for m in range(1, last + 1):
        net = sum(l.amt for v in V if v.date.month == m for l in v.lines if l.acct == "1930")
        amt = -(-(-net * 103 // 100) // 10000000) * 10000000 if net < 0 else 10000000
        d = dt.date(year, m, 25)
        while d.weekday() >= 5:
            d -= dt.timedelta(days=1)
        out.append(Voucher("B", d, f"Skatteverket preliminär kommunalskatt {year}-{m:02d}",
                           [Line("1930", {}, amt=amt), Line("8011", objs("1900"), amt=-amt)], None))
    return out


# ---------------------------------------------------------------------------------------
# SIE writer
# ---------------------------------------------------------------------------------------

def q(s: str) -> str:
    return '"' + s.replace('"', '\\"') + '"'


def objlist(o: dict[int, str]) -> str:
    return "{" + " ".join(f'{d} {q(o[d])}' for d in sorted(o)) + "}"


def write_sie(path: Path, year: int, V, ib: dict, prev=None, gen="20230905"):
    used = sorted({l.acct for v in V for l in v.lines} | set(ib) | set(prev[1] if prev else {})
                  | set(prev[2] if prev else {}))
    out = []
    out.append("#FLAGGA 0")
    out.append("#FORMAT PC8")
    out.append("#SIETYP 4")
    out.append('#PROGRAM "Raindance Ekonomi" 2023.1')
    out.append(f"#GEN {gen} {q('ekonomi')}")
    out.append('#FNAMN "Herrljunga kommun"')
    out.append("#ORGNR 212000-1520")
    out.append('#ADRESS "Ekonomiavdelningen" "Box 201" "524 23 HERRLJUNGA" "0513-170 00"')
    out.append(f"#RAR 0 {year}0101 {year}1231")
    out.append(f"#RAR -1 {year - 1}0101 {year - 1}1231")
    out.append("#KPTYP KOMMUNBAS")
    out.append("#VALUTA SEK")
    out.append('#DIM 1 "Ansvar"')
    out.append('#DIM 6 "Projekt"')
    out.append('#DIM 20 "Verksamhet"')
    for a in used:
        out.append(f"#KONTO {a} {q(ACCOUNTS[a][0])}")
        out.append(f"#KTYP {a} {ACCOUNTS[a][1]}")
    for i, n in ANSVAR.items():
        out.append(f"#OBJEKT 1 {q(i)} {q(n)}")
    for i, n in PROJEKT.items():
        out.append(f"#OBJEKT 6 {q(i)} {q(n)}")
    for i, n in VERKSAMHET.items():
        out.append(f"#OBJEKT 20 {q(i)} {q(n)}")
    # Balances computed from the vouchers.
    tr: dict[str, int] = {}
    for v in V:
        for l in v.lines:
            tr[l.acct] = tr.get(l.acct, 0) + l.amt
    res = {a: s for a, s in tr.items() if int(a[0]) >= 3}
    bal_accts = sorted({a for a in used if int(a[0]) <= 2})
    ub = {a: ib.get(a, 0) + tr.get(a, 0) for a in bal_accts}
    if prev:
        p_ib, p_ub, p_res = prev
        for a in sorted(p_ib):
            out.append(f"#IB -1 {a} {kr(p_ib[a])}")
        for a in sorted(p_ub):
            out.append(f"#UB -1 {a} {kr(p_ub[a])}")
    for a in bal_accts:
        out.append(f"#IB 0 {a} {kr(ib.get(a, 0))}")
    for a in bal_accts:
        out.append(f"#UB 0 {a} {kr(ub[a])}")
    if prev:
        for a in sorted(prev[2]):
            out.append(f"#RES -1 {a} {kr(prev[2][a])}")
    for a in sorted(res):
        out.append(f"#RES 0 {a} {kr(res[a])}")
    for v in V:
        out.append(f"#VER {v.series} {v.number} {v.date:%Y%m%d} {q(v.text)} {v.date:%Y%m%d}")
        out.append("{")
        for l in v.lines:
            out.append(f"   #TRANS {l.acct} {objlist(l.objs)} {kr(l.amt)}")
        out.append("}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(("\r\n".join(out) + "\r\n").encode("cp437"))
    return ib, ub, res


# ---------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    out: Path = args.out
    rnd = random.Random(SEED)

    staff = build_staff(rnd)
    cur, sick = solve_staff(staff)
    ids = rnd.sample(range(1000, 9999), len(staff))
    for p, i in zip(staff, ids):
        p["id"] = f"H{i}"
    spells = sick_spells(rnd, cur, sick)

    ledgers = {}
    for year in (2022, 2023):
        V = build_ledger(year, random.Random(SEED + year), staff)
        t = solve_targets(year)
        inv_target = {("invest", "9101"): INVEST_2023_9101} if year == 2023 else {}
        t.update(inv_target)
        scale(V, year, t)
        finish_all(V, year)
        V += pay_suppliers(V, year)
        V += tax_revenue(V, year)
        V.sort(key=lambda v: (v.date, "LMAKB".index(v.series) if v.series in "LMAKB" else 9))
        counters: dict[str, int] = {}
        for v in V:
            counters[v.series] = counters.get(v.series, 0) + 1
            v.number = counters[v.series]
            assert sum(l.amt for l in v.lines) == 0, v.text
            v.lines = [l for l in v.lines if l.amt != 0]
        ledgers[year] = (V, t)

    # Opening balances 2022 (balance sheet excerpt), balanced on equity.
    ib22 = {"1120": 4815320000, "1221": 3287450000, "1229": -1442310000, "1511": 18750000,
            "1930": 2140000000, "2440": -96120000, "2710": -41300000, "2730": -52900000}
    ib22["2010"] = -sum(ib22.values())
    p = write_sie(out / "huvudbok" / "huvudbok-2022.se", 2022, ledgers[2022][0], ib22, gen="20230115")
    ib23 = dict(p[1])
    ib23["2010"] = ib23.get("2010", 0) + sum(p[2].values())
    write_sie(out / "huvudbok" / "huvudbok-2023.se", 2023, ledgers[2023][0], ib23, prev=p)

    # Hand-written parts (settings, goals, texts, README) are copied verbatim.
    static = Path(__file__).resolve().parent / "static"
    for src in sorted(static.rglob("*")):
        if src.is_file():
            dst = out / src.relative_to(static)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())

    write_budget(out, rnd)
    write_staff(out, cur, spells)
    write_investments(out)
    print("targets 2022:", {f"{k[0]}/{k[1]}": v for k, v in ledgers[2022][1].items()})
    print("targets 2023:", {f"{k[0]}/{k[1]}": v for k, v in ledgers[2023][1].items()})
    print("sick (ws, ms, L):", sick)
    print("scale factors (target / natural amount):", SCALE)
    print("vouchers:", {y: len(ledgers[y][0]) for y in ledgers})


def split_amount(rnd, total: int, parts: list[tuple[str, str, float]], unit: int = 10000):
    """Split total (öre) over (konto, ansvar, weight) in whole hundreds of kronor, the last
    part taking the exact remainder."""
    w = sum(p[2] for p in parts)
    out = []
    used = 0
    for i, (k, a, x) in enumerate(parts):
        if i < len(parts) - 1:
            v = int(round(total * x / w / unit)) * unit
        else:
            v = total - used
        used += v
        out.append((k, a, v))
    return out


def write_budget(out: Path, rnd):
    g, kk = KEY_GEMENSAM_H, KEY_KAPITAL_H
    B = BUDGET_TOTAL
    IH, IV, OV = -60000000, -45000000, 90000000
    pers_c = B["personalkostnader"] - LONEREVIDERING
    kap_c = B["kapitalkostnad"] - KAPITAL_CHANGE
    # Herrljunga = IH + OH + 268 + 383 + g*(commons except OH) + k*kap_c; solve OH (whole kronor).
    common_no_oh = (B["intakter"] - IH - IV) + pers_c + (B["ovriga_kostnader"] - OV)
    rest = IH + LONEREVIDERING + KAPITAL_CHANGE + g * common_no_oh + kk * kap_c
    OH = int(round((NETTO_H["budget"] - rest) / (1 - g) / 100)) * 100
    oc = B["ovriga_kostnader"] - OV - OH
    ic = B["intakter"] - IH - IV
    rows = []
    rows += split_amount(rnd, ic, [("3450", "8510", 4.1), ("3451", "8510", 1.45), ("3510", "8511", 0.7), ("3620", "8510", 0.3)])
    rows += [("3510", "8520", IH), ("3510", "8530", IV)]
    rows += split_amount(rnd, pers_c, [("5011", "8510", 0.585), ("5011", "8511", 0.13), ("5410", "8510", 0.184),
                                       ("5410", "8511", 0.041), ("5810", "8510", 0.044), ("5810", "8511", 0.01), ("5610", "8510", 0.006)])
    rows += split_amount(rnd, oc, [("6410", "8510", 0.34), ("6420", "8511", 0.15), ("6420", "8510", 0.05),
                                   ("6550", "8510", 0.21), ("4540", "8510", 0.11), ("6310", "8510", 0.09),
                                   ("6590", "8510", 0.03), ("7010", "8510", 0.01), ("7110", "8510", 0.01)])
    rows += split_amount(rnd, OH, [("6410", "8520", 0.6), ("6550", "8520", 0.25), ("4540", "8520", 0.15)])
    rows += split_amount(rnd, OV, [("6410", "8530", 0.55), ("6550", "8530", 0.3), ("4540", "8530", 0.15)])
    rows += split_amount(rnd, kap_c, [("7830", "8510", 0.87), ("8410", "8510", 0.13)])
    netto = sum(B.values())
    kb_orig = -(netto - LONEREVIDERING - KAPITAL_CHANGE)
    # Kommunbidrag: Herrljunga's and Vårgårda's parts of the original budget.
    kb_h = -(NETTO_H["budget"] - LONEREVIDERING - KAPITAL_CHANGE)
    rows += [("3990", "8510", kb_h), ("3991", "8510", kb_orig - kb_h)]
    p = out / "budget"
    p.mkdir(parents=True, exist_ok=True)
    with open(p / "budget-2023.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write("konto;ansvar;belopp\n")
        for k, a, v in rows:
            f.write(f"{k};{a};{kr(v)}\n")
    with open(p / "budgetforandringar-2023.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write("omrade;nyckel;forklaring;konto;ansvar;belopp\n")
        lr = split_amount(rnd, LONEREVIDERING, [("5011", "8520", 0.71), ("5410", "8520", 0.223), ("5810", "8520", 0.067)])
        for k, a, v in lr:
            first = k == "5011"
            f.write(f"Lönerevidering 2023;{'lonerevidering' if first else ''};{'avser löner april-dec 2023 Hlj' if first else ''};{k};{a};{kr(v)}\n")
        f.write(f"Lönerevidering 2023;;;3990;8510;{kr(-LONEREVIDERING)}\n")
        kc = split_amount(rnd, KAPITAL_CHANGE, [("7830", "8520", 0.86), ("8410", "8520", 0.14)])
        for k, a, v in kc:
            first = k == "7830"
            f.write(f"Förändring kapitalkostnader;{'kapitalkostnader' if first else ''};{'avser kapitalkostn tom aug Vga+Hlj' if first else ''};{k};{a};{kr(v)}\n")
        f.write(f"Förändring kapitalkostnader;;;3990;8510;{kr(-KAPITAL_CHANGE)}\n")
    # Forecast per row and ansvar class: as budget, except more income and more other
    # costs on common ansvar, and all capital cost common (split by the kapital key).
    per = {}
    for k, a, v in rows:
        r = row_of(k)
        per[(r, a)] = per.get((r, a), 0) + v
    per[("personalkostnader", "8520")] = LONEREVIDERING
    per[("kapitalkostnad", "8510")] = B["kapitalkostnad"]
    per[("kommunbidrag", "8510")] = per.get(("kommunbidrag", "8510"), 0) - LONEREVIDERING - KAPITAL_CHANGE
    per[("intakter", "8510")] -= FORECAST_SHIFT
    per[("ovriga_kostnader", "8510")] += FORECAST_SHIFT
    comments = {
        ("intakter", "8510"): "Ökad försäljning av IT-tjänster och licenser",
        ("ovriga_kostnader", "8510"): "Högre licens- och tjänstekostnader, motsvaras av ökade intäkter",
        ("kapitalkostnad", "8510"): "Kapitalkostnader fördelas enligt andel av anläggningarna",
        ("personalkostnader", "8510"): "Enligt budget, personalkostnader över budget under våren ska hämtas in",
        ("kommunbidrag", "8510"): "Enligt budget",
    }
    order = ["intakter", "personalkostnader", "ovriga_kostnader", "kapitalkostnad", "kommunbidrag"]
    p = out / "prognos"
    p.mkdir(parents=True, exist_ok=True)
    with open(p / "prognos-2023.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write("rad;ansvar;prognos;kommentar\n")
        for r in order:
            items = sorted((a, v) for (rr, a), v in per.items() if rr == r)
            if r == "kapitalkostnad":
                items = [("8510", per[("kapitalkostnad", "8510")])]
            for a, v in items:
                f.write(f"{r};{a};{kr(v)};{comments.get((r, a), '')}\n")


def write_staff(out: Path, cur, spells):
    p = out / "personal"
    p.mkdir(parents=True, exist_ok=True)
    with open(p / "anstallningar.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write("id;kon;fodelsear;ordinarie_timmar;sysselsattningsgrad\n")
        for x in sorted(cur, key=lambda x: x["id"]):
            h = x["hours"]
            f.write(f"{x['id']};{x['kon']};{x['born']};{h // 100}.{h % 100:02d};{x['rate']}\n")
    with open(p / "sjukfall.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write("id;forsta_dag;sista_dag;sjuktimmar\n")
        for (x, a, b, h) in spells:
            f.write(f"{x['id']};{a.isoformat()};{b.isoformat()};{h // 100}.{h % 100:02d}\n")


def write_investments(out: Path):
    p = out / "investeringar"
    p.mkdir(parents=True, exist_ok=True)
    with open(p / "investeringar-2023.csv", "w", encoding="utf-8", newline="\n") as f:
        f.write("projekt;nyckel;namn;grupp;budget;ombudgetering;prognos\n")
        f.write("9101;reinvestering_it;Reinvestering IT;gemensam;2350000;0;2350000\n")
        f.write("9201;wifi_bildning;Ombyggnation Wifi Bildning;herrljunga;0;400000;400000\n")
        f.write("9202;tradlost_hlj;Reinv trådlöst nätverk Hlj;herrljunga;500000;0;500000\n")
        f.write("9301;natverk_vga;Nätverk;vargarda;500000;0;500000\n")


if __name__ == "__main__":
    main()
