// Pure remediation logic, no HTTP: input items (items.ts), batching (batches.ts), protected machines
// (protected.ts), reading answers back (results.ts) and the remediation history (history.ts).
export { isInputProblem, isMachineUnknown, knownFields, validateItem } from './items';
export type { InputProblem, MachineUnknown, RawItem, RemediationItem } from './items';
export { countActions, planBatches, remediateRequest } from './batches';
export type { ActionRef, MalopBatch, PlannedAction } from './batches';
export { nameCheckNeeded, parseProtectedMachines, protectedEntry } from './protected';
export { actionResult, isolationResult, isTerminal, latestEntry, resultOf } from './results';
export type { ActionResult } from './results';
export { findRecentlySent, findSentRemediation, UNREPORTED_GRACE_MS } from './history';
