// Writes a deterministic row-level experiment export (one row per user) for
// benchmarks and browser tests:
//   node bench/gen-rows.mjs OUT.csv --rows 1000000
//   node bench/gen-rows.mjs OUT.csv --bytes 1073741824
// Columns: user_id,variant,segment,converted,orders,revenue,pre_revenue, and
// with `dates`, exposed_at (a timestamp over 14 days from 2024-03-04) after
// the variant. Streams to disk in blocks, so a 1 GB file needs no more
// memory than a small one.
import { createWriteStream } from 'node:fs';

export const HEADER = 'user_id,variant,segment,converted,orders,revenue,pre_revenue\n';
const DATED_HEADER = 'user_id,variant,exposed_at,segment,converted,orders,revenue,pre_revenue\n';

/** The exposure of user `i`: one of 14 days, users spread over each day. */
function exposedAt(i, rows) {
  const day = Math.min(13, Math.floor((i / rows) * 14));
  const second = Math.floor(((i * 86_400) / Math.max(1, rows / 14)) % 86_400);
  const t = new Date(Date.UTC(2024, 2, 4 + day, 0, 0, second));
  return t.toISOString().slice(0, 19).replace('T', ' ');
}

/** A small seeded generator (mulberry32): the same file on every machine. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One block of `count` rows starting at user `first`, as text. */
export function rowsBlock(first, count, next, dated = 0) {
  let out = '';
  for (let i = first; i < first + count; i++) {
    const treated = i % 2 === 1;
    const converted = next() < (treated ? 0.026 : 0.02);
    const orders = converted ? 1 + (next() < 0.1 ? 1 : 0) : 0;
    const revenue = converted ? (40 + next() * 120 * orders).toFixed(2) : '0';
    const pre = next() < 0.3 ? (next() * 200).toFixed(2) : '0';
    const at = dated ? `${exposedAt(i, dated)},` : '';
    out += `${i},${treated ? 'personalized' : 'control'},${at}${next() < 0.6 ? 'mobile' : 'desktop'},${converted ? 1 : 0},${orders},${revenue},${pre}\n`;
  }
  return out;
}

/** Write the file; resolves to { rows, bytes }. */
export async function writeRows(path, { rows = Infinity, bytes = Infinity, seed = 7, dates = false } = {}) {
  const next = rng(seed);
  const out = createWriteStream(path);
  const header = dates ? DATED_HEADER : HEADER;
  // Dates spread the rows over 14 days: they need a row count.
  const dated = dates && Number.isFinite(rows) ? rows : 0;
  let written = header.length;
  out.write(header);
  let done = 0;
  const BLOCK = 20_000;
  while (done < rows && written < bytes) {
    const block = rowsBlock(done, Math.min(BLOCK, rows - done), next, dated);
    written += block.length;
    done += Math.min(BLOCK, rows - done);
    if (!out.write(block)) await new Promise((r) => out.once('drain', r));
  }
  await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
  return { rows: done, bytes: written };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [path, flag, value] = process.argv.slice(2);
  if (!path || !['--rows', '--bytes'].includes(flag)) {
    console.error('usage: node bench/gen-rows.mjs OUT.csv --rows N | --bytes N');
    process.exit(2);
  }
  const r = await writeRows(path, { [flag.slice(2)]: Number(value) });
  console.log(`${path}: ${r.rows} rows, ${r.bytes} bytes`);
}
