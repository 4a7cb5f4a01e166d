export { CREDENTIAL_TYPE, CybereasonApiClient, READ_RETRIES } from './client';
export type { AnswerShape, CybereasonContext, CybereasonRequest } from './client';
export { cybereasonApiLogin } from './login';
