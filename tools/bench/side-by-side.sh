#!/usr/bin/env bash
# delar, hledger, ledger-cli and the crate `sie4` on the same generated data, in one run.
#
#   tools/bench/side-by-side.sh            # ROWS=1500000 PROFILE=unit4 RUNS=3 by default
#   ROWS=100000 PROFILES="unit4 fortnox" RUNS=5 tools/bench/side-by-side.sh
#
# For each profile: generates a report package of ROWS ledger rows (two years, half
# each) with delar-gen, converts the same vouchers and budget to an hledger journal and a
# ledger-cli file, installs hledger, ledger and hyperfine from Debian if missing, then
#   - times (hyperfine, RUNS runs, median) and measures peak memory (/usr/bin/time -v,
#     median of RUNS) of:
#       delar report DIR --out OUT                      (every output: PDF, HTML, MD, XLSX, JSON, memo)
#       delar report DIR --out OUT --format json        (the engine without typesetting)
#       hledger -f J balance --budget -M
#       ledger -f L --budget -M balance                 (ledger's closest equivalent: the
#                                                        balance of budgeted accounts against
#                                                        the periodic budget; ledger's balance
#                                                        has no monthly columns)
#       sie4-ref (the crate sie4 reading the current year's file, in process)
#   - CHECKS that per-account totals agree to the öre between the generator's intent,
#     `delar sie balances` of both ledgers, `hledger balance` and `ledger balance` (and
#     sie4 where it reads the file); exits 1 loudly otherwise.
# Writes a Markdown table to target/bench/side-by-side-PROFILE-ROWS.md and to stdout.
# Generated files live under target/bench/data and are deleted at the end (KEEP=1 keeps).
set -euo pipefail
cd "$(dirname "$0")/../.."
. tools/bench/machine.sh
ROWS=${ROWS:-1500000}
PROFILES=${PROFILES:-${PROFILE:-unit4}}
RUNS=${RUNS:-3}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$PWD/target}
BIN=${BIN:-$CARGO_TARGET_DIR/release}
OUTDIR=$PWD/target/bench
DATA=$OUTDIR/data
mkdir -p "$OUTDIR" "$DATA"

need=()
for tool in hledger ledger hyperfine; do command -v "$tool" >/dev/null || need+=("$tool"); done
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} from Debian" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >&2
fi

[ -n "${NO_BUILD:-}" ] || cargo build --release -q -p delar-cli -p delar-gen >&2

# Median of the numbers on standard input.
median() { sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

# peak CMD...: median max RSS (MB) and median user+sys CPU seconds over RUNS runs.
peak() {
  local rss=() cpu=()
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v -o "$DATA/time.txt" "$@" >/dev/null 2>&1 || { echo "FAILED: $*" >&2; cat "$DATA/time.txt" >&2; exit 1; }
    rss+=("$(awk -F': ' '/Maximum resident/ { print $2 }' "$DATA/time.txt")")
    cpu+=("$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { print u + s }' "$DATA/time.txt")")
  done
  printf '%s\n' "${rss[@]}" | median | awk '{ printf "%.0f", $1 / 1024 }'
  printf ' '
  printf '%s\n' "${cpu[@]}" | median
}

# hyperfine median (s) of one command.
wall() {
  hyperfine --runs "$RUNS" --warmup 0 -N --export-json "$DATA/h.json" "$1" >/dev/null 2>&1 ||
    hyperfine --runs "$RUNS" --warmup 0 --export-json "$DATA/h.json" "$1" >/dev/null
  python3 -c 'import json,sys; print("%.3f" % json.load(open(sys.argv[1]))["results"][0]["median"])' "$DATA/h.json"
}

for PROFILE in $PROFILES; do
  PKG=$DATA/pkg-$PROFILE-$ROWS
  J=$DATA/$PROFILE-$ROWS.journal
  L=$DATA/$PROFILE-$ROWS.ledger
  rm -rf "$PKG" "$DATA/out"
  "$BIN/delar-gen" package --profile "$PROFILE" --rows "$ROWS" --out "$PKG" 2>&1 | sed 's/^/# /' >&2
  "$BIN/delar-gen" journal --profile "$PROFILE" --rows "$ROWS" --flavour hledger --out "$J"
  "$BIN/delar-gen" journal --profile "$PROFILE" --rows "$ROWS" --flavour ledger --out "$L"
  CUR=$PKG/huvudbok/huvudbok-2023.se
  PRI=$PKG/huvudbok/huvudbok-2022.se
  "$BIN/delar" check "$PKG" >/dev/null || { echo "delar check fails on the generated package" >&2; exit 1; }

  # ---- the check: per-account totals to the öre ----
  "$BIN/delar-gen" totals --profile "$PROFILE" --rows "$ROWS" > "$DATA/t-gen.txt"
  "$BIN/delar" sie balances "$CUR" > "$DATA/t-delar-cur.csv"
  { cat "$DATA/t-delar-cur.csv"; "$BIN/delar" sie balances "$PRI"; } > "$DATA/t-delar.csv"
  hledger -f "$J" balance -O csv --flat -N > "$DATA/t-hledger.csv"
  ledger -f "$L" balance --flat --no-total --balance-format '%(account);%(display_total)\n' > "$DATA/t-ledger.txt"
  if [ -x "$BIN/sie4-ref" ]; then
    sie4_line=$("$BIN/sie4-ref" "$CUR" "$RUNS" > "$DATA/t-sie4.txt" && grep '^OK' "$DATA/t-sie4.txt" || grep '^FAILED' "$DATA/t-sie4.txt" || true)
  else
    echo "note: $BIN/sie4-ref is missing (it is built with delar-gen); the sie4 row stays empty" >&2
    sie4_line="not run: $BIN/sie4-ref missing"
  fi
  python3 - "$DATA" <<'PY'
import csv, sys
from decimal import Decimal
d = sys.argv[1]
def ore(s): return int((Decimal(s.replace(",", "")) * 100).to_integral_exact())
def balances(path):
    out = {}
    for row in csv.reader(l for l in open(path) if not l.startswith("#")):
        if row[0] == "account" or row[2]: continue
        out[int(row[0])] = out.get(int(row[0]), 0) + ore(row[3])
    return out
gen = {int(a): int(v) for a, v in (l.strip().split(";") for l in open(f"{d}/t-gen.txt"))}
delar = balances(f"{d}/t-delar.csv")
hl = {int(r[0]): ore(r[1]) for r in csv.reader(open(f"{d}/t-hledger.csv")) if r[0] != "account"}
le = {int(a): ore(v) for a, v in (l.strip().split(";") for l in open(f"{d}/t-ledger.txt") if l.strip())}
clean = lambda m: {k: v for k, v in m.items() if v != 0}
ref = clean(gen)
bad = False
for name, m in [("delar", delar), ("hledger", hl), ("ledger", le)]:
    m = clean(m)
    diff = sorted(set(ref) | set(m))
    diff = [(a, ref.get(a), m.get(a)) for a in diff if ref.get(a) != m.get(a)]
    if diff:
        bad = True
        print(f"MISMATCH {name}: {len(diff)} accounts, e.g. {diff[:5]}", file=sys.stderr)
lines = [l[6:].strip().split(";") for l in open(f"{d}/t-sie4.txt") if l.startswith("TOTAL ")]
if lines:
    # sie4 reads only the current year's file: compare with delar's reading of that file.
    s4 = clean({int(a): int(Decimal(v)) for a, v in lines})
    cur = clean(balances(f"{d}/t-delar-cur.csv"))
    if s4 != cur:
        bad = True
        print(f"MISMATCH sie4 against delar on the current year: {len(set(s4.items()) ^ set(cur.items()))} differences", file=sys.stderr)
    else:
        print(f"sie4 agrees with delar on the current year: {len(cur)} accounts", file=sys.stderr)
if bad:
    print("TOTALS DISAGREE", file=sys.stderr); sys.exit(1)
print(f"totals agree to the öre: {len(ref)} accounts (generator, delar, hledger, ledger)", file=sys.stderr)
PY

  # ---- timings and memory ----
  OUT=$DATA/out
  t_full=$(wall "$BIN/delar report $PKG --out $OUT")
  m_full=$(peak "$BIN/delar" report "$PKG" --out "$OUT")
  t_json=$(wall "$BIN/delar report $PKG --out $OUT --format json")
  m_json=$(peak "$BIN/delar" report "$PKG" --out "$OUT" --format json)
  t_check=$(wall "$BIN/delar sie check $CUR")
  m_check=$(peak "$BIN/delar" sie check "$CUR")
  t_hl=$(wall "hledger -f $J balance --budget -M")
  m_hl=$(peak hledger -f "$J" balance --budget -M)
  t_le=$(wall "ledger -f $L --budget -M balance")
  m_le=$(peak ledger -f "$L" --budget -M balance)
  bytes=$(( $(stat -c %s "$CUR") + $(stat -c %s "$PRI") ))
  cur_bytes=$(stat -c %s "$CUR")
  {
    echo "### $PROFILE, $ROWS rows ($(date -u +%Y-%m-%dT%H:%MZ), load: $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "Machine: $(nproc) vCPUs, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(cpu_model); $(rustc --version); $(hledger --version | head -1); $(ledger --version | head -1); $(memory_state)."
    echo "Package: two years, $bytes bytes of SIE; journal $(stat -c %s "$J") bytes. Medians of $RUNS runs; CPU = user + system seconds."
    echo
    echo "| command | wall median | CPU median | peak RSS | wall vs delar report |"
    echo "| --- | --- | --- | --- | --- |"
    ratio() { python3 -c "print('%.1f×' % ($1 / $t_full))"; }
    echo "| \`delar report DIR --out OUT\` | ${t_full} s | ${m_full#* } s | ${m_full% *} MB | 1× |"
    echo "| \`delar report DIR --out OUT --format json\` | ${t_json} s | ${m_json#* } s | ${m_json% *} MB | $(ratio "$t_json") |"
    echo "| \`delar sie check\` (current year, $cur_bytes bytes: $(python3 -c "print('%.0f' % ($cur_bytes / $t_check / 1e6))") MB/s) | ${t_check} s | ${m_check#* } s | ${m_check% *} MB | $(ratio "$t_check") |"
    echo "| \`hledger -f J balance --budget -M\` | ${t_hl} s | ${m_hl#* } s | ${m_hl% *} MB | $(ratio "$t_hl") |"
    echo "| \`ledger -f L --budget -M balance\` | ${t_le} s | ${m_le#* } s | ${m_le% *} MB | $(ratio "$t_le") |"
    echo "| crate \`sie4\` 0.1.1 (current year, in process, after filtering records it does not know) | ${sie4_line} | | | |"
    echo
    echo "Per-account totals of both years: generator = delar = hledger = ledger, to the öre (checked)."
    echo
  } | tee "$OUTDIR/side-by-side-$PROFILE-$ROWS.md"
  [ "${KEEP:-0}" = 1 ] || rm -rf "$PKG" "$J" "$L" "$DATA/out"
done
