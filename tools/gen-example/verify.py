#!/usr/bin/env python3
"""Independent reference model for the example package.

Reads a report package (default examples/servicenamnd-it-2023/), parses the SIE 4 ledgers,
the CSV sources and delar.toml itself, computes every table by the rules of
docs/PACKAGE.md and compares cell by cell with ../shared/seed/seed-figures.json, in both
rounding modes (adds-up = largest remainder inside every sum; independent = each cell
half away from zero). Shares nothing with generate.py.

    python3 tools/gen-example/verify.py [PACKAGE_DIR] [--seed PATH]

Exit status 0 when every cell matches (RESULTAT NETTO: within 1 tkr, see below).
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import tomllib
from collections import defaultdict
from datetime import date
from fractions import Fraction
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# ---------------------------------------------------------------------------------------
# Parsing
# ---------------------------------------------------------------------------------------

AMOUNT_RE = re.compile(r"^-?\d+(\.\d{1,2})?$")


def parse_amount_csv(s: str, where: str) -> int:
    """CSV amount (PACKAGE.md forms) to öre."""
    t = s.strip().replace("\u2212", "-")
    t = re.sub(r"(?<=\d)[ \u00a0\u2009](?=\d{3}(\D|$))", "", t)
    t = t.replace(",", ".")
    if not AMOUNT_RE.match(t):
        raise SystemExit(f"{where}: bad amount {s!r}")
    neg = t.startswith("-")
    t = t.lstrip("-")
    whole, _, frac = t.partition(".")
    v = int(whole) * 100 + int((frac + "00")[:2])
    return -v if neg else v


def parse_hours(s: str, where: str) -> int:
    t = s.strip().replace(",", ".")
    if not re.match(r"^\d+(\.\d{1,2})?$", t):
        raise SystemExit(f"{where}: bad hours {s!r}")
    whole, _, frac = t.partition(".")
    return int(whole) * 100 + int((frac + "00")[:2])


def read_csv(path: Path, columns: list[str], optional: tuple[str, ...] = ("nyckel",)) -> list[dict]:
    raw = path.read_bytes().decode("utf-8")
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    lines = [l for l in raw.splitlines() if l.strip()]
    header = lines[0]
    delim = ";" if header.count(";") >= header.count(",") else ","
    rows = list(csv.reader(io.StringIO("\n".join(lines)), delimiter=delim))
    head = [h.strip().lower() for h in rows[0]]
    unknown = set(head) - set(columns) - set(optional)
    if unknown:
        raise SystemExit(f"{path}: unknown columns {sorted(unknown)}")
    missing = set(columns) - set(head)
    if missing:
        raise SystemExit(f"{path}: missing columns {sorted(missing)}")
    out = []
    for n, r in enumerate(rows[1:], start=2):
        if len(r) != len(head):
            raise SystemExit(f"{path}:{n}: {len(r)} fields, expected {len(head)}")
        d = {h: v.strip() for h, v in zip(head, r)}
        d["_where"] = f"{path.name}:{n}"
        out.append(d)
    return out


def sie_tokens(line: str) -> list:
    """Split a SIE line into tokens; {…} object lists become lists of tokens."""
    toks: list = []
    stack = [toks]
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c in " \t":
            i += 1
        elif c == '"':
            j = i + 1
            buf = []
            while j < n and line[j] != '"':
                if line[j] == "\\" and j + 1 < n:
                    j += 1
                buf.append(line[j])
                j += 1
            stack[-1].append("".join(buf))
            i = j + 1
        elif c == "{":
            new: list = []
            stack[-1].append(new)
            stack.append(new)
            i += 1
        elif c == "}":
            stack.pop()
            i += 1
        else:
            j = i
            while j < n and line[j] not in ' \t{}"':
                j += 1
            stack[-1].append(line[i:j])
            i = j
    return toks


class Ledger:
    def __init__(self, path: Path):
        self.path = path
        raw = path.read_bytes()
        text = raw.decode("cp437")
        self.head: dict[str, list] = defaultdict(list)
        self.accounts: dict[str, str] = {}
        self.objects: dict[tuple[int, str], str] = {}
        self.dims: dict[int, str] = {}
        self.trans: list[tuple[str, dict[int, str], int, date]] = []
        self.vouchers = 0
        self.problems: list[str] = []
        cur = None
        for ln, line in enumerate(text.splitlines(), start=1):
            s = line.strip()
            if not s:
                continue
            if s == "{":
                continue
            if s == "}":
                if cur is not None:
                    tot = sum(t[2] for t in cur["tr"])
                    if tot != 0:
                        self.problems.append(f"voucher {cur['id']} (line {cur['line']}) sums to {tot} öre")
                    self.trans += cur["tr"]
                    cur = None
                continue
            t = sie_tokens(s)
            tag = t[0]
            if tag == "#VER":
                self.vouchers += 1
                cur = {"id": f"{t[1]} {t[2]}", "line": ln, "date": ymd(t[3]), "tr": []}
            elif tag == "#TRANS":
                if cur is None:
                    self.problems.append(f"#TRANS outside voucher at line {ln}")
                    continue
                ol = t[2]
                o = {int(ol[i]): ol[i + 1] for i in range(0, len(ol), 2)}
                amt = t[3]
                if not re.match(r"^-?\d+(\.\d{1,2})?$", amt):
                    self.problems.append(f"line {ln}: bad amount {amt}")
                whole, _, frac = amt.lstrip("-").partition(".")
                v = int(whole) * 100 + int((frac + "00")[:2])
                v = -v if amt.startswith("-") else v
                d = ymd(t[4]) if len(t) > 4 and isinstance(t[4], str) and t[4] else cur["date"]
                cur["tr"].append((t[1], o, v, d))
            elif tag == "#KONTO":
                self.accounts[t[1]] = t[2]
            elif tag == "#DIM":
                self.dims[int(t[1])] = t[2]
            elif tag == "#OBJEKT":
                self.objects[(int(t[1]), t[2])] = t[3]
            else:
                self.head[tag].append(t[1:])
        for a, o, v, d in self.trans:
            if a not in self.accounts:
                self.problems.append(f"account {a} has no #KONTO")
            for dim, oid in o.items():
                if dim not in self.dims:
                    self.problems.append(f"dimension {dim} has no #DIM")
                if (dim, oid) not in self.objects:
                    self.problems.append(f"object {dim} {oid} has no #OBJEKT")
        for tag in ("#FLAGGA", "#FORMAT", "#SIETYP", "#PROGRAM", "#GEN", "#FNAMN", "#RAR"):
            if tag not in self.head:
                self.problems.append(f"missing {tag}")
        self.problems = sorted(set(self.problems))


def ymd(s: str) -> date:
    return date(int(s[:4]), int(s[4:6]), int(s[6:8]))


# ---------------------------------------------------------------------------------------
# Ranges and rounding
# ---------------------------------------------------------------------------------------

def in_ranges(x: str, ranges: list[str]) -> bool:
    for r in ranges:
        if "-" in r:
            lo, hi = r.split("-")
            if x.isdigit() and int(lo) <= int(x) <= int(hi):
                return True
        elif x == r:
            return True
    return False


def round_half_away(ore: int) -> int:
    """öre -> tkr, half away from zero."""
    a = abs(ore)
    q, r = divmod(a, 100000)
    if r * 2 >= 100000:
        q += 1
    return q if ore >= 0 else -q


def lr_split(total_tkr: int, parts: list[int]) -> list[int]:
    """Round parts (öre) to tkr so that they sum to total_tkr: floor, then +1 to the
    largest remainders (ties: first in order)."""
    fl = [p // 100000 for p in parts]
    rem = [p - f * 100000 for p, f in zip(parts, fl)]
    k = total_tkr - sum(fl)
    order = sorted(range(len(parts)), key=lambda i: (-rem[i], i))
    out = fl[:]
    if k >= 0:
        for i in order[:k]:
            out[i] += 1
    else:
        for i in sorted(range(len(parts)), key=lambda i: (rem[i], i))[: -k]:
            out[i] -= 1
    return out


def lr_share(amount: int, shares: dict[str, Fraction]) -> dict[str, int]:
    """Split amount (öre) by shares with largest remainder in öre."""
    ids = list(shares)
    exact = [amount * shares[i] for i in ids]
    fl = [e.numerator // e.denominator for e in exact]
    rem = [e - f for e, f in zip(exact, fl)]
    k = amount - sum(fl)
    for i in sorted(range(len(ids)), key=lambda i: (-rem[i], i))[:k]:
        fl[i] += 1
    return dict(zip(ids, fl))


def pct(num: int, den: int, mode: str) -> int:
    """Percent in hundredths."""
    if den == 0:
        return 0
    if mode == "truncate":
        return (num * 10000) // den
    return (num * 20000 + den) // (2 * den)


# ---------------------------------------------------------------------------------------
# The model
# ---------------------------------------------------------------------------------------

COLS = ["utfall_fg", "utfall", "budget", "prognos", "avvikelse"]


def compute(pkg: Path):
    cfg = tomllib.loads((pkg / "delar.toml").read_text(encoding="utf-8"))
    rep = cfg["report"]
    year, tm = rep["year"], rep["through_month"]
    led = cfg["ledger"]
    notes: list[str] = []
    cur = Ledger(pkg / led["current"])
    prior = Ledger(pkg / led["prior"])
    for L in (cur, prior):
        notes.append(f"{L.path.name}: {L.vouchers} vouchers, {len(L.trans)} #TRANS; problems: {L.problems or 'none'}")
    scope_dim, scope = led["scope_dimension"], led["scope_objects"]
    rows = cfg["row"]
    alloc = cfg["allocation"]
    adim = alloc["dimension"]
    keys = {k["id"]: {m: Fraction(v) / 100 for m, v in k["shares"].items()} for k in alloc["key"]}
    for kid, sh in keys.items():
        assert sum(sh.values()) == 1, kid
    munis = [m["id"] for m in cfg["municipality"]]
    spec = [(s["municipality"], s["objects"]) for s in alloc.get("specific", [])]

    def row_for(acct: str) -> str | None:
        hits = [r["id"] for r in rows if in_ranges(acct, r["accounts"])]
        if len(hits) > 1:
            raise SystemExit(f"account {acct} claimed by rows {hits}")
        return hits[0] if hits else None

    def cls_of(ansvar: str) -> str:
        for m, objs in spec:
            if ansvar and in_ranges(ansvar, objs):
                return m
        return "common"

    # amounts per (row, class) per column
    amt: dict[str, dict[tuple[str, str], int]] = {c: defaultdict(int) for c in ("utfall_fg", "utfall", "budget", "prognos")}
    has = defaultdict(set)  # row -> set of columns with any record

    def from_ledger(L: Ledger, y: int, col: str):
        for a, o, v, d in L.trans:
            if d.year != y or not (1 <= d.month <= tm):
                continue
            ob = o.get(scope_dim)
            if ob is None or not in_ranges(ob, scope):
                continue
            if int(a[0]) < 3:
                continue
            r = row_for(a)
            if r is None:
                raise SystemExit(f"{L.path.name}: in-scope result account {a} claimed by no row")
            amt[col][(r, cls_of(o.get(adim, "")))] += v
            has[r].add(col)

    from_ledger(cur, year, "utfall")
    from_ledger(prior, year - 1, "utfall_fg")

    bud = read_csv(pkg / cfg["budget"]["file"], ["konto", "ansvar", "belopp"])
    chg = read_csv(pkg / cfg["budget"]["changes"], ["omrade", "forklaring", "konto", "ansvar", "belopp"])
    for b in bud + chg:
        r = row_for(b["konto"])
        if r is None:
            raise SystemExit(f"{b['_where']}: account {b['konto']} claimed by no row")
        amt["budget"][(r, cls_of(b["ansvar"]))] += parse_amount_csv(b["belopp"], b["_where"])
        has[r].add("budget")
    # budget changes table
    omr: dict[str, list] = {}
    kb_rows = {r["id"] for r in rows if r["kind"] == "contribution"}
    for c in chg:
        o = omr.setdefault(c["omrade"], [0, "", 0])
        v = parse_amount_csv(c["belopp"], c["_where"])
        if row_for(c["konto"]) in kb_rows:
            o[2] += v
        else:
            o[0] += v
            if not o[1] and c["forklaring"]:
                o[1] = c["forklaring"]
    for name, (s, f, kb) in omr.items():
        if s + kb != 0:
            notes.append(f"budget change {name!r} not balanced by kommunbidrag ({s + kb} öre)")

    fc = read_csv(pkg / cfg["forecast"]["file"], ["rad", "ansvar", "prognos", "kommentar"])
    fc_rows = set()
    for f in fc:
        amt["prognos"][(f["rad"], cls_of(f["ansvar"]))] += parse_amount_csv(f["prognos"], f["_where"])
        fc_rows.add(f["rad"])
        has[f["rad"]].add("prognos")
    for r in rows:
        if r["id"] not in fc_rows:
            if has[r["id"]]:
                notes.append(f"forecast: row {r['id']} has no line, forecast = budget (warning)")
            for (rr, c), v in list(amt["budget"].items()):
                if rr == r["id"]:
                    amt["prognos"][(rr, c)] += v

    # Income statement exact (öre)
    def row_total(col, rid):
        return sum(v for (r, c), v in amt[col].items() if r == rid)

    ex: dict[str, dict[str, int | None]] = {}
    for col in ("utfall_fg", "utfall", "budget", "prognos"):
        for r in rows:
            ex.setdefault(r["id"], {})[col] = row_total(col, r["id"])
    inc = [r["id"] for r in rows if r["kind"] == "income"]
    cost = [r["id"] for r in rows if r["kind"] == "cost"]
    kbr = [r["id"] for r in rows if r["kind"] == "contribution"]
    for col in ("utfall_fg", "utfall", "budget", "prognos"):
        ex.setdefault("summa_intakter", {})[col] = sum(ex[i][col] for i in inc)
        ex.setdefault("summa_kostnader", {})[col] = sum(ex[i][col] for i in cost)
        ex.setdefault("summa_nettokostnader", {})[col] = ex["summa_intakter"][col] + ex["summa_kostnader"][col]
        ex.setdefault("kommunbidrag_shown", {})[col] = -sum(ex[i][col] for i in kbr)
        ex.setdefault("resultat", {})[col] = ex["kommunbidrag_shown"][col] - ex["summa_nettokostnader"][col]
    for k in ex:
        if k not in ("kommunbidrag_shown", "resultat") and k not in kbr:
            ex[k]["avvikelse"] = ex[k]["budget"] - ex[k]["prognos"]
    empty_rows = {r["id"] for r in rows if not has[r["id"]] and all(ex[r["id"]][c] == 0 for c in ("utfall_fg", "utfall", "budget", "prognos"))}

    # Rounded income statement, both modes
    def rr_round(mode: str):
        out: dict[str, dict[str, int]] = defaultdict(dict)
        for col in COLS:
            g = lambda k: ex[k][col]
            if mode == "independent":
                for k in ex:
                    if col in ex[k]:
                        out[k][col] = round_half_away(ex[k][col])
                continue
            netto = round_half_away(g("summa_nettokostnader"))
            si, sk = lr_split(netto, [g("summa_intakter"), g("summa_kostnader")])
            out["summa_nettokostnader"][col] = netto
            out["summa_intakter"][col] = si
            out["summa_kostnader"][col] = sk
            for ids, tot in ((inc, si), (cost, sk)):
                for i, v in zip(ids, lr_split(tot, [g(i) for i in ids])):
                    out[i][col] = v
            if col != "avvikelse":
                kb = round_half_away(g("kommunbidrag_shown"))
                out["kommunbidrag_shown"][col] = kb
                out["resultat"][col] = kb - netto
        return out

    rr = {m: rr_round(m) for m in ("adds_up", "independent")}

    # RESULTAT NETTO
    def split(col):
        res = {m: 0 for m in munis}
        for r in rows:
            if r["kind"] == "contribution":
                continue
            key = keys[r.get("key", alloc["default_key"])]
            common = 0
            for (rid, c), v in amt[col].items():
                if rid != r["id"]:
                    continue
                if c == "common":
                    common += v
                else:
                    res[c] += v
            for m, v in lr_share(common, key).items():
                res[m] += v
        return res

    nx = {col: split(col) for col in ("utfall_fg", "utfall", "budget", "prognos")}
    nx["avvikelse"] = {m: nx["budget"][m] - nx["prognos"][m] for m in munis}
    for col in ("utfall_fg", "utfall", "budget", "prognos", "avvikelse"):
        assert sum(nx[col].values()) == ex["summa_nettokostnader"][col], col
    net = {}
    for mode in ("adds_up", "independent"):
        t: dict[str, dict[str, int]] = defaultdict(dict)
        for col in COLS:
            if mode == "independent":
                # Reading: "each cell on its own", so Summa verksamhet is the rounded exact
                # nettokostnad (17 579); the seed instead adds the rounded municipality
                # figures (17 578). Both are printed; the first is compared.
                for m in munis:
                    t[m][col] = round_half_away(nx[col][m])
                t["summa_verksamhet"][col] = round_half_away(ex["summa_nettokostnader"][col])
                t["summa_verksamhet_seedstyle"][col] = sum(t[m][col] for m in munis)
            else:
                tot = rr["adds_up"]["summa_nettokostnader"][col]
                for m, v in zip(munis, lr_split(tot, [nx[col][m] for m in munis])):
                    t[m][col] = v
                t["summa_verksamhet"][col] = tot
        net[mode] = t

    # Investments
    inv_cfg = cfg["investments"]
    reg = read_csv(pkg / inv_cfg["file"], ["projekt", "namn", "grupp", "budget", "ombudgetering", "prognos"])
    outc = defaultdict(int)
    for a, o, v, d in cur.trans:
        if d.year == year and 1 <= d.month <= tm and in_ranges(a, inv_cfg["accounts"]) and inv_cfg["dimension"] in o:
            outc[o[inv_cfg["dimension"]]] += v
    icols = ["utfall", "budget", "ombudgetering", "summa_budget", "prognos", "avvikelse"]
    items = []
    for r in reg:
        b = parse_amount_csv(r["budget"], r["_where"])
        ob = parse_amount_csv(r["ombudgetering"], r["_where"])
        p = parse_amount_csv(r["prognos"], r["_where"])
        items.append((r["projekt"], r["namn"], r["grupp"], dict(utfall=outc[r["projekt"]], budget=b, ombudgetering=ob,
                                                               summa_budget=b + ob, prognos=p, avvikelse=b + ob - p)))
    groups = [g["id"] for g in inv_cfg["group"]]
    inv = {}
    for mode in ("adds_up", "independent"):
        t = {}
        for c in icols:
            tot_ex = sum(i[3][c] for i in items)
            gsum = {g: sum(i[3][c] for i in items if i[2] == g) for g in groups}
            if mode == "independent":
                t.setdefault("summa_totalt", {})[c] = round_half_away(tot_ex)
                for g in groups:
                    t.setdefault(f"summa_{g}", {})[c] = round_half_away(gsum[g])
                for i in items:
                    t.setdefault(i[0], {})[c] = round_half_away(i[3][c])
            else:
                tot = round_half_away(tot_ex)
                t.setdefault("summa_totalt", {})[c] = tot
                for g, gv in zip(groups, lr_split(tot, [gsum[g] for g in groups])):
                    t.setdefault(f"summa_{g}", {})[c] = gv
                    its = [i for i in items if i[2] == g]
                    for i, v in zip(its, lr_split(gv, [i[3][c] for i in its])):
                        t.setdefault(i[0], {})[c] = v
        inv[mode] = t

    # Budget changes table
    bf = {}
    for mode in ("adds_up", "independent"):
        vals = [s for s, f, kb in omr.values()]
        if mode == "independent":
            parts = [round_half_away(v) for v in vals]
            tot = round_half_away(sum(vals))
        else:
            tot = round_half_away(sum(vals))
            parts = lr_split(tot, vals)
        bf[mode] = dict(zip(omr, parts)) | {"Totalt": tot}

    # Staff
    st = cfg["staff"]
    emp = read_csv(pkg / st["employments"], ["id", "kon", "fodelsear", "ordinarie_timmar", "sysselsattningsgrad"])
    sp = read_csv(pkg / st["sick_spells"], ["id", "forsta_dag", "sista_dag", "sjuktimmar"])
    minn = st["min_group_size"]
    people = {e["id"]: dict(kon=e["kon"], age=year - int(e["fodelsear"]), hours=parse_hours(e["ordinarie_timmar"], e["_where"]),
                            rate=Fraction(e["sysselsattningsgrad"].replace(",", ".")), sick=0, long=0) for e in emp}
    seen: dict[str, list] = defaultdict(list)
    for s in sp:
        a, b = date.fromisoformat(s["forsta_dag"]), date.fromisoformat(s["sista_dag"])
        if b < a:
            notes.append(f"{s['_where']}: spell ends before it starts")
        for a2, b2 in seen[s["id"]]:
            if a <= b2 and a2 <= b:
                notes.append(f"{s['_where']}: spell overlaps another spell of {s['id']}")
        seen[s["id"]].append((a, b))
        if b < date(year, 1, 1) or a > date(year, tm, 28):
            notes.append(f"{s['_where']}: spell outside the period")
    for s in sp:
        p = people[s["id"]]
        h = parse_hours(s["sjuktimmar"], s["_where"])
        a, b = date.fromisoformat(s["forsta_dag"]), date.fromisoformat(s["sista_dag"])
        p["sick"] += h
        if p["sick"] > p["hours"]:
            notes.append(f"{s['_where']}: more sick hours than ordinary hours")
        if (b - a).days + 1 >= 60:
            p["long"] += h
    groups_def = {
        "total": lambda p: True, "kvinnor": lambda p: p["kon"] == "K", "man": lambda p: p["kon"] == "M",
        "alder_29": lambda p: p["age"] <= 29, "alder_30_49": lambda p: 30 <= p["age"] <= 49, "alder_50": lambda p: p["age"] >= 50,
    }
    staff = {}
    pmode = rep.get("percent_rounding", "half_up")
    for mode in ("truncate", "half_up"):
        t = {}
        for gname, f in groups_def.items():
            mem = [p for p in people.values() if f(p)]
            n = len(mem)
            oh = sum(p["hours"] for p in mem)
            sh = sum(p["sick"] for p in mem)
            lh = sum(p["long"] for p in mem)
            small = n < minn
            t[f"sjukfranvaro_{gname}"] = ("dolt: " + f"{n} anställda") if small else pct(sh, oh, mode)
            if gname in ("total", "kvinnor", "man"):
                long_people = sum(1 for p in mem if p["long"] > 0)
                if small:
                    t[f"langtid_{gname}"] = f"dolt: {n} anställda"
                elif long_people == 1:
                    t[f"langtid_{gname}"] = "dolt: en person"
                else:
                    t[f"langtid_{gname}"] = pct(lh, sh, mode)
        ft = [p for p in people.values() if p["rate"] == 100]
        fth = sum(p["hours"] for p in ft)
        for g, k in (("kvinnor", "K"), ("man", "M")):
            mem = [p for p in people.values() if p["kon"] == k]
            t[f"heltid_{g}"] = f"dolt: {len(mem)} anställda" if len(mem) < minn else pct(sum(p["hours"] for p in ft if p["kon"] == k), fth, mode)
        staff[mode] = t
    counts = {g: sum(1 for p in people.values() if f(p)) for g, f in groups_def.items()}

    return dict(cfg=cfg, ex=ex, rr=rr, net=net, nx=nx, inv=inv, items=items, bf=bf, omr=omr, staff=staff,
                pmode=pmode, counts=counts, notes=notes, empty_rows=empty_rows, amt=amt, cur=cur, prior=prior)


# ---------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------

def tkr_fmt(v: int) -> str:
    s = f"{abs(v):,}".replace(",", " ")
    return ("-" if v < 0 else "") + s


def render_text(tpl: str, ctx: dict) -> str:
    def sub(m):
        expr = [x.strip() for x in m.group(1).split("|")]
        v = ctx
        for part in expr[0].split("."):
            if not isinstance(v, dict) or part not in v:
                raise SystemExit(f"undefined placeholder {expr[0]}")
            v = v[part]
        for flt in expr[1:]:
            if flt == "abs":
                v = abs(v)
            elif flt == "tkr":
                v = tkr_fmt(v)
            elif flt == "sign_word":
                v = "positiv" if v >= 0 else "negativ"
            else:
                raise SystemExit(f"unknown filter {flt}")
        return str(v)
    return re.sub(r"\{\{(.*?)\}\}", sub, tpl)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("package", nargs="?", type=Path, default=REPO / "examples" / "servicenamnd-it-2023")
    ap.add_argument("--seed", type=Path, default=REPO.parent / "shared" / "seed" / "seed-figures.json")
    args = ap.parse_args()
    import json
    seed = json.loads(args.seed.read_text(encoding="utf-8"))
    R = compute(args.package)
    bad = 0
    print("== sources")
    for n in R["notes"]:
        print("  " + n)

    def cmp(table, key, col, want, got_a, got_i, exact=None, tol=0):
        nonlocal bad
        ok_a = (want is None and got_a is None) or (want is not None and got_a is not None and abs(got_a - want) <= tol)
        ok_i = (want is None and got_i is None) or (want is not None and got_i is not None and abs(got_i - want) <= tol)
        flag = "ok"
        if ok_a and ok_i and (got_a != want or got_i != want):
            flag = "ok (differs by 1, allowed: " + ", ".join(
                n for n, g in (("adds-up", got_a), ("independent", got_i)) if g != want) + ")"
        if not (ok_a and ok_i):
            flag = "MISMATCH"
            bad += 1
        ex = "" if exact is None else f"exact {exact / 100000:,.5f}".replace(",", " ")
        print(f"  {table:15} {key:22} {col:13} seed {str(want):>8}  adds-up {str(got_a):>8}  independent {str(got_i):>8}  {ex:24} {flag}")

    t = seed["tables"]
    print("== resultatrakning (tkr)")
    for row in t["resultatrakning"]["rows"]:
        k = row["key"]
        for col, want in zip(t["resultatrakning"]["columns"], row["values"]):
            kk = "kommunbidrag_shown" if k == "kommunbidrag" else k
            if k in R["empty_rows"]:
                cmp("rr", k, col, want, None, None)
                continue
            ga = R["rr"]["adds_up"].get(kk, {}).get(col)
            gi = R["rr"]["independent"].get(kk, {}).get(col)
            cmp("rr", k, col, want, ga, gi, R["ex"].get(kk, {}).get(col))
    print("== resultat_netto (tkr)")
    for row in t["resultat_netto"]["rows"]:
        k = row["key"]
        for col, want in zip(t["resultat_netto"]["columns"], row["values"]):
            ga = R["net"]["adds_up"][k][col]
            gi = R["net"]["independent"][k][col]
            ex = R["nx"][col].get(k) if k != "summa_verksamhet" else R["ex"]["summa_nettokostnader"][col]
            cmp("netto", k, col, want, ga, gi, ex, tol=1)
            if k == "summa_verksamhet":
                print(f"  {'':15} {'':22} {col:13} (seed style, sum of independently rounded municipalities: "
                      f"{R['net']['independent']['summa_verksamhet_seedstyle'][col]})")
    print("== budgetforandringar (tkr)")
    names = list(R["omr"]) + ["Totalt"]
    for row, name in zip(t["budgetforandringar"]["rows"], names):
        cmp("bf", row["key"], "summa", row["values"][0], R["bf"]["adds_up"][name], R["bf"]["independent"][name],
            R["omr"][name][0] if name in R["omr"] else None)
        if name in R["omr"] and row.get("note") != R["omr"][name][1]:
            print(f"  MISMATCH note {row['key']}: {R['omr'][name][1]!r}")
            bad += 1
    print("== investeringar (tkr)")
    key_of = {}
    for i in R["items"]:
        key_of[i[1]] = i[0]
    for row in t["investeringar"]["rows"]:
        k = row["key"]
        label = row["label"]
        if label in key_of:
            kk = key_of[label]
        else:
            grp = {"summa_gemensamma": "summa_gemensam", "summa_herrljunga": "summa_herrljunga",
                   "summa_vargarda": "summa_vargarda", "summa_totalt": "summa_totalt"}[k]
            kk = grp
        for col, want in zip(t["investeringar"]["columns"], row["values"]):
            cmp("inv", k, col, want, R["inv"]["adds_up"][kk][col], R["inv"]["independent"][kk][col])
    print(f"== personal (percent; package rounding = {R['pmode']})")
    smap = {"sjukfranvaro_total": "sjukfranvaro_total", "sjukfranvaro_kvinnor": "sjukfranvaro_kvinnor",
            "sjukfranvaro_man": "sjukfranvaro_man", "langtid_total": "langtid_total", "langtid_kvinnor": "langtid_kvinnor",
            "langtid_man": "langtid_man", "heltid_kvinnor": "heltid_kvinnor", "heltid_man": "heltid_man"}
    for row in t["personal"]["rows"]:
        want = round(row["values"][0] * 100)
        got = R["staff"][R["pmode"]][smap[row["key"]]]
        other = R["staff"]["half_up" if R["pmode"] == "truncate" else "truncate"][smap[row["key"]]]
        ok = got == want
        bad += 0 if ok else 1
        print(f"  personal        {row['key']:22} seed {want / 100:>6.2f}  {R['pmode']} {got if isinstance(got, str) else f'{got / 100:.2f}':>6}"
              f"   (other mode: {other if isinstance(other, str) else f'{other / 100:.2f}'})  {'ok' if ok else 'MISMATCH'}")
    print("  groups: " + ", ".join(f"{g} {n}" for g, n in R["counts"].items()))
    for g in ("alder_29", "alder_30_49", "alder_50"):
        v = R["staff"][R["pmode"]][f"sjukfranvaro_{g}"]
        print(f"  (not in seed) sjukfranvaro_{g}: {v if isinstance(v, str) else f'{v / 100:.2f}'}")

    # Texts with placeholders
    print("== text figures")
    rrd = R["rr"]["adds_up"]
    ctx = {
        "period": {"end": f"{R['cfg']['report']['year']}-08-31", "year": R["cfg"]["report"]["year"],
                   "through_month": R["cfg"]["report"]["through_month"], "month_name": "augusti"},
        "committee": R["cfg"]["report"]["committee"],
        "rr": {(k if k != "kommunbidrag_shown" else "kommunbidrag"): v for k, v in rrd.items()},
        "netto": dict(R["net"]["adds_up"]),
        "inv": dict(R["inv"]["adds_up"]),
        "bf": {"totalt": R["bf"]["adds_up"]["Totalt"]},
    }
    res = ctx["rr"]["resultat"]["utfall"]
    word = "negativ" if res < 0 else "positiv"
    ctx["summary_sentence"] = (
        f"{ctx['committee']} redovisar en {word} avvikelse från budget på {tkr_fmt(abs(res))} tkr per augusti."
        if res else f"{ctx['committee']} redovisar ett resultat i nivå med budget per augusti.")
    tf = seed["text_figures"]
    checks = [("tjansteskrivelse_avvikelse_tkr", ctx["rr"]["resultat"]["utfall"]),
              ("sammanfattning_resultat_tkr", ctx["rr"]["resultat"]["utfall"]),
              ("investeringar_utfall_tkr", ctx["inv"]["summa_totalt"]["utfall"]),
              ("investeringar_budget_tkr", ctx["inv"]["summa_totalt"]["summa_budget"])]
    for k, v in checks:
        ok = tf[k] == v
        bad += 0 if ok else 1
        print(f"  {k:32} seed {tf[k]:>6}  got {v:>6}  {'ok' if ok else 'MISMATCH'}")
    tdir = args.package / R["cfg"]["texts"]["dir"]
    for f in sorted(tdir.glob("*.md")):
        out = render_text(f.read_text(encoding="utf-8"), ctx)
        first = out.strip().splitlines()[0]
        print(f"  {f.name}: {first[:110]}{'…' if len(first) > 110 else ''}")
    goals = tomllib.loads((args.package / R["cfg"]["goals"]["file"]).read_text(encoding="utf-8"))
    for g in goals["goal"]:
        render_text(g["text"], ctx)
    print(f"  mal.toml: {len(goals['goal'])} goals: " + "; ".join(g["title"] for g in goals["goal"]))

    for L in (R["cur"], R["prior"]):
        bad += len(L.problems)
    print(f"== {'ALL MATCH' if bad == 0 else f'{bad} MISMATCHES'}")
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
