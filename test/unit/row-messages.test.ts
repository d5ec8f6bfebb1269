import { describe, expect, it } from 'vitest';
import { summariseRowMessages, type RowMessage } from '../../src/cli/row-messages.js';

const message = (line: number, kind: string): RowMessage => ({ line, kind, text: `${kind} line ${line}` });

describe('summariseRowMessages', () => {
  it.each([
    { name: 'none', messages: [], shown: [], notShown: [] },
    { name: 'fewer than the limit: all shown', messages: [message(3, 'rejected'), message(2, 'duplicate')], shown: [2, 3], notShown: [] },
    {
      name: 'more than the limit: the first in line order, the rest counted per kind, most frequent first',
      messages: [message(9, 'warning'), message(8, 'rejected'), message(2, 'duplicate'), message(5, 'duplicate'), message(7, 'duplicate'), message(6, 'rejected')],
      shown: [2, 5],
      notShown: [{ kind: 'duplicate', count: 1 }, { kind: 'rejected', count: 2 }, { kind: 'warning', count: 1 }].sort((a, b) => b.count - a.count || a.kind.localeCompare(b.kind)),
    },
  ])('$name', ({ messages, shown, notShown }) => {
    const summary = summariseRowMessages(messages, 2);
    expect(summary.shown.map((m) => m.line)).toEqual(shown);
    expect(summary.notShown).toEqual(notShown);
  });

  it('ties between kinds are ordered by name, so the line is the same on every run', () => {
    const messages = [message(1, 'a'), message(2, 'warning'), message(3, 'duplicate'), message(4, 'rejected')];
    expect(summariseRowMessages(messages, 1).notShown.map((k) => k.kind)).toEqual(['duplicate', 'rejected', 'warning']);
  });

  it('the default limit is 20', () => {
    const messages = Array.from({ length: 25 }, (_, i) => message(i + 2, 'duplicate'));
    expect(summariseRowMessages(messages).shown).toHaveLength(20);
    expect(summariseRowMessages(messages).notShown).toEqual([{ kind: 'duplicate', count: 5 }]);
  });
});
