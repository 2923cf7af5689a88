/** A pipeline failure with a one-line reason naming the file (and line); printed without a stack. */
export class PipelineError extends Error {}
