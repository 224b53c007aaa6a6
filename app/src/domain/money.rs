//! Money: a store's currency and how an amount in its minor unit reads.

text_enum! {
    /// The currencies a store may charge in (ISO 4217). Each has two
    /// decimals: amounts are stored in hundredths (cents, pence).
    #[derive(Default)]
    pub enum Currency {
        #[default]
        Gbp = "GBP",
        Eur = "EUR",
        Usd = "USD",
        Cad = "CAD",
        Aud = "AUD",
        Nzd = "NZD",
        Chf = "CHF",
        Sek = "SEK",
        Nok = "NOK",
        Dkk = "DKK",
        Pln = "PLN",
    }
}

impl Currency {
    /// How its amounts are written: a symbol before the number, or a code after it.
    fn sign(self) -> (&'static str, &'static str) {
        match self {
            Currency::Gbp => ("£", ""),
            Currency::Eur => ("€", ""),
            Currency::Usd => ("$", ""),
            Currency::Cad => ("CA$", ""),
            Currency::Aud => ("A$", ""),
            Currency::Nzd => ("NZ$", ""),
            Currency::Chf => ("", " CHF"),
            Currency::Sek => ("", " kr"),
            Currency::Nok => ("", " kr"),
            Currency::Dkk => ("", " kr."),
            Currency::Pln => ("", " zł"),
        }
    }

    /// For pickers: "GBP (£)".
    pub fn label(self) -> String {
        let (before, after) = self.sign();
        let sign = if before.is_empty() { after.trim() } else { before };
        format!("{} ({sign})", self.as_str())
    }

    /// An amount in hundredths as a price: "Free" when zero, "£45.00", "350.00 kr".
    pub fn price(self, hundredths: i64) -> String {
        if hundredths == 0 {
            return "Free".into();
        }
        self.amount(hundredths)
    }

    /// An amount in hundredths as money paid or owed: "£45.00", "£0.00".
    pub fn amount(self, hundredths: i64) -> String {
        let (before, after) = self.sign();
        let sign = if hundredths < 0 { "-" } else { "" };
        let n = hundredths.unsigned_abs();
        format!("{sign}{before}{}.{:02}{after}", n / 100, n % 100)
    }
}

/// An amount as people type it ("35", "35.5", "35,50") in hundredths; empty
/// reads zero. `None` for anything else (a sign, a third decimal, letters).
pub fn parse_amount(raw: &str) -> Option<i64> {
    let s = raw.trim().replace(',', ".");
    if s.is_empty() {
        return Some(0);
    }
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    if frac.len() > 2 || !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().ok()? };
    let frac: i64 = format!("{frac:0<2}").parse().ok()?;
    whole.checked_mul(100)?.checked_add(frac)
}

#[cfg(test)]
mod tests {
    use super::{parse_amount, Currency};

    #[test]
    fn amounts_parse_as_people_type_them() {
        assert_eq!(parse_amount("35"), Some(3500));
        assert_eq!(parse_amount("35,5"), Some(3550));
        assert_eq!(parse_amount("0.05"), Some(5));
        assert_eq!(parse_amount(" 12.30 "), Some(1230));
        assert_eq!(parse_amount(""), Some(0));
        assert_eq!(parse_amount("3.555"), None);
        assert_eq!(parse_amount("-1"), None);
        assert_eq!(parse_amount("1e3"), None);
        assert_eq!(parse_amount("99999999999999999999"), None);
        assert_eq!(Currency::Gbp.amount(0), "£0.00");
    }

    #[test]
    fn prices_read_as_the_currency_writes_them() {
        for (currency, amount, text) in [
            (Currency::Gbp, 4500, "£45.00"),
            (Currency::Gbp, 5, "£0.05"),
            (Currency::Eur, 1999, "€19.99"),
            (Currency::Usd, 0, "Free"),
            (Currency::Sek, 35000, "350.00 kr"),
            (Currency::Chf, 12050, "120.50 CHF"),
            (Currency::Cad, 100, "CA$1.00"),
        ] {
            assert_eq!(currency.price(amount), text, "{currency:?} {amount}");
        }
        assert_eq!(Currency::Gbp.label(), "GBP (£)");
        assert_eq!(Currency::parse("EUR"), Some(Currency::Eur));
        assert_eq!(Currency::parse("eur"), None);
    }
}
