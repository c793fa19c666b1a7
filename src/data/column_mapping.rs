//! The column-mapping step: when the engine cannot tell which column is the
//! variant or what the rows count, the user says so per column. The choice
//! is remembered for the next file with the same headers. Part of the tools
//! module, which the page downloads when it first needs the step
//! (`src/data/column_mapping_slot.rs`).

use leptos::prelude::*;
use uplift_engine::ingest::{
    guess_columns, guess_roles, guessed_mapping, ColumnMapping, ColumnRole,
};

use crate::data::data_events::{DataEvent, MappingRequest};
use crate::data::file_reader::{shared_reader, tell_page};
use crate::platform::column_memory;

/// The step's own styles, added with it (the tools module): only visits
/// that need the step carry them.
const MAPPING_STYLE: &str = "\
.mapping-table { border-collapse: collapse; margin: 0.5rem 0; }\
.mapping-table th, .mapping-table td { padding: 0.25rem 0.75rem 0.25rem 0; text-align: left; }\
.mapping-table .why { color: var(--muted); font-size: 0.85rem; }\
.mapping-table select { font: inherit; padding: 0.3rem; border: 1px solid var(--border); border-radius: 6px; background: var(--panel); color: var(--text); max-width: 100%; min-width: 16rem; }\
@media (max-width: 640px) {\
.mapping-table thead { display: none; }\
.mapping-table tr { display: grid; gap: 0.2rem; padding: 0.4rem 0; border-bottom: 1px solid var(--border); }\
.mapping-table select { min-width: 0; width: 100%; }\
}";

/// The most columns the step offers a select for.
const MAX_COLUMNS: usize = 1_000;

/// The form value of a role: its name in JSON, e.g. `pre_revenue`.
fn role_key(role: ColumnRole) -> &'static str {
    role.name()
}

fn role_from_key(key: &str) -> Option<ColumnRole> {
    ColumnRole::try_from(key.to_string()).ok()
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
                .unwrap_or(ColumnRole::Metric)
        })
        .collect()
}

/// The column-mapping step: one row per header with its role. `file_name`
/// is set for a large file that is read again with the roles
/// ("Read the file with these columns"); without it each choice applies at
/// once. Nothing is shown while there are no headers.
#[component]
pub fn ColumnMappingForm(
    headers: Signal<Vec<String>>,
    mapping: Signal<ColumnMapping>,
    file_name: Signal<Option<String>>,
    #[prop(optional, into)] confirm_variant: Signal<Option<String>>,
    /// Why each column got its guessed role, by position (may be empty).
    #[prop(optional, into)]
    reasons: Signal<Vec<String>>,
    on_choose: Callback<(String, ColumnRole)>,
    on_apply: Callback<()>,
) -> impl IntoView {
    move || {
        let hs = headers.get();
        if hs.is_empty() {
            return ().into_any();
        }
        // A file without line breaks has one "column" per value: a select
        // for each would freeze the page for minutes.
        if hs.len() > MAX_COLUMNS {
            return view! {
                <p class="status error" role="alert" id="mapping-too-wide">
                    {format!("This file has {} columns, more than the 1,000 this page reads. Is each row of the export on its own line, with commas, semicolons, tabs or | between its values?", crate::platform::format::count(hs.len() as u64))}
                </p>
            }
            .into_any();
        }
        let roles = effective_roles(&hs, &mapping.get());
        let why = reasons.get();
        let rows = hs
            .into_iter()
            .zip(roles)
            .enumerate()
            .map(|(i, (header, role))| {
                let id = format!("map-col-{i}");
                let h = header.clone();
                let options = ColumnRole::VARIANTS
                    .iter()
                    .copied()
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
                                    on_choose.run((h.clone(), r));
                                }
                            }>{options}</select>
                        </td>
                        <td class="why">{why.get(i).cloned().unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view();
        let pending = file_name.get();
        view! {
            <div class="column-mapping" id="column-mapping" role="group" aria-labelledby="mapping-title">
                <h3 id="mapping-title">"Which column is which?"</h3>
                <p class="hint">
                    {match &pending {
                        Some(name) => format!("“{name}” has columns this page does not recognise. Say what each one holds, then read the file again. Your choice is remembered for files with the same columns."),
                        None => "Say what each column holds: a variant column, and either users per row (aggregated data) or converted / revenue per user. Your choice is remembered for files with the same columns.".to_string(),
                    }}
                </p>
                {confirm_variant.get().map(|column| {
                    let chosen = column.clone();
                    view! {
                        <p class="hint">
                            <button type="button" class="button" id="mapping-confirm-variant"
                                on:click=move |_| on_choose.run((chosen.clone(), ColumnRole::Variant))>
                                {format!("Yes, “{column}” is the variant")}
                            </button>
                        </p>
                    }
                })}
                <style>{MAPPING_STYLE}</style>
                <table class="mapping-table">
                    <thead><tr><th scope="col">"Column in your file"</th><th scope="col">"Holds"</th><th scope="col">"Why"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                {pending.map(|_| view! {
                    <button type="button" class="button" id="mapping-apply" on:click=move |_| on_apply.run(())>
                        "Read the file with these columns"
                    </button>
                })}
            </div>
        }
        .into_any()
    }
}

/// The column-mapping step for the data in the text area, shown while the
/// page cannot tell the columns apart (`request` comes from the page) and
/// no large file is waiting for its roles. Each
/// choice is remembered for the same headers and sent to the page at once.
#[component]
pub fn TextColumnMapping(request: RwSignal<MappingRequest>) -> impl IntoView {
    // A large file waiting for its own roles has the one form meanwhile.
    let file_pending = shared_reader().pending;
    let headers = Signal::derive(move || {
        if file_pending.with(Option::is_some) {
            Vec::new()
        } else {
            request.with(|r| r.headers.clone())
        }
    });
    let mapping = Signal::derive(move || request.with(|r| r.columns.clone()));
    let confirm_variant = Signal::derive(move || request.with(|r| r.confirm_variant.clone()));
    let guesses = Memo::new(move |_| request.with(|r| guess_columns(&r.sample)));
    let reasons = Signal::derive(move || {
        guesses.with(|g| g.iter().map(|g| g.reason.clone()).collect::<Vec<_>>())
    });
    // Before anyone chose: the roles the values tell are applied at once,
    // so a file whose columns can be guessed reaches its results without a
    // question, and the step stays for a one-step correction.
    Effect::new(move |_| {
        let untouched = request.with(|r| r.columns.is_empty() && !r.headers.is_empty());
        let guessed = guesses.with(|g| guessed_mapping(g));
        if untouched && !guessed.is_empty() && !file_pending.with(Option::is_some) {
            request.update(|r| r.columns = guessed.clone());
            tell_page(&DataEvent::Columns(guessed));
        }
    });
    let choose = Callback::new(move |(header, role): (String, ColumnRole)| {
        let hs = headers.get_untracked();
        let mut columns = mapping.get_untracked();
        columns.insert(header, role);
        let columns = column_memory::for_headers(&columns, &hs);
        column_memory::remember(&hs, &columns);
        request.update(|r| r.columns = columns.clone());
        tell_page(&DataEvent::Columns(columns));
    });
    view! {
        <ColumnMappingForm headers mapping file_name=Signal::derive(|| None) confirm_variant reasons on_choose=choose on_apply=Callback::new(|()| ())/>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_keys_round_trip() {
        for &r in ColumnRole::VARIANTS {
            assert_eq!(role_from_key(role_key(r)), Some(r));
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
