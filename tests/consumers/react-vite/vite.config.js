// No @vitejs/plugin-react: esbuild compiles the JSX.
export default {
  esbuild: { jsx: "automatic" },
  build: { outDir: "dist", emptyOutDir: true },
};
