import { domainEventProblem } from './event-shapes';

const voted = {
  pollId: 'p1',
  voterId: 'v1',
  optionId: 'a',
  previousOptionId: null,
  votedAt: '2025-01-01T00:00:00.000Z',
};

describe('domain event shapes', () => {
  it('accept what the deciders emit, extra fields included', () => {
    expect(domainEventProblem({ type: 'Voted', data: voted })).toBeUndefined();
    expect(
      domainEventProblem({ type: 'Voted', data: { ...voted, previousOptionId: 'b', x: 1 } }),
    ).toBeUndefined();
    expect(
      domainEventProblem({
        type: 'PollOpened',
        data: { pollId: 'p', title: 't', options: [{ optionId: 'a', text: 'A' }], openedAt: 'x' },
      }),
    ).toBeUndefined();
  });

  it('name the field that is missing or of the wrong type', () => {
    const noOption: Record<string, unknown> = { ...voted };
    delete noOption.optionId;
    expect(domainEventProblem({ type: 'Voted', data: noOption })).toBe(
      'data.optionId must be a non-empty string',
    );
    expect(domainEventProblem({ type: 'Voted', data: null })).toBe('data must be an object');
    expect(domainEventProblem({ type: 'Voted', data: { ...voted, previousOptionId: 3 } })).toBe(
      'data.previousOptionId must be a non-empty string',
    );
    expect(
      domainEventProblem({
        type: 'Purchased',
        data: {
          purchaseId: 'x',
          sku: 's',
          customerId: 'c',
          quantity: 1.5,
          remainingStock: 0,
          purchasedAt: 't',
        },
      }),
    ).toBe('data.quantity must be an integer >= 1');
    expect(
      domainEventProblem({
        type: 'PollOpened',
        data: { pollId: 'p', title: 't', options: [{ optionId: 'a' }], openedAt: 'x' },
      }),
    ).toBe('data.options[0].text must be a string');
  });

  it('refuse a type the domain does not know', () => {
    expect(domainEventProblem({ type: 'Nope', data: {} })).toBe('unknown event type "Nope"');
  });
});
