import { describeDomainError } from './domain-errors';

describe('domain error messages', () => {
  it('tell a buyer how many units are left', () => {
    expect(
      describeDomainError({ code: 'out_of_stock', sku: 'mug', requested: 3, available: 2 }),
    ).toBe('item mug: 3 requested, 2 available');
  });

  it('name the thing that is missing or taken', () => {
    expect(describeDomainError({ code: 'option_not_found', pollId: 'p', optionId: 'x' })).toBe(
      'poll p has no option x',
    );
    expect(describeDomainError({ code: 'username_taken', username: 'Ada' })).toBe(
      'username Ada is taken',
    );
  });
});
