// The System Log's `filter` parameter: SCIM-style expressions over event fields, e.g.
//   (eventType eq "user.lifecycle.deactivate" or eventType eq "user.lifecycle.suspend") and target.id eq "00u1"
// Operators eq, ne, co, sw, ew, gt, ge, lt, le, pr; `and` binds tighter than `or`; parentheses; `not (…)`.
// A `target.*` attribute matches when any target matches, as in Okta.
import { OktaSandboxError } from './errors.js';

export interface FilterableEvent {
  uuid: string;
  published: string;
  eventType: string;
  severity: string;
  displayMessage: string;
  actor: { id: string; type: string; alternateId: string; displayName: string };
  target: readonly { id: string; type: string; alternateId: string; displayName: string }[];
  outcome: { result: string };
  transaction: { id: string; type: string };
}

export type LogFilter = (event: FilterableEvent) => boolean;

const OPERATORS = new Set(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

const ATTRIBUTES: Record<string, (event: FilterableEvent) => readonly string[]> = {
  uuid: (e) => [e.uuid],
  published: (e) => [e.published],
  eventType: (e) => [e.eventType],
  severity: (e) => [e.severity],
  displayMessage: (e) => [e.displayMessage],
  'actor.id': (e) => [e.actor.id],
  'actor.type': (e) => [e.actor.type],
  'actor.alternateId': (e) => [e.actor.alternateId],
  'actor.displayName': (e) => [e.actor.displayName],
  'target.id': (e) => e.target.map((t) => t.id),
  'target.type': (e) => e.target.map((t) => t.type),
  'target.alternateId': (e) => e.target.map((t) => t.alternateId),
  'target.displayName': (e) => e.target.map((t) => t.displayName),
  'outcome.result': (e) => [e.outcome.result],
  'transaction.id': (e) => [e.transaction.id],
  'transaction.type': (e) => [e.transaction.type],
};

type Token = { kind: 'word'; text: string } | { kind: 'string'; text: string } | { kind: '(' } | { kind: ')' };

/** Parses a filter expression; a syntax error or an unknown attribute is Okta's 400 E0000031. */
export function parseLogFilter(expression: string): LogFilter {
  const tokens = tokenize(expression);
  let position = 0;
  const peek = (): Token | undefined => tokens[position];
  const word = (token: Token | undefined): string | undefined => (token?.kind === 'word' ? token.text.toLowerCase() : undefined);

  const parseOr = (): LogFilter => {
    const terms = [parseAnd()];
    while (word(peek()) === 'or') {
      position += 1;
      terms.push(parseAnd());
    }
    return terms.length === 1 ? (terms[0] as LogFilter) : (event) => terms.some((term) => term(event));
  };
  const parseAnd = (): LogFilter => {
    const factors = [parseFactor()];
    while (word(peek()) === 'and') {
      position += 1;
      factors.push(parseFactor());
    }
    return factors.length === 1 ? (factors[0] as LogFilter) : (event) => factors.every((factor) => factor(event));
  };
  const parseFactor = (): LogFilter => {
    const token = peek();
    if (token === undefined) throw invalid();
    if (token.kind === '(') {
      position += 1;
      const inner = parseOr();
      if (peek()?.kind !== ')') throw invalid();
      position += 1;
      return inner;
    }
    if (word(token) === 'not' && tokens[position + 1]?.kind === '(') {
      position += 1;
      const inner = parseFactor();
      return (event) => !inner(event);
    }
    if (token.kind !== 'word') throw invalid();
    const read = ATTRIBUTES[token.text];
    if (read === undefined) throw invalid();
    position += 1;
    const operator = word(peek());
    if (operator === undefined) throw invalid();
    position += 1;
    if (operator === 'pr') return (event) => read(event).some((value) => value !== '');
    if (!OPERATORS.has(operator)) throw invalid();
    const operand = peek();
    if (operand?.kind !== 'string') throw invalid();
    position += 1;
    const expected = operand.text;
    const test = comparison(operator, expected);
    // ne holds when no value equals the operand; the others when any value satisfies them.
    return operator === 'ne' ? (event) => read(event).every(test) : (event) => read(event).some(test);
  };

  const filter = parseOr();
  if (position !== tokens.length) throw invalid();
  return filter;
}

function comparison(operator: string, expected: string): (value: string) => boolean {
  switch (operator) {
    case 'eq':
      return (value) => value === expected;
    case 'ne':
      return (value) => value !== expected;
    case 'co':
      return (value) => value.toLowerCase().includes(expected.toLowerCase());
    case 'sw':
      return (value) => value.toLowerCase().startsWith(expected.toLowerCase());
    case 'ew':
      return (value) => value.toLowerCase().endsWith(expected.toLowerCase());
    case 'gt':
      return (value) => value > expected;
    case 'ge':
      return (value) => value >= expected;
    case 'lt':
      return (value) => value < expected;
    default:
      return (value) => value <= expected;
  }
}

function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < expression.length) {
    const char = expression[i] as string;
    if (/\s/.test(char)) {
      i += 1;
    } else if (char === '(' || char === ')') {
      tokens.push({ kind: char });
      i += 1;
    } else if (char === '"') {
      let text = '';
      i += 1;
      for (;;) {
        const c = expression[i];
        if (c === undefined) throw invalid();
        if (c === '\\') {
          const escaped = expression[i + 1];
          if (escaped === undefined) throw invalid();
          text += escaped;
          i += 2;
        } else if (c === '"') {
          i += 1;
          break;
        } else {
          text += c;
          i += 1;
        }
      }
      tokens.push({ kind: 'string', text });
    } else {
      const match = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(expression.slice(i));
      if (match === null) throw invalid();
      tokens.push({ kind: 'word', text: match[0] });
      i += match[0].length;
    }
  }
  return tokens;
}

function invalid(): OktaSandboxError {
  return new OktaSandboxError(400, 'E0000031', 'Invalid search criteria.');
}
