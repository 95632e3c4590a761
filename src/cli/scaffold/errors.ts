/** A name or source `hub new-department` refuses, and why; the CLI exits 2 with the message. */
export class ScaffoldError extends Error {}
