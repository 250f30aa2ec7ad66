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
export {
  createEmbeddingTestModel,
  createTransitionCoverage,
  listTransitions,
  sessionParentEvents,
  driveScriptedSession,
  serializeStateWith,
  sessionStimuli,
  serializeSessionState,
  sessionInvariants,
  createSessionDriver,
  ToolGates,
  toolDoneEvent,
  settle,
} from './testing/model-based.js';
export type {
  TransitionInfo,
  TransitionCoverage,
  ModelTool,
  SessionStimuliOptions,
  SessionDriverOptions,
} from './testing/model-based.js';
