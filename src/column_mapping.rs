//! The column-mapping step: when the engine cannot tell which column is the
//! variant or what the rows count, the user says so per column. The choice
//! is remembered for the next file with the same headers.

use leptos::prelude::*;
use uplift_engine::ingest::{guess_roles, header_fields, ColumnMapping, ColumnRole, IngestError};
use uplift_engine::report::AnalysisError;

use crate::column_memory;
use crate::file_loader::retry_pending;
use crate::state::use_app_state;

/// The form value of a role (its serde name, e.g. `pre_revenue`).
fn role_key(role: ColumnRole) -> String {
    serde_json::to_string(&role)
        .map(|json| json.trim_matches('"').to_string())
        .unwrap_or_default()
}

fn role_from_key(key: &str) -> Option<ColumnRole> {
    serde_json::from_str(&format!("\"{key}\"")).ok()
}

/// The role shown for each header: the user's choice, else the engine's guess.
fn effective_roles(headers: &[String], mapping: &ColumnMapping) -> Vec<ColumnRole> {
    guess_roles(headers)
        .into_iter()
        .zip(headers)
        .map(|(guess, h)| {
            mapping
                .get(h)
                .copied()
                .or(guess)
                .unwrap_or(ColumnRole::Ignore)
        })
        .collect()
}

#[component]
pub fn ColumnMappingStep() -> impl IntoView {
    let state = use_app_state();
    // Mapping for the pending large file, edited before it is read again.
    let pending_mapping = RwSignal::new(ColumnMapping::new());
    Effect::new(move || {
        if let Some(p) = state.pending_file.get() {
            pending_mapping.set(column_memory::recall(&p.headers));
        }
    });
    let text_needs_mapping = Memo::new(move |_| {
        let missing = state.analysis.with(|a| {
            matches!(
                a,
                Err(AnalysisError::Data(
                    IngestError::MissingVariantColumn { .. } | IngestError::UnknownShape { .. }
                ))
            )
        });
        missing || state.scenario.with(|s| !s.columns.is_empty())
    });
    let headers = Memo::new(move |_| match state.pending_file.get() {
        Some(p) => p.headers,
        None if text_needs_mapping.get() => state.scenario.with(|s| header_fields(&s.data)),
        None => Vec::new(),
    });
    let current = move || match state.pending_file.get() {
        Some(_) => pending_mapping.get(),
        None => state.scenario.with(|s| s.columns.clone()),
    };
    let choose = move |header: String, role: ColumnRole| {
        let hs = headers.get_untracked();
        let update = |m: &mut ColumnMapping| {
            m.insert(header.clone(), role);
            *m = column_memory::for_headers(m, &hs);
        };
        if state.pending_file.get_untracked().is_some() {
            pending_mapping.update(update);
        } else {
            state.scenario.update(|s| update(&mut s.columns));
            column_memory::remember(&hs, &state.scenario.with_untracked(|s| s.columns.clone()));
        }
    };
    let read_again = move |_| {
        let mapping = pending_mapping.get_untracked();
        column_memory::remember(&headers.get_untracked(), &mapping);
        retry_pending(state, mapping);
    };
    move || {
        let hs = headers.get();
        if hs.is_empty() {
            return ().into_any();
        }
        let roles = effective_roles(&hs, &current());
        let rows = hs
            .into_iter()
            .zip(roles)
            .enumerate()
            .map(|(i, (header, role))| {
                let id = format!("map-col-{i}");
                let h = header.clone();
                let options = ColumnRole::CHOICES
                    .into_iter()
                    .map(|r| {
                        view! {
                            <option value=role_key(r) selected=r == role>{r.label()}</option>
                        }
                    })
                    .collect_view();
                view! {
                    <tr>
                        <th scope="row"><label for=id.clone()>{header}</label></th>
                        <td>
                            <select id=id on:change=move |ev| {
                                if let Some(r) = role_from_key(&event_target_value(&ev)) {
                                    choose(h.clone(), r);
                                }
                            }>{options}</select>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        let pending = state.pending_file.get();
        view! {
            <div class="column-mapping" id="column-mapping" role="group" aria-labelledby="mapping-title">
                <h3 id="mapping-title">"Which column is which?"</h3>
                <p class="hint">
                    {match &pending {
                        Some(p) => format!("“{}” has columns this page does not recognise. Say what each one holds, then read the file again. Your choice is remembered for files with the same columns.", p.name),
                        None => "Say what each column holds: a variant column, and either users per row (aggregated data) or converted / revenue per user. Your choice is remembered for files with the same columns.".to_string(),
                    }}
                </p>
                <table class="mapping-table">
                    <thead><tr><th scope="col">"Column in your file"</th><th scope="col">"Holds"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {pending.map(|_| view! {
                    <button type="button" class="button" id="mapping-apply" on:click=read_again>
                        "Read the file with these columns"
                    </button>
                })}
            </div>
        }
        .into_any()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_keys_round_trip() {
        for r in ColumnRole::CHOICES {
            assert_eq!(role_from_key(&role_key(r)), Some(r));
        }
        assert_eq!(role_key(ColumnRole::PreRevenue), "pre_revenue");
    }

    #[test]
    fn the_users_choice_wins_over_the_guess() {
        let headers: Vec<String> = ["arm", "visitors", "x"].map(String::from).to_vec();
        let mut m = ColumnMapping::new();
        m.insert("x".into(), ColumnRole::Conversions);
        assert_eq!(
            effective_roles(&headers, &m),
            vec![
                ColumnRole::Variant,
                ColumnRole::Users,
                ColumnRole::Conversions
            ]
        );
    }
}
