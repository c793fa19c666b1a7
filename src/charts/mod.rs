//! Charts drawn with plotters' SVG backend. Each chart is a pure function from
//! engine results to an SVG string (testable natively) plus a small component
//! that puts it on the page with a text alternative.
//!
//! The drawing code is a module of its own (`src/bin/charts.rs`), downloaded
//! when the charts come near the screen ([`lazy`]); the page itself carries
//! only the text alternatives.

pub mod backend;
pub mod bars;
pub mod cashflow_chart;
pub mod conversion_chart;
pub mod cost_chart;
pub mod forest_chart;
pub mod lazy;
pub mod posterior_chart;
pub mod programme_chart;
pub mod roi_chart;
pub mod targeting_chart;
pub mod time_charts;
pub mod tornado_chart;
pub mod value_chart;

use leptos::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontDesc, FontFamily, FontStyle, RGBColor, TextStyle};
use uplift_engine::report::{Metric, MetricResult, Report};
use uplift_engine::scenario::Method;

/// Every chart on the page, named as the charts module is asked for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    Conversion,
    Forest,
    Posterior,
    Aov,
    Clv,
    Cost,
    Cashflow,
    Roi,
    Tornado,
}

impl ChartKind {
    pub const ALL: [ChartKind; 9] = [
        ChartKind::Conversion,
        ChartKind::Forest,
        ChartKind::Posterior,
        ChartKind::Aov,
        ChartKind::Clv,
        ChartKind::Cost,
        ChartKind::Cashflow,
        ChartKind::Roi,
        ChartKind::Tornado,
    ];

    /// The chart's element id on the page, which is also its name in calls.
    pub fn id(self) -> &'static str {
        match self {
            ChartKind::Conversion => "conversion-chart",
            ChartKind::Forest => "forest-chart",
            ChartKind::Posterior => "posterior-chart",
            ChartKind::Aov => "aov-chart",
            ChartKind::Clv => "clv-chart",
            ChartKind::Cost => "cost-chart",
            ChartKind::Cashflow => "cashflow-chart",
            ChartKind::Roi => "roi-chart",
            ChartKind::Tornado => "tornado-chart",
        }
    }

    pub fn from_id(id: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|k| k.id() == id)
    }
}

/// "95% confidence intervals": how the forest plot names its intervals.
pub fn interval_label(r: &Report) -> String {
    let conf = crate::platform::format::percent(r.confidence, 0);
    match r.method {
        Method::Frequentist => format!("{conf} confidence intervals"),
        Method::Sequential => format!("{conf} always-valid intervals"),
        Method::Bayesian => format!("{conf} credible intervals"),
    }
}

/// The metric whose posterior is drawn (Bayesian method only): conversion
/// when the data has it, else the first metric.
pub fn posterior_metric(r: &Report) -> Option<&MetricResult> {
    r.metric(Metric::ConversionRate)
        .or_else(|| r.metrics.values().next())
        .filter(|_| r.method == Method::Bayesian)
}

/// Draw one chart of a report as an SVG document `width` pixels wide (see
/// [`drawn_width`]); `None` when the report has nothing to draw for it or
/// plotters fails.
pub fn draw(kind: ChartKind, r: &Report, width: u32) -> Option<String> {
    let width = width.clamp(NARROW_WIDTH, MAX_WIDTH);
    match kind {
        ChartKind::Conversion => {
            conversion_chart::conversion_svg(r.metric(Metric::ConversionRate)?, r.confidence, width)
        }
        ChartKind::Forest => forest_chart::forest_svg(&r.metrics, &interval_label(r), width),
        ChartKind::Posterior => posterior_chart::posterior_svg(posterior_metric(r)?, width),
        ChartKind::Aov => value_chart::aov_svg(&r.value, width),
        ChartKind::Clv => value_chart::clv_svg(&r.value, width),
        ChartKind::Cost => cost_chart::cost_breakdown_svg(&r.investment, width),
        ChartKind::Cashflow => cashflow_chart::cashflow_svg(&r.investment, width),
        ChartKind::Roi => roi_chart::roi_histogram_svg(r.roi.distribution.as_ref()?, width),
        ChartKind::Tornado => {
            tornado_chart::tornado_svg(&r.roi.tornado, r.investment.roi.map_or(0.0, |x| x.0), width)
        }
    }
}

/// The width a chart is drawn at for a figure `available` CSS pixels wide.
/// Never narrower than [`NARROW_WIDTH`]: a phone shows that scaled down,
/// its text staying 12 px or more on a 360 px screen. Wider figures get
/// a chart of their own width, up to [`MAX_WIDTH`], shown at its natural
/// size. Rounded down to a step of 40 px, so resizing the window redraws
/// only when the width passes a step (in between the SVG scales).
pub fn drawn_width(available: f64) -> u32 {
    if !available.is_finite() || available <= f64::from(NARROW_WIDTH) {
        return NARROW_WIDTH;
    }
    let step = (available.min(f64::from(MAX_WIDTH)) as u32) / 40 * 40;
    step.max(NARROW_WIDTH)
}

/// The widest a chart is drawn; a wider figure shows it scaled up.
pub const MAX_WIDTH: u32 = 1600;

/// Colour-blind-safe palette (Okabe & Ito, 2008): control first, then variants.
pub const PALETTE: [(u8, u8, u8); 5] = [
    (120, 120, 120),
    (0, 114, 178),
    (230, 159, 0),
    (0, 158, 115),
    (204, 121, 167),
];

/// Okabe–Ito blue, for gains and the "higher" side.
pub const PALETTE_BLUE: RGBColor = RGBColor(0, 114, 178);
/// Okabe–Ito vermillion, for losses.
pub const PALETTE_RED: RGBColor = RGBColor(213, 94, 0);
/// Okabe–Ito orange, for the "lower" side of the tornado.
pub const PALETTE_ORANGE: RGBColor = RGBColor(230, 159, 0);

/// The palette colour of the variant at `index` (0 = control); variants past
/// the palette's end share its last colour.
pub fn variant_colour(index: usize) -> RGBColor {
    let (r, g, b) = PALETTE
        .get(index.min(PALETTE.len() - 1))
        .copied()
        .unwrap_or((0, 0, 0));
    RGBColor(r, g, b)
}

/// Chart title font: the page's system sans-serif.
pub fn title_font() -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, 22.0, FontStyle::Normal)
}

/// The narrowest a chart is drawn, with [`large_font`]'s larger text: a
/// figure narrower than this shows it scaled down (on a 360 px phone, to
/// about 300 px, its text still over 12 px high).
pub const NARROW_WIDTH: u32 = 480;

/// Draw only the x axis, in [`large_font`]: no y axis and no grid lines but
/// the x ticks' (the forest plot, the posterior and the cost breakdown).
pub fn draw_x_axis_only(
    chart: &mut plotters::chart::ChartContext<
        '_,
        backend::Svg<'_>,
        plotters::coord::cartesian::Cartesian2d<
            plotters::coord::types::RangedCoordf64,
            plotters::coord::types::RangedCoordf64,
        >,
    >,
    width: u32,
    labels: usize,
    description: &str,
    label: &dyn Fn(&f64) -> String,
) -> Option<()> {
    chart
        .configure_mesh()
        .light_line_style(plotters::style::TRANSPARENT)
        .disable_y_mesh()
        .disable_y_axis()
        .x_labels(labels)
        .x_desc(description)
        .x_label_formatter(label)
        .label_style(large_font(width))
        .axis_desc_style(large_font(width))
        .draw()
        .ok()
}

/// Text in a chart `width` wide. plotters writes a font of size `s` as
/// `s / 1.24` px, so 20 gives the page's own 16 px in a chart shown at its
/// natural size (wider than [`NARROW_WIDTH`]), and 25 gives 20 px in one
/// drawn at [`NARROW_WIDTH`], which a 360 px phone shows at about 300 px:
/// 12.5 px on its screen.
pub fn large_font(width: u32) -> FontDesc<'static> {
    let size = if width > NARROW_WIDTH { 20.0 } else { 25.0 };
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal)
}

/// A chart's title (see [`large_font`]).
pub fn large_title_font(width: u32) -> FontDesc<'static> {
    let size = if width > NARROW_WIDTH { 24.0 } else { 28.0 };
    FontDesc::new(FontFamily::SansSerif, size, FontStyle::Normal)
}

/// `name` cut to `max` characters with an ellipsis, so one long variant name
/// cannot push a chart's text off its edge (the table and the chart's text
/// alternative keep the full name).
pub fn fit_name(name: &str, max: usize) -> String {
    if name.chars().count() <= max {
        name.to_string()
    } else {
        let cut: String = name.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// Axis labels and annotations.
pub fn axis_font() -> FontDesc<'static> {
    FontDesc::new(FontFamily::SansSerif, 17.0, FontStyle::Normal)
}

/// `font` anchored at `h`/`v` of the point it is drawn at (plotters anchors
/// text by its top left otherwise).
pub fn anchored_text(font: FontDesc<'static>, h: HPos, v: VPos) -> TextStyle<'static> {
    TextStyle::from(font).pos(Pos::new(h, v))
}

/// A chart on the page: the SVG with a text alternative for screen readers,
/// the same text as a caption and buttons to download it as SVG or PNG. The
/// SVG is drawn by the charts module once it is loaded ([`lazy`]); before
/// that, or if it cannot be drawn, the caption stands alone. `name`
/// ("conversion chart") names the buttons and the files.
#[component]
pub fn ChartFigure(kind: ChartKind, summary: String, name: &'static str) -> impl IntoView {
    let state = crate::state::use_app_state();
    let charts = lazy::use_charts();
    let id = kind.id();
    let figure = NodeRef::<leptos::html::Figure>::new();
    Effect::new(move || {
        if let Some(el) = figure.get() {
            lazy::watch(&el, charts);
        }
    });
    on_cleanup(move || {
        if let Some(el) = figure.get_untracked() {
            lazy::unwatch(&el);
        }
    });
    let retry = move |_| {
        // The button goes while the module loads: keep the keyboard focus
        // on its chart.
        if let Some(el) = figure.get_untracked() {
            let _ = el.focus();
        }
        lazy::request(charts);
    };
    let label = summary.clone();
    // Redrawn when the module arrives. The report is read untracked: the
    // section holding this chart is redrawn (with a new figure) when its
    // part of the report changes.
    let picture = move || match charts.status.get() {
        lazy::ChartsStatus::Ready => {
            // Redrawn when the window's width passes a step.
            let width = charts.width.get();
            let drawn = state.shown_json.with_untracked(|json| {
                lazy::draw(kind, json.as_deref().unwrap_or_default(), width)
            });
            match drawn {
                Ok(Some(svg)) => view! {
                    <div class="chart-svg" role="img" aria-label=label.clone() inner_html=svg.clone()></div>
                    <ChartDownloads id=id name=name svg=svg/>
                }
                .into_any(),
                Ok(None) => ().into_any(),
                Err(e) => view! {
                    <p class="status chart-missing">{format!("This chart could not be drawn: {e}.")}</p>
                }
                .into_any(),
            }
        }
        // One short line per chart, not an alert each: the reason is in
        // the title for whoever needs it.
        lazy::ChartsStatus::Failed(e) => view! {
            <p class="status chart-missing" title=e>
                "This chart could not be downloaded; its figures are in the text below. "
                <button type="button" class="button secondary export"
                    aria-label=format!("Try again to download the {name}") on:click=retry>
                    "Try again"
                </button>
            </p>
        }
        .into_any(),
        _ => view! { <div class="chart-svg chart-pending" aria-hidden="true"></div> }.into_any(),
    };
    // The results are a live region; a chart arriving after its caption
    // (which the region has already read out) is not announced again.
    view! {
        <figure class="chart" id=id node_ref=figure tabindex="-1">
            <div class="chart-picture" aria-live="off">{picture}</div>
            <figcaption>{summary}</figcaption>
        </figure>
    }
}

/// A chart drawn in place (by a tool, which has the drawing code): the SVG
/// with its text alternative, the SVG/PNG buttons and the same text as
/// caption.
#[component]
pub fn DrawnChart(
    id: &'static str,
    name: &'static str,
    svg: String,
    summary: String,
) -> impl IntoView {
    view! {
        <figure class="chart" id=id>
            <div class="chart-svg" role="img" aria-label=summary.clone() inner_html=svg.clone()></div>
            <ChartDownloads id=id name=name svg=svg/>
            <figcaption>{summary}</figcaption>
        </figure>
    }
}

/// The "SVG" and "PNG" buttons under a chart; the files are made here in
/// the browser from the same SVG string that is on the page.
#[component]
pub fn ChartDownloads(id: &'static str, name: &'static str, svg: String) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let file = format!("uplift-roi-{id}");
    let svg_file = format!("{file}.svg");
    let png_file = format!("{file}.png");
    let svg_text = svg.clone();
    let save_svg = move |_| {
        if let Err(e) = crate::platform::downloads::download(&svg_file, &svg_text, "image/svg+xml")
        {
            message.set(Some(format!("Could not save: {e}.")));
        }
    };
    let save_png = move |_| {
        let (name, svg) = (png_file.clone(), svg.clone());
        leptos::task::spawn_local(async move {
            if let Err(e) = crate::platform::downloads::export("png", &name, &svg).await {
                message.set(Some(format!("Could not save: {e}.")));
            }
        });
    };
    view! {
        <div class="export-buttons" role="group" aria-label=format!("Download the {name}")>
            <button type="button" class="button secondary export" aria-label=format!("Download the {name} as SVG") on:click=save_svg>"SVG"</button>
            <button type="button" class="button secondary export" aria-label=format!("Download the {name} as PNG") on:click=save_png>"PNG"</button>
            {move || message.get().map(|m| view! { <span class="export-message" role="status">{m}</span> })}
        </div>
    }
}

/// The "CSV" button under a table: the file holds the cells the table shows.
#[component]
pub fn TableDownload(table_id: &'static str, name: &'static str) -> impl IntoView {
    let message = RwSignal::new(None::<String>);
    let save = move |_| {
        leptos::task::spawn_local(async move {
            if let Err(e) = crate::platform::downloads::export("csv", table_id, "").await {
                message.set(Some(format!("Could not save: {e}.")));
            }
        });
    };
    view! {
        <div class="export-buttons" role="group" aria-label=format!("Download the {name}")>
            <button type="button" class="button secondary export" aria-label=format!("Download the {name} as CSV") on:click=save>"CSV"</button>
            {move || message.get().map(|m| view! { <span class="export-message" role="status">{m}</span> })}
        </div>
    }
}

/// The demo scenario's report, for the charts' tests.
#[cfg(test)]
pub(crate) fn demo_report() -> uplift_engine::Report {
    match uplift_engine::analyze(&uplift_engine::Scenario::demo()) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::NARROW_WIDTH;
    use uplift_engine::report::Metric;
    use uplift_engine::scenario::{Method, DEMO_DATA};
    use uplift_engine::{analyze, Scenario};

    /// Every chart that draws variant names escapes them: the SVG goes into
    /// the page with inner_html, so a raw name would be live markup.
    #[test]
    fn hostile_variant_names_are_escaped_in_every_chart() {
        let hostile = "</svg><script>alert(1)</script><img src=x onerror=alert(1)>";
        let mut s = Scenario::demo();
        s.data = DEMO_DATA.replace("personalized", hostile);
        s.analysis.method = Method::Bayesian;
        let r = match analyze(&s) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let Some(conversion) = r.metric(Metric::ConversionRate) else {
            panic!("no conversion")
        };
        let charts = [
            (
                "conversion",
                super::conversion_chart::conversion_svg(conversion, 0.95, NARROW_WIDTH),
            ),
            (
                "forest",
                super::forest_chart::forest_svg(&r.metrics, "95% credible intervals", NARROW_WIDTH),
            ),
            ("aov", super::value_chart::aov_svg(&r.value, NARROW_WIDTH)),
            ("clv", super::value_chart::clv_svg(&r.value, NARROW_WIDTH)),
            (
                "posterior",
                super::posterior_chart::posterior_svg(conversion, NARROW_WIDTH),
            ),
        ];
        // The charts cut long names short (with "…"), so they hold the
        // escaped start of it.
        let start = "&lt;/svg&gt;&lt;script&gt;ale";
        for (name, svg) in charts {
            let Some(svg) = svg else {
                panic!("{name}: no chart")
            };
            assert!(svg.contains(start), "{name}: name not escaped: {svg}");
            assert!(!svg.contains("<script"), "{name}: raw script tag: {svg}");
            assert!(!svg.contains("<img"), "{name}: raw img tag: {svg}");
            assert_eq!(svg.matches("</svg>").count(), 1, "{name}: SVG closed early");
        }
    }

    /// From ten variants on, a fixed gap beside each bar left bars of
    /// negative width; beyond twenty, the first twenty are drawn and the
    /// caption says how many more the table lists.
    #[test]
    fn many_variants_get_bars_of_positive_width_and_a_limit() {
        use super::bars::{bars_svg, Bar, MAX_BARS};
        let names: Vec<String> = (0..24).map(|i| format!("arm {i}")).collect();
        let bars: Vec<Bar> = names
            .iter()
            .map(|name| Bar {
                name,
                value: 0.1,
                ci: None,
            })
            .collect();
        for (count, width) in [(12, NARROW_WIDTH), (24, NARROW_WIDTH), (24, 900)] {
            let Some(svg) = bars_svg(
                "Conversion",
                "rate",
                &bars[..count],
                &|y| format!("{y}"),
                width,
            ) else {
                panic!("{count} bars: no chart");
            };
            assert!(
                !svg.contains("width=\"-"),
                "{count} bars at {width}: negative width"
            );
            let drawn = svg.matches("<rect").count();
            assert!(
                drawn > count.min(MAX_BARS),
                "{count} bars at {width}: {drawn} rects"
            );
            assert_eq!(
                svg.contains("(the first 20; 4 more in the table)"),
                count == 24
            );
        }
    }

    /// The charts module draws from the scenario with its data as sums
    /// (what the page sends it), analysed again: every chart it draws is
    /// the chart of the page's own report, for each method, in another
    /// locale, and for row-level data.
    #[test]
    fn charts_drawn_from_the_scenario_of_sums_equal_the_report_charts() {
        use super::{draw, ChartKind};
        for (method, locale, currency, rows) in [
            (Method::Frequentist, "en-US", "USD", false),
            (Method::Bayesian, "de-DE", "EUR", false),
            (Method::Sequential, "en-IN", "INR", false),
            (Method::Frequentist, "en-US", "USD", true),
        ] {
            let mut s = Scenario::demo();
            s.analysis.method = method;
            s.display.locale = locale.into();
            s.display.currency = currency.into();
            if rows {
                s.data =
                    "arm,spend,visit\nA,0,1\nA,10.5,1\nA,0,0\nB,3,1\nB,20,1\nB,0,0\nB,7,1\n".into();
                s.columns
                    .insert("arm".into(), uplift_engine::ingest::ColumnRole::Variant);
            }
            crate::platform::format::set_display(locale, currency);
            let r = match analyze(&s) {
                Ok(r) => r,
                Err(e) => panic!("{e}"),
            };
            let Ok(e) = s.experiment() else {
                panic!("the data reads")
            };
            let json = s.json_with_sums(&e);
            let back = Scenario::from_json(&json).ok().and_then(|b| {
                let e = b.experiment().ok()?;
                uplift_engine::analyze_experiment(&b, &e).ok()
            });
            let Some(back) = back else {
                panic!("the scenario of sums analyses again: {json}")
            };
            for kind in ChartKind::ALL {
                let direct = draw(kind, &r, NARROW_WIDTH);
                if !rows {
                    let bayesian_only = kind == ChartKind::Posterior && method != Method::Bayesian;
                    assert_eq!(direct.is_none(), bayesian_only, "{kind:?} {method:?}");
                }
                assert_eq!(
                    draw(kind, &back, NARROW_WIDTH),
                    direct,
                    "{kind:?} {method:?} {locale}"
                );
            }
        }
        crate::platform::format::set_display("en-US", "USD");
    }

    #[test]
    fn chart_ids_name_their_kind() {
        use super::ChartKind;
        for kind in ChartKind::ALL {
            assert_eq!(ChartKind::from_id(kind.id()), Some(kind));
        }
        assert_eq!(ChartKind::from_id("pie-chart"), None);
    }

    #[test]
    fn long_names_are_cut_with_an_ellipsis() {
        assert_eq!(super::fit_name("personalized", 20), "personalized");
        assert_eq!(
            super::fit_name("a very long variant name", 10),
            "a very lo…"
        );
        assert_eq!(super::fit_name("ééééé", 4), "ééé…");
    }

    #[test]
    fn investment_charts_draw_from_the_demo() {
        let r = crate::charts::demo_report();
        let cash =
            super::cashflow_chart::cashflow_svg(&r.investment, NARROW_WIDTH).unwrap_or_default();
        assert!(cash.contains("Payback: month 2"), "{cash}");
        let Some(d) = r.roi.distribution.as_ref() else {
            panic!("no simulation")
        };
        let hist = super::roi_chart::roi_histogram_svg(d, NARROW_WIDTH).unwrap_or_default();
        assert!(
            hist.contains("ROI = 0") && hist.contains("10,000 simulated"),
            "{hist}"
        );
        let base = r.investment.roi.map_or(0.0, |x| x.0);
        let tornado = super::tornado_chart::tornado_svg(&r.roi.tornado, base, NARROW_WIDTH)
            .unwrap_or_default();
        assert!(
            tornado.contains("Measured uplift") && tornado.contains("Costs"),
            "{tornado}"
        );
    }
}
