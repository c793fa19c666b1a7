//! The Uplift ROI web app: Leptos components over the `uplift-engine` crate.
//!
//! The app owns state, layout and formatting only; every number it shows is
//! computed by the engine. The folders mirror the page:
//! - [`app`] the page layout: the inputs beside the results on wide screens;
//! - [`header`] the title, saving and sharing, the number style;
//! - [`state`] the shared state: the scenario, the experiment read from its
//!   data, and the report (data flows one way: state → views, events → state);
//! - [`data`] step 1, experiment data in (paste, file, drop, large files,
//!   column mapping);
//! - [`investment`] step 2, costs, benefits and assumptions;
//! - [`results`] the verdict and key figures, the result views, the tables;
//! - [`charts`] plotters charts rendered to SVG (drawn by the charts module);
//! - [`tools`] the tools opened on request (a module of their own);
//! - [`platform`] on-demand modules, embed, offline, share links, downloads,
//!   number formatting, what the browser remembers, and the messages to the
//!   other modules.
//!
//! Each folder uses only the ones below it, so there are no import circles:
//! `platform` uses nothing of the app; `state` uses `platform`; `data` and
//! `charts` use those two; `tools` adds `data` and `charts`; `header`,
//! `investment`, `results` and `analyses` sit above them, and `app` on top.

pub mod analyses;
pub mod app;
pub mod charts;
pub mod data;
pub mod header;
pub mod investment;
pub mod platform;
pub mod results;
pub mod state;
pub mod tools;

// Every WebAssembly module of the page (app, charts, tools, file reader)
// allocates with Talc instead of Rust's default dlmalloc: about 5 KB less
// code per module, and faster in Talc's WebAssembly benchmarks.
#[cfg(all(not(target_feature = "atomics"), target_family = "wasm"))]
#[global_allocator]
static TALC: talc::wasm::WasmDynamicTalc = talc::wasm::new_wasm_dynamic_allocator();
