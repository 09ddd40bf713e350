// The one table from canonical training roles to the metric names trainers log. Names are kept unchanged at
// ingest (docs/contract.md); analytics look them up here. Within a role, earlier names win when a run logs
// several. Sources (read 2026-11): TRL docs "Logging" and "PPO Trainer" (PPO v2: objective/*, loss/*, policy/*,
// val/*, lr, eps), TRL <= 0.11 "Logging" (PPO v1: env/reward_mean, ppo/mean_scores, ppo/loss/*, ppo/policy/*,
// tokens/*), TRL DPO/KTO/GRPO/Reward trainers (log_history keys of their trainer_state.json: rewards/*, logps/*,
// kl, reward, reward_std, entropy, completions/mean_length, completion_length, clip_ratio, accuracy),
// OpenRLHF (wandb keys are "train/" + the status dict of ppo_actor/ppo_critic: policy_loss, kl, reward, return,
// response_length, actor_lr, critic_loss, entropy_loss, ppo_clip_ratio; eval keys start "eval/"),
// veRL (metric_utils.compute_data_metrics and the actor/critic workers: actor/entropy, actor/kl_loss,
// actor/pg_loss, actor/pg_clipfrac, actor/reward_kl_penalty, critic/score/mean, critic/rewards/mean,
// critic/vf_loss, response_length/mean).

export type Role =
  | 'reward'
  | 'score'
  | 'kl'
  | 'entropy'
  | 'value_loss'
  | 'policy_loss'
  | 'loss'
  | 'response_length'
  | 'accuracy'
  | 'reward_margin'
  | 'clip_fraction'
  | 'learning_rate'
  | 'grad_norm'
  | 'throughput'
  | 'max_steps';

export type Framework =
  'trl-ppo-v1' | 'trl-ppo-v2' | 'trl-dpo' | 'trl-grpo' | 'trl-kto' | 'trl-reward' | 'openrlhf' | 'verl' | 'generic';

export interface MetricName {
  name: string;
  frameworks: Framework[];
}

const n = (name: string, ...frameworks: Framework[]): MetricName => ({ name, frameworks });

export const METRIC_NAMES: Record<Role, MetricName[]> = {
  // The reward the policy is optimised for (for PPO v2 the RLHF reward = score − β·KL).
  reward: [
    n('objective/rlhf_reward', 'trl-ppo-v2'),
    n('env/reward_mean', 'trl-ppo-v1'),
    n('ppo/mean_scores', 'trl-ppo-v1'),
    n('reward', 'trl-grpo'),
    n('train/reward', 'openrlhf'),
    n('critic/rewards/mean', 'verl'),
    n('critic/score/mean', 'verl'),
    n('objective/scores', 'trl-ppo-v2'),
  ],
  // The raw reward-model score (what a hacked reward model inflates).
  score: [
    n('objective/scores', 'trl-ppo-v2'),
    n('ppo/mean_scores', 'trl-ppo-v1'),
    n('env/reward_mean', 'trl-ppo-v1'),
    n('critic/score/mean', 'verl'),
    n('reward', 'trl-grpo'),
    n('train/reward', 'openrlhf'),
  ],
  // KL(policy || reference).
  kl: [
    n('objective/kl', 'trl-ppo-v1', 'trl-ppo-v2'),
    n('kl', 'trl-grpo', 'trl-kto'),
    n('train/kl', 'openrlhf', 'trl-kto'),
    n('actor/kl_loss', 'verl'),
    n('actor/reward_kl_penalty', 'verl'),
  ],
  entropy: [
    n('objective/entropy', 'trl-ppo-v1', 'trl-ppo-v2'),
    n('policy/entropy_avg', 'trl-ppo-v2'),
    n('ppo/policy/entropy', 'trl-ppo-v1'),
    n('entropy', 'trl-grpo'),
    n('actor/entropy', 'verl'),
    n('train/entropy_loss', 'openrlhf'),
  ],
  value_loss: [
    n('loss/value_avg', 'trl-ppo-v2'),
    n('ppo/loss/value', 'trl-ppo-v1'),
    n('critic/vf_loss', 'verl'),
    n('train/critic_loss', 'openrlhf'),
  ],
  policy_loss: [
    n('loss/policy_avg', 'trl-ppo-v2'),
    n('ppo/loss/policy', 'trl-ppo-v1'),
    n('actor/pg_loss', 'verl'),
    n('train/policy_loss', 'openrlhf'),
  ],
  loss: [
    n('loss', 'trl-dpo', 'trl-grpo', 'trl-kto', 'trl-reward', 'generic'),
    n('ppo/loss/total', 'trl-ppo-v1'),
    n('train/loss', 'openrlhf'),
    n('train/gpt_loss', 'openrlhf'),
  ],
  response_length: [
    n('completions/mean_length', 'trl-grpo'),
    n('completion_length', 'trl-grpo'),
    n('tokens/responses_len_mean', 'trl-ppo-v1'),
    n('response_length/mean', 'verl'),
    n('train/response_length', 'openrlhf'),
  ],
  accuracy: [
    n('rewards/accuracies', 'trl-dpo'),
    n('accuracy', 'trl-reward'),
    n('eval/accuracy', 'generic'),
    n('eval_accuracy', 'trl-reward'),
    n('train/acc', 'openrlhf'),
  ],
  reward_margin: [
    n('rewards/margins', 'trl-dpo', 'trl-kto'),
    n('train/rewards/margins', 'trl-kto'),
    n('margin', 'trl-reward'),
  ],
  clip_fraction: [
    n('policy/clipfrac_avg', 'trl-ppo-v2'),
    n('ppo/policy/clipfrac', 'trl-ppo-v1'),
    n('clip_ratio', 'trl-grpo'),
    n('clip_ratio/region_mean', 'trl-grpo'),
    n('actor/pg_clipfrac', 'verl'),
    n('train/ppo_clip_ratio', 'openrlhf'),
  ],
  learning_rate: [
    n('lr', 'trl-ppo-v2'),
    n('learning_rate', 'trl-dpo', 'trl-grpo', 'trl-kto', 'trl-reward', 'generic'),
    n('train/actor_lr', 'openrlhf'),
    n('actor/lr', 'verl'),
  ],
  grad_norm: [n('grad_norm', 'generic'), n('actor/grad_norm', 'verl')],
  throughput: [n('tokens_per_second', 'generic'), n('eps', 'trl-ppo-v2')],
  max_steps: [n('max_steps', 'generic'), n('training/max_steps', 'verl')],
};

export const ROLES = Object.keys(METRIC_NAMES) as Role[];

/** The name a run uses for a role: the first table entry present among the run's metric names. */
export function resolveRole(role: Role, available: Iterable<string>): string | undefined {
  const have = available instanceof Set ? (available as Set<string>) : new Set(available);
  return METRIC_NAMES[role].find((m) => have.has(m.name))?.name;
}

/** Every role a metric name plays (a name can serve two, e.g. GRPO's `reward` is both reward and score). */
export function rolesOf(name: string): Role[] {
  return ROLES.filter((r) => METRIC_NAMES[r].some((m) => m.name === name));
}

/** The framework whose names a run's metrics match best (ties: table order), or 'generic'. */
export function detectFramework(available: Iterable<string>): Framework {
  const have = new Set(available);
  const score = new Map<Framework, number>();
  for (const role of ROLES) {
    for (const m of METRIC_NAMES[role]) {
      if (have.has(m.name)) {
        for (const f of m.frameworks) {
          if (f !== 'generic') {
            score.set(f, (score.get(f) ?? 0) + 1);
          }
        }
      }
    }
  }
  let best: Framework = 'generic';
  let top = 0;
  for (const [f, s] of score) {
    if (s > top) {
      best = f;
      top = s;
    }
  }
  return best;
}
