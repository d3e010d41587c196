import type { IDataObject, INodeExecutionData, IWebhookFunctions } from 'n8n-workflow';

import type { ZodTypeAny } from '../../shared/vendor';
import type { UploadedFile } from '../../shared/webhook';
import type { AnswerOperation } from '../answerRoute';

/** One kind of call the panel makes to the site; each has its own webhook URL. */
export interface OperatorEvent {
	value: string;
	name: string;
	description: string;
	/** Set when the panel waits for the site's answer: the operation that builds and checks it. */
	answeredBy?: AnswerOperation;
	/** The fields of the call, checked before any execution starts. */
	schema: ZodTypeAny;
	toItem(context: IWebhookFunctions, fields: IDataObject, files: Record<string, UploadedFile>): Promise<INodeExecutionData>;
}
