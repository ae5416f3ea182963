// TanyaKerja help desk: keeps the queue and the open conversation fresh without a reload.
// The server renders every fragment (escaped by Jinja2); this file only swaps them in and polls.
(() => {
  "use strict";
  const QUEUE_MS = 5000;
  const LINES_MS = 3000;
  const baseTitle = document.title;

  function fragment(html) {
    const t = document.createElement("template");
    t.innerHTML = html;  // server-rendered and autoescaped; never text typed in this page
    return t.content;
  }
  async function getJSON(url) {
    const r = await fetch(url, {credentials: "same-origin", headers: {"accept": "application/json"}});
    if (r.status === 401) { window.location.reload(); return null; }  // the session ended: the login page
    if (!r.ok) return null;
    return r.json();
  }

  // "14:05": the clock the server writes next to every time (helpdesk/render.py wib), in WIB (UTC+7)
  // whatever the browser's own time zone.
  const wibClock = date => {
    const local = new Date(date.getTime() + 7 * 3600 * 1000);
    const pad = n => String(n).padStart(2, "0");
    return pad(local.getUTCHours()) + ":" + pad(local.getUTCMinutes());
  };

  // The queue: new escalations and new user messages appear by themselves.
  const rows = document.getElementById("queue-rows");
  if (rows) {
    const seen = new Set([...rows.querySelectorAll("tr[data-id]")].map(tr => tr.dataset.id));
    const status = document.getElementById("poll-status");
    const setCount = (id, n) => { const el = document.getElementById(id); if (el) el.textContent = String(n); };
    let version = "";
    async function refreshQueue() {
      try {
        const data = await getJSON(rows.dataset.poll + "&v=" + encodeURIComponent(version));
        if (!data) return;
        version = data.v || "";
        if (status) status.textContent = "Diperbarui " + wibClock(new Date()) + ".";
        if (data.unchanged) return;
        rows.replaceChildren(fragment(data.html));
        for (const tr of rows.querySelectorAll("tr[data-id]")) {
          if (!seen.has(tr.dataset.id)) { tr.classList.add("new"); seen.add(tr.dataset.id); }
        }
        setCount("count-mine", data.counts.waiting_for_me);
        setCount("count-open", data.counts.unclaimed);
        setCount("count-urgent", data.counts.urgent);
        const waiting = data.counts.waiting_for_me + data.counts.urgent;
        document.title = (waiting ? "(" + waiting + ") " : "") + baseTitle;
      } catch (e) {
        if (status) status.textContent = "Koneksi terputus; mencoba lagi…";
      }
    }
    setInterval(refreshQueue, QUEUE_MS);
  }

  // A conversation: new lines are appended; a change of status or holder is announced.
  const lines = document.getElementById("lines");
  if (lines) {
    const nearBottom = () => lines.scrollHeight - lines.scrollTop - lines.clientHeight < 80;
    lines.scrollTop = lines.scrollHeight;
    async function refreshLines() {
      try {
        const data = await getJSON(lines.dataset.poll + "?after=" + encodeURIComponent(lines.dataset.cursor));
        if (!data) return;
        const stick = nearBottom();
        let added = false;
        for (const li of fragment(data.html).querySelectorAll("li[data-id]")) {
          // a line already shown is skipped; one that committed late goes where its id puts it
          if (lines.querySelector('li[data-id="' + li.dataset.id + '"]')) continue;
          const id = Number(li.dataset.id);
          const next = [...lines.querySelectorAll("li[data-id]")].find(x => Number(x.dataset.id) > id);
          li.classList.add("new");
          lines.insertBefore(li, next || null);
          added = true;
        }
        if (added) {
          if (stick) lines.scrollTop = lines.scrollHeight;
          document.title = "• " + baseTitle;
        }
        lines.dataset.cursor = String(data.cursor);  // opaque: sent back as it came
        if (data.state !== lines.dataset.state) document.getElementById("state-changed").hidden = false;
      } catch (e) { /* offline for a moment: the next poll catches up */ }
    }
    window.addEventListener("focus", () => { document.title = baseTitle; });
    setInterval(refreshLines, LINES_MS);
  }

  // Ctrl+Enter (or Cmd+Enter) sends the reply.
  const reply = document.getElementById("reply-text");
  if (reply) {
    reply.addEventListener("keydown", e => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) { e.preventDefault(); reply.form.requestSubmit(); }
    });
  }
  // A form is sent once: a double click does not claim or reply twice.
  for (const form of document.querySelectorAll("form[method=post]")) {
    form.addEventListener("submit", () => {
      for (const b of form.querySelectorAll("button[type=submit]")) b.disabled = true;
    });
  }
})();
