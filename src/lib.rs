//! The Uplift ROI web app: Leptos components over the `uplift-engine` crate.
//!
//! The app owns state, layout and formatting only; every number it shows is
//! computed by the engine. One component per file, named for what the user sees:
//! - [`app`] the page layout and the shared state;
//! - [`data_panel`] step 1, where experiment data is pasted or picked;
//! - [`investment_panel`] step 2, costs and business assumptions;
//! - [`results_panel`] step 3, the verdict, tables and chart;
//! - [`analysis_controls`] method, confidence and control above the results;
//! - [`more_tools`] cards that open the tools below the results, which are a
//!   second module (`src/bin/tools.rs`): [`clv_panel`], [`planner_panel`]
//!   (sample size for the next test) and [`warehouse_panel`];
//! - [`charts`] plotters charts rendered to SVG;
//! - [`format`] how numbers, money and percentages are written.

pub mod analysis_controls;
pub mod app;
pub mod benefits_panel;
pub mod charts;
pub mod clv_panel;
pub mod column_mapping;
pub mod column_mapping_slot;
pub mod column_memory;
pub mod data_events;
pub mod data_panel;
pub mod display_settings;
pub mod downloads;
pub mod drop_zone;
pub mod embed;
pub mod fields;
pub mod file_loader;
pub mod file_progress;
pub mod format;
pub mod glossary;
pub mod ingest_protocol;
pub mod investment_panel;
pub mod investment_results;
pub mod large_file_reader;
pub mod link_codec;
pub mod more_tools;
pub mod on_demand;
pub mod planner_panel;
pub mod results_panel;
pub mod share_bar;
pub mod state;
pub mod tools_context;
pub mod warehouse_panel;

// Every WebAssembly module of the page (app, charts, tools, file reader)
// allocates with Talc instead of Rust's default dlmalloc: about 5 KB less
// code per module, and faster in Talc's WebAssembly benchmarks.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
