import vue from "@vitejs/plugin-vue";

// Two pages: the Vue app (index.html) and the "." entry with no framework
// (bundler.html). No plugin for the wasm: the in-page build's
// `new URL("…wasm", import.meta.url)` is something Vite handles itself.
export default {
  plugins: [vue({ template: { compilerOptions: { isCustomElement: (tag) => tag === "keet-link" } } })],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    rollupOptions: { input: { main: "index.html", bundler: "bundler.html" } },
  },
};
