/** The public import path of the session chart, which lives in machines/session/session.machine.ts. */
export { realtimeSessionMachine, type RealtimeSessionMachine } from './session/session.machine.js';
