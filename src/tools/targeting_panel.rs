//! Whom to personalize for: a targeting model's scores evaluated against
//! the experiment's outcomes (Qini and uplift curves, uplift per score bin,
//! the profit of personalizing for the top of the ranking), with a
//! bootstrap interval. The file is read and every number computed in the
//! file-reading worker, so a million users never freeze the page; Cancel
//! stops the worker and keeps what was shown.

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use leptos::task::spawn_local;
use uplift_engine::targeting::{
    guess_columns, sample_csv, ProfitCurve, QiniDraws, QiniUncertainty, TargetingReport,
};
use web_sys::Blob;

use crate::charts::targeting_chart::{profit_summary, profit_svg, qini_summary, qini_svg};
use crate::platform::format;
use crate::platform::tools_context::use_tools_context;
use crate::tools::file_columns::column_select;
use crate::tools::targeting_protocol::{TargetingMessage, TargetingRequest};
use crate::tools::worker_job::{self, blob_of, chart_width, headers_of};

/// The worker jobs' names. The bootstrap can be shared by several workers
/// (each drawing its part with its own seed); one is used, so that the
/// same file gives the same interval on every machine, and a two-core
/// machine keeps a core for the page.
const JOBS: [&str; 1] = ["targeting"];

thread_local! {
    /// The data chosen last: a file, the pasted text or the sample.
    static SOURCE: RefCell<Option<(Blob, String)>> = const { RefCell::new(None) };
    /// Sources chosen and runs started so far: a message or a header that
    /// belongs to an earlier one is dropped (the last action wins).
    static SOURCES: Cell<u64> = const { Cell::new(0) };
    static RUNS: Cell<u64> = const { Cell::new(0) };
}

/// Count one more in `counter`; the new count.
fn bump(counter: &'static std::thread::LocalKey<Cell<u64>>) -> u64 {
    counter.set(counter.get() + 1);
    counter.get()
}

fn stop_job() {
    JOBS.into_iter().for_each(worker_job::stop);
}

/// What the tool is doing.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    Idle,
    /// Reading the file and ranking its users.
    Reading,
    Resampling {
        done: usize,
        total: usize,
    },
}

/// The evaluation on screen.
#[derive(Debug, Clone, PartialEq)]
struct Evaluation {
    report: TargetingReport,
    profit: ProfitCurve,
    millis: f64,
    /// The bootstrap's result, or why there is none.
    uncertainty: Option<Result<(QiniUncertainty, f64), String>>,
    request: TargetingRequest,
    /// The run, and the source it came from with its name.
    run: u64,
    source: u64,
    source_name: String,
}

/// The column choices, all strings as the selects hold them ("" for none).
#[derive(Clone, Copy)]
struct Choices {
    score: RwSignal<String>,
    treatment: RwSignal<String>,
    outcome: RwSignal<String>,
    revenue: RwSignal<String>,
}

fn parse_amount(text: &str) -> Option<f64> {
    crate::platform::format::read_number(text).filter(|v| v.is_finite() && *v >= 0.0)
}

#[component]
pub fn TargetingPanel() -> impl IntoView {
    let context = use_tools_context();
    let pasted = RwSignal::new(String::new());
    let source_name = RwSignal::new(None::<String>);
    let headers = RwSignal::new(Vec::<String>::new());
    let choices = Choices {
        score: RwSignal::new(String::new()),
        treatment: RwSignal::new(String::new()),
        outcome: RwSignal::new(String::new()),
        revenue: RwSignal::new(String::new()),
    };
    let value_per_response = RwSignal::new("40".to_string());
    let cost_per_user = RwSignal::new("0.50".to_string());
    let resamples = RwSignal::new(1000usize);
    let phase = RwSignal::new(Phase::Idle);
    let evaluation = RwSignal::new(None::<Evaluation>);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    // Whether this evaluation's best share went to the investment case
    // (kept while the bootstrap then updates the results).
    let offered = RwSignal::new(false);

    // A new source: its columns, with guessed roles.
    let choose = move |blob: Blob, name: String| {
        let source = bump(&SOURCES);
        spawn_local(async move {
            let found = headers_of(&blob).await;
            if SOURCES.get() != source {
                return;
            }
            match found {
                Ok(found) if found.len() >= 3 => {
                    // A run on the data before stops: its numbers are not
                    // this data's.
                    stop_run(phase, evaluation, "Stopped, as other data was chosen,");
                    let guess = guess_columns(&found);
                    let pick = |g: Option<String>, i: usize| {
                        g.or_else(|| found.get(i).cloned()).unwrap_or_default()
                    };
                    choices.score.set(pick(guess.score, 0));
                    choices.treatment.set(pick(guess.treatment, 1));
                    choices.outcome.set(pick(guess.outcome, 2));
                    choices.revenue.set(guess.revenue.unwrap_or_default());
                    headers.set(found);
                    source_name.set(Some(name.clone()));
                    error.set(None);
                    SOURCE.with(|s| *s.borrow_mut() = Some((blob, name)));
                }
                Ok(found) => error.set(Some(format!(
                    "{name} has {} column(s); a targeting file needs at least a score, a treatment flag and an outcome, one user per row.",
                    found.len()
                ))),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let on_file = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        if let Some(file) = input.files().and_then(|f| f.get(0)) {
            let name = format!("“{}”", file.name());
            choose(file.into(), name);
        }
        // The same file chosen again is read again.
        input.set_value("");
    };
    let use_pasted = move |_| {
        let text = pasted.get_untracked();
        if text.trim().is_empty() {
            error.set(Some(
                "Paste one row per user, with a header row, first.".into(),
            ));
            return;
        }
        if let Some(blob) = blob_of(&text) {
            choose(blob, "The pasted data".into());
        }
    };
    let use_sample = move |_| {
        if let Some(blob) = blob_of(&sample_csv(20_000, 1)) {
            choose(blob, "The sample of 20,000 users".into());
        }
    };

    let cancel = move |_| {
        if !matches!(
            stop_run(phase, evaluation, "Cancelled"),
            Phase::Resampling { .. }
        ) {
            notice.set(Some(
                "Cancelled. What was shown before is unchanged.".into(),
            ));
        }
    };

    let evaluate = move |_| {
        if phase.get_untracked() != Phase::Idle {
            return;
        }
        notice.set(None);
        let Some((blob, name)) = SOURCE.with(|s| s.borrow().clone()) else {
            error.set(Some(
                "Choose a file, paste data or load the sample first.".into(),
            ));
            return;
        };
        let (Some(value), Some(cost)) = (
            parse_amount(&value_per_response.get_untracked()),
            parse_amount(&cost_per_user.get_untracked()),
        ) else {
            error.set(Some(
                "The value of a response and the cost per user must be numbers of 0 or more."
                    .into(),
            ));
            return;
        };
        let revenue = Some(choices.revenue.get_untracked()).filter(|r| !r.is_empty());
        let request = TargetingRequest {
            score: choices.score.get_untracked(),
            treatment: choices.treatment.get_untracked(),
            outcome: choices.outcome.get_untracked(),
            revenue,
            value_per_response: value,
            cost_per_user: cost,
            bins: 10,
            resamples: resamples.get_untracked(),
            seed: 1,
            confidence: context.with_untracked(|c| c.confidence),
            part: 0,
            parts: JOBS.len(),
        };
        let roles = [&request.score, &request.treatment, &request.outcome];
        if roles
            .iter()
            .enumerate()
            .any(|(i, a)| roles.iter().skip(i + 1).any(|b| a == b))
        {
            error.set(Some(
                "The score, the treatment flag and the outcome must be three different columns."
                    .into(),
            ));
            return;
        }
        error.set(None);
        offered.set(false);
        start((blob, name), request, phase, evaluation, error);
    };

    let busy = move || phase.get() != Phase::Idle;

    view! {
        <section class="panel targeting" id="targeting" aria-labelledby="targeting-title">
            <h2 id="targeting-title">"Whom to personalize for"</h2>
            <p class="hint">
                "One row per user of an experiment: the personalization model's "<strong>"score"</strong>
                " (predicted uplift or propensity), whether the user was "<strong>"treated"</strong>
                " and the "<strong>"outcome"</strong>" (1/0, true/false or yes/no), optionally a revenue per user. "
                "The Qini curve shows whether the users the model ranks first respond most to personalization. Read and computed in this page."
            </p>
            <div class="actions">
                <label class="button secondary file-button">
                    "Choose a file…"
                    <input type="file" id="targeting-file" accept=".csv,.tsv,.txt,text/csv" class="visually-hidden" on:change=on_file/>
                </label>
                <button type="button" class="button secondary" id="targeting-sample" on:click=use_sample>"Load a sample"</button>
            </div>
            <details class="paste">
                <summary>"or paste the rows"</summary>
                <label for="targeting-input" class="field-label">"Users (CSV)"</label>
                <textarea id="targeting-input" rows="4" spellcheck="false"
                    prop:value=move || pasted.get()
                    on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                <button type="button" class="button secondary" id="targeting-use-pasted" on:click=use_pasted>"Use the pasted rows"</button>
            </details>
            {move || source_name.get().map(|name| view! {
                <p class="status ok" id="targeting-source">{format!("{name}: {} columns.", headers.with(Vec::len))}</p>
                <div class="actions">
                    {column_select("targeting-score", "Score", choices.score, headers.get(), None)}
                    {column_select("targeting-treatment", "Treated", choices.treatment, headers.get(), None)}
                    {column_select("targeting-outcome", "Outcome", choices.outcome, headers.get(), None)}
                    {column_select("targeting-revenue", "Revenue per user", choices.revenue, headers.get(), Some("none: value per response"))}
                </div>
                <div class="actions">
                    <label class="control-field">
                        <span class="field-label">"Value of a response"</span>
                        <input id="targeting-value" type="text" inputmode="decimal"
                            prop:value=move || value_per_response.get()
                            on:change=move |ev| value_per_response.set(event_target_value(&ev))/>
                    </label>
                    <label class="control-field">
                        <span class="field-label">"Cost per user personalized"</span>
                        <input id="targeting-cost" type="text" inputmode="decimal"
                            prop:value=move || cost_per_user.get()
                            on:change=move |ev| cost_per_user.set(event_target_value(&ev))/>
                    </label>
                    <label class="control-field">
                        <span class="field-label">"Bootstrap resamples"</span>
                        <select id="targeting-resamples" on:change=move |ev| resamples.set(event_target_value(&ev).parse().unwrap_or(1000))>
                            <option value="0">"none"</option>
                            <option value="200">"200"</option>
                            <option value="1000" selected=true>"1,000"</option>
                        </select>
                    </label>
                    <button type="button" class="button" id="targeting-run" on:click=evaluate
                        aria-disabled=move || busy().then_some("true")>
                        "Evaluate the score"
                    </button>
                </div>
            })}
            {move || match phase.get() {
                Phase::Idle => None,
                Phase::Reading => Some(view! {
                    <p class="status" role="status" id="targeting-progress-text">
                        <progress id="targeting-progress"></progress>
                        " Reading the file and ranking the users… "
                        <button type="button" class="button secondary" id="targeting-cancel" on:click=cancel>"Cancel"</button>
                    </p>
                }.into_any()),
                Phase::Resampling { done, total } => Some(view! {
                    <p class="status" role="status" id="targeting-progress-text">
                        <progress id="targeting-progress" max=total value=done></progress>
                        {format!(" Bootstrap: {} of {} resamples… ", format::count(done as u64), format::count(total as u64))}
                        <button type="button" class="button secondary" id="targeting-cancel" on:click=cancel>"Cancel"</button>
                    </p>
                }.into_any()),
            }}
            {move || error.get().map(|e| view! { <p class="status error" role="alert" id="targeting-error">{e}</p> })}
            {move || notice.get().map(|n| view! { <p class="status" role="status" id="targeting-notice">{n}</p> })}
            {move || {
                context.track();
                evaluation.get().map(|e| view! { <TargetingResults evaluation=e offered/> })
            }}
        </section>
    }
}

/// Stop the run, if one is under way: a bootstrap's evaluation says "{how}
/// after N of M resamples: no interval." where its interval would be. The
/// phase it was in.
fn stop_run(phase: RwSignal<Phase>, evaluation: RwSignal<Option<Evaluation>>, how: &str) -> Phase {
    let was = phase.get_untracked();
    if was == Phase::Idle {
        return was;
    }
    stop_job();
    phase.set(Phase::Idle);
    if let Phase::Resampling { done, total } = was {
        evaluation.update(|e| {
            if let Some(e) = e {
                e.uncertainty = Some(Err(format!(
                    "{how} after {} of {} resamples: no interval.",
                    format::count(done as u64),
                    format::count(total as u64)
                )));
            }
        });
    }
    was
}

/// The parts' progress and draws, joined once every part has sent them.
#[derive(Default)]
struct Joined {
    done: Vec<usize>,
    draws: Vec<QiniDraws>,
    millis: f64,
}

/// Ask the workers to evaluate `blob` (the first also reports the curves,
/// all share the bootstrap); their messages update the tool.
fn start(
    (blob, name): (Blob, String),
    request: TargetingRequest,
    phase: RwSignal<Phase>,
    evaluation: RwSignal<Option<Evaluation>>,
    error: RwSignal<Option<String>>,
) {
    stop_job();
    phase.set(Phase::Reading);
    let run = bump(&RUNS);
    let source = (SOURCES.get(), name);
    let parts = if request.resamples > 0 { JOBS.len() } else { 1 };
    let joined = std::rc::Rc::new(RefCell::new(Joined {
        done: vec![0; parts],
        ..Joined::default()
    }));
    for (part, job) in JOBS.into_iter().enumerate().take(parts) {
        let part_request = TargetingRequest {
            part,
            parts,
            ..request.clone()
        };
        let json = serde_json::to_string(&part_request).unwrap_or_default();
        let request = request.clone();
        let joined = joined.clone();
        let source = source.clone();
        let on_message = move |text: String| {
            // A late message of a run that was replaced.
            if RUNS.get() != run {
                return;
            }
            let Some(message) = TargetingMessage::from_json(&text) else {
                // A worker that stopped, or an answer that cannot be read:
                // said, and every part stops.
                error.set(Some(worker_job::UNREADABLE.into()));
                phase.set(Phase::Idle);
                stop_job();
                return;
            };
            let at = (run, source.clone());
            on_targeting_message(message, &request, at, &joined, phase, evaluation, error);
        };
        if let Err(e) = worker_job::start(job, blob.clone(), "targeting", json, on_message) {
            error.set(Some(e));
            phase.set(Phase::Idle);
            stop_job();
            return;
        }
    }
}

fn on_targeting_message(
    message: TargetingMessage,
    request: &TargetingRequest,
    (run, (source, source_name)): (u64, (u64, String)),
    joined: &RefCell<Joined>,
    phase: RwSignal<Phase>,
    evaluation: RwSignal<Option<Evaluation>>,
    error: RwSignal<Option<String>>,
) {
    let resamples = request.resamples;
    match message {
        // Handled by the job itself.
        TargetingMessage::Ready => {}
        TargetingMessage::Evaluated {
            report,
            profit,
            millis,
        } => {
            // The interval depends on the columns only: a new value or cost
            // keeps the one already computed.
            let kept = evaluation.with_untracked(|e| {
                e.as_ref()
                    .filter(|e| {
                        resamples == 0
                            && e.source == source
                            && (&e.request.score, &e.request.treatment, &e.request.outcome)
                                == (&request.score, &request.treatment, &request.outcome)
                    })
                    .and_then(|e| e.uncertainty.clone())
                    .filter(Result::is_ok)
            });
            evaluation.set(Some(Evaluation {
                report: *report,
                profit,
                millis,
                uncertainty: kept,
                request: request.clone(),
                run,
                source,
                source_name,
            }));
            if resamples == 0 {
                phase.set(Phase::Idle);
                stop_job();
            } else if phase.get_untracked() == Phase::Reading {
                phase.set(Phase::Resampling {
                    done: 0,
                    total: resamples,
                });
            }
        }
        TargetingMessage::Resampled { part, done } => {
            let sum = {
                let mut j = joined.borrow_mut();
                if let Some(d) = j.done.get_mut(part) {
                    *d = done;
                }
                j.done.iter().sum()
            };
            phase.set(Phase::Resampling {
                done: sum,
                total: resamples,
            });
        }
        TargetingMessage::Draws { draws, millis } => {
            let all = {
                let mut j = joined.borrow_mut();
                j.draws.push(draws);
                j.millis = j.millis.max(millis);
                (j.draws.len() == j.done.len()).then(|| {
                    let mut all = QiniDraws::default();
                    for d in j.draws.drain(..) {
                        all.join(d);
                    }
                    (all, j.millis)
                })
            };
            if let Some((all, millis)) = all {
                let result = all.uncertainty(request.confidence);
                evaluation.update(|e| {
                    if let Some(e) = e.as_mut().filter(|e| e.run == run) {
                        e.uncertainty = Some(Ok((result, millis)));
                    }
                });
                phase.set(Phase::Idle);
                stop_job();
            }
        }
        TargetingMessage::Failed(message) => {
            // What was shown before stays.
            error.set(Some(message));
            phase.set(Phase::Idle);
            stop_job();
        }
    }
}

#[component]
fn TargetingResults(evaluation: Evaluation, offered: RwSignal<bool>) -> impl IntoView {
    let Evaluation {
        report,
        profit,
        millis,
        uncertainty,
        request,
        source_name: source,
        ..
    } = evaluation;
    let interval = match &uncertainty {
        Some(Ok((u, ms))) => format!(
            "{} bootstrap interval {} to {}; against random rankings, {} ({} resamples in {} s).",
            format::percent(u.confidence, 0),
            format::number(u.ci.0, 3),
            format::number(u.ci.1, 3),
            format::p_is(u.p_value_random),
            format::count(u.resamples as u64),
            format::number(ms / 1000.0, 1),
        ),
        Some(Err(e)) => e.clone(),
        None if request.resamples > 0 => "Its bootstrap interval is being computed…".into(),
        None => "No bootstrap interval was asked for.".into(),
    };
    let verdict = match &uncertainty {
        Some(Ok((u, _))) if u.ci.0 > 0.0 => {
            "The score ranks users by their response to personalization better than chance."
        }
        Some(Ok(_)) => "The score cannot be told from a random ranking: its interval includes 0.",
        _ => "",
    };
    let rows = report
        .by_percentile
        .iter()
        .map(|b| {
            let half = 1.959_963_984_540_054 * b.std_uplift;
            let rate = |r: f64| {
                if r.is_finite() {
                    format::percent(r, 2)
                } else {
                    "–".into()
                }
            };
            let total = b.percentile == "total";
            view! {
                <tr class:total=total>
                    <th scope="row">{if total { "All users".to_string() } else { format!("{}%", b.percentile.replace('-', "–")) }}</th>
                    <td class="num">{format::count(b.n_treatment)}</td>
                    <td class="num">{format::count(b.n_control)}</td>
                    <td class="num">{rate(b.response_rate_treatment)}</td>
                    <td class="num">{rate(b.response_rate_control)}</td>
                    <td class="num">{if b.uplift.is_finite() { format!("{} pts", format::number(b.uplift * 100.0, 2)) } else { "–".into() }}</td>
                    <td class="num">{if half.is_finite() && b.uplift.is_finite() {
                        format!("{} to {}", format::number((b.uplift - half) * 100.0, 2), format::number((b.uplift + half) * 100.0, 2))
                    } else { "–".into() }}</td>
                </tr>
            }
        })
        .collect_view();
    let width = chart_width("targeting");
    let qini = qini_svg(&report, width);
    let qini_words = qini_summary(&report);
    let profit_chart = profit_svg(&profit, width);
    let profit_words = profit_summary(&profit);
    let value_words = match &request.revenue {
        Some(column) => format!("each user's {column}"),
        None => format!("{} per response", format::money(request.value_per_response)),
    };
    view! {
        <p class="status ok" role="status" id="targeting-summary">
            {format!(
                "{} users, {} treated; evaluated in {} s.",
                format::count(report.users),
                format::count(report.treated),
                format::number(millis / 1000.0, 2),
            )}
        </p>
        <p class="verdict" id="targeting-verdict">
            {format!("Normalised Qini coefficient {}. ", format::number(report.qini_auc, 3))}
            {verdict}
        </p>
        <p id="targeting-qini">
            {format!(
                "Normalised Qini coefficient {} (uplift AUC {}{}). ",
                format::number(report.qini_auc, 3),
                format::number(report.uplift_auc, 4),
                match (report.causalml_qini, report.causalml_auuc) {
                    (Some(q), Some(a)) => format!(
                        "; causalml's qini_score {}, auuc_score {}",
                        format::number(q, 3),
                        format::number(a, 3)
                    ),
                    _ => String::new(),
                },
            )}
            <span id="targeting-interval">{interval}</span>
        </p>
        {qini.map(|svg| view! { <crate::charts::DrawnChart id="qini-chart" name="Qini chart" svg=svg summary=qini_words.clone()/> })}
        <div class="table-wrap" tabindex="0" role="region" aria-label="Uplift by score decile">
            <table class="data-table" id="targeting-bins">
                <caption>"Uplift by tenth of the score, highest first (percentage points, 95% interval)"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Score rank"</th>
                        <th scope="col" class="num">"Treated"</th>
                        <th scope="col" class="num">"Untreated"</th>
                        <th scope="col" class="num">"Treated rate"</th>
                        <th scope="col" class="num">"Untreated rate"</th>
                        <th scope="col" class="num">"Uplift"</th>
                        <th scope="col" class="num">"Interval"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <crate::charts::TableDownload table_id="targeting-bins" name="uplift by score table"/>
        <p id="targeting-profit">
            {format!(
                "Valuing {value_words} and {} per user personalized: personalize for the top {} of scores, for {} per user of the audience ({} in all), against {} for everyone.",
                format::money(request.cost_per_user),
                format::percent(profit.best_share, 0),
                format::money(profit.best_profit),
                format::money(profit.best_profit * report.users as f64),
                format::money(profit.everyone_profit),
            )}
        </p>
        {profit_chart.map(|svg| view! { <crate::charts::DrawnChart id="profit-chart" name="profit chart" svg=svg summary=profit_words.clone()/> })}
        <ReachOffer profit=profit.clone() request=request.clone() source sent=offered/>
        <p class="method-note">
            "Qini coefficient as scikit-uplift's qini_auc_score: the area between the model's Qini curve and the random line, over the same area for a perfect ranking (1 is perfect, 0 random). causalml scales its curves by their own last point instead, one point per user: its qini_score and auuc_score are given beside. The interval resamples users (the Poisson bootstrap: each user counts a Poisson(1) number of times), keeping the score's ranking; the p-value compares the score with as many random rankings of the same users."
        </p>
    }
}

/// The profit curve's best share, offered to the investment case.
#[component]
fn ReachOffer(
    profit: ProfitCurve,
    request: TargetingRequest,
    source: String,
    sent: RwSignal<bool>,
) -> impl IntoView {
    let context = use_tools_context();
    let Some(reach) = profit.reach(request.cost_per_user) else {
        return view! {
            <p class="hint" id="targeting-no-offer">
                "Nothing to carry to the investment case: personalizing for no one, or for everyone, is best here."
            </p>
        }
        .into_any();
    };
    let send = move |_| {
        crate::tools::tool_choices::offer(context, |choices| {
            choices.reach = Some(crate::tools::tool_choices::ReachOffer {
                source: source.trim_matches(['“', '”']).to_string(),
                score: request.score.clone(),
                reach,
                pending: true,
            });
        });
        sent.set(true);
    };
    view! {
        <div class="actions">
            <button type="button" class="button" id="targeting-use" on:click=send>
                {format!("Compare the top {} with everyone in the investment case", format::percent(reach.share, 0))}
            </button>
        </div>
        {move || sent.get().then(|| view! {
            <p class="status ok" role="status" id="targeting-sent">
                "Sent: the investment case now personalizes for the top of the ranking, and shows it beside everyone."
            </p>
        })}
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::parse_amount;

    #[test]
    fn amounts_read_as_users_type_them() {
        // In the page's Numbers setting: English by default, then German.
        assert_eq!(parse_amount("1,200"), Some(1200.0));
        crate::platform::format::set_display("de-DE", "EUR");
        assert_eq!(parse_amount("0,50"), Some(0.5));
        assert_eq!(parse_amount("1,200"), Some(1.2));
        assert_eq!(parse_amount(" 1 000 "), Some(1000.0));
        assert_eq!(parse_amount("-1"), None);
        assert_eq!(parse_amount("abc"), None);
    }
}
