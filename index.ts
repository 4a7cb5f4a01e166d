export { CybereasonApi } from './credentials/CybereasonApi.credentials';
export { Cybereason } from './nodes/Cybereason/Cybereason.node';
export { CybereasonGetMalops } from './nodes/CybereasonGetMalops/CybereasonGetMalops.node';
export { CybereasonRemediate } from './nodes/CybereasonRemediate/CybereasonRemediate.node';
export { CybereasonTrigger } from './nodes/CybereasonTrigger/CybereasonTrigger.node';
