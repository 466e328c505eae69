import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_RULES } from './builtin-rules';
import { loadRuleSet } from './rule-set';

const dir = mkdtempSync(join(tmpdir(), 'alert-rules-'));
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadRuleSet', () => {
  it('gives every built-in rule when no file is set, all valid', () => {
    expect(loadRuleSet(undefined).map((r) => r.name)).toEqual(BUILTIN_RULES.map((r) => r.name));
  });

  it('adds file rules, replaces a built-in one of the same name and drops disabled ones (YAML)', () => {
    const path = file(
      'rules.yaml',
      [
        'disable: [zookeeper-mntr-unavailable]',
        'rules:',
        '  - name: kafka-consumer-group-lag-seconds',
        '    metric: kafka_consumer_group_max_lag_seconds',
        '    labels: { group: "payments-*" }',
        '    op: ">"',
        '    threshold: 60',
        '    for: 30s',
        '    severity: critical',
        '    message: "{{group}} is {{value}} s behind"',
      ].join('\n'),
    );
    const rules = loadRuleSet(path);
    expect(rules.find((r) => r.name === 'zookeeper-mntr-unavailable')).toBeUndefined();
    expect(rules.filter((r) => r.name === 'kafka-consumer-group-lag-seconds')).toEqual([
      expect.objectContaining({ threshold: 60, for: 30000, labels: { group: 'payments-*' }, severity: 'critical', clearFor: 15000 }),
    ]);
    expect(rules).toHaveLength(BUILTIN_RULES.length - 1);
  });

  it.each([
    ['a bad duration', '[{"name":"slow","metric":"m","op":">","threshold":1,"for":"3 minutes","severity":"warning","message":"x"}]', /rules\[0\] \(slow\): for: expected a duration like 30s, 5m or 2h/],
    ['an unknown field', '[{"name":"slow","metric":"m","op":">","threshold":1,"severity":"warning","message":"x","treshold":2}]', /rules\[0\] \(slow\): rule: Unrecognized key: \\"treshold\\"/],
    ['a missing severity', '[{"name":"ok","metric":"m","op":">","threshold":1,"message":"x"},{"name":"second","metric":"m","op":">","threshold":1,"message":"x"}]', /rules\[0\] \(ok\): severity:/],
    ['an unknown comparison', '[{"name":"cmp","metric":"m","op":"=>","threshold":1,"severity":"info","message":"x"}]', /rules\[0\] \(cmp\): op:/],
    ['a predicted rule without a horizon', '[{"name":"disk","metric":"m","input":"predicted","window":"1h","op":"<","threshold":0,"severity":"info","message":"x"}]', /rules\[0\] \(disk\): horizon: is required when input is predicted/],
    ['a clear threshold on the wrong side', '[{"name":"idle","metric":"m","op":"<","threshold":0.3,"clearThreshold":0.2,"severity":"info","message":"x"}]', /clearThreshold: must lie on the healthy side/],
  ])('stops on %s, naming the file, the rule and the field', (_what, rules, message) => {
    const path = file('bad.json', `{"rules":${rules}}`);
    expect(() => loadRuleSet(path)).toThrow(message);
    expect(() => loadRuleSet(path)).toThrow(/^ALERT_RULES_FILE is invalid: .*bad\.json/);
  });

  it('stops on a file that is missing, not YAML, or disables a rule that does not exist', () => {
    expect(() => loadRuleSet(join(dir, 'nope.yaml'))).toThrow(/ALERT_RULES_FILE is invalid: expected a readable YAML or JSON rules file \(reading it failed: ENOENT\), got ".*nope.yaml"/);
    expect(() => loadRuleSet(file('broken.yaml', 'rules: [ {name: x'))).toThrow(/expected a valid YAML file/);
    expect(() => loadRuleSet(file('disable.yaml', 'disable: [kafka-brokr-down]'))).toThrow(/disable: names of built-in rules .*kafka-brokr-down/);
    expect(() => loadRuleSet(file('dup.yaml', 'rules:\n' + '  - {name: a, metric: m, op: ">", threshold: 1, severity: info, message: x}\n'.repeat(2)))).toThrow(/a appears twice/);
  });
});
