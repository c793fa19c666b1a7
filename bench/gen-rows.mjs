// Writes a deterministic row-level experiment export (one row per user) for
// benchmarks and browser tests:
//   node bench/gen-rows.mjs OUT.csv --rows 1000000
//   node bench/gen-rows.mjs OUT.csv --bytes 1073741824
// Columns: user_id,variant,segment,converted,orders,revenue,pre_revenue. Streams to
// disk in blocks, so a 1 GB file needs no more memory than a small one.
import { createWriteStream } from 'node:fs';

export const HEADER = 'user_id,variant,segment,converted,orders,revenue,pre_revenue\n';

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
export function rowsBlock(first, count, next) {
  let out = '';
  for (let i = first; i < first + count; i++) {
    const treated = i % 2 === 1;
    const converted = next() < (treated ? 0.026 : 0.02);
    const orders = converted ? 1 + (next() < 0.1 ? 1 : 0) : 0;
    const revenue = converted ? (40 + next() * 120 * orders).toFixed(2) : '0';
    const pre = next() < 0.3 ? (next() * 200).toFixed(2) : '0';
    out += `${i},${treated ? 'personalized' : 'control'},${next() < 0.6 ? 'mobile' : 'desktop'},${converted ? 1 : 0},${orders},${revenue},${pre}\n`;
  }
  return out;
}

/** Write the file; resolves to { rows, bytes }. */
export async function writeRows(path, { rows = Infinity, bytes = Infinity, seed = 7 } = {}) {
  const next = rng(seed);
  const out = createWriteStream(path);
  let written = HEADER.length;
  out.write(HEADER);
  let done = 0;
  const BLOCK = 20_000;
  while (done < rows && written < bytes) {
    const block = rowsBlock(done, Math.min(BLOCK, rows - done), next);
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
