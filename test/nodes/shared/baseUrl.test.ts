// The credential's Test request and the nodes must accept the same Server URLs: one rule, evaluated once as the
// function the transport calls and once as the n8n expression the credential's declarative Test request carries.
import { Workflow, type INodeTypes } from 'n8n-workflow';

import { CybereasonApi } from '../../../credentials/CybereasonApi.credentials';
import { BASE_URL_EXPRESSION, normaliseBaseUrl } from '../../../nodes/shared/baseUrl';

const nodeTypes = { getByName: () => undefined, getByNameAndVersion: () => undefined } as unknown as INodeTypes;

/** The credential Test's baseURL as n8n resolves it, with `$credentials` as the only additional key. */
function viaExpression(baseUrl: string): unknown {
	const workflow = new Workflow({
		nodes: [{ id: '1', name: 'Test', type: 'test', typeVersion: 1, position: [0, 0], parameters: {} }],
		connections: {},
		active: false,
		nodeTypes,
	});
	const expression = new CybereasonApi().test.request.baseURL;
	return workflow.expression.getParameterValue(expression as string, null, 0, 0, 'Test', [], 'internal', {
		$credentials: { baseUrl },
	} as never);
}

describe('the Server URL rule', () => {
	it.each([
		['acme.cybereason.net', 'https://acme.cybereason.net'],
		['  https://acme.cybereason.net  ', 'https://acme.cybereason.net'],
		['https://x/login.html', 'https://x'],
		['https://x/login.html?error', 'https://x'],
		['https://x/#/malop/11.-7183025109609744335', 'https://x'],
		['https://x/', 'https://x'],
		['http://10.1.2.3:8443//', 'http://10.1.2.3:8443'],
		['HTTPS://X.example/LOGIN.HTML', 'HTTPS://X.example'],
	])('reads %j as %j in the nodes and in the credential Test', (input, expected) => {
		expect(normaliseBaseUrl(input)).toBe(expected);
		expect(viaExpression(input)).toBe(expected);
	});

	it('is the expression the credential Test sends', () => {
		expect(new CybereasonApi().test.request.baseURL).toBe(BASE_URL_EXPRESSION);
	});
});
