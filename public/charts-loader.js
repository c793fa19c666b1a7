// Starts the charts module (charts.js and charts_bg.wasm, built by Trunk from
// src/bin/charts.rs) and leaves a promise of its drawing function for the page
// (src/charts/lazy.rs). Loaded only when the charts come near the screen.
import init, { chart_svg } from './charts.js';

self.upliftCharts = init({ module_or_path: new URL('./charts_bg.wasm', import.meta.url) }).then(() => ({ chart_svg }));
