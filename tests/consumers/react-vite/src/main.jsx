import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { configure } from "keet-link/react";
import { App } from "./App.jsx";

// Code written against Keet's docs passes no apiBaseUrl: point every
// handle at the sandbox once, here in the entry file (the demo backend
// says where the sandbox's API is).
fetch("/demo/config")
  .then((response) => response.json())
  .then(({ apiBaseUrl }) => {
    configure({ apiBaseUrl });
    createRoot(document.getElementById("root")).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  });
