import { hasUrlCredentials, looksSecretName, plaintextSecretReason } from '../../src/pod/secret-values';
import { assertLabelValue, byCodePoint as compareCodePoints, imageReferenceProblem, isLabelValue } from '../../src/pod/validators';
import { errorOf } from '../util';

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

  test('agrees with a comparison of whole code points on every pair of short strings, surrogate pairs and lone halves included', () => {
    // GIVEN a comparison that spells every string out as code points (what the order is defined as)
    const reference = (a: string, b: string): number => {
      const x = Array.from(a, ch => ch.codePointAt(0)!);
      const y = Array.from(b, ch => ch.codePointAt(0)!);
      for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
      return Math.sign(x.length - y.length);
    };
    // AND every string of up to two letters of an alphabet with characters around the surrogates
    const alphabet = ['a', 'b', 'Z', '0', '-', '\u00e9', '\ud7ff', '\ue000', '\uffff', '\u{1F600}', '\u{1F601}', '\u{10000}', '\ud83d', '\ude00'];
    const words = [''];
    for (const a of alphabet) {
      words.push(a);
      for (const b of alphabet) words.push(a + b);
    }
    // WHEN compared both ways
    const wrong: string[] = [];
    for (const a of words) {
      for (const b of words) {
        if (compareCodePoints(a, b) !== reference(a, b)) wrong.push(`${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
      }
    }
    // THEN every result is the reference's
    expect(wrong).toEqual([]);
  });
});

describe('looksSecretName', () => {
  test.each(['DB_PASSWORD', 'AWS_SECRET_ACCESS_KEY', 'SECRET_KEY_BASE', 'db.password', 'GITHUB_TOKEN', 'API_KEY', 'apikey', 'GCP_CREDENTIALS'])(
    'is true for %s', name => expect(looksSecretName(name)).toBe(true));
  test.each(['TOKEN_FILE', 'TLS_KEY_PATH', 'SECRETS_DIR', 'KEYCLOAK_URL', 'LOG_LEVEL', '___'])(
    'is false for %s', name => expect(looksSecretName(name)).toBe(false));
});

describe('hasUrlCredentials', () => {
  test.each(['postgres://user:pass@host/db', 'redis://:pass@redis:6379', 'https://a:b@example.com'])(
    'is true for %s', value => expect(hasUrlCredentials(value)).toBe(true));
  test.each(['postgres://user@host/db', 'postgres://user:@host/db', 'https://example.com/a:b@c', 'user:pass@host', 'http://example.com?u=a:b@c'])(
    'is false for %s', value => expect(hasUrlCredentials(value)).toBe(false));
});

describe('plaintextSecretReason', () => {
  test('names the secret-looking name, masks a URL password, and ignores empty values', () => {
    expect(plaintextSecretReason('DB_PASSWORD', 'x')).toBe('its name "DB_PASSWORD" looks like a secret');
    expect(plaintextSecretReason('DB_URL', 'mysql://root:s3cret@db:3306/app'))
      .toBe('its value is a URL with a password ("mysql://root:****@db:3306/app")');
    expect(plaintextSecretReason('DB_PASSWORD', '')).toBeUndefined();
    expect(plaintextSecretReason('LOG_LEVEL', 'info')).toBeUndefined();
  });
});

describe('imageReferenceProblem', () => {
  test.each([
    'nginx:1.27.2', 'library/nginx:1.27.2', 'docker.io/library/nginx:1.27.2', 'localhost:5000/app:1.0', 'localhost/app:1.0',
    'registry.example.com:443/team/my_app__x-y:v1.2.3-rc.1', `busybox@sha256:${'a'.repeat(64)}`, `busybox:1.36.1@sha256:${'0'.repeat(64)}`,
    'REGISTRY.Example.com/app:1', 'nginx',
  ])('accepts %s', image => expect(imageReferenceProblem(image)).toBeUndefined());

  test.each([
    ['nginx :1.27', 'it contains whitespace'],
    ['', 'it is empty'],
    ['Nginx:1.27', 'the repository "Nginx" has upper-case letters'],
    ['MyTeam/app:1', 'the repository "MyTeam/app" has upper-case letters'],
    ['registry.example.com/Team/app:1', 'the repository "Team/app" has upper-case letters'],
    ['nginx:-1', 'the tag "-1" is not 1 to 128 letters, digits, \'_\', \'.\' or \'-\' (not starting with \'.\' or \'-\')'],
    ['nginx:', 'the tag "" is not 1 to 128 letters, digits, \'_\', \'.\' or \'-\' (not starting with \'.\' or \'-\')'],
    ['nginx@sha256:xyz', 'the digest "sha256:xyz" is not algorithm:hex'],
    ['my..app:1', 'the repository part "my..app" is not lowercase letters and digits joined by \'.\', \'_\', \'__\' or \'-\''],
    ['reg_istry.io:x/app:1', 'the registry "reg_istry.io:x" is not a host name with an optional port'],
  ])('refuses %j: %s', (image, problem) => expect(imageReferenceProblem(image)).toBe(problem));
});

describe('isLabelValue', () => {
  test.each(['web', 'v1.2.3', 'A_b-c.D', '1', 'a'.repeat(63)])('accepts %j', value => expect(isLabelValue(value)).toBe(true));
  test.each(['', '-web', 'web.', '_x', 'my app', 'a/b', 'a'.repeat(64), 'é'])('refuses %j', value => expect(isLabelValue(value)).toBe(false));
  test('refuses what is not a string', () => expect(isLabelValue(7)).toBe(false));
});

describe('assertLabelValue', () => {
  test('fails when the value is not a label value, naming the subject, the value and an example', () => {
    expect(errorOf(() => assertLabelValue('Pattern "x"', 'appLabels.name', 'a b', 'orders'))).toBe('[Pattern "x"] appLabels.name must '
      + 'be a label value: letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit, at most 63 characters '
      + '(got "a b", 3 characters). Fix: use a value like "orders".');
  });
  test('accepts a label value', () => expect(() => assertLabelValue('Pattern "x"', 'appLabels.name', 'orders', 'orders')).not.toThrow());
});
