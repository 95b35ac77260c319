const { render, text, tap } = require('../helpers/component')

describe('load-state', () => {
  test.each([
    ['loading', { loading: true, error: 'x', empty: true }, '加载中…'],
    ['error with retry', { error: '网络异常，请检查网络后重试' }, '网络异常，请检查网络后重试 重试'],
    ['empty with its text', { empty: true, emptyText: '暂无消息' }, '暂无消息'],
    ['default empty text', { empty: true }, '暂无数据'],
    ['nothing', {}, ''],
  ])('%s', (_n, props, want) => {
    expect(text(render('load-state', props))).toBe(want)
  })

  test('the retry button fires retry', async () => {
    const comp = render('load-state', { error: '出错了' })
    const onRetry = jest.fn()
    comp.addEventListener('retry', onRetry)
    await tap(comp.querySelector('.retry'))
    expect(onRetry).toHaveBeenCalledTimes(1)
  })
})
