// Builds the public portal (index.html) and the desk console (desk.html)
// into web/dist, which jaga serves. No inline scripts, so the strict CSP holds.
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

const root = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname);

export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: resolve(root, 'dist'),
    emptyOutDir: true,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: { portal: resolve(root, 'index.html'), desk: resolve(root, 'desk.html') },
    },
  },
});
