// The chat simulator: send without reloading, and keep the chat live by polling its parts (messages, LINE quick
// replies, the menu). Without this script the forms still work, one page load at a time.
"use strict";

(() => {
  const form = document.getElementById("send");
  if (!form) return;
  const notice = document.getElementById("notice");
  const shown = {};
  const POLL_MS = 1000;

  const scrollDown = () => {
    const messages = document.getElementById("messages");
    messages.scrollTop = messages.scrollHeight;
  };

  // Replace a part only when it changed, keeping an opened or closed menu as the person left it.
  const show = (name, html) => {
    if (shown[name] === html) return false;
    shown[name] = html;
    const part = document.getElementById(name);
    const menu = part.querySelector("details");
    const open = menu ? menu.open : null;
    part.innerHTML = html;
    const fresh = part.querySelector("details");
    if (fresh && open !== null) fresh.open = open;
    return true;
  };

  let busy = false;
  const refresh = async () => {
    if (busy) return;
    busy = true;
    try {
      const response = await fetch(form.dataset.parts, { cache: "no-store" });
      if (response.ok) {
        const parts = await response.json();
        let changed = false;
        for (const [name, html] of Object.entries(parts)) changed = show(name, html) || changed;
        if (changed) scrollDown(); // new messages, or quick replies or a menu taking room from them
      }
    } catch (_) {
      // The service restarting: the next poll tries again.
    } finally {
      busy = false;
    }
  };

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = new FormData(form, event.submitter);
    const typed = form.elements.typed;
    if (!event.submitter || event.submitter.classList.contains("send")) typed.value = "";
    // Telegram closes its command list once a command is chosen; LINE's rich menu stays open.
    const commands = event.submitter && event.submitter.closest(".command-menu");
    if (commands) commands.open = false;
    notice.textContent = "";
    try {
      const response = await fetch(form.action, { method: "POST", body, headers: { Accept: "application/json" } });
      const answer = await response.json();
      notice.textContent = answer.notice || answer.detail || "";
    } catch (error) {
      notice.textContent = String(error);
    }
    await refresh();
    typed.focus();
  });

  scrollDown();
  setInterval(refresh, POLL_MS);
})();
