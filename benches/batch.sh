#!/usr/bin/env bash
# The customer-batch benchmark (issue 9): copies the repository's project to a scratch
# directory, generates N synthetic Breinstorm customers that each override four parameters,
# and times `build --vendor breinstorm --doc terms --all-customers` with peak memory.
#
#   benches/batch.sh [N=1000] [FORMATS=html,pdf]
#
# Prints: the first (cold) run, a second run with nothing changed, a run after editing one
# customer, and the CPU per customer PDF. Needs the release binary (cargo build --release).
set -euo pipefail
N="${1:-1000}"
FORMATS="${2:-html,pdf}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${CLAUSEBOOK:-$ROOT/target/release/clausebook}"
[ -x "$BIN" ] || { echo "build the release binary first: cargo build --release" >&2; exit 2; }
WORK="$(mktemp -d "${TMPDIR:-/tmp}/clausebook-batch.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
cp -r "$ROOT/clausebook.yaml" "$ROOT/clauses" "$ROOT/templates" "$ROOT/examples" "$WORK/"
CUST="$WORK/examples/customers/breinstorm"
caps=(25000 30000 40000 50000 75000 100000)
terms=(14 21 30 45 60)
for i in $(seq 1 "$N"); do
  cat > "$CUST/klant-$i.yaml" <<YAML
name: Klant nummer $i B.V.
short_name: Klant $i
kvk: "$((10000000 + i))"
city: Utrecht
parameters:
  liability.cap_amount: EUR ${caps[$((i % ${#caps[@]}))]}
  payment.payment_term: ${terms[$((i % ${#terms[@]}))]} dagen
  term.customer_notice: $((1 + i % 4)) maanden
  acceptance.test_period: $((5 + i % 10)) werkdagen
YAML
done
run() { # label, args...
  local label="$1"; shift
  /usr/bin/time -f "%e s wall, %U s user, %S s sys, %M KB peak RSS" -o "$WORK/time" \
    "$BIN" "$@" >/dev/null 2>"$WORK/err" || { cat "$WORK/err" >&2; exit 1; }
  printf '%-28s %s\n' "$label:" "$(cat "$WORK/time")"
}
cd "$WORK"
args=(build -q --vendor breinstorm --doc terms --all-customers --format "$FORMATS")
echo "clausebook batch: $N customers + the vendor, formats $FORMATS, $(nproc) cores"
run "first run" "${args[@]}"
run "second run, nothing changed" "${args[@]}"
sed -i 's/^city: Utrecht/city: Amersfoort/' "$CUST/klant-1.yaml"
run "after editing one customer" "${args[@]}"
run "forced full rebuild" "${args[@]}" --force
# CPU per customer PDF against a cold compile of the same document in its own process.
cpu() { awk '{print $4 + $7}' "$WORK/time"; }
run "one PDF, cold process" build -q --vendor breinstorm --doc terms --format pdf --out single --force
cold=$(cpu)
run "PDF only, forced" build -q --vendor breinstorm --doc terms --all-customers --format pdf --out pdfonly --force
batch=$(cpu)
awk -v b="$batch" -v c="$cold" -v n="$N" 'BEGIN {
  per = b / (n + 1); printf "CPU per customer PDF: %.1f ms = %.0f%% of a cold compile (%.0f ms)\n", per * 1000, 100 * per / c, c * 1000 }'
ls "$WORK/out/breinstorm/customers" | wc -l | xargs echo "customer directories in out/:"
