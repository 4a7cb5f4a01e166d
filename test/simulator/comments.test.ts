import { DEMO_USER } from '../../simulator';

import { asRecord, call } from './helpers';
import { useSimulator } from './views';
/** A legacy GUID that JSON.parse would turn into a (rounded) number: the body must be t.read as text. */
const NUMERIC_GUID = '11.1882697476172655933';

interface WireComment {
	commentId: string;
	username: string;
	message: string;
	timestamp: number;
	empty: boolean;
}

describe('Malop comments: crimes/comment and crimes/get-comments', () => {
	const t = useSimulator({
		malops: 6,
		machinesPerMalop: 1,
		logonSessionShare: 0,
		seed: 3,
	});
	const comment = (guid: string, raw: string, contentType?: string) =>
		call(t.sim, 'POST', `/rest/crimes/comment/${encodeURIComponent(guid)}`, {
			cookie: t.cookie,
			raw,
			contentType,
		});
	const list = async (guid: string) => {
		const answer = await call(t.sim, 'POST', '/rest/crimes/get-comments', {
			cookie: t.cookie,
			raw: guid,
		});
		expect(answer.status).toBe(200);
		return answer.json as WireComment[];
	};

	beforeAll(async () => {
		t.sim.state.addMalop({ guid: NUMERIC_GUID, kind: 'MalopProcess', comments: [] });
	});
	beforeEach(() => t.clock.advance(60_000));

	it('stores a raw-text comment sent under a JSON Content-Type and answers it as stored', async () => {
		const before = t.sim.state.malops.get(NUMERIC_GUID)?.lastUpdateTime;
		const answer = await comment(NUMERIC_GUID, 'Isolated by n8n: remediation 42 <ok> & "done"');
		expect(answer.status).toBe(200);
		const stored = answer.json as WireComment;
		expect(stored).toEqual({
			commentId: expect.stringMatching(
				/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
			),
			username: DEMO_USER.username,
			message: 'Isolated by n8n: remediation 42 &lt;ok&gt; &amp; &quot;done&quot;',
			timestamp: t.clock.now(),
			empty: false,
		});
		expect(t.sim.state.malops.get(NUMERIC_GUID)?.comments.at(-1)?.message).toBe(
			'Isolated by n8n: remediation 42 <ok> & "done"',
		);
		// A comment is a management change: the detection's lastUpdateTime stays, metadata moves.
		const item = await t.read.mmng(NUMERIC_GUID);
		expect(item.lastUpdateTime).toBe(before);
		expect(item.metadataUpdateTime).toBe(t.clock.now());
	});

	it('lists comments oldest first, HTML-escaped, from a raw GUID body', async () => {
		await comment(NUMERIC_GUID, "second: it's fine");
		const comments = await list(NUMERIC_GUID);
		expect(comments.map((c) => c.message)).toEqual([
			'Isolated by n8n: remediation 42 &lt;ok&gt; &amp; &quot;done&quot;',
			'second: it&#39;s fine',
		]);
		expect(comments[0].timestamp).toBeLessThan(comments[1].timestamp);
		expect(t.sim.requests.at(-1)).toMatchObject({
			rawBody: NUMERIC_GUID,
			contentType: 'application/json',
		});
	});

	it('embeds the same comments in the crimes/unified element', async () => {
		const element = await t.read.crimes(NUMERIC_GUID);
		const embedded = element.simpleValues.comments;
		expect(embedded.totalValues).toBe(2);
		expect(embedded.values).toEqual(await list(NUMERIC_GUID));
	});

	it('lists the comments a Malop came with', async () => {
		const m = t.dataset.malops.find((x) => x.comments.length > 0);
		if (!m) throw new Error('fixture needs a commented Malop');
		const comments = await list(m.guid);
		expect(comments.map((c) => c.commentId).sort()).toEqual(
			m.comments.map((c) => c.commentId).sort(),
		);
	});

	it('keeps UTF-8 text and a text/plain body as sent; a JSON-encoded string keeps its quotes', async () => {
		const m = t.sim.state.addMalop({ kind: 'MalopProcess', comments: [] });
		await comment(m.guid, 'Überprüft — 検査済み ✓', 'text/plain; charset=utf-8');
		await comment(m.guid, JSON.stringify('quoted by a JSON client'));
		expect((await list(m.guid)).map((c) => c.message)).toEqual([
			'Überprüft — 検査済み ✓',
			'&quot;quoted by a JSON client&quot;',
		]);
		const sent = t.sim.requests.filter((r) => r.path === `/rest/crimes/comment/${m.guid}`);
		expect(sent.map((r) => [r.rawBody, r.contentType])).toEqual([
			['Überprüft — 検査済み ✓', 'text/plain; charset=utf-8'],
			['"quoted by a JSON client"', 'application/json'],
		]);
	});

	it('answers {} when commentAnswer is "empty" (XSOAR’s mock), and still stores the comment', async () => {
		const m = t.sim.state.addMalop({ kind: 'MalopProcess', comments: [] });
		t.sim.state.management.commentAnswer = 'empty';
		try {
			const answer = await comment(m.guid, 'quiet');
			expect(answer.status).toBe(200);
			expect(answer.json).toEqual({});
		} finally {
			t.sim.state.management.commentAnswer = 'comment';
		}
		expect((await list(m.guid)).map((c) => c.message)).toEqual(['quiet']);
	});

	it.each([
		['an empty comment', () => t.dataset.malops[0].guid, ''],
		['a blank comment', () => t.dataset.malops[0].guid, ' \n '],
		['an unknown Malop', () => 'no-such-malop', 'text'],
	])('answers 400 FAILURE to %s', async (_name, guid, raw) => {
		const count = t.sim.state.malops.get(t.dataset.malops[0].guid)?.comments.length;
		const answer = await comment(guid(), raw);
		expect(answer.status).toBe(400);
		expect(answer.json).toMatchObject({ status: 'FAILURE' });
		expect(t.sim.state.malops.get(t.dataset.malops[0].guid)?.comments.length).toBe(count);
	});

	it('answers 400 to get-comments for an unknown or JSON-quoted GUID', async () => {
		for (const raw of ['no-such-malop', JSON.stringify(NUMERIC_GUID), '']) {
			const answer = await call(t.sim, 'POST', '/rest/crimes/get-comments', {
				cookie: t.cookie,
				raw,
			});
			expect(answer.status).toBe(400);
			expect(asRecord(answer.json).status).toBe('FAILURE');
		}
	});
});
