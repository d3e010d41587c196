import { NodeOperationError, type IExecuteFunctions, type INodeExecutionData } from 'n8n-workflow';

export interface Operation {
	execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]>;
}

/** resource -> operation -> the operation module. */
export type OperationRouter = Record<string, Record<string, Operation>>;

/** Runs the operation chosen in the node's Resource and Operation parameters. */
export async function routeOperation(context: IExecuteFunctions, router: OperationRouter): Promise<INodeExecutionData[][]> {
	const resource = context.getNodeParameter('resource', 0) as string;
	const operation = context.getNodeParameter('operation', 0) as string;
	const handler = router[resource]?.[operation];
	if (!handler) {
		throw new NodeOperationError(context.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
	}
	return await handler.execute.call(context);
}
