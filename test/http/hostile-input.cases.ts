import type { HostileCase } from './hostile-input.case';
import { familyCases } from './hostile-input.families.cases';
import { itemCases } from './hostile-input.items.cases';
import { otherCases } from './hostile-input.other.cases';
import { routeCases } from './hostile-input.routes.cases';

export type { HostileCase };
export const hostileCases: HostileCase[] = [
  ...itemCases,
  ...otherCases,
  ...routeCases,
  ...familyCases,
];
