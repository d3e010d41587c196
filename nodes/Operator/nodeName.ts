/**
 * The Operator Panel node's `description.name`. The trigger matches downstream nodes on it, so
 * both read it from here and cannot drift apart.
 */
export const OPERATOR_NODE_NAME = 'operator';
