/**
 * What triggered an evaluation, in words a report can show: what ran and
 * which async call to write instead.
 */
export interface EvaluationDescription {
  /** e.g. `await`, `for…of`, `lazy foreign key`, `getSync`. */
  readonly trigger: string;
  /** e.g. `SelectQuery<Tweet>`, `Tweet.user`. */
  readonly target: string;
  /** The async alternative, e.g. `await tweet.load('user')`. */
  readonly alternative?: string | undefined;
}

export function describe(trigger: string, target: string, alternative?: string): EvaluationDescription {
  return { trigger, target, alternative };
}
