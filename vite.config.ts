import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiTarget = process.env.COCKPIT_API ?? 'http://127.0.0.1:8787';

export default defineConfig({
  root: 'web',
  plugins: [react()],
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
