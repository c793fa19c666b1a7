//! Inputs the fuzzers (fuzz/, scripts/fuzz.sh) once found a problem with,
//! kept as tests. Each file under tests/fuzz-crashers/ is named for its target.

use uplift_engine::decimal::parse_f64;

/// An integer of 873 digits, 673 of them significant (so infinite as an
/// f64): refused by an early version that counted the integer's trailing
/// zeros against the 800-digit limit.
#[test]
fn decimal_long_integer_with_trailing_zeros() {
    let text = include_str!("fuzz-crashers/decimal-0fad0737.txt");
    let want = text.parse::<f64>().ok();
    assert_eq!(want, Some(f64::INFINITY));
    assert_eq!(parse_f64(text).map(f64::to_bits), want.map(f64::to_bits));
}

/// The file behind a crasher: the fuzz targets of the file analyses read
/// their first byte as options, the rest as the file.
fn file_of(crasher: &str) -> &str {
    crasher.get(1..).unwrap_or_default()
}

/// Whether `value` comes back from the JSON the worker sends: a NaN is
/// written as `null`, which the page cannot read back.
fn round_trips<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> bool {
    serde_json::to_string(value)
        .ok()
        .and_then(|json| serde_json::from_str::<T>(&json).ok())
        .is_some()
}

/// A panel of four units whose clustered variance of the intercept came
/// out a hair below zero: its standard error was NaN, sent as `null`, and
/// the event study's answer was lost on the way to the page.
#[test]
fn did_standard_errors_are_never_nan() -> Result<(), uplift_engine::did::DidError> {
    use uplift_engine::did::{difference_in_differences, read_panel, PanelColumns};
    let text = file_of(include_str!("fuzz-crashers/did-4ea3439b.csv"));
    let columns = PanelColumns {
        outcome: "sales".into(),
        treated: "treated".into(),
        unit: Some("id".into()),
        period: Some("year".into()),
        post: None,
        launch: Some("2".into()),
    };
    let panel = read_panel(text, &columns)?;
    let report = difference_in_differences(&panel, 0.598, true)?;
    assert!(report.coefficients.iter().all(|c| c.std_error >= 0.0));
    assert!(round_trips(&report));
    Ok(())
}

/// Scores for users of whom nobody responded: the report said so, but the
/// bootstrap (run alone in the other workers) drew NaN areas.
#[test]
fn targeting_bootstrap_without_responses_says_so() {
    use uplift_engine::targeting::{QiniBootstrap, TargetingError, Units};
    let text = file_of(include_str!("fuzz-crashers/targeting-4e0709e7.csv"));
    let Ok(units) = Units::read(text, "treated", "visit", "uplift_score") else {
        panic!("the scores are read");
    };
    assert_eq!(
        QiniBootstrap::new(&units, 57).err(),
        Some(TargetingError::NoResponses)
    );
}

/// A duration of a billion days asked the cohort table for 140 million
/// weeks of cells (the fuzzer ran out of memory): refused with its cell.
#[test]
fn cohort_durations_beyond_a_century_are_refused() {
    use uplift_engine::cohorts::{read_cohorts, CohortColumns, CohortError};
    let text = file_of(include_str!("fuzz-crashers/cohorts-5070d89c.csv"));
    let columns = CohortColumns {
        start: "signup".into(),
        duration: Some("tenure_days".into()),
        event: Some("churned".into()),
        variant: Some("group".into()),
        ..Default::default()
    };
    assert!(matches!(
        read_cohorts(text, &columns),
        Err(CohortError::Csv(uplift_engine::ingest::CsvError::BadCell {
            line: 4,
            ..
        }))
    ));
}

/// A revenue of 1e308 made the profit curve's sums infinite and its
/// points NaN: refused when read, with its cell; and a value per user
/// beyond 15 digits is refused by the curve itself.
#[test]
fn targeting_revenue_beyond_fifteen_digits_is_refused() {
    use uplift_engine::targeting::{profit_curve, TargetingError, Units};
    let text = file_of(include_str!("fuzz-crashers/targeting-7ca2bdcb.csv"));
    assert!(matches!(
        Units::read_values(text, "revenue"),
        Err(TargetingError::Csv(
            uplift_engine::ingest::CsvError::BadCell { line: 6, .. }
        ))
    ));
    let Ok(units) = Units::read(text, "treatment", "conversion", "score") else {
        panic!("the scores are read");
    };
    let value: Vec<f64> = units.outcome.iter().map(|y| y * 1e300).collect();
    let message = profit_curve(&units, &value, 0.0)
        .err()
        .map(|e| e.to_string());
    assert_eq!(
        message.as_deref(),
        Some("The value of user 1 is not an amount of at most 15 digits, too large to add up.")
    );
}

/// A score bin without untreated users has no response rate there (NaN,
/// as scikit-uplift's): written as `null`, it could not be read back, and
/// the whole report was lost. Now it travels and comes back as NaN.
#[test]
fn targeting_bins_without_a_group_travel_as_json() {
    use uplift_engine::targeting::{evaluate, Units};
    let text = file_of(include_str!("fuzz-crashers/targeting-1ad783fd.csv"));
    let Ok(units) = Units::read(text, "treatment", "conversion", "score") else {
        panic!("the scores are read");
    };
    let Ok(report) = evaluate(&units, 4) else {
        panic!("the scores are evaluated");
    };
    assert!(report
        .by_percentile
        .iter()
        .any(|b| b.response_rate_control.is_nan()));
    assert!(round_trips(&report));
}

/// Three users, one treated (the fuzzer's find, its stray bytes taken
/// out): the perfect uplift curve is no better than
/// the random line, so the uplift AUC is 0/0. Its NaN was written as
/// `null` and the report could not be read back.
#[test]
fn targeting_areas_of_zero_over_zero_travel_as_json() {
    use uplift_engine::targeting::{evaluate, Units};
    let text = "score,treatment,conversion\n0.9,1,1\n0.8,0,0\n0.3,0,0\n";
    let Ok(units) = Units::read(text, "treatment", "conversion", "score") else {
        panic!("the scores are read");
    };
    let Ok(report) = evaluate(&units, 1) else {
        panic!("the scores are evaluated");
    };
    assert!(report.uplift_auc.is_nan());
    assert!(round_trips(&report));
}

/// Files whose streamed reading (as the worker reads a file, in pieces)
/// once differed from reading them whole (the fuzzer's finds, cut down):
/// a byte-order mark before empty lines, one after them (part of the
/// header's first name then), and a header that is a line of spaces.
#[test]
fn timelines_read_in_pieces_equal_the_whole_file() {
    use uplift_engine::ingest::{header_fields, timeline_columns};
    use uplift_engine::timeline::{read_timeline, TimelineColumns, TimelineStream};
    let files = [
        "\u{feff}\n\n\n\n\n,050,12\n2023-01-07",
        "\u{feff}\ndate,variant,converted\n2024-01-01,a,1\n2024-01-01,b,0\n",
        "\n\n\u{feff}date,variant,converted\n2024-01-01,a,1\n2024-01-01,b,0\n",
        "\u{c}\ndate,variant,converted\n2024-01-01,a,1\n",
        "  \ndate,variant,converted\n2024-01-01,a,1\n",
    ];
    for text in files {
        let columns = TimelineColumns::from(timeline_columns(&header_fields(text)));
        let whole = read_timeline(text, &columns);
        for cut in 0..=text.len() {
            let mut stream = TimelineStream::new(columns.clone());
            let (a, b) = text.as_bytes().split_at(cut);
            let streamed = stream
                .feed(a)
                .and_then(|()| stream.feed(b))
                .and_then(|()| stream.finish());
            assert_eq!(streamed, whole, "{text:?} cut at {cut}");
        }
    }
}
