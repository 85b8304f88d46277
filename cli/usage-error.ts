/** A mistake in how the command was called: reported in one line, exit status 2. */
export class UsageError extends Error {}

/** A problem with the user's files or environment (not a diagnostic in a recipe): exit status 1. */
export class CommandError extends Error {}
