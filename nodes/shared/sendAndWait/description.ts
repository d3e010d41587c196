import type { INodeProperties } from 'n8n-workflow';

/**
 * The fields every "Send and Wait for Response" operation shows after its own (recipient, message):
 * how the person answers, and how long the execution waits. Names follow n8n's own nodes, so a
 * workflow reads the same with this package as with n8n's Slack or Telegram node.
 */

type Show = { show: Record<string, string[]> };

const withResponse = (show: Show, responseType: string): Show => ({ show: { ...show.show, responseType: [responseType] } });

export const FIELD_TYPES = [
	{ name: 'Text', value: 'text' },
	{ name: 'Long Text', value: 'textarea' },
	{ name: 'Number', value: 'number' },
	{ name: 'Email', value: 'email' },
	{ name: 'Date', value: 'date' },
	{ name: 'Dropdown', value: 'dropdown' },
];

export function sendAndWaitFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Response Type',
			name: 'responseType',
			type: 'options',
			options: [
				{ name: 'Approval', value: 'approval', description: 'Links to approve (and to decline), each confirmed with one button' },
				{ name: 'Free Text', value: 'freeText', description: 'A link to a page with a text box' },
				// Not n8n's own value 'customForm': n8n 2.41 expects n8n's multipart form for that one.
				{ name: 'Custom Form', value: 'form', description: 'A link to a page with the form fields defined below' },
			],
			default: 'approval',
			displayOptions: show,
		},
		{
			displayName: 'Approval Options',
			name: 'approvalOptions',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: withResponse(show, 'approval'),
			options: [
				{
					displayName: 'Type of Approval',
					name: 'approvalType',
					type: 'options',
					options: [
						{ name: 'Approve Only', value: 'single' },
						{ name: 'Approve and Decline', value: 'double' },
					],
					default: 'double',
				},
				{ displayName: 'Approve Label', name: 'approveLabel', type: 'string', default: 'Approve' },
				{ displayName: 'Decline Label', name: 'declineLabel', type: 'string', default: 'Decline', description: 'Used with "Approve and Decline"' },
			],
		},
		{
			displayName: 'Form Fields',
			name: 'formFields',
			type: 'fixedCollection',
			placeholder: 'Add form field',
			typeOptions: { multipleValues: true, sortable: true },
			default: {},
			displayOptions: withResponse(show, 'form'),
			options: [
				{
					displayName: 'Field',
					name: 'values',
					values: [
						{ displayName: 'Field Label', name: 'fieldLabel', type: 'string', default: '', required: true, placeholder: 'e.g. Amount to refund', description: 'Shown on the form, and the key of the answer in the output' },
						{ displayName: 'Field Type', name: 'fieldType', type: 'options', options: FIELD_TYPES, default: 'text' },
						{
							displayName: 'Choices',
							name: 'choices',
							type: 'string',
							default: '',
							placeholder: 'e.g. Full refund, Half refund, No refund',
							description: 'The dropdown\'s choices, separated by commas',
							displayOptions: { show: { fieldType: ['dropdown'] } },
						},
						{ displayName: 'Required Field', name: 'requiredField', type: 'boolean', default: false, description: 'Whether the form refuses an answer without this field' },
					],
				},
			],
		},
		{
			displayName: 'Options',
			name: 'waitOptions',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: show,
			options: [
				{
					displayName: 'Answer Link Label',
					name: 'linkLabel',
					type: 'string',
					default: 'Answer here',
					description: 'The text before the link to the Free Text or Custom Form page',
				},
				{
					displayName: 'Append N8n Attribution',
					name: 'appendAttribution',
					type: 'boolean',
					default: true,
					description: 'Whether to end the message with "This message was sent automatically with n8n"',
				},
				{
					displayName: 'Limit Wait Time',
					name: 'limitWaitTime',
					type: 'fixedCollection',
					default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
					description: 'Go on without an answer after an interval or at a date: the node then outputs {timedOut: true}',
					options: [
						{
							displayName: 'Values',
							name: 'values',
							values: [
								{
									displayName: 'Limit Type',
									name: 'limitType',
									type: 'options',
									options: [
										{ name: 'After Time Interval', value: 'afterTimeInterval' },
										{ name: 'At Specified Time', value: 'atSpecifiedTime' },
									],
									default: 'afterTimeInterval',
								},
								{
									displayName: 'Amount',
									name: 'resumeAmount',
									type: 'number',
									typeOptions: { minValue: 1, numberPrecision: 2 },
									default: 45,
									displayOptions: { show: { limitType: ['afterTimeInterval'] } },
								},
								{
									displayName: 'Unit',
									name: 'resumeUnit',
									type: 'options',
									options: [
										{ name: 'Minutes', value: 'minutes' },
										{ name: 'Hours', value: 'hours' },
										{ name: 'Days', value: 'days' },
									],
									default: 'minutes',
									displayOptions: { show: { limitType: ['afterTimeInterval'] } },
								},
								{
									displayName: 'Max Date and Time',
									name: 'maxDateAndTime',
									type: 'dateTime',
									default: '',
									description: 'Go on without an answer at this date and time',
									displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
								},
							],
						},
					],
				},
			],
		},
	];
}
