// The first download's size gate, run by scripts/test.sh after the release
// build: index.html plus every file it references (stylesheet, icon, the
// app's JavaScript and WebAssembly), each as the precompressed `.gz` the
// build ships (scripts/precompress.mjs), summed. `gzip -9` of the same files
// is printed beside it, for a host that compresses on the fly. Fails when
// the sum is above CEILING_KIB, when a file has no `.gz` or it is not
// smaller than `gzip -9`, or when a module meant to load on demand (the
// file-reading worker, the tools, the charts) is referenced by the page.
//
// The budget for the first download is 250 KiB. The ceiling is the current
// size plus a small margin, below the budget, and is lowered as the bundle
// shrinks, so growth fails the build instead of creeping in; raising it
// needs a reason, and never above the budget. Raised from 242 to 247 KiB
// for the workbench (240.2 → 246.4 KiB): the summary with the verdict and
// key figures always in view, the index of result views and their sections
// (1.9 KiB of it the key figures and the index), charts drawn at the width
// they are given and redrawn on resize, and the experiment read once per
// data change instead of on every edit (0.4 KiB). Raised to the budget,
// 250 KiB, for metric columns (246.4 → 249.4 KiB): reading any column of
// numbers or yes/no values as a metric (sums, squares and products per
// variant) has to happen where the data is read, in the page; everything
// else of it (the comparisons, the decision, the metric chooser) is in the
// tools module. Room was made by handing the charts module the scenario
// instead of the whole report (−3.0 KiB) and building without Debug
// formatting (−2.8 KiB). Lowered to 249.5 KiB (249.9 → 249.0 KiB) when the
// demo's summary went into index.html for the first paint (+1.1 KiB) and
// the investment case's tables went into the tools module (−2.0 KiB).
// Lowered to 249.0 KiB (249.3 → 248.6 KiB) when the analysis settings bar
// went into the tools module (−5.1 KiB) and the page learnt to read NPS
// questions where it reads the data, and metrics that should fall (+1.0
// KiB), with the settings in use said in a line until the bar is asked for.
// Lowered to 247.5 KiB (248.5 → 247.0 KiB) when the WebAssembly imports got
// short names in each module and its glue (scripts/short-imports.mjs,
// −4.7 KiB) and the page learnt to cap metrics with the values the plan
// holds (+3.3 KiB; taking a percentile stays in the tools module).
// Raised to 248.5 KiB (247.0 → 247.9 KiB) for the views one load allows:
// the index's Over time, Retention and Cohorts and the slot the tools
// module draws them in (+0.9 KiB; telling them from the columns and
// running them stays in the tools module and the worker).
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const BUDGET_KIB = 250;
const CEILING_KIB = Math.min(248.5, BUDGET_KIB);
const ON_DEMAND = /^(ingest_worker|tools|charts)[._-]/;

const dist = process.argv[2] ?? 'dist';
const html = readFileSync(join(dist, 'index.html'), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
const files = new Set(['index.html']);
// Attribute values may be unquoted: the release build minifies the HTML.
for (const m of html.matchAll(/(?:href=|src=|from\s+|module_or_path:\s*)["']?\.?\/?([^"'?#\s>]+)/g)) {
  if (existsSync(join(dist, m[1]))) files.add(m[1]);
}
const fmt = (n) => `${(n / 1024).toFixed(1).padStart(7)} KiB`;
let total = 0;
let totalGzip9 = 0;
const problems = [];
for (const f of [...files].sort()) {
  const gzip9 = gzipSync(readFileSync(join(dist, f)), { level: 9 }).length;
  const shipped = existsSync(join(dist, `${f}.gz`)) ? readFileSync(join(dist, `${f}.gz`)).length : Infinity;
  if (shipped === Infinity) problems.push(`${f} has no precompressed ${f}.gz`);
  else if (shipped > gzip9) problems.push(`${f}.gz (${shipped} B) is larger than gzip -9 (${gzip9} B)`);
  total += shipped;
  totalGzip9 += gzip9;
  console.log(`  ${f.padEnd(48)} ${fmt(shipped)} shipped .gz ${fmt(gzip9)} gzip -9`);
}
const kib = total / 1024;
console.log(`  ${'first download'.padEnd(48)} ${fmt(total)} shipped .gz ${fmt(totalGzip9)} gzip -9 (ceiling ${CEILING_KIB} KiB, budget ${BUDGET_KIB} KiB)`);
if (problems.length) {
  console.error(`check-bundle: ${problems.join('; ')}`);
  process.exit(1);
}
const eager = [...files].filter((f) => ON_DEMAND.test(f));
if (eager.length) {
  console.error(`check-bundle: on-demand modules are loaded by the page: ${eager.join(', ')}`);
  process.exit(1);
}
if (![...files].some((f) => f.endsWith('_bg.wasm'))) {
  console.error('check-bundle: the page references no WebAssembly; is this the built site?');
  process.exit(1);
}
if (kib > CEILING_KIB) {
  console.error(`check-bundle: the first download is ${kib.toFixed(1)} KiB, above the ${CEILING_KIB} KiB ceiling`);
  process.exit(1);
}
