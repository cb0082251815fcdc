// The store's rows the console shows, named once by what the store's methods return (the store owns the shapes).
import type { Store } from '../store/store.js';

/** An audit event (store.audit.list). */
export type AuditEvent = Awaited<ReturnType<Store['audit']['list']>>[number];
/** A suspend or delete held right now (store.held.list). */
export type HeldAction = Awaited<ReturnType<Store['held']['list']>>[number];
/** One action of a run, with its outcome (store.runActions.forRun / forUser). */
export type RunAction = Awaited<ReturnType<Store['runActions']['forUser']>>[number];
