/**
 * Measures, in the page, the contrast of every piece of text the lock-graph panel shows: each visible element with
 * text of its own and each SVG label, its colour against what is painted behind it (a node's box, an edge label's
 * halo, else the nearest element with a background), as WCAG 2 computes it from relative luminance. The colours are
 * the browser's computed ones, so they are the theme's own values as VS Code hands them to the webview.
 */
import type { Locator } from 'playwright-core';

export interface TextContrast {
  text: string;
  /** What the text is: an SVG label's class or an element's id/tag, for a readable failure. */
  what: string;
  foreground: string;
  background: string;
  ratio: number;
}

/** The contrast of every visible text under `scope` (a webview's body). */
export function textContrasts(scope: Locator): Promise<TextContrast[]> {
  return scope.evaluate((root) => {
    type Rgba = [number, number, number, number];
    // Computed colours come as rgb()/rgba(), or as color(srgb ...) when the stylesheet mixes them (color-mix).
    const parse = (css: string): Rgba | undefined => {
      const rgb = /rgba?\(([^)]+)\)/.exec(css);
      if (rgb) {
        const parts = rgb[1]!.split(/[\s,/]+/).filter(Boolean).map(Number);
        return [parts[0]!, parts[1]!, parts[2]!, parts[3] ?? 1];
      }
      const srgb = /color\(srgb ([\d.e-]+) ([\d.e-]+) ([\d.e-]+)(?: \/ ([\d.e-]+))?\)/.exec(css);
      if (srgb) return [Number(srgb[1]) * 255, Number(srgb[2]) * 255, Number(srgb[3]) * 255, srgb[4] === undefined ? 1 : Number(srgb[4])];
      return undefined;
    };
    const UNREADABLE: Rgba = [Number.NaN, 0, 0, 1];
    // `over` painted on an opaque `under`.
    const over = (top: Rgba, under: Rgba): Rgba => [0, 1, 2].map((i) => top[i]! * top[3] + under[i]! * (1 - top[3])).concat(1) as Rgba;
    const luminance = (c: Rgba): number => {
      const [r, g, b] = [c[0], c[1], c[2]].map((v) => {
        const s = v / 255;
        return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
      });
      return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
    };
    const ratio = (a: Rgba, b: Rgba): number => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi! + 0.05) / (lo! + 0.05);
    };
    const css = (c: Rgba): string => `rgb(${c.slice(0, 3).map((v) => Math.round(v)).join(', ')})`;
    /** The opaque colour behind an HTML element: its own and its ancestors' backgrounds, composed from the page down. */
    const backdrop = (element: Element): Rgba => {
      const layers: Rgba[] = [];
      for (let e: Element | null = element; e; e = e.parentElement) {
        const c = parse(getComputedStyle(e).backgroundColor);
        if (c && c[3] > 0) layers.push(c);
        if (c && c[3] === 1) break;
      }
      let result: Rgba = [255, 255, 255, 1];
      for (const layer of layers.reverse()) result = over(layer, result);
      return result;
    };
    const visible = (e: Element): boolean => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden' && e.closest('[hidden]') === null;
    };
    const results: { text: string; what: string; foreground: string; background: string; ratio: number }[] = [];

    for (const text of root.querySelectorAll<SVGTextElement>('svg text')) {
      // An exited thread is drawn faded on purpose: inactive content is outside WCAG's contrast requirement.
      if (!text.textContent?.trim() || !visible(text) || text.closest('.exited')) continue;
      const style = getComputedStyle(text);
      let behind = backdrop(text.closest('svg')!.parentElement!);
      const box = text.closest('g.node')?.querySelector('rect');
      if (box) behind = over(parse(getComputedStyle(box).fill) ?? behind, behind);
      // A halo (a stroke painted under the fill) is what surrounds the glyphs of an edge label.
      else if (style.paintOrder.startsWith('stroke') && parse(style.stroke)?.[3]) behind = over(parse(style.stroke)!, behind);
      // A colour this measure cannot read counts as a failure (ratio NaN), never as a pass.
      const fg = over(parse(style.fill) ?? UNREADABLE, behind);
      results.push({ text: text.textContent.trim(), what: `svg text.${[...text.classList].join('.')}${box ? ` in g.${[...text.closest('g.node')!.classList].join('.')}` : ''}`, foreground: css(fg), background: css(behind), ratio: ratio(fg, behind) });
    }

    for (const element of root.querySelectorAll<HTMLElement>('body *:not(svg *):not(script):not(style):not(option)')) {
      const own = [...element.childNodes].filter((n) => n.nodeType === Node.TEXT_NODE).map((n) => n.textContent ?? '').join('').trim();
      // A field shows its value (a placeholder is drawn by the theme's own placeholder colour, not measured here).
      const shown = element instanceof HTMLSelectElement || element instanceof HTMLInputElement ? element.value : own;
      if (!shown || !visible(element)) continue;
      const behind = backdrop(element);
      const fg = over(parse(getComputedStyle(element).color) ?? UNREADABLE, behind);
      results.push({ text: shown.slice(0, 60), what: `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${element.className ? `.${String(element.className).split(' ').join('.')}` : ''}`, foreground: css(fg), background: css(behind), ratio: ratio(fg, behind) });
    }
    return results;
  });
}
