//! Which column means what: header spellings, and the user's own mapping.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The column roles the engine knows, with the header spellings that map to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "&'static str", try_from = "String")]
pub enum ColumnRole {
    Variant,
    Segment,
    Users,
    Conversions,
    Converted,
    Orders,
    Revenue,
    RevenueSq,
    OrdersSq,
    RevenueXOrders,
    PreRevenue,
    PreRevenueSq,
    RevenueXPre,
    Clicks,
    Impressions,
    /// Names the user (one row per user): for duplicate checks, never a metric.
    UserId,
    /// A metric column the user chose, whatever its name.
    Metric,
    /// A column the user told us to leave out.
    Ignore,
}

crate::named::named_enum!(ColumnRole {
    Variant => "variant",
    Segment => "segment",
    Users => "users",
    Conversions => "conversions",
    Converted => "converted",
    Orders => "orders",
    Revenue => "revenue",
    RevenueSq => "revenue_sq",
    OrdersSq => "orders_sq",
    RevenueXOrders => "revenue_x_orders",
    PreRevenue => "pre_revenue",
    PreRevenueSq => "pre_revenue_sq",
    RevenueXPre => "revenue_x_pre",
    Clicks => "clicks",
    Impressions => "impressions",
    UserId => "user_id",
    Metric => "metric",
    Ignore => "ignore",
});

/// The user's own choice of role per header, for files whose headers the
/// engine does not recognise. Keyed by the header exactly as written.
pub type ColumnMapping = BTreeMap<String, ColumnRole>;

impl ColumnRole {
    /// What the role means, in the words of the column-mapping step.
    pub fn label(self) -> &'static str {
        match self {
            ColumnRole::Variant => "Variant (group, arm)",
            ColumnRole::Segment => "Segment (a breakdown)",
            ColumnRole::Users => "Users per row (aggregated data)",
            ColumnRole::Conversions => "Conversions per row (aggregated data)",
            ColumnRole::Converted => "Converted yes/no (one row per user)",
            ColumnRole::Orders => "Orders",
            ColumnRole::Revenue => "Revenue",
            ColumnRole::RevenueSq => "Sum of revenue²",
            ColumnRole::OrdersSq => "Sum of orders²",
            ColumnRole::RevenueXOrders => "Sum of revenue × orders",
            ColumnRole::PreRevenue => "Pre-period revenue (CUPED)",
            ColumnRole::PreRevenueSq => "Sum of pre-period revenue²",
            ColumnRole::RevenueXPre => "Sum of revenue × pre-period revenue",
            ColumnRole::Clicks => "Clicks",
            ColumnRole::Impressions => "Impressions",
            ColumnRole::UserId => "User id",
            ColumnRole::Metric => "Metric (numbers or yes/no)",
            ColumnRole::Ignore => "Not used",
        }
    }

    fn synonyms(self) -> &'static [&'static str] {
        match self {
            ColumnRole::Variant => &[
                "variant",
                "variation",
                "group",
                "arm",
                "bucket",
                "treatment",
                "experimentgroup",
                "cohort",
                "version",
                "testgroup",
            ],
            ColumnRole::Segment => &["segment", "dimension"],
            ColumnRole::Users => &[
                "users",
                "visitors",
                "sessions",
                "participants",
                "n",
                "count",
                "samplesize",
                "uniqueusers",
                "uniquevisitors",
                "totalusers",
                "totalvisitors",
                "exposures",
            ],
            ColumnRole::Conversions => &[
                "conversions",
                "purchases",
                "purchasers",
                "buyers",
                "convertedusers",
                "successes",
            ],
            ColumnRole::Converted => &["converted", "conversion", "purchased", "isconverted"],
            ColumnRole::Orders => &["orders", "transactions", "ordercount"],
            ColumnRole::Revenue => &[
                "revenue",
                "sales",
                "amount",
                "value",
                "gmv",
                "totalrevenue",
                "spend",
            ],
            ColumnRole::RevenueSq => &[
                "revenuesq",
                "revenuesquared",
                "revenuesumsq",
                "sumrevenuesq",
            ],
            ColumnRole::OrdersSq => &["orderssq", "orderssquared", "sumorderssq"],
            ColumnRole::RevenueXOrders => &["revenuexorders", "revenueorders", "ordersxrevenue"],
            ColumnRole::PreRevenue => &[
                "prerevenue",
                "revenuepre",
                "preperiodrevenue",
                "prerevenuesum",
                "covariate",
            ],
            ColumnRole::PreRevenueSq => &["prerevenuesq", "prerevenuesquared", "revenuepresq"],
            ColumnRole::RevenueXPre => &[
                "revenuexpre",
                "revenueprerevenue",
                "postxpre",
                "prexrevenue",
            ],
            ColumnRole::Clicks => &["clicks", "click", "clickcount"],
            ColumnRole::UserId => &[
                "userid",
                "customerid",
                "playerid",
                "visitorid",
                "clientid",
                "memberid",
                "accountid",
                "uid",
                "id",
            ],
            // `Metric` is the default for a column no role claims, so it needs no spellings.
            ColumnRole::Metric | ColumnRole::Ignore => &[],
            ColumnRole::Impressions => &["impressions", "views", "impressioncount", "shown"],
        }
    }
}

/// Lower-case and drop everything but letters and digits, so `Unique Users`,
/// `unique_users` and `UNIQUE-USERS` all match `uniqueusers`. Only ASCII
/// letters and digits are kept: every known spelling is ASCII, and Unicode's
/// letter and case tables would add about 11 KB to the web page's download.
pub(crate) fn normalise_header(h: &str) -> String {
    h.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// The role of each column of one file.
pub(super) struct Columns {
    pub(super) headers: Vec<String>,
    pub(super) index: Vec<(ColumnRole, usize)>,
}

impl Columns {
    /// Roles from the user's mapping first, then from the header spellings
    /// for every header the mapping does not mention.
    pub(super) fn find(headers: &[String], mapping: &ColumnMapping) -> Columns {
        let mut index: Vec<(ColumnRole, usize)> = Vec::new();
        for (i, h) in headers.iter().enumerate() {
            if let Some(&role) = mapping.get(h) {
                // Any number of columns can be segments; other roles have one.
                if !matches!(role, ColumnRole::Ignore | ColumnRole::Metric)
                    && (role == ColumnRole::Segment || !index.iter().any(|&(r, _)| r == role))
                {
                    index.push((role, i));
                }
            }
        }
        // `Ignore` has no spellings, so it is never guessed.
        for &role in ColumnRole::VARIANTS {
            if index.iter().any(|&(r, _)| r == role) {
                continue;
            }
            let hit = headers.iter().position(|h| {
                if mapping.contains_key(h) {
                    return false;
                }
                let n = normalise_header(h);
                role.synonyms().contains(&n.as_str())
            });
            if let Some(i) = hit {
                // A header can serve only one role; the first role listed wins.
                if !index.iter().any(|&(_, j)| j == i) {
                    index.push((role, i));
                }
            }
        }
        Columns {
            headers: headers.to_vec(),
            index,
        }
    }

    /// Columns no role claimed and the user did not leave out: the
    /// candidates for metrics, with whether the user chose them as one.
    pub(super) fn free(&self, mapping: &ColumnMapping) -> Vec<(usize, bool)> {
        (0..self.headers.len())
            .filter(|i| !self.index.iter().any(|&(_, j)| j == *i))
            .filter_map(|i| match mapping.get(self.name(i)) {
                Some(ColumnRole::Ignore) => None,
                Some(ColumnRole::Metric) => Some((i, true)),
                _ => Some((i, false)),
            })
            .collect()
    }

    pub(super) fn get(&self, role: ColumnRole) -> Option<usize> {
        self.index.iter().find(|(r, _)| *r == role).map(|&(_, i)| i)
    }

    pub(super) fn name(&self, i: usize) -> &str {
        self.headers.get(i).map_or("", String::as_str)
    }

    pub(super) fn found_list(&self) -> String {
        if self.headers.is_empty() {
            "none".to_string()
        } else {
            self.headers.join(", ")
        }
    }
}

/// The role the engine gives each header of a file on its own (without a
/// user mapping), for the column-mapping step to start from.
pub fn guess_roles(headers: &[String]) -> Vec<Option<ColumnRole>> {
    let cols = Columns::find(headers, &ColumnMapping::new());
    (0..headers.len())
        .map(|i| cols.index.iter().find(|&&(_, j)| j == i).map(|&(r, _)| r))
        .collect()
}

/// Whether an arm's name says it is the control: `control`, `ctrl`,
/// `baseline`, `holdout`, `default`, `original`, `no e-mail`, `A` (beside
/// `B`), … compared without case, spaces, dashes or underscores. A name
/// that merely contains "control" (`control_v2`, `Control group`) counts.
pub fn control_like(name: &str) -> bool {
    // ASCII only: Unicode's letter and case tables would add kilobytes to
    // the web page's first download, and control names are ASCII.
    let n: String = name
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    const EXACT: [&str; 12] = [
        "ctrl",
        "baseline",
        "base",
        "holdout",
        "default",
        "original",
        "none",
        "untreated",
        "notreatment",
        "nopersonalization",
        "nopersonalisation",
        "off",
    ];
    let lower = name.trim().to_ascii_lowercase();
    let negated = ["no ", "no-", "no_", "without "]
        .iter()
        .any(|p| lower.starts_with(p));
    n.contains("control") || EXACT.contains(&n.as_str()) || negated
}
