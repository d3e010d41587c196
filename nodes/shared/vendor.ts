// The single import point for undici and zod. The build bundles this file once into
// dist/nodes/shared/vendor.js, so every node shares one copy and the package has no runtime
// dependencies.
export { Agent, EnvHttpProxyAgent, FormData } from 'undici';
export type { Dispatcher } from 'undici';
export { z, ZodError } from 'zod';
export type { ZodIssue, ZodType, ZodTypeAny } from 'zod';
