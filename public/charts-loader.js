// Starts the charts module (charts.js and charts_bg.wasm, built by Trunk from
// src/bin/charts.rs) for the page (src/charts/lazy.rs), which adds this script
// when the charts come near the screen. `start(attempt)` resolves to the
// module's drawing function; after a failed download it is called with the
// next attempt number, which asks for the files afresh (a browser keeps a
// failed module import for the life of the page).
self.upliftCharts = {
  start: async (attempt) => {
    const fresh = attempt > 0 ? `?attempt=${attempt}` : '';
    const glue = await import(`./charts.js${fresh}`);
    await glue.default({ module_or_path: new URL(`./charts_bg.wasm${fresh}`, import.meta.url) });
    return glue.chart_svg;
  },
};
