/**
 * Renders Mermaid diagrams the way a Markdown viewer does: Mermaid's own
 * browser bundle (node_modules/mermaid/dist/mermaid.min.js) in a real headless
 * chromium (Debian's, driven by playwright-core; no browser is downloaded).
 */
import * as path from 'path';
import { Browser, chromium, Page } from 'playwright-core';

/** Mermaid's browser bundle, from the installed package. */
export const MERMAID_BUNDLE = path.join(path.dirname(require.resolve('mermaid/package.json')), 'dist', 'mermaid.min.js');

/** The outcome of rendering one diagram. */
export interface RenderResult {
  /** The SVG Mermaid drew, when it could. */
  readonly svg?: string;
  /** Mermaid's error, when it could not. */
  readonly error?: string;
}

/** One chromium with one page that has Mermaid loaded. */
export class MermaidBrowser {
  /** Starts `chromiumPath` headless and loads Mermaid into a blank page. */
  public static async launch(chromiumPath: string): Promise<MermaidBrowser> {
    const browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      // the tests run as root in CI, where chromium's sandbox cannot start
      args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, deviceScaleFactor: 2 });
      await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body style="margin:0;background:#fff">'
        + '<div id="diagram" style="display:inline-block;padding:16px"></div></body></html>');
      await page.addScriptTag({ path: MERMAID_BUNDLE });
      await page.evaluate(() => {
        (globalThis as any).mermaid.initialize({ startOnLoad: false, securityLevel: 'strict', theme: 'default' });
      });
      return new MermaidBrowser(browser, page);
    } catch (e) {
      await browser.close();
      throw e;
    }
  }

  private count = 0;

  private constructor(private readonly browser: Browser, private readonly page: Page) {}

  /** Parses and renders `text`; the SVG, or Mermaid's error message. */
  public async render(text: string): Promise<RenderResult> {
    const id = `diagram${++this.count}`;
    return this.page.evaluate(async ({ source, elementId }) => {
      const mermaid = (globalThis as any).mermaid;
      const document = (globalThis as any).document;
      const target = document.getElementById('diagram');
      target.innerHTML = '';
      try {
        await mermaid.parse(source);
        const { svg } = await mermaid.render(elementId, source);
        target.innerHTML = svg;
        // draw it at its natural size, as a Markdown viewer with room to spare does
        const drawn = target.querySelector('svg');
        const natural = drawn?.style?.maxWidth;
        if (drawn && natural) drawn.style.width = natural;
        return { svg };
      } catch (e) {
        // a failed render leaves its error drawing behind
        document.getElementById(`d${elementId}`)?.remove();
        return { error: String((e as Error)?.message ?? e) };
      }
    }, { source: text, elementId: id });
  }

  /** Renders `text` and takes a PNG screenshot of the drawing. */
  public async screenshot(text: string, file: string): Promise<void> {
    const result = await this.render(text);
    if (result.error) throw new Error(`Mermaid could not render the diagram: ${result.error}`);
    await this.page.locator('#diagram').screenshot({ path: file });
  }

  public async close(): Promise<void> {
    await this.browser.close();
  }
}
