// How much heap a full run's applied values hold (store table applied_values, read whole by every full run):
// the Map of objects that forUsers(null) returns against the packed index that all() returns.
//   npm run build:tools
//   node build/bench/applied-values-memory.js seed /tmp/applied.sqlite [users] [names: bench|varied]
//   node --expose-gc build/bench/applied-values-memory.js map|index /tmp/applied.sqlite
// Prints heapUsed + arrayBuffers (typed arrays' contents) after a gc before the read and after it (the result still held), in MB. One form per process,
// so neither measures the other's garbage.
import { Store } from '../src/store/store.js';
import type { AppliedRecord } from '../src/plan/types.js';

const FIRST = ['Alice', 'Bob', 'Carmen', 'Dev', 'Emma', 'Farah', 'George', 'Hana', 'Ivan', 'Jordan', 'Kate', 'Liam', 'Maya', 'Noah', 'Olga', 'Priya', 'Quinn', 'Ravi', 'Sofia', 'Tom'];
const LAST = ['Nguyen', 'Martin', 'Diaz', 'Patel', 'Wilson', 'Khan', 'Brown', 'Sato', 'Petrov', 'Lee', "O'Connor", 'Chen', 'Ross', 'Müller', 'Schmidt', 'Smith', 'Garcia', 'Rossi', 'Kowalski', 'Dubois'];
const TITLES = Array.from({ length: 40 }, (_, i) => `Title ${i}`);
const OFFICES = ['5001', '5002', '5003', '5004', '5005', '5006'];
const LICENSES = ['talk', 'sales', 'agents', 'lite'];
/** Users recorded per record() call, as apply records a batch of users with one time. */
const BATCH = 1_000;

function recordsOf(user: number, names: string): AppliedRecord[] {
  const id = String(4_500_000_000_000_000 + user * 7919);
  const first = names === 'varied' ? `${FIRST[user % FIRST.length] ?? ''}${user % 3001}` : (FIRST[user % FIRST.length] ?? '');
  const last = names === 'varied' ? `${LAST[user % LAST.length] ?? ''}${user % 9973}` : (LAST[Math.floor(user / FIRST.length) % LAST.length] ?? '');
  const title = TITLES[user % TITLES.length] ?? null;
  // One field in ten adopted from Dialpad (applied differs from Okta's value).
  const adopted = user % 10 === 0 ? `${title ?? ''} (edited)` : title;
  return [
    { dialpadUserId: id, field: 'first_name', applied: first, okta: first },
    { dialpadUserId: id, field: 'last_name', applied: last, okta: last },
    { dialpadUserId: id, field: 'job_title', applied: adopted, okta: title },
    { dialpadUserId: id, field: 'office', applied: OFFICES[user % OFFICES.length] ?? null, okta: OFFICES[user % OFFICES.length] ?? null },
    { dialpadUserId: id, field: 'license', applied: LICENSES[user % LICENSES.length] ?? null, okta: null },
  ];
}

function heapMb(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with node --expose-gc');
  gc();
  gc();
  // Typed arrays' contents are outside the heap: counted in arrayBuffers.
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return (heapUsed + arrayBuffers) / 1e6;
}

async function main(): Promise<void> {
  const [mode, database, usersArg, names = 'bench'] = process.argv.slice(2);
  if (database === undefined) throw new Error('usage: seed|map|index <sqlite file> [users] [bench|varied]');
  const store = await Store.open(database);
  try {
    if (mode === 'seed') {
      const users = Number(usersArg ?? 100_000);
      for (let from = 0; from < users; from += BATCH) {
        const rows: AppliedRecord[] = [];
        for (let user = from; user < Math.min(users, from + BATCH); user++) rows.push(...recordsOf(user, names));
        await store.appliedValues.record(rows);
      }
      return;
    }
    // Warm the driver and the query builder, so the baseline holds them.
    await store.appliedValues.forUsers(['0']);
    const before = heapMb();
    const held = mode === 'map' ? await store.appliedValues.forUsers(null) : await store.appliedValues.all();
    const after = heapMb();
    const users = [...held.keys()].length;
    console.log(`${mode}: ${users} users, heapUsed + arrayBuffers ${before.toFixed(1)} MB → ${after.toFixed(1)} MB: +${(after - before).toFixed(1)} MB`);
  } finally {
    await store.close();
  }
}

await main();
