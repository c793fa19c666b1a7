//! Row-level hygiene: user ids that appear on more than one row, and users
//! that were counted in more than one variant (their results mix both
//! experiences, so the assignment or the join that made the file is broken).

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::columns::Columns;
use super::{ColumnMapping, ColumnRole};

/// What the user ids of a row-level file say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UserChecks {
    /// Rows used that carry a user id.
    pub rows: u64,
    /// Different user ids among them.
    pub users: u64,
    /// Rows whose user id came before on another row: `rows − users`.
    pub repeated_rows: u64,
    /// Users found in more than one variant.
    pub in_several_variants: u64,
}

/// 64-bit FNV-1a of an id: ids are kept as hashes, 8 bytes each, so a
/// million users need a few megabytes (two different ids share a hash with
/// odds of about n² / 2⁶⁵, under 1 in 30 million at a million ids).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[derive(Default)]
struct Seen {
    variants: Vec<String>,
    /// Per id: the variant it was first seen in, and whether another followed.
    ids: HashMap<u64, (usize, bool)>,
    rows: u64,
}

impl Seen {
    fn add(&mut self, variant: &str, id: &str) {
        if id.is_empty() {
            return;
        }
        self.rows += 1;
        let v = match self.variants.iter().position(|n| n == variant) {
            Some(v) => v,
            None => {
                self.variants.push(variant.to_string());
                self.variants.len() - 1
            }
        };
        let entry = self.ids.entry(fnv1a(id)).or_insert((v, false));
        if entry.0 != v {
            entry.1 = true;
        }
    }

    fn checks(&self) -> UserChecks {
        let users = self.ids.len() as u64;
        UserChecks {
            rows: self.rows,
            users,
            repeated_rows: self.rows - users,
            in_several_variants: self.ids.values().filter(|(_, multi)| *multi).count() as u64,
        }
    }
}

/// Call `each(variant, user id, the record as written)` for every
/// non-blank record of `text` with a variant, the columns found as the
/// reader finds them (`mapping`, then the header spellings); returns the
/// header line as written. Only those two cells are looked at, nothing is
/// parsed as a number: a fraction of the cost of reading the file. `None`
/// without a variant or a user-id column.
fn scan_ids(
    text: &str,
    mapping: &ColumnMapping,
    mut each: impl FnMut(&str, &str, &str),
) -> Option<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(super::detect_delimiter(header_line))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    if !reader.read_record(&mut record).ok()? {
        return None;
    }
    let headers: Vec<String> = record.iter().map(str::to_string).collect();
    let cols = Columns::find(&headers, mapping);
    let (variant, user) = (
        cols.get(ColumnRole::Variant)?,
        cols.get(ColumnRole::UserId)?,
    );
    let mut start = reader.position().byte() as usize;
    let head = text.get(..start).unwrap_or_default().to_string();
    while let Ok(true) = reader.read_record(&mut record) {
        let end = reader.position().byte() as usize;
        let raw = text.get(start..end).unwrap_or_default();
        start = end;
        let v = record.get(variant).unwrap_or("").trim();
        if !v.is_empty() {
            each(v, record.get(user).unwrap_or("").trim(), raw);
        }
    }
    Some(head)
}

/// Check the user ids of `text` read with `mapping`; `None` when the file
/// has no user-id column (or no variant column).
pub fn user_checks(text: &str, mapping: &ColumnMapping) -> Option<UserChecks> {
    let mut seen = Seen::default();
    scan_ids(text, mapping, |variant, id, _| seen.add(variant, id))?;
    let checks = seen.checks();
    (checks.rows > 0).then_some(checks)
}

/// A row-level file without its repeated users.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WithoutRepeats {
    /// The same CSV (header and delimiter kept) with the rows left out.
    pub text: String,
    /// Users left out entirely: they were in more than one variant.
    pub users_removed: u64,
    /// Rows left out: every row of those users, and repeats of a user id
    /// within one variant after its first row.
    pub rows_removed: u64,
}

/// `text` without the users found in more than one variant (all their rows:
/// neither arm can be credited with their outcome) and without second and
/// later rows of a user id within one variant (one row per user is what
/// the file promises). Rows are kept as written. `None` when the file has
/// no user-id column or nothing to leave out.
pub fn without_repeated_users(text: &str, mapping: &ColumnMapping) -> Option<WithoutRepeats> {
    let mut seen = Seen::default();
    scan_ids(text, mapping, |variant, id, _| seen.add(variant, id))?;
    let checks = seen.checks();
    if checks.repeated_rows == 0 {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    let mut kept = std::collections::HashSet::new();
    let mut rows_removed = 0;
    let head = scan_ids(text, mapping, |_, id, raw| {
        if !id.is_empty() {
            let h = fnv1a(id);
            let several = seen.ids.get(&h).is_some_and(|&(_, multi)| multi);
            if several || !kept.insert(h) {
                rows_removed += 1;
                return;
            }
        }
        out.push_str(raw);
        if !raw.ends_with('\n') {
            out.push('\n');
        }
    })?;
    Some(WithoutRepeats {
        text: head + &out,
        users_removed: checks.in_several_variants,
        rows_removed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeated_ids_and_users_in_two_variants_are_counted() {
        // 5 is twice in control; 7 is in both variants; 9 once.
        let text = "user_id,group,converted\n5,control,0\n7,control,1\n5,control,0\n7,treatment,0\n9,treatment,1\n";
        let checks = user_checks(text, &ColumnMapping::new());
        assert_eq!(
            checks,
            Some(UserChecks {
                rows: 5,
                users: 3,
                repeated_rows: 2,
                in_several_variants: 1,
            })
        );
        let Some(clean) = without_repeated_users(text, &ColumnMapping::new()) else {
            panic!("something to leave out")
        };
        // 7 goes entirely; 5's second row goes; 9 stays.
        assert_eq!(
            clean,
            WithoutRepeats {
                text: "user_id,group,converted\n5,control,0\n9,treatment,1\n".into(),
                users_removed: 1,
                rows_removed: 3,
            }
        );
        let checks = user_checks(&clean.text, &ColumnMapping::new());
        assert_eq!(
            checks.map(|c| (c.repeated_rows, c.in_several_variants)),
            Some((0, 0))
        );
        assert_eq!(
            without_repeated_users(&clean.text, &ColumnMapping::new()),
            None
        );
        // No user-id column: nothing to check.
        assert_eq!(
            user_checks("group,converted\nA,1\nB,0\n", &ColumnMapping::new()),
            None
        );
    }
}
