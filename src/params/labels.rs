//! The names the parties go by. Every Dutch vendor names them its own way — "de Klant",
//! "Afnemer", "Opdrachtgever"; "Leverancier", "Gebruiker" or its short name — and the person
//! who uses the service is "Gebruiker" in one set of terms and "Eindgebruiker" in another.
//! A vendor chooses them (`parties:` in its profile); clause texts use them through the
//! template variable `party` and never write them out.

use serde_json::{Map, Value as Json};

use super::Locale;

/// A role a label names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    Customer,
    Vendor,
    /// A person who uses the service on the customer's behalf.
    User,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Customer, Role::Vendor, Role::User];

    pub fn key(self) -> &'static str {
        match self {
            Role::Customer => "customer",
            Role::Vendor => "vendor",
            Role::User => "user",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.key() == s)
    }
}

/// One party's name: "de Klant" (article "de", noun "Klant", plural "Klanten") or "Afnemer"
/// (no article: the terms write "Afnemer betaalt").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub article: Option<String>,
    pub noun: String,
    pub plural: String,
}

const ARTICLES: &[&str] = &["de", "het", "the"];

impl Label {
    /// Read "de Klant", "Afnemer" or "the Customer", with an optional plural (else the
    /// usual plural of the locale). Usually a capitalised defined term, but "de klant" in lower
    /// case is accepted too: some terms write it so (seed 000), and a sentence start is
    /// capitalised by `party.Customer` either way.
    pub fn parse(text: &str, plural: Option<&str>, locale: Locale) -> Result<Label, String> {
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        let (article, noun) = match text.split_once(' ') {
            Some((a, rest)) if ARTICLES.contains(&a.to_lowercase().as_str()) => {
                (Some(a.to_lowercase()), rest.to_string())
            }
            _ => (None, text.clone()),
        };
        if noun.is_empty() || ARTICLES.contains(&noun.to_lowercase().as_str()) {
            return Err("a party name needs a noun, e.g. `de Klant` or `Afnemer`".into());
        }
        if noun.chars().count() > 60 {
            return Err("a party name is at most 60 characters".into());
        }
        if !noun
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '.' | '\'' | '&'))
        {
            return Err(format!(
                "`{noun}` may hold letters, digits, spaces and `- . ' &` only"
            ));
        }
        let plural = match plural {
            Some(p) => p.trim().to_string(),
            None => plural_of(&noun, locale),
        };
        Ok(Label {
            article,
            noun,
            plural,
        })
    }

    /// A name with no article and no plural of its own (the vendor's short name).
    pub fn proper(name: &str) -> Label {
        Label {
            article: None,
            noun: name.to_string(),
            plural: name.to_string(),
        }
    }

    /// "de Klant" / "Afnemer".
    pub fn with_article(&self) -> String {
        match &self.article {
            Some(a) => format!("{a} {}", self.noun),
            None => self.noun.clone(),
        }
    }

    /// "de Klanten" / "Afnemers": a plural takes "de" (or "the") whatever the singular took.
    pub fn plural_with_article(&self, locale: Locale) -> String {
        match (&self.article, locale) {
            (Some(_), Locale::Nl) => format!("de {}", self.plural),
            (Some(_), Locale::En) => format!("the {}", self.plural),
            (None, _) => self.plural.clone(),
        }
    }

    /// The forms a definition defines and the term lint accepts.
    pub fn terms(&self) -> Vec<String> {
        let mut t = vec![self.noun.clone()];
        if self.plural != self.noun {
            t.push(self.plural.clone());
        }
        t
    }
}

/// The usual plural: Dutch nouns ending in an unstressed -er, -el, -em, -en, -aar or -ie
/// take -s (Afnemer → Afnemers), others -en (Klant → Klanten, Cliënt → Cliënten); English
/// takes -s. A vendor writes the plural out where the rule is wrong.
pub fn plural_of(noun: &str, locale: Locale) -> String {
    match locale {
        Locale::En => {
            if noun.ends_with('y') && !noun.ends_with("ey") {
                format!("{}ies", &noun[..noun.len() - 1])
            } else if noun.ends_with('s') {
                format!("{noun}es")
            } else {
                format!("{noun}s")
            }
        }
        Locale::Nl => {
            let lower = noun.to_lowercase();
            if ["er", "el", "em", "en", "aar", "ie", "je"]
                .iter()
                .any(|e| lower.ends_with(e))
            {
                format!("{noun}s")
            } else if lower.ends_with('e') {
                format!("{noun}n")
            } else {
                format!("{noun}en")
            }
        }
    }
}

/// The three labels of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Labels {
    pub customer: Label,
    pub vendor: Label,
    pub user: Label,
    pub locale: Locale,
}

impl Labels {
    /// The library's defaults: "de Klant", the vendor's short name, "Gebruiker" (nl);
    /// "the Customer", the short name, "User" (en).
    pub fn defaults(locale: Locale, vendor_short_name: &str) -> Labels {
        let (customer, user) = match locale {
            Locale::Nl => ("de Klant", "Gebruiker"),
            Locale::En => ("the Customer", "User"),
        };
        Labels {
            customer: Label::parse(customer, None, locale).expect("a valid default"),
            vendor: Label::proper(vendor_short_name),
            user: Label::parse(user, None, locale).expect("a valid default"),
            locale,
        }
    }

    pub fn get(&self, role: Role) -> &Label {
        match role {
            Role::Customer => &self.customer,
            Role::Vendor => &self.vendor,
            Role::User => &self.user,
        }
    }

    pub fn set(&mut self, role: Role, label: Label) {
        match role {
            Role::Customer => self.customer = label,
            Role::Vendor => self.vendor = label,
            Role::User => self.user = label,
        }
    }

    /// A title with the parties' names filled in: titles are plain text, not templates, but
    /// "Opzegrecht van {{ party.customer }}" must follow the vendor's names too. Only
    /// `{{ party.<field> }}` is replaced; anything else stays as written.
    pub fn fill(&self, title: &str) -> String {
        if !title.contains("{{") {
            return title.to_string();
        }
        let ctx = self.context();
        let mut out = String::with_capacity(title.len());
        let mut rest = title;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find("}}") else {
                out.push_str(&rest[start..]);
                return out;
            };
            let inner = after[..end].trim();
            match inner
                .strip_prefix("party.")
                .and_then(|k| ctx.get(k)?.as_str())
            {
                Some(v) => out.push_str(v),
                None => out.push_str(&rest[start..start + 2 + end + 2]),
            }
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        out
    }

    /// The template variable `party`: for each role `r`, `r` ("de Klant"), `R` with a
    /// capital for a sentence start ("De Klant"), `rs` and `Rs` (plural), `r_noun` and
    /// `rs_noun` (without article: "Klant", "Klanten").
    pub fn context(&self) -> Json {
        let locale = self.locale;
        let mut m = Map::new();
        for role in Role::ALL {
            let l = self.get(role);
            let k = role.key();
            let cap = capitalise(k);
            m.insert(k.into(), l.with_article().into());
            m.insert(cap.clone(), capitalise(&l.with_article()).into());
            m.insert(format!("{k}s"), l.plural_with_article(locale).into());
            m.insert(
                format!("{cap}s"),
                capitalise(&l.plural_with_article(locale)).into(),
            );
            m.insert(format!("{k}_noun"), l.noun.clone().into());
            m.insert(format!("{k}s_noun"), l.plural.clone().into());
        }
        Json::Object(m)
    }
}

/// Every field of the template variable `party` (see [`Labels::context`]).
pub const CONTEXT_KEYS: &[&str] = &[
    "customer",
    "Customer",
    "customers",
    "Customers",
    "customer_noun",
    "customers_noun",
    "vendor",
    "Vendor",
    "vendors",
    "Vendors",
    "vendor_noun",
    "vendors_noun",
    "user",
    "User",
    "users",
    "Users",
    "user_noun",
    "users_noun",
];

/// The first letter in upper case ("de Klant" → "De Klant").
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn articles_and_plurals() {
        let l = Label::parse("de Klant", None, Locale::Nl).unwrap();
        assert_eq!(l.with_article(), "de Klant");
        assert_eq!(l.plural_with_article(Locale::Nl), "de Klanten");
        let a = Label::parse("Afnemer", None, Locale::Nl).unwrap();
        assert_eq!(
            (a.with_article(), a.plural.as_str()),
            ("Afnemer".into(), "Afnemers")
        );
        assert_eq!(plural_of("Opdrachtgever", Locale::Nl), "Opdrachtgevers");
        assert_eq!(plural_of("Cliënt", Locale::Nl), "Cliënten");
        assert_eq!(plural_of("Leverancier", Locale::Nl), "Leveranciers");
        assert_eq!(plural_of("Eindgebruiker", Locale::Nl), "Eindgebruikers");
        assert_eq!(plural_of("Party", Locale::En), "Parties");
        let h = Label::parse("het Bedrijf", Some("Bedrijven"), Locale::Nl).unwrap();
        assert_eq!(h.plural_with_article(Locale::Nl), "de Bedrijven");
    }

    #[test]
    fn bad_names_are_refused() {
        assert_eq!(
            Label::parse("de klant", None, Locale::Nl)
                .unwrap()
                .with_article(),
            "de klant"
        );
        assert!(Label::parse("de ", None, Locale::Nl).is_err());
        assert!(Label::parse("Klant{{ x }}", None, Locale::Nl).is_err());
    }

    #[test]
    fn context_forms() {
        let mut l = Labels::defaults(Locale::Nl, "Breinstorm");
        l.set(
            Role::Customer,
            Label::parse("Afnemer", None, Locale::Nl).unwrap(),
        );
        let c = l.context();
        assert_eq!(c["customer"], "Afnemer");
        assert_eq!(c["Customer"], "Afnemer");
        assert_eq!(c["vendor"], "Breinstorm");
        assert_eq!(c["user"], "Gebruiker");
        assert_eq!(c["users_noun"], "Gebruikers");
        let d = Labels::defaults(Locale::Nl, "X").context();
        assert_eq!(d["Customer"], "De Klant");
        assert_eq!(d["Customers"], "De Klanten");
        let mut a = Labels::defaults(Locale::Nl, "X");
        a.set(
            Role::Customer,
            Label::parse("Afnemer", None, Locale::Nl).unwrap(),
        );
        assert_eq!(
            a.fill("Opzegrecht van {{ party.customer }}"),
            "Opzegrecht van Afnemer"
        );
        assert_eq!(a.fill("{{party.Customer}} {{ x }}"), "Afnemer {{ x }}");
        let keys: Vec<&String> = c.as_object().unwrap().keys().collect();
        assert_eq!(keys.len(), CONTEXT_KEYS.len());
        assert!(keys.iter().all(|k| CONTEXT_KEYS.contains(&k.as_str())));
    }
}
