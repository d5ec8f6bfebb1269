import { describe, expect, it } from 'vitest';
import { mapRegistrationStatus } from '../../src/domain/status.js';

describe('mapRegistrationStatus', () => {
  it.each([
    // GSXT's official texts, full-width and half-width
    ['存续（在营、开业、在册）', 'active'],
    ['存续(在营、开业、在册)', 'active'],
    ['吊销，未注销', 'revoked'],
    ['吊销，未 注销', 'revoked'],
    ['吊销,未\u3000注销', 'revoked'],
    ['存续(简易注销公告中)', 'liquidating'],
    ['存续（简易注销公告中）', 'liquidating'],
    ['注销公告中', 'liquidating'],
    ['已 注销', 'cancelled'],
    ['吊销,未注销', 'revoked'],
    ['吊销未注销', 'revoked'],
    ['吊销，已注销', 'cancelled'],
    ['吊销, 已注销', 'cancelled'],
    ['注销', 'cancelled'],
    ['撤销', 'withdrawn'],
    ['迁出', 'relocated_out'],
    ['其他', 'unknown'],
    // provider and legacy variants
    ['存续', 'active'],
    ['在业', 'active'],
    ['开业', 'active'],
    ['在营（开业）企业', 'active'],
    ['正常', 'active'],
    ['在册', 'active'],
    ['仍注册', 'active'],
    ['迁入', 'active'],
    ['登记成立', 'active'],
    ['已注销', 'cancelled'],
    ['注销企业', 'cancelled'],
    ['已吊销', 'revoked'],
    ['吊销', 'revoked'],
    ['责令关闭', 'revoked'],
    ['迁往深圳市', 'relocated_out'],
    ['迁移异地', 'relocated_out'],
    ['清算', 'liquidating'],
    ['清算中', 'liquidating'],
    ['破产', 'liquidating'],
    ['停业', 'suspended'],
    ['歇业', 'suspended'],
    ['筹建', 'unknown'],
    ['非正常户', 'unknown'],
    ['', 'unknown'],
    // negative words win over active ones
    ['存续（清算中）', 'liquidating'],
    ['在业（吊销）', 'revoked'],
    // white space and width noise
    ['　存续　', 'active'],
    [' 吊销 ， 未注销 ', 'revoked'],
  ])('%j → %s', (text, status) => {
    expect(mapRegistrationStatus(text)).toBe(status);
  });
});
