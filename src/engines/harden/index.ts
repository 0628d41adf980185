// Prevent recurrence: every copy of the key hard-coded in a committed file, rewritten to read
// the environment variable (file by file, as a diff first), the variable's name in
// .env.example, .env ignored, and the pre-commit and pre-push guards (and a CI job) that refuse
// the key by its fingerprint. The pieces: ./changes.ts (find and plan), ./hygiene.ts (config,
// scanners), ./guard-script.ts (the script), ./guard.ts (where it goes, its proof), ./apply.ts
// (the journaled write), ./flow.ts (the one flow the CLI and the wizard run).
export {WriteJournal} from './journal.js';
export {findHardcoded, type HardenChange, type HardenPlace, planChanges, projectLibraries, readersOf} from './changes.js';
export {configHygiene, scannersOnPath} from './hygiene.js';
export {charClass, guardScript, rollingHash} from './guard-script.js';
export {ciForRepo, committedGuard, type GuardPlan, guardPlan, guardWhere, installGuard, proveGuard} from './guard.js';
export {applyHardening, type HardenOutcome} from './apply.js';
