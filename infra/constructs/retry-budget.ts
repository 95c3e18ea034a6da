// How long a nightly run may take at worst: every step used all its attempts, each up to its
// timeout, with the waits between them. The run's own timeout is computed from it, so that
// a run is never cut short while a step is still inside its retry budget.
import { Duration } from 'aws-cdk-lib';

export interface StepRetry {
  /** Retries after the first attempt. */
  maxAttempts: number;
  /** Wait before the first retry; each next wait is the previous one times backoffRate. */
  interval: Duration;
  backoffRate: number;
}

export interface StepLimit {
  /** Longest one attempt may run (the task's timeout). */
  attemptTimeout: Duration;
  retry?: StepRetry;
}

/** Worst-case seconds of one step: all attempts time out, all waits are waited. */
export function stepBudgetSeconds(step: StepLimit): number {
  const retries = step.retry?.maxAttempts ?? 0;
  let waits = 0;
  for (let k = 0; k < retries; k++) {
    waits += step.retry!.interval.toSeconds() * step.retry!.backoffRate ** k;
  }
  return (retries + 1) * step.attemptTimeout.toSeconds() + waits;
}

/** Worst-case duration of steps run one after the other. */
export function retryBudget(steps: readonly StepLimit[]): Duration {
  return Duration.seconds(Math.ceil(steps.reduce((sum, step) => sum + stepBudgetSeconds(step), 0)));
}

/** Slack between the budget and the run timeout (state transitions, cold starts). */
export const RUN_TIMEOUT_MARGIN = Duration.minutes(15);

export function runTimeout(steps: readonly StepLimit[]): Duration {
  return Duration.seconds(retryBudget(steps).toSeconds() + RUN_TIMEOUT_MARGIN.toSeconds());
}
