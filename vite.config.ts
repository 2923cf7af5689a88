import react from '@vitejs/plugin-react';
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';

/**
 * The entry (main.tsx) loads the app (root.tsx) by a dynamic import, so that it can ask for the
 * triage data before the app's code runs; but then the browser learns of the app's chunks only
 * once the entry has run. Listing them in the page as modulepreload links starts their download
 * (and compilation) with the page's own, without running them any earlier.
 */
function preloadApp(entry: string): Plugin {
  return {
    name: 'cockpit-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return [];
        const app = Object.values(bundle).find(
          (c) => c.type === 'chunk' && c.isDynamicEntry && c.facadeModuleId?.endsWith(entry),
        );
        if (app?.type !== 'chunk') throw new Error(`preloadApp: no dynamic chunk for ${entry}`);
        const files = new Set<string>();
        const visit = (file: string) => {
          const chunk = bundle[file];
          if (files.has(file) || !chunk || chunk.type !== 'chunk') return;
          files.add(file);
          for (const f of chunk.imports) visit(f);
        };
        visit(app.fileName);
        return [...files]
          .filter((file) => !html.includes(`/${file}"`))
          .map(
            (file): HtmlTagDescriptor => ({
              tag: 'link',
              attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` },
              injectTo: 'head',
            }),
          );
      },
    },
  };
}

const apiTarget = process.env.COCKPIT_API ?? 'http://127.0.0.1:8787';

export default defineConfig({
  root: 'web',
  plugins: [react(), preloadApp('/web/src/root.tsx')],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: true,
    // the account view carries echarts (~200 KB gzipped) in its own lazy chunk; the initial bundle is small
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  preview: {
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
});
