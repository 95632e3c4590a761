import fc from 'fast-check';
import { applyMask, maskAddress, maskBirthDate, maskIdNumber, maskName, maskPhone, maskText } from './masking';

describe('masking', () => {
  it('keeps region and last four digits of an ID number', () => {
    expect(maskIdNumber('211402199003071234')).toBe('211402********1234');
    expect(maskIdNumber('21140219900307123X')).toBe('211402********123X');
  });

  it('keeps the prefix and last four digits of a phone number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });

  it('keeps first and last character of a name', () => {
    expect(maskName('张三明')).toBe('张*明');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('王')).toBe('*');
  });

  it('cuts an address after the village or community', () => {
    expect(maskAddress('辽宁省葫芦岛市连山区钢屯镇河东村3组12号')).toBe('辽宁省葫芦岛市连山区钢屯镇河东村');
    expect(maskAddress('辽宁省葫芦岛市连山区连山街道兴工社区5号楼2单元301室')).toBe('辽宁省葫芦岛市连山区连山街道兴工社区');
    expect(maskAddress('辽宁省葫芦岛市兴城市红崖子镇某处')).toBe('辽宁省葫芦岛市兴城市红崖子镇');
    expect(maskAddress('somewhere')).toBe('');
  });

  it('keeps the year of a date and the length of free text', () => {
    expect(maskBirthDate('1990-03-07')).toBe('1990');
    expect(maskText('双方达成协议')).toBe('[6 characters withheld]');
  });

  it('masks lists element-wise and leaves null alone', () => {
    expect(applyMask('name', ['张三明', '李四'])).toEqual(['张*明', '李*']);
    expect(applyMask('phone', null)).toBeNull();
  });

  it('never returns the original value for inputs long enough to mask (property)', () => {
    fc.assert(fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => maskIdNumber(id) !== id && maskIdNumber(id).length === id.length));
    fc.assert(fc.property(fc.stringMatching(/^1\d{10}$/), (p) => maskPhone(p) !== p && maskPhone(p).includes('****')));
    fc.assert(fc.property(fc.string({ minLength: 2, maxLength: 6, unit: fc.constantFrom(...'张王李赵钱孙周吴郑冯陈') }), (n) => maskName(n) !== n));
  });
});
