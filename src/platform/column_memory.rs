//! Column roles the user chose, remembered in this browser per set of
//! headers, so the next export from the same tool loads without asking.

use std::collections::BTreeMap;

use uplift_engine::ingest::ColumnMapping;

/// Where the remembered mappings live in localStorage.
pub const STORAGE_KEY: &str = "uplift-roi:columns";

/// At most this many header sets are remembered; the oldest go first.
const MAX_REMEMBERED: usize = 20;

/// One key per header row: the headers joined by a character no export uses.
pub fn signature(headers: &[String]) -> String {
    headers.join("\u{1f}")
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Remembered mappings, oldest first.
fn load_all() -> Vec<(String, ColumnMapping)> {
    storage()
        .and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

/// The roles remembered for these headers (empty if none).
pub fn recall(headers: &[String]) -> ColumnMapping {
    if headers.is_empty() {
        return ColumnMapping::new();
    }
    let key = signature(headers);
    load_all()
        .into_iter()
        .find(|(k, _)| *k == key)
        .map(|(_, m)| m)
        .unwrap_or_default()
}

/// Remember `mapping` for these headers.
pub fn remember(headers: &[String], mapping: &ColumnMapping) {
    let Some(store) = storage() else { return };
    let key = signature(headers);
    let mut all = load_all();
    all.retain(|(k, _)| *k != key);
    all.push((key, mapping.clone()));
    let excess = all.len().saturating_sub(MAX_REMEMBERED);
    all.drain(..excess);
    if let Ok(json) = serde_json::to_string(&all) {
        let _ = store.set_item(STORAGE_KEY, &json);
    }
}

/// Keep only the headers a mapping speaks of that are in this file.
pub fn for_headers(mapping: &ColumnMapping, headers: &[String]) -> ColumnMapping {
    mapping
        .iter()
        .filter(|(h, _)| headers.contains(h))
        .map(|(h, r)| (h.clone(), *r))
        .collect::<BTreeMap<_, _>>()
}

/// Forget every remembered mapping ("Clear my data").
pub fn forget_all() {
    if let Some(store) = storage() {
        let _ = store.remove_item(STORAGE_KEY);
    }
}
