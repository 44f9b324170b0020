/*! keet-link: the classic-script build. Defines window.KeetLink with
 *  create(config), useKeetLink(config) and configure(options).
 *  Safe to include twice; finds keet_link_bg.wasm next to this file. */
(function () {
  "use strict";
  if (typeof window === "undefined" || window.KeetLink) return;
  var ownSrc = document.currentScript ? document.currentScript.src : location.href;
