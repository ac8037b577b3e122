/** Words of PromQL that are not metric names (functions are told apart by their parenthesis). */
const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
]);

/**
 * The metric names a PromQL expression selects: what remains once strings, label matchers,
 * grouping label lists and range selectors are taken out, that is neither a function (a
 * name followed by `(`), a keyword nor part of a number.
 */
export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ');
  const names: string[] = [];
  for (const match of stripped.matchAll(/(?<![\w.])[a-zA-Z_:][a-zA-Z0-9_:]*/g)) {
    const rest = stripped.slice(match.index + match[0].length).trimStart();
    if (rest.startsWith('(') || KEYWORDS.has(match[0].toLowerCase())) continue;
    names.push(match[0]);
  }
  return names;
}

/** Whether the parentheses, braces and brackets of an expression pair up. */
export function balanced(expr: string): boolean {
  const open = '({[';
  const close = ')}]';
  const stack: string[] = [];
  for (const c of expr.replace(/"(?:[^"\\]|\\.)*"/g, '""')) {
    if (open.includes(c)) stack.push(c);
    else if (close.includes(c) && stack.pop() !== open[close.indexOf(c)]) return false;
  }
  return stack.length === 0;
}
