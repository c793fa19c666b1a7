// Starts the charts module (charts.js and charts_bg.wasm, built by Trunk from
// src/bin/charts.rs) for the page (src/charts/lazy.rs), which adds this script
// when the charts come near the screen. `start` resolves to the module's
// drawing function; after a failed download it can be called again.
import init, { chart_svg } from './charts.js';

self.upliftCharts = {
  start: () => init({ module_or_path: new URL('./charts_bg.wasm', import.meta.url) }).then(() => chart_svg),
};
