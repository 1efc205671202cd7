/**
 * An error the user can act on (a port in use, a missing binary, a chain that does not match the data
 * folder, a child that died): its message says what and how, so no stack trace is printed with it.
 */
export class StackError extends Error {}
