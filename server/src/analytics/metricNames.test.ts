import { detectFramework, METRIC_NAMES, resolveRole, ROLES, rolesOf } from './metricNames';

describe('metric name table', () => {
  it('resolves roles for each trainer family', () => {
    const ppoV2 = [
      'objective/kl',
      'objective/entropy',
      'objective/rlhf_reward',
      'objective/scores',
      'loss/value_avg',
      'lr',
    ];
    expect(resolveRole('kl', ppoV2)).toBe('objective/kl');
    expect(resolveRole('reward', ppoV2)).toBe('objective/rlhf_reward');
    expect(resolveRole('score', ppoV2)).toBe('objective/scores');
    expect(resolveRole('entropy', ppoV2)).toBe('objective/entropy');
    expect(resolveRole('value_loss', ppoV2)).toBe('loss/value_avg');

    const ppoV1 = [
      'ppo/mean_scores',
      'objective/kl',
      'objective/entropy',
      'ppo/loss/value',
      'tokens/responses_len_mean',
    ];
    expect(resolveRole('reward', ppoV1)).toBe('ppo/mean_scores');
    expect(resolveRole('value_loss', ppoV1)).toBe('ppo/loss/value');
    expect(resolveRole('response_length', ppoV1)).toBe('tokens/responses_len_mean');

    const grpo = ['reward', 'reward_std', 'kl', 'entropy', 'completions/mean_length', 'loss'];
    expect(resolveRole('reward', grpo)).toBe('reward');
    expect(resolveRole('kl', grpo)).toBe('kl');
    expect(resolveRole('response_length', grpo)).toBe('completions/mean_length');

    const openrlhf = ['train/policy_loss', 'train/kl', 'train/reward', 'train/critic_loss', 'train/response_length'];
    expect(resolveRole('kl', openrlhf)).toBe('train/kl');
    expect(resolveRole('value_loss', openrlhf)).toBe('train/critic_loss');
    expect(resolveRole('policy_loss', openrlhf)).toBe('train/policy_loss');

    const verl = [
      'actor/entropy',
      'actor/kl_loss',
      'actor/pg_loss',
      'critic/score/mean',
      'critic/rewards/mean',
      'critic/vf_loss',
      'response_length/mean',
    ];
    expect(resolveRole('entropy', verl)).toBe('actor/entropy');
    expect(resolveRole('kl', verl)).toBe('actor/kl_loss');
    expect(resolveRole('reward', verl)).toBe('critic/rewards/mean');
    expect(resolveRole('score', verl)).toBe('critic/score/mean');
    expect(resolveRole('response_length', verl)).toBe('response_length/mean');

    const dpo = ['loss', 'rewards/accuracies', 'rewards/margins', 'rewards/chosen', 'learning_rate'];
    expect(resolveRole('accuracy', dpo)).toBe('rewards/accuracies');
    expect(resolveRole('reward_margin', dpo)).toBe('rewards/margins');
    expect(resolveRole('kl', dpo)).toBeUndefined();
  });

  it('detects the framework', () => {
    expect(detectFramework(['objective/kl', 'objective/rlhf_reward', 'loss/value_avg', 'policy/clipfrac_avg'])).toBe(
      'trl-ppo-v2'
    );
    expect(detectFramework(['actor/entropy', 'critic/score/mean'])).toBe('verl');
    expect(detectFramework(['train/kl', 'train/policy_loss', 'train/critic_loss'])).toBe('openrlhf');
    expect(detectFramework(['loss', 'rewards/accuracies', 'rewards/margins'])).toBe('trl-dpo');
    expect(detectFramework(['foo'])).toBe('generic');
  });

  it('is one consistent table', () => {
    expect(rolesOf('objective/kl')).toEqual(['kl']);
    expect(rolesOf('reward')).toEqual(['reward', 'score']);
    for (const role of ROLES) {
      const names = METRIC_NAMES[role].map((m) => m.name);
      expect(new Set(names).size).toBe(names.length); // no duplicates within a role
    }
  });
});
