/** Nest token of the RuleEngine the alerter module builds from the rule set at start-up. */
export const RULE_ENGINE = Symbol('RULE_ENGINE');
