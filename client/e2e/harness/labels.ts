/**
 * Measures, in the page, how big the graph's labels are on screen: each label's computed font size times the
 * scale its SVG is drawn at (the viewBox-to-screen matrix), and its box as the browser laid it out. Shared by the
 * panel test and the report test so both apply the same measure of "readable".
 */
import type { Locator } from 'playwright-core';

export interface LabelSize {
  text: string;
  /** The font size in CSS pixels after every transform between the SVG's user space and the screen. */
  renderedPx: number;
  /** The height of the label's box on screen, which includes the line's ascent and descent. */
  boxHeight: number;
  /** Whether the label's box lies inside the scrolling graph element's visible rectangle. */
  inView: boolean;
}

/** Sizes of the labels selected by `selector` inside the element `scope` (the webview's or the report's body). */
export function labelSizes(scope: Locator, selector: string): Promise<LabelSize[]> {
  return scope.evaluate((root, sel) => {
    const viewport = root.querySelector('#graph')!.getBoundingClientRect();
    return [...root.querySelectorAll<SVGTextElement>(sel)].map((text) => {
      const matrix = text.getScreenCTM()!;
      const scale = Math.hypot(matrix.a, matrix.b);
      const box = text.getBoundingClientRect();
      return {
        text: text.textContent ?? '',
        renderedPx: parseFloat(getComputedStyle(text).fontSize) * scale,
        boxHeight: box.height,
        inView: box.top >= viewport.top && box.bottom <= viewport.bottom && box.left >= viewport.left && box.right <= viewport.right,
      };
    });
  }, selector);
}
