import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ConfigError } from '@doflamingo/config';
import { AlertRule, alertRuleSchema } from './alert-rule';
import { BUILTIN_RULES } from './builtin-rules';

/**
 * The rules the alerter evaluates: the built-in ones, minus those the rules file disables, with
 * the file's rules added (a file rule named like a built-in one replaces it). A mistake anywhere
 * stops start-up with a ConfigError naming the file, the rule and the field.
 */
const rulesFileSchema = z
  .object({
    disable: z.array(z.string()).default([]),
    rules: z.array(z.unknown()).default([]),
  })
  .strict();

const VARIABLE = 'ALERT_RULES_FILE';

export function builtinRules(): AlertRule[] {
  return BUILTIN_RULES.map((rule) => alertRuleSchema.parse(rule));
}

export function loadRuleSet(path: string | undefined): AlertRule[] {
  if (!path) return builtinRules();
  return mergeRules(builtinRules(), parseRulesFile(readRulesFile(path), path));
}

function readRulesFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(VARIABLE, `a readable YAML or JSON rules file (reading it failed: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, path);
  }
  try {
    return extname(path) === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(VARIABLE, `a valid ${extname(path) === '.json' ? 'JSON' : 'YAML'} file`, `${path}: ${(error as Error).message.split('\n')[0]}`);
  }
}

export interface ParsedRulesFile {
  disable: string[];
  rules: AlertRule[];
}

export function parseRulesFile(content: unknown, path: string): ParsedRulesFile {
  const file = rulesFileSchema.safeParse(content ?? {});
  if (!file.success) {
    const issue = file.error.issues[0];
    throw new ConfigError(VARIABLE, 'a file with `rules:` (a list) and optionally `disable:` (names of built-in rules)', `${path}: ${issue.path.join('.') || 'top level'}: ${issue.message}`);
  }
  const known = new Set(BUILTIN_RULES.map((rule) => rule.name));
  for (const name of file.data.disable) {
    if (!known.has(name)) throw new ConfigError(VARIABLE, `disable: names of built-in rules (${[...known].join(', ')})`, `${path}: ${name}`);
  }
  const rules = file.data.rules.map((raw, index) => {
    const parsed = alertRuleSchema.safeParse(raw);
    if (parsed.success) return parsed.data;
    const name = typeof raw === 'object' && raw !== null && typeof (raw as { name?: unknown }).name === 'string' ? ` (${(raw as { name: string }).name})` : '';
    const details = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'rule'}: ${issue.message}`).join('; ');
    throw new ConfigError(VARIABLE, 'valid rules (see docs/alerts.md)', `${path}: rules[${index}]${name}: ${details}`);
  });
  const names = rules.map((rule) => rule.name);
  const duplicate = names.find((name, index) => names.indexOf(name) !== index);
  if (duplicate) throw new ConfigError(VARIABLE, 'rules with unique names', `${path}: ${duplicate} appears twice`);
  return { disable: file.data.disable, rules };
}

export function mergeRules(builtins: AlertRule[], file: ParsedRulesFile): AlertRule[] {
  const replaced = new Set(file.rules.map((rule) => rule.name));
  const disabled = new Set(file.disable);
  return [...builtins.filter((rule) => !replaced.has(rule.name) && !disabled.has(rule.name)), ...file.rules];
}
