import type { HostileCase } from './hostile-input.case';
import { itemCases } from './hostile-input.items.cases';
import { otherCases } from './hostile-input.other.cases';

export type { HostileCase };
export const hostileCases: HostileCase[] = [...itemCases, ...otherCases];
