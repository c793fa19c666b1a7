//! Where the column-mapping step appears under the text area when the page
//! cannot tell which column is the variant or what the rows count. The step
//! itself is part of the tools module ([`crate::data::column_mapping`]), downloaded
//! the first time it is needed; the page tells it the headers and the roles
//! chosen so far, and hears back each choice.

use leptos::prelude::*;
use uplift_engine::ingest::{header_fields, IngestError};
use uplift_engine::report::AnalysisError;

use crate::data::data_events::MappingRequest;
use crate::data::tool_slot::{show_column_mapping, ShowPanel, ToolSlot};
use crate::state::use_app_state;

/// Lines of the data the column step looks at to guess the roles.
const SAMPLE_LINES: usize = 300;

/// The data's first lines, up to 64 KiB of them: a file without line
/// breaks gives none rather than all of itself.
fn sample_of(data: &str) -> String {
    let mut sample = String::new();
    for line in data.lines().take(SAMPLE_LINES) {
        if sample.len() + line.len() > 64 * 1024 {
            break;
        }
        sample.push_str(line);
        sample.push('\n');
    }
    sample
}

#[component]
pub fn ColumnMappingSlot() -> impl IntoView {
    let state = use_app_state();
    // Asked while the data lacks a variant column or a known shape, and
    // while roles chosen earlier apply (so they can be changed).
    let mapping = Memo::new(move |_| {
        let (missing, confirm_variant) = state.analysis.with(|a| match a {
            Err(AnalysisError::Data(
                IngestError::MissingVariantColumn { .. } | IngestError::UnknownShape { .. },
            )) => (true, None),
            Err(AnalysisError::Data(IngestError::ManyVariants { column, .. })) => {
                (true, Some(column.clone()))
            }
            _ => (false, None),
        });
        state.scenario.with(|s| {
            if missing || !s.columns.is_empty() {
                MappingRequest {
                    headers: header_fields(&s.data),
                    columns: s.columns.clone(),
                    confirm_variant,
                    sample: sample_of(&s.data),
                }
            } else {
                MappingRequest::default()
            }
        })
    });
    let request = Memo::new(move |_| mapping.with(MappingRequest::to_json));
    let needed = Memo::new(move |_| mapping.with(|r| !r.headers.is_empty()));
    let show: ShowPanel = show_column_mapping;
    view! { <ToolSlot request needed show what="column chooser" failed_id="mapping-failed"/> }
}
