/**
 * The instruction-count benchmark reads callgrind's total from its report.
 */
import { parseCollected } from '../bench/instructions';

describe('the instruction count of a callgrind run', () => {
  test('is read from the "Collected" line, without its thousands separators', () => {
    const stderr = '==3671== Events    : Ir\n==3671== Collected : 3,355,143,551\n==3671==\n==3671== I   refs:      3,355,143,551\n';
    expect(parseCollected(stderr)).toBe(3355143551);
  });

  test('is refused, with the report, when callgrind printed none', () => {
    expect(() => parseCollected('==1== valgrind: failed to start tool')).toThrow(/no instruction count[\s\S]*failed to start tool/);
  });
});
