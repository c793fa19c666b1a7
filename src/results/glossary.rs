//! What each metric means, with its formula: a small "?" next to a term
//! opens the definition on hover, keyboard focus or tap.

use leptos::prelude::*;

/// One glossary entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub key: &'static str,
    pub term: &'static str,
    pub meaning: &'static str,
    pub formula: &'static str,
}

/// Every term the results use.
pub const GLOSSARY: [Entry; 16] = [
    Entry { key: "conversion", term: "Conversion rate", meaning: "Share of users who bought at least once.", formula: "conversions ÷ users" },
    Entry { key: "rpu", term: "Revenue per user", meaning: "Average revenue over all users, buyers or not.", formula: "revenue ÷ users" },
    Entry { key: "aov", term: "Average order value", meaning: "Average revenue per order.", formula: "revenue ÷ orders (a ratio metric; interval by the delta method)" },
    Entry { key: "ctr", term: "Click-through rate", meaning: "Share of impressions that were clicked.", formula: "clicks ÷ impressions" },
    Entry { key: "uplift", term: "Uplift", meaning: "How much better the variant does than the control, relative to the control.", formula: "(variant − control) ÷ control" },
    Entry { key: "interval", term: "Confidence interval", meaning: "The range of uplifts consistent with the data at the chosen confidence; in Bayesian mode, the credible interval.", formula: "estimate ± t(1−α/2, Welch df) × standard error (delta method)" },
    Entry { key: "p", term: "p-value", meaning: "How surprising a difference this large would be if the variant changed nothing. Small means the uplift is unlikely to be noise.", formula: "2 × (1 − T(|estimate ÷ standard error|))" },
    Entry { key: "chance", term: "Chance to beat control", meaning: "Posterior probability that the variant's true value is higher than the control's.", formula: "Φ(posterior mean ÷ posterior sd)" },
    Entry { key: "loss", term: "Expected loss", meaning: "The uplift you would give up, on average, if you shipped the variant and it were in fact worse.", formula: "E[max(0, −lift)] under the posterior" },
    Entry { key: "srm", term: "Sample ratio mismatch", meaning: "Users did not split between variants as planned, which usually means a bug in assignment.", formula: "χ² test of observed vs planned users; flagged at p < 0.001" },
    Entry { key: "cuped", term: "CUPED", meaning: "Uses each user's spend before the test to remove noise, which narrows the interval without biasing it.", formula: "Y − θ(X − X̄), θ = cov(X, Y) ÷ var(X)" },
    Entry { key: "clv", term: "Customer lifetime value", meaning: "Gross profit a customer brings over their life.", formula: "AOV × purchases per year × gross margin × lifespan in years" },
    Entry { key: "roi", term: "ROI", meaning: "Net profit as a share of what the programme cost.", formula: "(total benefit − total cost) ÷ total cost" },
    Entry { key: "payback", term: "Payback", meaning: "The first month in which cumulative benefit covers cumulative cost.", formula: "first month m with Σ benefit − Σ cost ≥ 0" },
    Entry { key: "npv", term: "NPV", meaning: "Net profit with future months discounted to today's money.", formula: "Σ (benefit − cost)ₘ × (1 + r)^(−(m − 1)/12), r = annual discount rate" },
    Entry { key: "p_roi", term: "Chance ROI > 0", meaning: "Share of 10,000 simulated outcomes, drawn from the uplift's uncertainty (and any cost or margin ranges), in which the programme pays for itself.", formula: "#(ROI > 0) ÷ draws" },
];

/// The entry for `key`, if there is one.
pub fn entry(key: &str) -> Option<Entry> {
    GLOSSARY.into_iter().find(|e| e.key == key)
}

/// A term with its definition one hover, focus or tap away.
#[component]
pub fn Term(key: &'static str, children: Children) -> impl IntoView {
    let Some(e) = entry(key) else {
        return children().into_any();
    };
    let id = format!("term-{key}");
    view! {
        <span class="term">
            {children()}
            <button type="button" class="term-info" aria-label=format!("What is {}?", e.term)
                aria-describedby=id.clone()>"?"</button>
            <span role="tooltip" id=id class="term-tip">
                <strong>{e.term}</strong>": "{e.meaning}" "<span class="formula">{e.formula}</span>
            </span>
        </span>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_a_unique_key_and_a_formula() {
        for (i, e) in GLOSSARY.iter().enumerate() {
            assert!(!e.formula.is_empty() && !e.meaning.is_empty(), "{}", e.key);
            assert!(
                GLOSSARY.iter().skip(i + 1).all(|o| o.key != e.key),
                "{}",
                e.key
            );
            assert_eq!(entry(e.key), Some(*e));
        }
        assert_eq!(entry("nothing"), None);
    }
}
