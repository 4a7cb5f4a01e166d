// The console's own clock: every answer says what time it is there (Date header), and tests can put that clock
// off from ours, or move it back, while the console runs.
import { call, ManualClock, started } from './helpers';

const BASE = 1_717_000_000_000;
const HOUR = 3_600_000;

describe("the console's clock", () => {
	it('stamps every answer with its own time, offset included, and moves when shifted', async () => {
		const clock = new ManualClock(BASE);
		const { sim, cookie } = await started({ clock, clockOffsetMs: -15 * 60_000 });
		try {
			const first = await call(sim, 'POST', '/rest/sensors/query', {
				cookie,
				body: { limit: 1, offset: 0 },
			});
			expect(Date.parse(first.headers.get('date') ?? '')).toBe(BASE - 15 * 60_000);
			sim.state.shiftClock(-HOUR);
			const malop = sim.state.addMalop({ machines: 1 });
			expect(malop.creationTime).toBe(BASE - 15 * 60_000 - HOUR);
			const control = await call(sim, 'POST', '/__sim/clock', { body: { shiftMs: HOUR } });
			expect(control.json).toEqual({ now: BASE - 15 * 60_000 });
			const login = await call(sim, 'GET', '/login.html');
			expect(Date.parse(login.headers.get('date') ?? '')).toBe(BASE - 15 * 60_000);
		} finally {
			await sim.close();
		}
	});

	it('can leave the Date header out, as a console behind a proxy that strips it', async () => {
		const { sim, cookie } = await started({ dateHeader: false });
		try {
			const answer = await call(sim, 'POST', '/rest/sensors/query', {
				cookie,
				body: { limit: 1, offset: 0 },
			});
			expect(answer.headers.get('date')).toBeNull();
		} finally {
			await sim.close();
		}
	});
});
