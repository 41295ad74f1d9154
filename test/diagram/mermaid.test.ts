import { EdgeStyle, escapeText, Flowchart, label, NodeShape } from '../../src/diagram/mermaid';

describe('escapeText', () => {
  test('writes every character Mermaid could read as syntax or markup as an entity code', () => {
    // GIVEN text with quotes, markup, pipes, brackets, braces and a hash
    const text = 'say "hi" <b>&</b> a|b [x] {y} #1 `z` \\';
    // WHEN escaped
    // THEN none of them is left as is
    expect(escapeText(text)).toBe('say #quot;hi#quot; #lt;b#gt;#amp;#lt;/b#gt; a#124;b #91;x#93; #123;y#125; #35;1 #96;z#96; #92;');
  });

  test('flattens line breaks and tabs to one space', () => {
    expect(escapeText('a\nb\r\n\tc')).toBe('a b c');
  });

  test('leaves plain text, paths and arrows alone', () => {
    expect(escapeText('read-only at /usr/share/nginx/html → app')).toBe('read-only at /usr/share/nginx/html → app');
  });
});

describe('label', () => {
  test('joins escaped lines with <br/>, the first in bold when asked', () => {
    expect(label(['web<1>', 'image:1.0'], true)).toBe('<b>web#lt;1#gt;</b><br/>image:1.0');
    expect(label(['a', 'b'])).toBe('a<br/>b');
  });
});

describe('Flowchart', () => {
  test('makes ids of letters, digits and "_" from keys, the same id for the same key', () => {
    // GIVEN a flowchart
    const fc = new Flowchart('LR');
    // WHEN ids are asked for keys with other characters
    // THEN they keep letters and digits only, and repeat for a repeated key
    expect(fc.idFor('web app')).toBe('web_app');
    expect(fc.idFor('web/app')).toBe('web_app_2');
    expect(fc.idFor('web app')).toBe('web_app');
    expect(fc.has('web/app')).toBe(true);
    expect(fc.has('db')).toBe(false);
  });

  test('never makes an id that is a Mermaid keyword or does not start with a letter', () => {
    const fc = new Flowchart('LR');
    expect(fc.idFor('end')).toBe('n_end');
    expect(fc.idFor('Subgraph')).toBe('n_Subgraph');
    expect(fc.idFor('9 lives')).toBe('n_9_lives');
    expect(fc.idFor('-x-')).toBe('x');
    expect(fc.idFor('end-point')).toBe('end_point');
  });

  test('renders the config, subgraphs with their nodes, then edges, then the style classes in use', () => {
    // GIVEN a subgraph with two nodes, a node outside it and three kinds of edges
    const fc = new Flowchart('TB');
    fc.classDef('unused', 'fill:#000');
    fc.classDef('box', 'fill:#fff');
    fc.subgraph('pod', 'Pod', () => {
      fc.node('a', 'A', NodeShape.BOX, 'box');
      fc.node('v', 'V', NodeShape.CYLINDER);
    });
    fc.node('s', 'S', NodeShape.HEXAGON, 'box');
    fc.node('e', 'E', NodeShape.STADIUM);
    fc.node('c', 'C', NodeShape.PARALLELOGRAM);
    fc.edge(fc.idFor('s'), fc.idFor('a'), 'port 80');
    fc.edge(fc.idFor('a'), fc.idFor('v'), 'rw', EdgeStyle.BOTH_WAYS);
    fc.edge(fc.idFor('a'), fc.idFor('e'), undefined, EdgeStyle.DOTTED);
    // WHEN rendered
    // THEN every statement is on its own line, in that order
    expect(fc.render()).toBe([
      '---',
      'config:',
      '  flowchart:',
      '    wrappingWidth: 480',
      '---',
      'flowchart TB',
      '  subgraph pod["Pod"]',
      '    a["A"]',
      '    v[("V")]',
      '  end',
      '  s{{"S"}}',
      '  e(["E"])',
      '  c[/"C"/]',
      '  s -->|"port 80"| a',
      '  a <-->|"rw"| v',
      '  a -.-> e',
      '  classDef box fill:#fff',
      '  class a,s box',
      '',
    ].join('\n'));
  });
});
