import { byCodePoint as compareCodePoints } from '../../src/pod/validators';

describe('compareCodePoints', () => {
  test('orders by code point: upper case before lower case, digits before letters', () => {
    // GIVEN names a locale-aware sort would interleave
    const names = ['beta', 'Alpha', 'alpha', '10-x', '9-x', 'Beta'];
    // WHEN sorted by code point
    const sorted = [...names].sort(compareCodePoints);
    // THEN the order is that of the code points, whatever the locale
    expect(sorted).toEqual(['10-x', '9-x', 'Alpha', 'Beta', 'alpha', 'beta']);
  });

  test('puts characters above U+FFFF after U+E000, unlike a comparison of UTF-16 code units', () => {
    // GIVEN a private-use character (U+E000) and an emoji (U+1F600, a surrogate pair in UTF-16)
    const privateUse = '\uE000';
    const emoji = '\u{1F600}';
    // WHEN compared
    // THEN the emoji, the higher code point, comes last
    expect(compareCodePoints(privateUse, emoji)).toBe(-1);
    expect(compareCodePoints(emoji, privateUse)).toBe(1);
    // AND plain `<` would have said the opposite (0xD83D < 0xE000)
    expect(emoji < privateUse).toBe(true);
  });

  test('a prefix comes first, equal strings compare equal', () => {
    expect(compareCodePoints('web', 'web-tmp')).toBe(-1);
    expect(compareCodePoints('web-tmp', 'web')).toBe(1);
    expect(compareCodePoints('web', 'web')).toBe(0);
  });
});
