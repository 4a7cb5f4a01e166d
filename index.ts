export { CybereasonApi } from './credentials/CybereasonApi.credentials';
