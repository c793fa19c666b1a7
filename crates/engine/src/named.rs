//! Enums written as their snake_case names in scenario JSON and links.
//!
//! [`named_enum!`] gives a fieldless enum one table of names, used both
//! ways through serde's `into = "&'static str"` and `try_from = "String"`.
//! Reading then goes through serde's one `String` reader instead of a
//! derived visitor per enum, which keeps the WebAssembly smaller.

use std::fmt;

/// A name that is not one of an enum's; the message lists the ones it knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownName {
    pub name: String,
    pub expected: &'static [&'static str],
}

impl fmt::Display for UnknownName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown value `{}`, expected ", self.name)?;
        for (i, name) in self.expected.iter().enumerate() {
            let sep = match i {
                0 => "",
                _ if i + 1 == self.expected.len() => " or ",
                _ => ", ",
            };
            write!(f, "{sep}`{name}`")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownName {}

/// `named_enum!(Type { Variant => "name", … })`: `Type::name`, the list of
/// `Type::VARIANTS`, and the conversions serde's `into`/`try_from` use. The
/// enum itself carries `#[serde(into = "&'static str", try_from = "String")]`.
macro_rules! named_enum {
    ($t:ident { $($v:ident => $n:literal),+ $(,)? }) => {
        impl $t {
            /// Every variant, in the order of this table (the order the
            /// page offers them in).
            #[allow(dead_code)] // read by the tests of enums private to a module
            pub const VARIANTS: &'static [$t] = &[$($t::$v),+];

            /// The name in scenario JSON and links.
            pub fn name(self) -> &'static str {
                match self {
                    $($t::$v => $n),+
                }
            }
        }

        impl From<$t> for &'static str {
            fn from(v: $t) -> &'static str {
                v.name()
            }
        }

        impl TryFrom<String> for $t {
            type Error = $crate::named::UnknownName;
            fn try_from(name: String) -> Result<$t, Self::Error> {
                match name.as_str() {
                    $($n => Ok($t::$v),)+
                    _ => Err($crate::named::UnknownName { name, expected: &[$($n),+] }),
                }
            }
        }
    };
}

pub(crate) use named_enum;

/// Every variant is written as its name and read back, and a wrong name
/// is refused with the list of names.
#[cfg(test)]
pub(crate) fn assert_round_trips<T>(variants: &[T])
where
    T: Copy
        + PartialEq
        + fmt::Debug
        + serde::Serialize
        + serde::de::DeserializeOwned
        + Into<&'static str>,
{
    assert!(!variants.is_empty());
    for &v in variants {
        let name: &'static str = v.into();
        let json = serde_json::to_string(&v).unwrap_or_default();
        assert_eq!(json, format!("\"{name}\""), "{v:?}");
        let back: Result<T, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(v), "{json}");
    }
    let wrong = serde_json::from_str::<T>("\"no_such_name\"")
        .err()
        .map(|e| e.to_string());
    let wrong = wrong.unwrap_or_default();
    assert!(
        wrong.starts_with("unknown value `no_such_name`, expected `"),
        "{wrong}"
    );
    assert!(serde_json::from_str::<T>("3").is_err());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finance::{CostCategory, Frequency};
    use crate::ingest::ColumnRole;
    use crate::scenario::{Correction, Method};
    use crate::stats::frequentist::IntervalKind;

    #[test]
    fn every_named_enum_round_trips() {
        assert_round_trips(Method::VARIANTS);
        assert_round_trips(Correction::VARIANTS);
        assert_round_trips(Frequency::VARIANTS);
        assert_round_trips(CostCategory::VARIANTS);
        assert_round_trips(IntervalKind::VARIANTS);
        assert_round_trips(ColumnRole::VARIANTS);
        // The order of the tables is the order users see the choices in.
        assert_eq!(ColumnRole::VARIANTS.last(), Some(&ColumnRole::Ignore));
        assert_eq!(Frequency::VARIANTS.first(), Some(&Frequency::OneTime));
    }

    #[test]
    fn unknown_names_list_the_known_ones() {
        let e = UnknownName {
            name: "sometimes".into(),
            expected: &["one_time", "monthly", "annual"],
        };
        assert_eq!(
            e.to_string(),
            "unknown value `sometimes`, expected `one_time`, `monthly` or `annual`"
        );
    }
}
