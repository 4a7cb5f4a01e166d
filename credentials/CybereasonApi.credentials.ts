import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { BASE_URL_EXPRESSION } from '../nodes/shared/baseUrl';
import { cybereasonApiLogin } from '../nodes/shared/transport';

export class CybereasonApi implements ICredentialType {
	name = 'cybereasonApi';

	displayName = 'Cybereason API';

	icon: Icon = { light: 'file:../icons/cybereason.svg', dark: 'file:../icons/cybereason.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-cybereason/n8n-nodes-cybereason#credential';

	properties: INodeProperties[] = [
		{
			// Filled by preAuthentication and persisted by n8n, so every execution and worker shares one login.
			displayName: 'Session Cookie',
			name: 'sessionCookie',
			type: 'hidden',
			typeOptions: { expirable: true },
			default: '',
		},
		{
			displayName: 'Server URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://acme.cybereason.net or https://10.1.2.3:8443',
			description:
				'Address of the Cybereason console (SaaS or on-premises), with the port if it is not 443',
			required: true,
		},
		{
			displayName: 'Username',
			name: 'username',
			type: 'string',
			default: '',
			placeholder: 'e.g. soc-automation@acme.com',
			description: 'A Cybereason user allowed to use the REST API. Use a dedicated user for n8n.',
			required: true,
		},
		{
			displayName: 'Password',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Two-Factor Secret (TOTP)',
			name: 'totpSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description:
				'Only if the user has two-factor authentication: the base32 secret shown when it was set up. n8n then generates the 6-digit code at each login.',
		},
		{
			// Not `allowUnauthorizedCerts`: n8n's strict lint takes any field name with "cert" for a secret and
			// wants it masked, and n8n 1.x cannot mask a boolean (its redact() calls startsWith on the value).
			displayName: 'Ignore SSL Issues (Insecure)',
			name: 'ignoreSslIssues',
			type: 'boolean',
			default: false,
			description:
				'Whether to connect even if the console’s TLS certificate cannot be verified (self-signed on-premises consoles)',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		return { sessionCookie: await cybereasonApiLogin(this.helpers.httpRequest, credentials) };
	}

	// A function rather than a generic `={{$credentials.sessionCookie}}` header: n8n resolves generic ones through
	// its expression engine on every request, about a millisecond each (measured in bench/).
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		return {
			...requestOptions,
			headers: { ...requestOptions.headers, Cookie: String(credentials.sessionCookie ?? '') },
		};
	}

	// n8n runs preAuthentication (a verified login) before this request when the credential is tested.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: '/rest/sensors/query',
			method: 'POST',
			body: { limit: 1, offset: 0 },
			json: true,
			disableFollowRedirect: true,
			skipSslCertificateValidation: '={{$credentials.ignoreSslIssues}}',
		},
	};
}
