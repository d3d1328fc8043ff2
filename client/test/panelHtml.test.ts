// Unit tests of the lock-graph page: a strict Content-Security-Policy, one nonce'd script, no remote resources.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../src/graphPanel/html.js';

const input = {
  cspSource: 'https://file+.vscode-resource.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/main.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview/panel.css',
  nonce: 'n0nce',
};

test('the policy denies everything by default and allows scripts and inline styles only by nonce', () => {
  const csp = contentSecurityPolicy(input.cspSource, 'abc');
  const directives = new Map(csp.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1)]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), ["'nonce-abc'"]);
  assert.deepEqual(directives.get('style-src'), [input.cspSource, "'nonce-abc'"]);
  assert.ok(!csp.includes('unsafe-inline') && !csp.includes('unsafe-eval'), csp);
});

test('the page carries the policy and loads exactly one script, with the nonce, from the extension', () => {
  const html = panelHtml(input);
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';[^"]*script-src 'nonce-n0nce'">/);
  const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
  assert.deepEqual(scripts, [`<script nonce="n0nce" src="${input.scriptUri}">`]);
  assert.ok(html.includes(`<link rel="stylesheet" href="${input.styleUri}">`));
  assert.ok(!/\son\w+=/.test(html), 'no inline event handlers, which the policy would block');
  assert.ok(!/https?:\/\/(?!file\+\.vscode-resource)/.test(html), 'nothing is loaded from outside the extension');
});

test('the page has the elements the webview script looks up', () => {
  const html = panelHtml(input);
  for (const id of ['graph-app', 'headline', 'summary', 'empty', 'tab-static', 'tab-live', 'refresh', 'site-list']) {
    assert.ok(html.includes(`id="${id}"`), id);
  }
});

test('each page gets a different, unguessable nonce', () => {
  const nonces = new Set(Array.from({ length: 20 }, () => makeNonce()));
  assert.equal(nonces.size, 20);
  for (const nonce of nonces) assert.match(nonce, /^[A-Za-z0-9_-]{24}$/);
  const fresh = panelHtml({ ...input, nonce: undefined });
  const nonce = /nonce-([^'"]+)'/.exec(fresh)![1];
  assert.ok(fresh.includes(`<script nonce="${nonce}"`));
});

test('attribute values are escaped', () => {
  assert.ok(panelHtml({ ...input, styleUri: 'x" onload="alert(1)' }).includes('href="x&quot; onload=&quot;alert(1)"'));
});
