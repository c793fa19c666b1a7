//! Signup-week cohorts on any file, columns guessed as the CLI does.
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;
use uplift_engine::cohorts::{cohort_table, read_cohorts, CohortColumns};
use uplift_engine::ingest::{cohort_columns, header_fields};

fuzz_target!(|data: &[u8]| {
    let Some((head, text)) = common::split(data) else {
        return;
    };
    let mut columns = CohortColumns::from(cohort_columns(&header_fields(&text)));
    columns.observed_until = (head % 2 == 1).then(|| 19_000 + i64::from(head));
    if columns.end.is_some() {
        columns.duration = None;
    }
    let Ok(table) = read_cohorts(&text, &columns) else {
        return;
    };
    let weeks = (head % 4 != 0).then_some(usize::from(head % 16));
    common::round_trips(&cohort_table(&table, weeks));
});
