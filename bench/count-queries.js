'use strict';
/**
 * Preload for the API process (`node -r bench/count-queries.js src/main.ts`), used by bench/http.bench.ts: counts the
 * SQL round trips (calls of pg's Client#query) of every HTTP request, by operation, without touching src/.
 *
 * Each incoming request runs in an AsyncLocalStorage context naming its operation (`METHOD /path`, UUIDs and numbers
 * replaced by {id}, query string dropped). A query issued inside that context, even after the answer was sent, counts
 * for the operation; queries outside any request (the recalculation worker, the relay, Bull) count as `(background)`.
 * `START TRANSACTION` / `BEGIN` count transactions; statements between them and COMMIT / ROLLBACK count as statements
 * in a transaction.
 *
 * With BENCH_QUERY_TEXTS=1 it also counts each statement's text (whitespace collapsed, first 160 characters).
 *
 * SIGUSR2 writes the counts as JSON to $BENCH_QUERY_COUNT_FILE (through a temporary file and a rename) and resets them.
 */
const { AsyncLocalStorage } = require('node:async_hooks');
const http = require('node:http');
const fs = require('node:fs');

const file = process.env.BENCH_QUERY_COUNT_FILE;
if (!file) throw new Error('count-queries.js: set BENCH_QUERY_COUNT_FILE');

const texts = process.env.BENCH_QUERY_TEXTS === '1';
const als = new AsyncLocalStorage();
/** operation → { requests, queries, transactions, inTransaction, outside } */
let counts = new Map();
const entry = (op) => {
  let e = counts.get(op);
  if (!e) counts.set(op, (e = { requests: 0, queries: 0, transactions: 0, inTransaction: 0, outside: 0 }));
  return e;
};

const ID = /\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d+)(?=\/|$)/gi;
const operation = (req) => `${req.method} ${(req.url || '/').split('?')[0].replace(ID, '/{id}')}`;

const emit = http.Server.prototype.emit;
http.Server.prototype.emit = function (event, req, res) {
  if (event !== 'request') return emit.apply(this, arguments);
  const op = operation(req);
  entry(op).requests++;
  return als.run({ op }, () => emit.apply(this, arguments));
};

// The pg that the API loads: resolved from its checkout (the process's working directory).
const pg = require(require.resolve('pg', { paths: [process.cwd()] }));
/** Per connection: inside a transaction? (a WeakMap, so the Client objects stay untouched) */
const inTx = new WeakMap();
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (config) {
  const text = (typeof config === 'string' ? config : (config && config.text) || '').trim().toUpperCase();
  const store = als.getStore();
  const e = entry(store ? store.op : '(background)');
  e.queries++;
  if (texts) {
    const raw = typeof config === 'string' ? config : (config && config.text) || '';
    const t = raw.replace(/\s+/g, ' ').trim().slice(0, 160);
    e.texts = e.texts || {};
    e.texts[t] = (e.texts[t] || 0) + 1;
  }
  if (text.startsWith('START TRANSACTION') || text === 'BEGIN' || text.startsWith('BEGIN ')) {
    e.transactions++;
    inTx.set(this, true);
  } else if (text === 'COMMIT' || text === 'ROLLBACK') {
    inTx.set(this, false);
  } else if (inTx.get(this)) {
    e.inTransaction++;
  } else {
    e.outside++;
  }
  return query.apply(this, arguments);
};

process.on('SIGUSR2', () => {
  const out = Object.fromEntries(counts);
  counts = new Map();
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(out));
  fs.renameSync(`${file}.tmp`, file);
});
