// Engine.run without the harness's own JSON.stringify of the whole run: that serialisation is the test harness's
// (n8n persists executions afterwards, outside the node's time), so it is left out of what the benchmark times.
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	INodeExecutionData,
	IRun,
	IRunExecutionData,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';
import { createRunExecutionData } from 'n8n-workflow';

import type { Engine, WorkflowSpec } from '../scripts/lib/engine';

let counter = 0;

export async function execute(engine: Engine, spec: WorkflowSpec): Promise<IRun> {
	const workflow = engine.buildWorkflow(spec);
	const executionId = `bench-${++counter}`;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, {
		id: workflow.id,
		name: workflow.name,
		nodes: Object.values(workflow.nodes),
		connections: workflow.connectionsBySourceNode,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	const done = new Promise<IRun>((resolve) => {
		hooks.addHandler('workflowExecuteAfter', (run: IRun) => resolve(run));
	});
	const start = workflow.getNode(spec.start ?? spec.nodes[0].name)!;
	const data: IRunExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{
					node: start,
					data: { main: [(spec.input ?? [{}]).map((json) => ({ json }))] },
					source: null,
				},
			],
		},
	});
	// The harness keeps additionalData private; the benchmark needs the very same object.
	const additional = (
		engine as unknown as {
			additionalData(hooks: ExecutionLifecycleHooks, id: string): IWorkflowExecuteAdditionalData;
		}
	).additionalData(hooks, executionId);
	await new WorkflowExecute(additional, 'manual', data).processRunExecutionData(workflow);
	return await done;
}

export function outputOf(run: IRun, nodeName: string): INodeExecutionData[] {
	const runs = run.data.resultData.runData[nodeName];
	return runs?.[runs.length - 1]?.data?.main?.[0] ?? [];
}
