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
