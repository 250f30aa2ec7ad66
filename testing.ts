/**
 * `voxstate/testing`: what a user needs to test code built on voxstate without a network.
 */
export { createScriptedModel } from './adapters/scripted/index.js';
export type {
  ScriptedModel,
  ScriptedModelOptions,
  ScriptedResponse,
  ScriptedToolCall,
  ScriptedConnection,
} from './adapters/scripted/index.js';
export { createTransitionCoverage, listTransitions } from './testing/transition-coverage.js';
export type { TransitionInfo, TransitionCoverage } from './testing/transition-coverage.js';
export { sessionStimuli, toolDoneEvent } from './testing/session-stimuli.js';
export type { ModelTool, SessionStimuliOptions } from './testing/session-stimuli.js';
export { serializeSessionState, sessionInvariants } from './testing/session-abstraction.js';
export { createSessionDriver, ToolGates, settle } from './testing/session-driver.js';
export type { SessionDriverOptions } from './testing/session-driver.js';
export { sessionParentEvents, driveScriptedSession } from './testing/parent-events.js';
export { createEmbeddingTestModel, serializeStateWith } from './testing/embedding-model.js';
