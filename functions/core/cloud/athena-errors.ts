// Athena's failures, sorted by whether trying again can help. A query Athena refused because
// of the query itself (a SQL error, an unknown column, the bytes-scanned cutoff) fails the
// same way every time: its error carries a name the state machine does not retry
// (infra/constructs/nightly-pipeline.ts). Anything else (throttling, an internal error, a
// timeout) may pass on a later attempt.
import type { AthenaError } from '@aws-sdk/client-athena';

/** Error name of a query that cannot succeed by retrying. */
export const QUERY_REFUSED_ERROR = 'AthenaQueryRefusedError';
/** Error name of a query that failed for a reason that may pass. */
export const QUERY_FAILED_ERROR = 'AthenaQueryError';

/** Athena's ErrorCategory: 1 system, 2 user, 3 other. */
const USER_ERROR_CATEGORY = 2;

/** Reasons that name the query itself, also when Athena gives no category. */
const USER_ERROR_REASON =
  /\b(SYNTAX_ERROR|COLUMN_NOT_FOUND|TABLE_NOT_FOUND|FUNCTION_NOT_FOUND|TYPE_MISMATCH|INVALID_FUNCTION_ARGUMENT|NOT_SUPPORTED|mismatched input)\b|bytes scanned limit/i;

/** Can the same query succeed if run again? Athena's own verdict first, then the reason. */
export function isRetryable(reason: string, error?: AthenaError): boolean {
  if (error?.ErrorCategory === USER_ERROR_CATEGORY || error?.Retryable === false) return false;
  return !USER_ERROR_REASON.test(reason);
}

export class AthenaQueryError extends Error {
  readonly queryName: string;
  readonly queryExecutionId: string;
  readonly state: string;
  readonly reason: string;
  readonly retryable: boolean;
  constructor(queryName: string, queryExecutionId: string, state: string, reason: string, retryable = true) {
    super(`Athena query "${queryName}" ${state} (${queryExecutionId}): ${reason}`);
    this.name = retryable ? QUERY_FAILED_ERROR : QUERY_REFUSED_ERROR;
    this.queryName = queryName;
    this.queryExecutionId = queryExecutionId;
    this.state = state;
    this.reason = reason;
    this.retryable = retryable;
  }
}
