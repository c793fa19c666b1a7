//! Property tests of reading experiment files: an aggregated CSV written from
//! any sufficient statistics reads back to the same numbers, and how a file
//! is cut into chunks never changes what is read.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use uplift_engine::ingest::{
    parse_experiment, to_aggregated_csv, ColumnMapping, ExperimentReader, VariantStats,
};

fn name() -> impl Strategy<Value = String> {
    // Names with the characters that need quoting in CSV.
    proptest::string::string_regex("[A-Za-z0-9 ,;\"|é-]{1,12}")
        .unwrap()
        .prop_filter("not blank", |s| !s.trim().is_empty() && s.trim() == s)
}

fn money() -> impl Strategy<Value = f64> {
    (0u64..10_000_000_000).prop_map(|c| c as f64 / 100.0)
}

prop_compose! {
    fn variant()(name in name(), users in 1u64..10_000_000, conv_share in 0.0f64..=1.0,
                 orders in 0u64..50_000_000, revenue in money(), revenue_sq in money(),
                 orders_sq in money(), rxo in money(), pre in money(), pre_sq in money(),
                 rxp in money(), clicks in 0u64..1_000_000, impressions in 0u64..10_000_000)
        -> VariantStats {
        VariantStats {
            name,
            users,
            conversions: Some((users as f64 * conv_share).floor() as u64),
            orders: Some(orders),
            revenue: Some(revenue),
            revenue_sq: Some(revenue_sq),
            orders_sq: Some(orders_sq),
            revenue_x_orders: Some(rxo),
            pre_revenue: Some(pre),
            pre_revenue_sq: Some(pre_sq),
            revenue_x_pre: Some(rxp),
            clicks: Some(clicks),
            impressions: Some(impressions),
            columns: Vec::new(),
            cross: Vec::new(),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn aggregated_csv_round_trips(variants in proptest::collection::vec(variant(), 2..5)) {
        let mut seen = std::collections::HashSet::new();
        prop_assume!(variants.iter().all(|v| seen.insert(v.name.clone())));
        let csv = to_aggregated_csv(&variants, &[], &[]);
        let back = parse_experiment(&csv);
        prop_assert!(back.is_ok(), "{csv}\n{back:?}");
        prop_assert_eq!(back.unwrap().variants, variants);
    }

    #[test]
    fn chunking_never_changes_the_result(
        rows in proptest::collection::vec((0usize..3, any::<bool>(), 0u32..100_000, proptest::option::of(0u32..1000)), 1..60),
        cuts in proptest::collection::vec(0usize..4000, 0..8),
        crlf in any::<bool>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut text = format!("\u{feff}user,variant,converted,revenue,pre_revenue{end}");
        for (i, (v, c, cents, pre)) in rows.iter().enumerate() {
            let pre = pre.map(|p| p.to_string()).unwrap_or_default();
            text.push_str(&format!("{i},\"arm {v}\",{},{}.{:02},{pre}{end}", u8::from(*c), cents / 100, cents % 100));
        }
        let bytes = text.as_bytes();
        let whole = parse_experiment(&text);
        let mut cuts: Vec<usize> = cuts.into_iter().map(|c| c % (bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let mut reader = ExperimentReader::new(ColumnMapping::new());
        let mut start = 0;
        for c in cuts.into_iter().chain([bytes.len()]) {
            reader.feed(&bytes[start..c]).unwrap();
            start = c;
        }
        prop_assert_eq!(reader.finish(), whole);
    }
}
