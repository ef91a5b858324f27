import { resolve } from 'node:path'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { rendererCsp } from './shared/csp'

const root = import.meta.dirname

/**
 * The renderer's index.html carries the production Content-Security-Policy as a <meta> (file://
 * pages get no response headers); main and the GUI server send the same policy (shared/csp.ts)
 * as a header. This check fails the build when the two drift apart.
 */
function cspMetaMatchesShared(): Plugin {
  return {
    name: 'ulcc:csp-meta-matches-shared',
    apply: 'build',
    transformIndexHtml(html) {
      const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i.exec(html)
      if (!meta) throw new Error('renderer/index.html: Content-Security-Policy <meta> missing')
      if (meta[1] !== rendererCsp()) {
        throw new Error(`renderer/index.html: CSP <meta> differs from shared/csp.ts\n  html:   ${meta[1]}\n  shared: ${rendererCsp()}`)
      }
      return html
    }
  }
}

export default defineConfig({
  main: {
    build: {
      // The engine is bundled into main; the packages it runs on (aedes, fastify, nedb-promises,
      // mqtt, ws, typebox…) are package.json "dependencies", which electron-vite leaves external
      // by default: they ship in node_modules of the packaged app.
      externalizeDeps: true,
      lib: { entry: resolve(root, 'electron/main/index.ts') }
    }
  },
  preload: {
    build: {
      // A sandboxed preload cannot `require` anything but a few Electron modules and cannot be an
      // ES module: bundle everything it uses into one CommonJS file.
      externalizeDeps: false,
      lib: { entry: resolve(root, 'electron/preload/index.ts'), formats: ['cjs'] },
      rolldownOptions: {
        output: { entryFileNames: '[name].cjs' },
        // From shared/contract.ts the preload needs two channel names, not the request schemas
        // beside them. Building those schemas has no side effect, and no module the preload
        // imports is imported for its side effects: so typebox stays out of this bundle.
        treeshake: { manualPureFunctions: ['Type'], moduleSideEffects: false }
      }
    }
  },
  renderer: {
    root: resolve(root, 'renderer'),
    build: {
      outDir: resolve(root, 'out/renderer'),
      // Smaller chunks load faster in a classroom browser on a Raspberry Pi.
      minify: true,
      rolldownOptions: { input: resolve(root, 'renderer/index.html') }
    },
    plugins: [vue(), cspMetaMatchesShared()]
  }
})
