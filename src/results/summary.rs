//! The top of the results: the verdict in one sentence and the key figures
//! (the uplift with its interval, ROI, payback, the chance ROI > 0), then,
//! on narrow screens, the way to the inputs, and the index of result views.
//! On wide screens it stays in view beside the inputs while they are edited.

use leptos::prelude::*;
use uplift_engine::report::{Report, VsControl};

use crate::platform::format;
use crate::results::investment_results::{chance_roi_positive, headline_roi, payback_text};
use crate::results::results_panel::{decision_text, headline_uplift, interval_text, verdict};
use crate::state::{use_app_state, ResultView};

#[component]
pub fn Summary() -> impl IntoView {
    let state = use_app_state();
    let shown = state.shown;
    // The metrics panel's decision with guardrails, when it is for the
    // report on screen.
    let full = move || {
        state.decision.with(|d| {
            d.as_ref()
                .filter(|(key, _)| state.shown_json.with(|j| j.as_ref() == Some(key)))
                .map(|(_, text)| text.clone())
        })
    };
    view! {
        <section class="panel summary" id="overview" aria-labelledby="overview-title" tabindex="-1">
            <h2 id="overview-title"><span class="step">"3"</span>" Results"</h2>
            <div class="summary-body" aria-live="polite">
                {move || shown.with(|r| match r {
                    None => view! {
                        <p class="status" id="no-results">"Results appear here once the data can be read."</p>
                    }
                    .into_any(),
                    Some(r) => view! {
                        <p class="verdict" id="verdict">{verdict(r, full().as_deref())}</p>
                        {(!r.headline.control_assumed).then(|| key_figures_view(r, full().as_deref()))}
                    }
                    .into_any(),
                })}
            </div>
            <crate::results::verdict_choices_slot::VerdictChoicesSlot/>
            <p class="edit-links">
                <a class="button secondary" href="#data">"Edit data"</a>
                <a class="button secondary" href="#investment">"Edit costs"</a>
            </p>
            <ViewIndex/>
        </section>
    }
}

/// `conversion` → `Conversion` (ASCII only: Unicode's case tables would
/// add kilobytes to the download for a metric's first letter).
fn capitalised(s: &str) -> String {
    let mut out = s.to_string();
    if let Some(first) = out.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    out
}

/// One of the key figures: what it is, the id tests and links use, the
/// value and an optional line under it (the uplift's interval).
pub struct KeyFigure {
    pub label: String,
    pub id: &'static str,
    pub value: String,
    pub detail: Option<String>,
}

/// The figures a budget owner asks for first, after the decision; the
/// investment case below explains each term. Also written into the page
/// at build time for the demo (src/bin/prerender.rs).
pub fn key_figures(r: &Report, full: Option<&str>) -> [KeyFigure; 5] {
    let (name, headline) = headline_uplift(r);
    let (lift, interval) = match headline {
        Some(VsControl {
            relative: Some(rel),
            relative_ci,
            ..
        }) => (
            format::signed_percent(*rel, 1),
            relative_ci.map(|ci| interval_text(Some(ci))),
        ),
        _ => ("—".to_string(), None),
    };
    let unvalued = r.headline.value == uplift_engine::headline::ValueBasis::Needed;
    let money = |text: String| if unvalued { "—".to_string() } else { text };
    let figure = |label: &str, id, value, detail| KeyFigure {
        label: label.to_string(),
        id,
        value,
        detail,
    };
    [
        figure(
            "Decision",
            "key-decision",
            decision_text(r, full)
                .split(':')
                .next()
                .unwrap_or_default()
                .to_string(),
            None,
        ),
        figure(
            &format!("{} uplift", capitalised(&name)),
            "key-uplift",
            lift,
            interval,
        ),
        figure("ROI", "key-roi", money(headline_roi(r)), None),
        figure("Payback", "key-payback", money(payback_text(r)), None),
        figure(
            "Chance ROI > 0",
            "key-chance",
            money(chance_roi_positive(r)),
            None,
        ),
    ]
}

fn key_figures_view(r: &Report, full: Option<&str>) -> impl IntoView {
    view! {
        <dl class="kpis key-figures" aria-label="Key figures">
            {key_figures(r, full)
                .into_iter()
                .map(|f| view! {
                    <div class="kpi">
                        <dt>{f.label}</dt>
                        <dd id=f.id>{f.value}{f.detail.map(|d| view! { <span class="ci">{d}</span> })}</dd>
                    </div>
                })
                .collect_view()}
        </dl>
    }
}

/// Links to each view of the results; the fragment they set opens the
/// page on that view.
#[component]
fn ViewIndex() -> impl IntoView {
    let state = use_app_state();
    // The views the data allows beyond the four are listed once the tools
    // module has read the columns' roles, hidden until then.
    let hidden = move |v: ResultView| match v {
        ResultView::Data(d) => state
            .data_views
            .with(|ids| !ids.split(',').any(|id| id == d.id())),
        _ => false,
    };
    view! {
        <nav class="view-index" aria-label="Result views">
            <ul>
                {ResultView::ALL
                    .into_iter()
                    .map(|v| {
                        view! {
                            <li hidden=move || hidden(v)>
                                <a
                                    href=format!("#{}", v.id())
                                    aria-current=move || (state.view.get() == v).then_some("true")
                                    on:click=move |_| state.view.set(v)
                                >
                                    {v.label()}
                                </a>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// Once the results are drawn, bring the view the link names into view.
pub fn open_linked_view(state: crate::state::AppState) {
    let Some(view) = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .and_then(|hash| ResultView::from_fragment(&hash))
    else {
        return;
    };
    state.view.set(view);
    leptos::task::spawn_local(async move {
        // The views below the verdict render a frame after the first paint.
        crate::platform::embed::after_paint().await;
        crate::platform::embed::after_paint().await;
        if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(view.id()))
        {
            el.scroll_into_view();
        }
    });
}
