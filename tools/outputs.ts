/**
 * The structured error outputs the model receives when a call cannot produce a normal result.
 * One shape for every failure, so a model (and a human reading a transcript) can tell what
 * happened: `{ "error": { "type": …, "message": …, … } }`.
 */

export type ToolErrorType =
  | 'unknown_tool'
  | 'invalid_arguments'
  | 'tool_error'
  | 'timeout'
  | 'cancelled'
  | 'rejected';

export interface ToolErrorOutput {
  error: {
    type: ToolErrorType;
    message: string;
    /** For `invalid_arguments` from the schema: which fields and why. */
    issues?: Array<{ path: string; message: string }>;
  };
}

export function toolErrorOutput(type: ToolErrorType, message: string, issues?: ToolErrorOutput['error']['issues']): ToolErrorOutput {
  return issues && issues.length > 0 ? { error: { type, message, issues } } : { error: { type, message } };
}

/** Thrown by the call-preparation step; carries the output the model should see. */
export class ToolCallRejected extends Error {
  constructor(readonly output: ToolErrorOutput) {
    super(output.error.message);
    this.name = 'ToolCallRejected';
  }
}
