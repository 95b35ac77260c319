const { checkBinding, checkInvite, checkReason, hasErrors } = require('../../utils/validate')

const good = { student_no: '2021000001', name: '张伟', id_last6: '12345X' }

describe('checkBinding', () => {
  test.each([
    ['valid, trailing X', good, {}],
    ['valid, trailing x is upper-cased', { ...good, id_last6: '12345x' }, {}],
    ['valid, all digits', { ...good, id_last6: '123456' }, {}],
    ['id too short', { ...good, id_last6: '12345' }, { id_last6: '身份证后六位应为6位数字，最后一位可为X' }],
    ['id too long', { ...good, id_last6: '1234567' }, { id_last6: '身份证后六位应为6位数字，最后一位可为X' }],
    ['X not last', { ...good, id_last6: '1234X6' }, { id_last6: '身份证后六位应为6位数字，最后一位可为X' }],
    ['letters', { ...good, id_last6: 'abcdef' }, { id_last6: '身份证后六位应为6位数字，最后一位可为X' }],
    ['id missing', { ...good, id_last6: '' }, { id_last6: '请输入身份证后六位' }],
    ['name blank', { ...good, name: '   ' }, { name: '请输入姓名' }],
    ['student_no missing', { ...good, student_no: '' }, { student_no: '请输入学号' }],
    ['student_no odd', { ...good, student_no: '2021-01' }, { student_no: '学号格式不正确' }],
    ['student_no short, as the server allows', { ...good, student_no: 'A1' }, {}],
    ['student_no longer than 20', { ...good, student_no: '1'.repeat(21) }, { student_no: '学号格式不正确' }],
    ['everything missing', {}, { student_no: '请输入学号', name: '请输入姓名', id_last6: '请输入身份证后六位' }],
  ])('%s', (_name, form, want) => {
    expect(checkBinding(form).errors).toEqual(want)
  })

  test('trims and normalises what it sends', () => {
    expect(checkBinding({ student_no: ' 2021000001 ', name: ' 张伟 ', id_last6: '12345x ' }).value)
      .toEqual({ student_no: '2021000001', name: '张伟', id_last6: '12345X' })
  })

  test('hasErrors', () => {
    expect(hasErrors({})).toBe(false)
    expect(hasErrors({ name: 'x' })).toBe(true)
  })
})

describe('checkInvite and checkReason', () => {
  test.each([
    [checkInvite, ' ABC123 ', { value: 'ABC123', error: '' }],
    [checkInvite, '  ', { value: '', error: '请输入邀请码' }],
    [checkReason, '钥匙未归还', { value: '钥匙未归还', error: '' }],
    [checkReason, '\n ', { value: '', error: '请填写退回原因' }],
    [checkReason, undefined, { value: '', error: '请填写退回原因' }],
  ])('%p(%p)', (fn, input, want) => {
    expect(fn(input)).toEqual(want)
  })
})
