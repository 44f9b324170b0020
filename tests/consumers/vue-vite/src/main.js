import { createApp } from "vue";
import "keet-link/element";
import App from "./App.vue";

createApp(App).mount("#app");
