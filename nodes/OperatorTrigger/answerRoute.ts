import type { IWebhookFunctions, NodeTypeAndVersion } from 'n8n-workflow';

import { OPERATOR_NODE_NAME, type PanelAnswerOperation } from '../Operator/panelAnswer';

/**
 * Only the Operator Panel answer node checks the shape the panel expects. n8n itself sends the
 * last node's first item ("When Last Node Finishes") or whatever a Respond to Webhook node gets,
 * unchecked. So before a request event starts a run, the workflow must be wired so that nothing
 * but the matching answer node can answer.
 */

export type RespondMode = 'lastNode' | 'responseNode';

/** The Operator Panel operation that answers one request event. */
export interface AnswerOperation {
	operation: PanelAnswerOperation;
	/** As the user finds it in the editor, for messages. */
	label: string;
}

const RESPOND_TO_WEBHOOK_TYPE = 'n8n-nodes-base.respondToWebhook';

/** The package prefix of a type differs between installations (and tests), the node name does not. */
function isOperatorPanelNode(node: NodeTypeAndVersion): boolean {
	return node.type.slice(node.type.lastIndexOf('.') + 1) === OPERATOR_NODE_NAME;
}

/** The answer operation a node performs, or undefined when it does not answer the panel. */
function answerOperationOf(node: NodeTypeAndVersion): string | undefined {
	if (!isOperatorPanelNode(node) || node.parameters?.resource !== 'panelRequest') return undefined;
	return String(node.parameters.operation);
}

/**
 * What to change in the workflow so that the answer can only leave checked; undefined when it is
 * wired right. Looks at the graph only, so it runs before any execution starts.
 */
export function answerRouteProblem(context: IWebhookFunctions, mode: RespondMode, answer: AnswerOperation): string | undefined {
	const downstream = context.getChildNodes(context.getNode().name, { includeNodeParameters: true });
	// A disabled node neither answers nor checks: n8n passes its input straight through.
	const active = downstream.filter((node) => !node.disabled);
	const answersThisEvent = (node: NodeTypeAndVersion) => !node.disabled && answerOperationOf(node) === answer.operation;

	// Another answer operation would send its own shape with a 200, wrong for this request.
	const otherAnswer = active.find((node) => {
		const operation = answerOperationOf(node);
		return operation !== undefined && operation !== answer.operation;
	});
	if (otherAnswer) return `"${otherAnswer.name}" answers a different panel request; use ${answer.label} instead`;

	if (mode === 'responseNode') {
		const respondNode = active.find((node) => node.type === RESPOND_TO_WEBHOOK_TYPE);
		if (respondNode) {
			return `"${respondNode.name}" (Respond to Webhook) would send an unchecked answer; replace it with ${answer.label}`;
		}
		if (!active.some(answersThisEvent)) return `nothing answers the panel; add ${answer.label} after the trigger`;
		return undefined;
	}

	// "When Last Node Finishes" answers with whichever branch ends last, so every branch must end checked.
	const leaves = downstream.filter((node) => context.getChildNodes(node.name).length === 0);
	if (leaves.length === 0) return `the workflow ends at the trigger; end every branch with ${answer.label}`;
	const uncheckedEnd = leaves.find((node) => !answersThisEvent(node));
	if (uncheckedEnd) {
		const state = uncheckedEnd.disabled ? 'the disabled node' : 'the node';
		return `a branch ends with ${state} "${uncheckedEnd.name}", whose output would reach the panel unchecked; end every branch with ${answer.label}`;
	}
	return undefined;
}
