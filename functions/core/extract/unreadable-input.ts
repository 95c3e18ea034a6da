// Raised by a reader when the input cannot be read at all (as opposed to a broken record,
// which is quarantined). The ingest turns it into ExtractUnreadableError naming the file.
export class UnreadableInputError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = 'UnreadableInputError';
    this.reason = reason;
  }
}
