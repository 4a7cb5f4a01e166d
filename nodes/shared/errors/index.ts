// The one translator from a Cybereason answer (or its absence) to the error the user sees: login failures,
// the error type the nodes raise, the answer envelopes, and why an answer fails a request.
export { answerFailure, networkFailure, shapelessAnswer } from './answers';
export type { RequestFacts, Successor } from './answers';
export { CybereasonApiError } from './apiError';
export type { CybereasonErrorDetails } from './apiError';
export { describeBody, envelopeWarning } from './envelope';
export { CybereasonLoginError, expiredAfterLogin, findLoginError, loginFailure } from './login';
export type { LoginFailure } from './login';
