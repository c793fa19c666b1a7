//! Forrester TEI conventions against a published study's cash-flow table
//! (`tests/reference/tei_published.json`: "The Total Economic Impact™ Of
//! SalesLoft", Cash Flow Table (Risk-Adjusted), 10% discount rate). PV, NPV,
//! ROI and totals must match to the dollar; the study prints payback only as
//! "< 6 months".
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use serde_json::Value;
use uplift_engine::finance::tei::{tei_summary, TeiLine, TeiTable};
use uplift_engine::units::Money;

const PUBLISHED: &str = include_str!("../../../tests/reference/tei_published.json");

fn line(row: &Value) -> TeiLine {
    let f = |k: &str| Money(row[k].as_f64().unwrap());
    TeiLine {
        name: String::new(),
        initial: f("initial"),
        years: vec![f("year1"), f("year2"), f("year3")],
    }
}

#[test]
fn salesloft_cash_flow_table_to_the_dollar() {
    let all: Value = serde_json::from_str(PUBLISHED).unwrap();
    let study = all["studies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "salesloft")
        .unwrap();
    let t = &study["table"];
    let table = TeiTable {
        discount_rate: study["discount_rate"].as_f64().unwrap(),
        benefits: vec![line(&t["total_benefits"])],
        costs: vec![line(&t["total_costs"])],
    };
    let s = tei_summary(&table);
    let dollars = |m: Money| m.0.round();
    let published = |row: &str, col: &str| t[row][col].as_f64().unwrap();
    assert_eq!(
        dollars(s.pv_costs),
        published("total_costs", "present_value")
    );
    assert_eq!(
        dollars(s.pv_benefits),
        published("total_benefits", "present_value")
    );
    assert_eq!(dollars(s.npv), published("net_benefits", "present_value"));
    assert_eq!(
        dollars(table.costs[0].total()),
        published("total_costs", "total")
    );
    assert_eq!(
        dollars(table.benefits[0].total()),
        published("total_benefits", "total")
    );
    // ROI is printed as a whole percent.
    let roi = s.roi.unwrap();
    assert_eq!((roi * 100.0).round(), 329.0, "{roi}");
    // Net cells: Forrester rounds each printed cell on its own, so a net
    // cell may differ from benefits − costs of the printed cells by $1.
    for (i, col) in ["initial", "year1", "year2", "year3"].iter().enumerate() {
        let got = s.net_benefits[i].0;
        assert!(
            (got - published("net_benefits", col)).abs() <= 1.0,
            "{col}: {got}"
        );
    }
    // "< 6 months".
    let payback = s.payback_months.unwrap();
    assert!(payback < 6.0, "{payback}");
    assert_eq!(study["table"]["payback_text"], "< 6 months");
}
