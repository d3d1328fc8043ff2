/**
 * The collector thread: the one reader of the trace ring. No program thread can block it, so it forwards events even
 * when every program thread sits in Atomics.wait. Each batch (decoded events plus every thread's held locks) goes to
 * the debugger as one JSON line on the trace channel (channel.ts).
 */
import { writeSync } from 'node:fs';
import { workerData } from 'node:worker_threads';
import { type ChannelSpec, openChannel, type TraceChannel } from './channel.js';
import { coalesce } from './coalesce.js';
import { TraceDecoder } from './decoder.js';
import type { TraceBatch, TraceEvent } from './events.js';
import { readHeldTables } from './held-table.js';
import { H_DROPPED, H_FLUSH_REQUEST, H_FLUSHED, viewsOf } from './layout.js';
import { RingReader } from './ring.js';
import { now } from './ring-tracer.js';

/** Look again this soon after forwarding events: a suspected deadlock gets its confirming batch quickly. */
const BUSY_PARK_MS = 5;
/** Records in one drain above which the collector does not park before the next. */
const BACKLOG_RECORDS = 4096;
/** Look this often while some thread waits holding a lock (a deadlock candidate). */
const WATCH_PARK_MS = 20;
/** Otherwise, look this often (acquisitions and releases are only in the tables, no wake tells of them). */
const IDLE_PARK_MS = 50;
/** Keep sending batches while a thread waits holding a lock for this long after the last change, so cycles get confirmed. */
const HEARTBEAT_WINDOW_MS = 100;
/**
 * Unchanged batches sent after the last change while a thread waits holding a lock, however late: the debugger
 * confirms a cycle only when a second batch shows it unchanged, and a collector kept off the CPU past the window
 * (a loaded machine) would otherwise never send that batch, and a deadlocked program would never stop.
 */
const CONFIRMING_BATCHES = 1;

const { sab, channel: spec } = workerData as { sab: SharedArrayBuffer; channel: ChannelSpec };
const views = viewsOf(sab);
const reader = new RingReader(views);
const decoder = new TraceDecoder();
/** Threads waiting while holding, i.e. the only ones that can be in a wait-for cycle. */
const holdingWaits = new Set<number>();
let lastHoldings = '';
let lastChange = 0;
/** Unchanged batches sent since the last change. */
let heartbeats = 0;

let channel: TraceChannel | undefined;
try {
  channel = await openChannel(spec);
} catch (error) {
  // Written straight to the process's stderr: a worker's own stderr travels through a main thread that may be blocked.
  writeSync(2, `deadbolt: cannot reach the trace channel ${JSON.stringify(spec)} (${error instanceof Error ? error.message : String(error)}); the program runs untraced.\n`);
}
while (channel !== undefined) {
  const seen = reader.wakeCounter();
  const flush = Atomics.load(views.i32, H_FLUSH_REQUEST) !== 0;
  const decoded: TraceEvent[] = [];
  reader.drain((record) => {
    const event = decoder.decode(record);
    if (event !== undefined) decoded.push(event);
  });
  for (const e of decoded) {
    if (e.type === 'wait-begin' && e.holding) holdingWaits.add(e.thread);
    else if (e.type === 'wait-end') holdingWaits.delete(e.thread);
    else if (e.type === 'thread-exit') holdingWaits.delete(e.thread);
  }
  const events = coalesce(decoded);
  const holdings = decoder.holdings(readHeldTables(views));
  const holdingsText = JSON.stringify(holdings);
  const time = now();
  const changed = events.length > 0 || holdingsText !== lastHoldings;
  if (changed) {
    lastChange = time;
    heartbeats = 0;
  }
  const heartbeat = holdingWaits.size > 0 && (time - lastChange < HEARTBEAT_WINDOW_MS || heartbeats < CONFIRMING_BATCHES);
  if (changed || flush || heartbeat) {
    const batch: TraceBatch = { events, holdings, time, dropped: Atomics.load(views.i32, H_DROPPED) };
    if (!(await channel.send(JSON.stringify(batch) + '\n'))) break;
    lastHoldings = holdingsText;
    if (!changed) heartbeats++;
  }
  if (flush) {
    Atomics.store(views.i32, H_FLUSH_REQUEST, 0);
    Atomics.add(views.i32, H_FLUSHED, 1);
    Atomics.notify(views.i32, H_FLUSHED);
  }
  // A big drain means the program is producing fast: look again at once rather than let the ring fill.
  if (decoded.length >= BACKLOG_RECORDS) continue;
  reader.park(seen, events.length > 0 ? BUSY_PARK_MS : holdingWaits.size > 0 ? WATCH_PARK_MS : IDLE_PARK_MS);
}
// The debugger is gone (or was never reached): stop the program paying for tracing.
reader.close();
