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

// A form marked data-reach="URL" (the announcement's segment form) asks URL for its recipient counts and LINE
// quota whenever a field changes, and shows the answer in its <output>.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-reach]")) {
    const out = form.querySelector("output.reach");
    let asked = 0;
    const ask = async () => {
      const mine = ++asked;
      const query = new URLSearchParams();
      for (const field of form.querySelectorAll("fieldset.segment [name]")) query.set(field.name, field.value);
      try {
        const answer = await fetch(`${form.dataset.reach}?${query}`, {credentials: "same-origin", cache: "no-store"});
        const html = await answer.text();
        if (mine === asked) out.innerHTML = html;  // an older, slower answer never replaces a newer one
      } catch (err) { /* offline for a moment: the next change asks again */ }
    };
    let timer = 0;
    form.querySelector("fieldset.segment").addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(ask, 250);
    });
    ask();
  }
});
