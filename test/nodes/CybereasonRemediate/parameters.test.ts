// The `{{ $json.field }}` shortcut (itemParameter) against n8n's own expression evaluation: the same items, the
// same parameter, both ways inside n8n's engine, and the values must be identical for every form.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { CybereasonRemediate } from '../../../nodes/CybereasonRemediate/CybereasonRemediate.node';
import { itemParameter } from '../../../nodes/CybereasonRemediate/parameters';
import { Engine, registerNodeType } from '../../../scripts/lib/engine';

type Read = { value: unknown; type: string } | { error: string };

function read(get: () => unknown): Read {
	try {
		const value = get();
		return { value, type: typeof value };
	} catch (error) {
		return { error: (error as Error).message };
	}
}

/** The real Remediate node and its Malop ID parameter, read for every item through the shortcut and through n8n. */
class ParameterProbe extends CybereasonRemediate {
	async execute(this: IExecuteFunctions) {
		const items = this.getInputData();
		let evaluations = 0;
		// Counts the reads n8n evaluates, to tell whether the shortcut answered by itself.
		const counted = new Proxy(this, {
			get: (target, key) =>
				key === 'getNodeParameter'
					? (...args: Parameters<IExecuteFunctions['getNodeParameter']>) => {
							if (!(args[3] as { rawExpressions?: boolean } | undefined)?.rawExpressions)
								evaluations++;
							return target.getNodeParameter(...args);
						}
					: (target as unknown as Record<string | symbol, unknown>)[key],
		});
		return [
			items.map((_, i) => {
				const before = evaluations;
				const shortcut = read(() => itemParameter(counted, items, 'malopId', i, ''));
				return {
					json: {
						shortcut,
						n8n: read(() => this.getNodeParameter('malopId', i, '')),
						bypassed: evaluations === before,
					} as unknown as IDataObject,
					pairedItem: { item: i },
				};
			}),
		];
	}
}

registerNodeType('test.parameterProbe', new ParameterProbe());

const FIELD_VALUES: IDataObject[] = [
	{ malopId: '11.-4319097116418812958' },
	{ malopId: '  padded  ' },
	{ malopId: '' },
	{ malopId: 'null' },
	{ malopId: '={{ 1 + 1 }}' },
	{ malopId: '{{ $json.other }}' },
	{ malopId: 'ünïcödé ✓' },
	{ malopId: 'x'.repeat(5000) },
	{ malopId: 42 },
	{ malopId: 0 },
	{ malopId: -1.5 },
	{ malopId: true },
	{ malopId: null },
	{},
	{ malopId: { guid: 'nested' } },
	{ malopId: ['a', 'b'] },
	{ malopId: [] },
	{ other: 'only another field' },
];

async function probe(value: string, input: IDataObject[]) {
	const result = await new Engine().run({
		nodes: [
			{ name: 'Start', type: 'test.start', parameters: { items: JSON.stringify(input) } },
			{ name: 'Probe', type: 'test.parameterProbe', parameters: { malopId: value } },
		],
		connections: [['Start', 'Probe']],
	});
	expect(result.error).toBeUndefined();
	return result
		.output('Probe')
		.map((item) => item.json as { shortcut: Read; n8n: Read; bypassed: boolean });
}

describe('itemParameter: the {{ $json.field }} shortcut gives what n8n evaluates', () => {
	it.each([
		'={{ $json.malopId }}',
		'={{$json.malopId}}',
		'={{   $json.malopId   }}',
		'={{ $json.malopId }} ',
		'= {{ $json.malopId }}',
		'={{ $json["malopId"] }}',
		'={{ $json.malopId.guid }}',
		'={{ $json.malopId || "fallback" }}',
		'=id-{{ $json.malopId }}',
		'={{ $json.targetId }}',
		'={{ $json.hasOwnProperty }}',
		'={{ $json.constructor }}',
		'={{ $json.__proto__ }}',
		'={{ $json.other }}',
		'={{ $json.missing }}',
		'a fixed value',
	])('%s', async (value) => {
		const out = await probe(value, [
			...FIELD_VALUES,
			{ hasOwnProperty: 'own field', constructor: 'own field', targetId: 'PROC0000000001' },
		]);
		expect(out).toHaveLength(FIELD_VALUES.length + 1);
		for (const { shortcut, n8n } of out) expect(shortcut).toStrictEqual(n8n);
	});

	it('answers by itself only for a plain {{ $json.<own field> }} holding a string', async () => {
		const input = [...FIELD_VALUES, { targetId: 'PROC0000000001', constructor: 'own field' }];
		const bypassed = async (value: string) =>
			(await probe(value, input)).map((o, i) => (o.bypassed ? i : -1)).filter((i) => i >= 0);
		const strings = FIELD_VALUES.flatMap((item, i) =>
			typeof item.malopId === 'string' ? [i] : [],
		);
		expect(strings).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		expect(await bypassed('={{ $json.malopId }}')).toEqual(strings);
		expect(await bypassed('={{$json.malopId}}')).toEqual(strings);
		expect(await bypassed('={{ $json.targetId }}')).toEqual([FIELD_VALUES.length]);
		for (const other of [
			'={{ $json.constructor }}',
			'={{ $json.malopId.guid }}',
			'= {{ $json.malopId }}',
		])
			expect(await bypassed(other)).toEqual([]);
	});
});
