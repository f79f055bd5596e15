// Parts of a page marked data-live="URL" are fetched again every few seconds and swapped in place, so boards and
// ledgers update without a reload. No framework, nothing from a CDN.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const part of document.querySelectorAll("[data-live]")) {
    const every = Number(part.dataset.every || 5000);
    setInterval(async () => {
      try {
        const answer = await fetch(part.dataset.live, {credentials: "same-origin", cache: "no-store"});
        if (answer.ok) part.innerHTML = await answer.text();
      } catch (err) { /* offline for a moment: the next round tries again */ }
    }, every);
  }
});
