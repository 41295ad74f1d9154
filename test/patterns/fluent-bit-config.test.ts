import * as fc from 'fast-check';
import { parse } from 'yaml';
import { renderFluentBitConfig, yamlScalar } from '../../src/patterns/fluent-bit-config';

/** A spec whose every free value is `value`. */
function specWith(value: string) {
  return {
    tailPath: value,
    positionDb: '/fluent-bit/state/tail.db',
    json: true,
    podMetadataContainer: value,
    outputPlugin: 'loki',
    outputSettings: { host: value, port: 3100, [value === '' ? 'empty' : value]: value },
  };
}

describe('the fluent-bit configuration writer', () => {
  test.each([
    [''], [' '], ['on'], ['off'], ['yes'], ['null'], ['~'], ['true'], ['1'], ['-1'], ['1e3'], ['0x1f'], ['0o17'], ['.5'], ['.inf'],
    ['*'], ['&a'], ['!tag'], ['- x'], ['-'], ['? x'], [': x'], ['a: b'], ['a #b'], ['#c'], ['"q"'], ["'q'"], ['[a]'], ['{a}'],
    ['a,b'], ['%x'], ['@x'], ['`x'], ['|'], ['>'], ['a\nb'], ['tab\there'], ['\\'], ['ü'], ['日本'], ['/var/log/*.log'], ['16MB'],
    ['1.36.1'], ['pod_name ${POD_NAME}'], [' lead'], ['trail '], ['1_000'], ['0b101'], ['1.'], ['1e'], ['0xg'], ['08'], ['1-2'],
    ['Yes'], ['NO'], ['nO'], ['yEs'], ['/1'], ['_1'],
  ])('writes %j as a scalar YAML reads back as that string', value => {
    expect(parse(`k: ${yamlScalar(value)}\n`)).toEqual({ k: value });
    expect(parse(`${yamlScalar(value)}: v\n`)).toEqual({ [value]: 'v' });
  });

  test('strings of the characters plain scalars may hold (numbers, words, paths) read back as themselves', () => {
    fc.assert(fc.property(fc.stringMatching(/^[0-9a-fA-FnNoOxXyYeEsStTrRuUlL._/+-]{1,8}$/), value => {
      expect(parse(`k: ${yamlScalar(value)}\n`)).toEqual({ k: value });
    }), { numRuns: 2000 });
  });

  test('writes numbers as numbers', () => {
    expect(parse(`k: ${yamlScalar(3100)}\n`)).toEqual({ k: 3100 });
  });

  test('any string, in any place of the configuration, reads back as itself', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 24 }), value => {
      const config = parse(renderFluentBitConfig(specWith(value)));
      expect(config.pipeline.inputs[0].path).toBe(value);
      expect(config.pipeline.filters[1].record[2]).toBe(`container ${value}`);
      expect(config.pipeline.outputs[0].host).toBe(value);
      expect(config.pipeline.outputs[0][value === '' ? 'empty' : value]).toBe(value);
    }), { numRuns: 500 });
  });

  test('a setting named like the output\'s first keys takes their place, so every key is written once', () => {
    // WHEN
    const config = parse(renderFluentBitConfig({ ...specWith('x'), outputSettings: { match: 'app', name: 'y', port: 1 } }));
    // THEN
    expect(config.pipeline.outputs).toEqual([{ name: 'y', match: 'app', port: 1 }]);
  });

  test('the whole configuration reads back as the structure it was built from', () => {
    expect(parse(renderFluentBitConfig(specWith('app')))).toEqual({
      service: { flush: 1, log_level: 'info', http_server: 'off' },
      parsers: [{ name: 'app-json', format: 'json' }],
      pipeline: {
        inputs: [{
          'name': 'tail',
          'tag': 'app',
          'path': 'app',
          'path_key': 'file',
          'db': '/fluent-bit/state/tail.db',
          'db.locking': 'on',
          'read_from_head': 'on',
          'refresh_interval': 5,
          'skip_long_lines': 'on',
          'mem_buf_limit': '16MB',
        }],
        filters: [
          { name: 'parser', match: '*', key_name: 'log', parser: 'app-json', reserve_data: 'on' },
          { name: 'record_modifier', match: '*', record: ['pod_name ${POD_NAME}', 'namespace ${POD_NAMESPACE}', 'container app'] },
        ],
        outputs: [{ name: 'loki', match: '*', host: 'app', port: 3100, app: 'app' }],
      },
    });
  });
});
