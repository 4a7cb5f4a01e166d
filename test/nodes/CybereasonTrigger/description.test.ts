// The trigger's actions in n8n's nodes panel. The panel takes the option of the trigger's "Trigger On" (or
// "Event") parameter and names it by its `action`, or else "On " + its name in lower case ("On new malop machine").
import type { INodePropertyOptions } from 'n8n-workflow';

import { CybereasonTrigger } from '../../../nodes/CybereasonTrigger/CybereasonTrigger.node';

const { description } = new CybereasonTrigger();

/** The nodes panel's names for a trigger's actions (n8n editor-ui, actionsParser triggersCategory). */
function panelActions(): string[] {
	const event = description.properties.find((p) =>
		['event', 'events', 'trigger on'].includes(p.displayName.toLowerCase()),
	)!;
	return (event.options as INodePropertyOptions[]).map(
		(option) => option.action ?? `On ${option.name.toLowerCase()}`,
	);
}

it('names its actions in the nodes panel with Malop capitalised', () => {
	expect(panelActions()).toEqual(['On new Malop machine', 'On Malop updated']);
});
