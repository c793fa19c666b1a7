//! Per-variant sums, built row by row.

use super::{IngestError, VariantStats};

/// Accumulates sums per variant in first-seen order.
#[derive(Default)]
pub(super) struct Accumulator {
    pub(super) variants: Vec<VariantStats>,
}

impl Accumulator {
    pub(super) fn entry(&mut self, name: &str) -> &mut VariantStats {
        let pos = self.variants.iter().position(|v| v.name == name);
        let idx = match pos {
            Some(i) => i,
            None => {
                self.variants.push(VariantStats {
                    name: name.to_string(),
                    users: 0,
                    conversions: None,
                    orders: None,
                    revenue: None,
                    revenue_sq: None,
                    orders_sq: None,
                    revenue_x_orders: None,
                    pre_revenue: None,
                    pre_revenue_sq: None,
                    revenue_x_pre: None,
                    clicks: None,
                    impressions: None,
                    columns: Vec::new(),
                    cross: Vec::new(),
                });
                self.variants.len() - 1
            }
        };
        // `idx` was either found above or is the element just pushed.
        #[allow(clippy::indexing_slicing)]
        &mut self.variants[idx]
    }
}

pub(super) fn add_count(slot: &mut Option<u64>, v: u64, column: &str) -> Result<(), IngestError> {
    let sum = slot
        .unwrap_or(0)
        .checked_add(v)
        .ok_or_else(|| IngestError::Overflow {
            column: column.to_string(),
        })?;
    *slot = Some(sum);
    Ok(())
}

pub(super) fn add_sum(slot: &mut Option<f64>, v: f64) {
    *slot = Some(slot.unwrap_or(0.0) + v);
}

pub(super) fn add_u64(a: u64, b: u64, column: &str) -> Result<u64, IngestError> {
    a.checked_add(b).ok_or_else(|| IngestError::Overflow {
        column: column.to_string(),
    })
}
