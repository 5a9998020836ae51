#!/bin/sh
# Rebuilds the committed seed corpora in fuzz/seeds/ from real files of the repository.
# Run from the repository root: sh fuzz/make-seeds.sh
set -eu
out=fuzz/seeds
rm -rf "$out"
mkdir -p "$out/front_matter" "$out/param_values" "$out/clause_body"

name() { echo "$1" | tr '/' '_'; }

# front_matter: whole clause files, module.yaml, the manifest, documents, vendors, customers.
for f in \
    clauses/75-liability/01-cap.md clauses/70-escrow/04-release.md \
    clauses/10-applicability/06-precedence.md clauses/40-ip/04-custom-work.md \
    clauses/00-definitions/module.yaml clauses/75-liability/module.yaml \
    clauses/50-prices/module.yaml \
    tests/fixtures/good/clausebook.yaml tests/fixtures/good/documents/terms.yaml \
    tests/fixtures/good/vendors/acme.yaml tests/fixtures/good/customers/acme/bakkerij-bol.yaml \
    tests/fixtures/good/clauses/00-definitions/agreement.md \
    tests/fixtures/good/clauses/20-payment/module.yaml \
    tests/fixtures/good/vendors/acme/support/01-helpdesk.md \
    examples/vendors/breinstorm.yaml examples/vendors/noordlicht/trial/module.yaml \
    examples/documents/sla.yaml examples/customers/dommelsoft/bakkerij-van-dam.yaml
do
    head -c 4096 "$f" > "$out/front_matter/$(name "$f")"
done

# clause_body: clause bodies (the text after the front matter's closing `---`).
for f in \
    clauses/75-liability/01-cap.md clauses/70-escrow/04-release.md \
    clauses/75-liability/02-direct.md clauses/28-spam/04-escalation.md \
    clauses/10-applicability/06-precedence.md clauses/34-acceptance/03-deemed.md \
    clauses/280-dpa_breaches/02-content.md clauses/30-support/04-exclusions.md \
    clauses/40-ip/02-licence.md clauses/95-changes/02-effective.md \
    tests/fixtures/good/clauses/10-delivery/02-steps.md \
    tests/fixtures/good/clauses/00-definitions/working-day.md
do
    awk 'n >= 2 { print } /^---[ \t]*$/ && n < 2 { n++ }' "$f" | head -c 4096 \
        > "$out/clause_body/$(name "$f")"
done

# param_values: parameter values as vendors and customers write them.
i=0
grep -h '^    [a-z_]*: ' examples/vendors/*.yaml examples/customers/*/*.yaml \
        tests/fixtures/good/vendors/*.yaml tests/fixtures/good/customers/*/*.yaml |
    sed 's/^    [a-z_]*: //' | sort -u |
    while IFS= read -r v; do
        i=$((i + 1))
        printf '%s' "$v" > "$out/param_values/value-$i"
    done
# ... and the examples of docs/values.md, accepted and refused.
for v in '0x10' '1e3' '1.000,5' '-3' '1,25' '99,9%' '1.125%' '2024-01-31' \
    '{amount: 14, unit: dagen}' '{amount: 25000, currency: EUR}' '25.000 EUR' \
    '€ 25.000' '$ 1500.50' '£100' '25.000,50' '1.500.000' '25.000,-' 'EUR 25,000' \
    'EUR 1,500.50' 'EUR 0.500' 'EUR 1.500,505' 'EUR 1.500,50,-' 'EURO 5' '2 weeks' \
    '1 maand' '-EUR 10'
do
    i=$((i + 1))
    printf '%s' "$v" > "$out/param_values/doc-$(echo "$v" | cksum | cut -d' ' -f1)"
done
