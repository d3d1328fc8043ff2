/** @deadbolt/runtime/trace: tracing for the debug adapter. */
export { installTracer, type Tracer, type WaitKind } from './hooks.js';
