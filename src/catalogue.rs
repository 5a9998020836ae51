//! The lint catalogue: every lint `check` runs, with its stable name, default level, a one-line
//! summary, the explanation `clausebook check --explain NAME` prints, and how to fix a finding.
//! Data only, so that the manifest (which sets levels) and the lints (which report) share it.
//! docs/lints.md describes every entry with an example; a test keeps the two in step.

use crate::diagnostics::Severity;

/// How a lint's findings are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Allow,
    Warn,
    Deny,
}

impl Level {
    pub fn parse(s: &str) -> Option<Level> {
        match s {
            "allow" => Some(Level::Allow),
            "warn" | "warning" => Some(Level::Warn),
            "deny" | "error" => Some(Level::Deny),
            _ => None,
        }
    }

    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Allow => None,
            Level::Warn => Some(Severity::Warning),
            Level::Deny => Some(Severity::Error),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Level::Allow => "allow",
            Level::Warn => "warn",
            Level::Deny => "deny",
        }
    }
}

pub struct Lint {
    pub name: &'static str,
    pub level: Level,
    pub summary: &'static str,
    pub explanation: &'static str,
    pub fix: &'static str,
}

pub const LINTS: &[Lint] = &[
    Lint {
        name: "undefined_term",
        level: Level::Deny,
        summary: "a word capitalised like a defined term that the document does not define",
        explanation: "Dutch and English terms capitalise defined terms (\"de Dienst\", \"the \
            Service\"). A capitalised word in the middle of a sentence that no definition in the \
            document defines is either a term whose definition is missing — so the reader cannot \
            know what it means — or a slip of capitalisation that makes an ordinary word look \
            defined. Sentence starts, table cells, list items, party names and the names in \
            `proper_names` are not findings.",
        fix: "define the term in the definitions module, write it in lower case, or add a proper \
            name to `proper_names` in clausebook.yaml",
    },
    Lint {
        name: "unused_term",
        level: Level::Deny,
        summary: "a defined term that no other clause of the document uses",
        explanation: "A definition nobody uses is dead weight at best; at worst it shows that \
            the clause which used it was excluded or reworded, and the terms now define \
            something they never say. Only the headword counts; alternative forms (plurals) \
            may go unused.",
        fix: "remove the definition, or exclude it for the vendor with `clauses: {exclude: [...]}`",
    },
    Lint {
        name: "duplicate_heading",
        level: Level::Deny,
        summary: "two articles of one document with the same heading",
        explanation: "\"Artikel 7 Aansprakelijkheid\" and \"Artikel 12 Aansprakelijkheid\" make a \
            reader wonder which one governs, and a reference by heading ambiguous. It usually \
            means that a vendor module repeats a library module, or that a module was renamed \
            without looking at the others.",
        fix: "give one of the modules another title, or exclude the one the vendor does not need",
    },
    Lint {
        name: "empty_clause",
        level: Level::Deny,
        summary: "a clause whose text renders empty",
        explanation: "When every branch of a clause's conditions is false, the clause still gets \
            a number and ships as an empty \"3.3\". Use `when:` to leave a clause out instead.",
        fix: "add a `when:` condition that leaves the clause out, or text for the missing branch",
    },
    Lint {
        name: "unused_override",
        level: Level::Warn,
        summary: "a customer's negotiated value that no clause of the contract uses",
        explanation: "A customer file sets a parameter, but no clause of the documents built \
            for that customer uses it any more — after an `exclude` or `replace`, or because the \
            module is not part of the documents. The negotiated value has silently no effect: \
            the customer believes it agreed something the contract does not say.",
        fix: "remove the value from the customer's file, or include the clause that uses it",
    },
    Lint {
        name: "requirement",
        level: Level::Deny,
        summary: "a module's `requires:` rule fails: a clause it needs is not in the document",
        explanation: "Some clauses only hold with another: a limitation of liability without the \
            exception for opzet and bewuste roekeloosheid is set aside by Dutch courts (art. 6:248 \
            lid 2 BW), so the liability module `requires` the carve-out clause. A vendor or \
            customer that excludes or replaces the carve-out, or a condition that leaves it out, \
            makes the whole limitation vulnerable. Rules are data in module.yaml: `requires: \
            [{clause: liability.intent, message: ...}]`.",
        fix: "keep the required clause in the document (undo the exclude, or give the replacement \
            the same protection)",
    },
    Lint {
        name: "constraint",
        level: Level::Deny,
        summary: "a module's `constraints:` rule over parameter values fails",
        explanation: "Values that are each valid can contradict each other: a payment term of 14 \
            days with a dispute window of 30, a change-notice period shorter than the customer's \
            own notice period while the customer has no exit right, a breach notice slower than \
            the 72 hours GDPR gives the controller. Rules are data in module.yaml: \
            `constraints: [{check: \"raw.dpa.breach_notice | hours < 72\", message: ...}]`, a \
            condition like `when:` that must hold for every vendor and customer; `| hours` and \
            `| days` turn a raw duration into a number.",
        fix: "change the values the finding points at, in the vendor's or customer's file",
    },
    Lint {
        name: "combination",
        level: Level::Deny,
        summary: "a document that breaks under choices no shipped vendor or customer makes yet",
        explanation: "`check` assembles every document for every vendor and customer that \
            exists, but a library must also hold for the next vendor. For each clause whose \
            text or inclusion depends on a choice (a bool or enum parameter in its `when:`, its \
            `{% if %}` tags, or the `when:` of a clause it references), `check` assembles the \
            document again under every combination of those parameters, nearest to a real \
            vendor's values first, and reports the smallest change that breaks it: a reference \
            to a clause the change leaves out, a term whose definition drops out, a clause that \
            renders empty, a required clause that disappears.",
        fix: "make the conditions agree: give the referenced clause the same condition, reword \
            the reference inside an `{% if %}`, or give the empty branch text",
    },
    Lint {
        name: "translation_drift",
        level: Level::Warn,
        summary: "a translation made from an older version of the Dutch clause than the current one",
        explanation: "The Dutch wording is the source; a translation beside it (`<clause>.en.md`) \
            says which version of the Dutch it translates (`translates: 1.0.0`). When the Dutch \
            clause's `version` is bumped and the translation is not, the English document may \
            promise something the Dutch no longer says. `check` names both versions and, when a \
            published edition holds the Dutch text at the translated version, shows what the \
            Dutch changed since.",
        fix: "bring the translation in line with the Dutch, then set `translates:` to the Dutch version",
    },
    Lint {
        name: "exclusion",
        level: Level::Allow,
        summary: "what each possible exclusion of a clause or module would break (off by default)",
        explanation: "A vendor or customer may leave out any clause or module with `clauses: \
            {exclude: [...]}`. Turned on (`lints: {exclusion: warn}`), `check` leaves out every \
            clause and module of every document in turn and reports what that breaks: a \
            reference, a term whose definition goes with it, an article left empty, a required \
            clause. Off by default because most clauses are referenced somewhere, and `build` \
            reports the break, at the reference, as soon as a vendor makes it.",
        fix: "where an exclusion should be possible, make the referencing text conditional or \
            reword it; where it should not, say so in the clause (a `requires:` rule)",
    },
    Lint {
        name: "liability_carveout",
        level: Level::Deny,
        summary: "a limitation of liability in a document with no carve-out for opzet",
        explanation: "A clause that limits or excludes liability (\"is niet aansprakelijk\", \
            \"de aansprakelijkheid is beperkt tot\") is set aside by Dutch courts as a whole when \
            the terms do not keep liability for opzet and bewuste roekeloosheid of the vendor \
            and its management (art. 6:248 lid 2 BW; HR Saladin/HBU). Read from the text, so \
            that a vendor's own wording or a replaced carve-out is checked too.",
        fix: "add, in the same document, that the limitations do not apply to opzet or bewuste \
            roekeloosheid (the library's `liability.intent`)",
    },
    Lint {
        name: "duplicate_definition",
        level: Level::Deny,
        summary: "a term defined twice in one document",
        explanation: "Two definitions of one term give it two meanings, and the reader cannot \
            tell which one holds. It usually comes from a vendor adding its own definition next \
            to the library's instead of replacing it.",
        fix: "keep one definition; replace the library's clause with `clauses: {replace: ...}`",
    },
    Lint {
        name: "term_definition",
        level: Level::Warn,
        summary: "a defined term used only inside other definitions",
        explanation: "A term that only other definitions use is a detour the reader has to \
            follow without need: the body of the terms never says it.",
        fix: "fold its meaning into the definition that uses it, or use the term where it matters",
    },
    Lint {
        name: "term_case",
        level: Level::Warn,
        summary: "a defined term written in lower case (\"de dienst\" while \"Dienst\" is defined)",
        explanation: "Terms capitalise defined terms so that the reader knows the definition \
            applies. The same word in lower case leaves open whether it does — a classic \
            point of dispute.",
        fix: "capitalise it where the definition applies; use another word where it does not",
    },
    Lint {
        name: "missing_annex",
        level: Level::Deny,
        summary: "terms that incorporate an annex (a DPA, an SLA) the vendor does not publish",
        explanation: "A document lists another as its annex (\"Bijlage 1: \
            Verwerkersovereenkomst\") and its clauses rely on it, but the vendor's `documents:` \
            leaves that annex out: the terms then incorporate a document the customer never \
            receives, and the annex numbering no longer matches the text.",
        fix: "publish the annex too (add it to the vendor's `documents:`), or use terms without it",
    },
    Lint {
        name: "module_everywhere",
        level: Level::Warn,
        summary: "a vendor's own module without `documents:` lands in every document",
        explanation: "A vendor module added without `documents:` becomes an article of every \
            document the vendor publishes — the spam clause in the data-processing agreement, \
            the equipment clause in the SLA.",
        fix: "say where it belongs: `modules: [{path: ..., documents: [terms]}]`",
    },
    Lint {
        name: "party_spelling",
        level: Level::Deny,
        summary: "a vendor's clause writing its name out, or a second spelling of it",
        explanation: "The library never writes a party's name: `{{ party.vendor }}` is the \
            vendor's short name or the name it chose. A vendor's own clause that writes the \
            name out falls out of step when the name changes or another language is used; a \
            near spelling (\"Breinstrom\" for \"Breinstorm\") names a party that does not exist.",
        fix: "write `{{ party.vendor }}`",
    },
    Lint {
        name: "missing_label",
        // A warning, as issue 14 asks: a notice speaks to customers. Test fixtures that are
        // about something else allow it in their manifest.
        level: Level::Warn,
        summary: "a parameter without a `label`: diffs and change notices show its key",
        explanation: "A change notice names every changed value (\"aansprakelijkheidslimiet: \
            EUR 25.000,- → EUR 30.000,-\"). The name comes from the parameter's `label`; \
            without one the notice shows the parameter's own name (\"cap amount\"), which is \
            English, technical, or both, in a letter to a customer.",
        fix: "add `label:` to the parameter's declaration in module.yaml, in the words a customer reads",
    },
    Lint {
        name: "stale_law",
        level: Level::Deny,
        summary: "a repealed statute, an old authority or an outdated legal term",
        explanation: "Terms are copied from old terms. References to repealed law (Wet \
            bescherming persoonsgegevens, richtlijn 95/46/EG), old names (\"bewerker\" for \
            verwerker, College bescherming persoonsgegevens, the regional Chambers of Commerce) or \
            outdated figures (a 7-day withdrawal period) make a clause wrong or unenforceable. \
            The table of stale terms, with the current replacement and its source, is data: \
            src/lint/stale_law.yaml.",
        fix: "write the current term the finding names",
    },
    Lint {
        name: "residue",
        level: Level::Deny,
        summary: "anonymisation placeholders or web-page text left in the terms",
        explanation: "Terms copied from a website or from anonymised examples carry residue: \
            placeholders (\"Xxxxx\", \"XXXX\", \"[naam]\", \"<bedrijfsnaam>\") and page chrome \
            (\"Lees meer\", \"Meteen naar de inhoud\", \"Klik hier\"). In clause text, titles or \
            parameter values they would be published as the terms.",
        fix: "replace the placeholder with the real text or a parameter; delete page chrome",
    },
    Lint {
        name: "hand_typed_reference",
        level: Level::Deny,
        summary: "a cross-reference typed as text (\"artikel 9.1\") instead of `ref()`",
        explanation: "Article and clause numbers change whenever a module is added, excluded or \
            reordered, per vendor and per customer. A reference written out as text breaks at the \
            next renumbering without anyone noticing; `{{ ref(\"module.clause\") }}` follows it.",
        fix: "write `{{ ref(\"<clause id>\") }}` (or `ref(\"<module>\")` for an article)",
    },
    Lint {
        name: "drafting_style",
        level: Level::Warn,
        summary: "a drafting slip: \"clausule\" for \"artikel\", digits without words, hand-lettered lists, a date or amount typed in",
        explanation: "The library's conventions: parts of the terms are \"artikelen\" (never \
            \"clausules\"); a number of days is written \"dertig (30) dagen\" (the `count` filter \
            or a duration parameter does it); lists are Markdown lists (the renderer letters \
            them a., b., c.), never letters typed at the start of a line; a date or an amount is \
            a parameter, never typed into the text, where every vendor shares it and no notice \
            names it.",
        fix: "use \"artikel\", a parameter or the `count` filter, a Markdown list; a date or \
            money parameter for a typed value",
    },
    Lint {
        name: "role_noun",
        level: Level::Warn,
        summary: "a party named by a role noun (\"de leverancier\") instead of `{{ party.* }}`",
        explanation: "Every vendor names the parties its own way: \"de Klant\", \"Afnemer\", its \
            short name. A clause that writes \"opdrachtgever\", \"opdrachtnemer\", \
            \"leverancier\", \"afnemer\", \"cliënt\" or \"wederpartij\" introduces a second, \
            undefined name for a party, so the terms call one party two things. Not findings: \
            a word the library defines as a term, a vendor's own clause using that vendor's own \
            party names, the definitions of the parties themselves, and another firm's role \
            (\"een nieuwe leverancier\", \"geen opdrachtgever\").",
        fix: "write `{{ party.customer }}` or `{{ party.vendor }}` (`party.Customer` at the start \
            of a sentence)",
    },
    Lint {
        name: "enum_literal",
        level: Level::Deny,
        summary: "a comparison in a condition that can never be true",
        explanation: "Tera compares anything with anything. `raw.payment.method == \
            \"direct_debet\"` (misspelt), `raw.escrow.enabled == \"true\"` (a yes/no parameter \
            is not text), `payment.method == \"invoice\"` (without `raw.` the value is its \
            label, \"overschrijving\") or `service.availability == \"99.9\"` (formatted as \
            \"99,9%\") is false for every vendor, so a clause or a branch silently disappears. \
            Conditions in `when:` and in the tags of a clause body are checked against the \
            parameter's declaration.",
        fix: "compare `raw.<module>.<param>` with one of the declared values; test a yes/no \
            parameter as a condition (`{% if raw.x.enabled %}`); compare numbers with numbers",
    },
    Lint {
        name: "threshold_gap",
        level: Level::Deny,
        summary: "staff-size tiers that leave a customer out, or put it in two tiers",
        explanation: "Terms often give small customers other rules: \"6 maanden bij minder dan \
            20 werknemers, 1 jaar bij meer dan 20 werknemers\". A customer with exactly 20 then \
            has no rule at all; with \"ten hoogste 20\" and \"ten minste 20\" it has two. The \
            lint reads the rendered text (values from parameters included), finds every bound \
            on a number of staff (werknemers, medewerkers, werkzame personen, fte, employees) \
            and checks that each lower tier meets each nearby upper tier exactly. Bounds far \
            apart belong to different rules and are not compared.",
        fix: "bound both tiers by the same number, one inclusive and one exclusive: \"minder \
            dan 20 werknemers\" and \"20 of meer werknemers\"",
    },
];

/// Lints that judge a document by what it lacks (a definition, a carve-out, a use). When
/// another error left the input incomplete — a clause that did not load, a template that did
/// not render — their findings are consequences of that error, not defects of their own, and
/// are held back until it is fixed (see `Diagnostics::sorted`).
pub const JUDGE_ABSENCE: &[&str] = &[
    "undefined_term",
    "unused_term",
    "empty_clause",
    "unused_override",
    "requirement",
    "combination",
    "exclusion",
    "liability_carveout",
    "term_definition",
    "missing_annex",
];

pub fn find(name: &str) -> Option<&'static Lint> {
    LINTS.iter().find(|l| l.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_snake_case() {
        for (i, l) in LINTS.iter().enumerate() {
            assert!(
                l.name.chars().all(|c| c.is_ascii_lowercase() || c == '_'),
                "{}",
                l.name
            );
            assert!(LINTS[..i].iter().all(|o| o.name != l.name), "{}", l.name);
        }
    }

    #[test]
    fn docs_describe_every_lint() {
        let docs = include_str!("../docs/lints.md");
        for l in LINTS {
            assert!(
                docs.contains(&format!("## `{}`", l.name)),
                "docs/lints.md lacks {}",
                l.name
            );
        }
    }
}
