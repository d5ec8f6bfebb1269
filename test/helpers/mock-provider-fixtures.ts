import type { MockCompany, MockListEntry, MockState } from '../../src/providers/mock/state.js';
import { validUscc } from './valid-uscc.js';

/** A mock company with a valid made-up code (`validUscc(n)`), active, not on any list. */
export function testCompany(n: number, overrides: Partial<MockCompany> = {}): MockCompany {
  return {
    uscc: validUscc(n),
    name: `测试样例${n}有限公司`,
    status: '存续（在营、开业、在册）',
    legalPerson: '张三',
    regCapital: '1000万人民币',
    address: '北京市海淀区示例路1号',
    scope: '技术开发；技术咨询。',
    establishedOn: '2015-06-01',
    abnormalOperations: [],
    seriousViolations: [],
    ...overrides,
  };
}

/** `count` abnormal-operations entries with ids `${prefix}-1` … */
export function testEntries(count: number, prefix = 'AO'): MockListEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `${prefix}-${i + 1}`,
    listedOn: `2025-${String((i % 12) + 1).padStart(2, '0')}-15`,
    reason: '通过登记的住所或者经营场所无法联系的',
    authority: '北京市海淀区市场监督管理局',
    removedOn: null,
    removalReason: null,
  }));
}

export function testState(...companies: MockCompany[]): MockState {
  return { companies };
}
