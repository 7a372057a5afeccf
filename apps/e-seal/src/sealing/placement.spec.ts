import { SealError } from '../shared/seal-error.js';
import { parsePlacement, rectOf } from './placement.js';

describe('parsePlacement', () => {
  it('reads a page, a corner and the default 42 mm seal size', () => {
    const p = parsePlacement({ page: '2', x: '400', y: '80' });

    expect(p).toMatchObject({ page: 2, x: 400, y: 80, size: 119 });
    expect(rectOf({ ...p, x: 400, y: 80 })).toEqual([400, 80, 519, 199]);
  });

  it('leaves the page open when the seal goes beside a text', () => {
    expect(parsePlacement({ nearText: '甲方（盖章）', position: 'over' })).toMatchObject({
      page: undefined,
      nearText: '甲方（盖章）',
      position: 'over',
    });
  });

  it.each([
    [{ x: '1' }, 'give x and y, or nearText'],
    [{ page: '0', x: '1', y: '1' }, 'page must be 1 or more'],
    [{ x: 'abc', y: '1' }, 'x must be a number'],
    [{ x: '1', y: '1', size: '5' }, 'size must be between 30 and 400 points'],
    [
      { nearText: 'a', position: 'inside' },
      'position must be one of right, left, above, below, over',
    ],
    [{ x: '-5', y: '1' }, 'x is outside any page'],
  ])('refuses %j: %s', (fields, message) => {
    expect(() => parsePlacement(fields)).toThrow(SealError);
    expect(() => parsePlacement(fields)).toThrow(message);
  });
});
