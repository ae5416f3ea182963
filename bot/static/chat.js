// TanyaKerja web chat: a small client of POST /api/chat and GET /api/chat/updates.
// Every text is inserted with textContent; links are built element by element, never from HTML.
(() => {
  "use strict";
  const log = document.getElementById("log");
  const form = document.getElementById("form");
  const input = document.getElementById("text");
  const KEY = "tanyakerja-user-id";
  const POLL_MS = 5000;
  let userId = localStorage.getItem(KEY);
  if (!userId) {
    userId = "web-" + (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2));
    localStorage.setItem(KEY, userId);
  }
  let cursor = null;  // opaque: sent back exactly as the server gave it
  const shownIds = new Set();  // lines already on screen: one that comes twice is shown once
  const WELCOME = {
    text: "Halo! Saya TanyaKerja 👋 Saya bisa cek PT/agen penempatan kerja ke luar negeri, mencari lowongan dan " +
          "pelatihan, dan membantu kalau Anda dalam bahaya. Pilih di bawah atau tulis pertanyaan Anda.",
    buttons: [
      {title: "Cek PT/agen resmi", payload: "/check_agency"},
      {title: "Cari lowongan", payload: "/search_vacancy"},
      {title: "Cari pelatihan", payload: "/search_training"},
      {title: "🚨 Darurat", payload: "/report_emergency"},
      {title: "Menu bantuan", payload: "/ask_help"},
    ],
  };
  // https/http links and phone numbers (0800-1000, +62 21 2924 4800, 0811-8080-141) become tappable.
  const LINK = /(https?:\/\/[^\s<>"')]+[^\s<>"').,;:!?])|((?:\+62|0)\d{1,4}(?:[ -]?\d{2,4}){1,3}\d)/g;

  function appendLinked(el, text) {
    let last = 0;
    for (const m of text.matchAll(LINK)) {
      if (m.index > last) el.appendChild(document.createTextNode(text.slice(last, m.index)));
      const a = document.createElement("a");
      a.textContent = m[0];
      if (m[1]) {
        try {
          const url = new URL(m[1]);
          if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error("scheme");
          a.href = url.href; a.target = "_blank"; a.rel = "noopener noreferrer";
        } catch (e) { el.appendChild(document.createTextNode(m[0])); last = m.index + m[0].length; continue; }
      } else {
        a.href = "tel:" + m[2].replace(/[^\d+]/g, "");
      }
      el.appendChild(a);
      last = m.index + m[0].length;
    }
    if (last < text.length) el.appendChild(document.createTextNode(text.slice(last)));
  }
  function add(cls, text, who) {
    const div = document.createElement("div");
    div.className = "msg " + cls;
    if (who) { const w = document.createElement("span"); w.className = "who"; w.textContent = who; div.appendChild(w); }
    if (cls === "me" || cls === "status") div.appendChild(document.createTextNode(text)); else appendLinked(div, text);
    log.appendChild(div);
    return div;
  }
  function addButtons(buttons) {
    const row = document.createElement("div");
    row.className = "buttons";
    for (const b of buttons) {
      const btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = b.title;
      if (b.payload === "/report_emergency") btn.className = "urgent";
      btn.addEventListener("click", () => {
        row.querySelectorAll("button").forEach(x => { x.disabled = true; });
        send(b.payload, b.title);
      });
      row.appendChild(btn);
    }
    log.appendChild(row);
    return row;
  }
  function showReplies(replies, cls, who) {
    let first = null;
    for (const reply of replies) {
      const el = reply.text ? add(cls, reply.text, who) : null;
      const row = reply.buttons && reply.buttons.length ? addButtons(reply.buttons) : null;
      first = first || el || row;
    }
    // The start of a new answer (the verdict, the emergency heading) must be what the user sees first.
    if (first) first.scrollIntoView({block: "start", behavior: "smooth"});
  }
  async function send(text, shown) {
    const mine = add("me", shown ?? text);
    mine.scrollIntoView({block: "end"});
    const wait = add("status", "…");
    try {
      const r = await fetch("/api/chat", {method: "POST", headers: {"content-type": "application/json"},
                                          body: JSON.stringify({user_id: userId, text})});
      const data = await r.json();
      wait.remove();
      if (data.error && !data.replies) { showReplies([{text: data.message || "Maaf, pesan tidak bisa diproses."}], "bot"); return; }
      showReplies(data.replies || [], "bot");
    } catch (e) {
      wait.remove();
      showReplies([{text: "Maaf, koneksi terputus. Periksa internet Anda lalu coba lagi."}], "bot");
    }
  }
  async function restore() {
    try {
      const r = await fetch("/api/chat/updates?user_id=" + encodeURIComponent(userId));
      const data = await r.json();
      cursor = data.cursor || "0";
      const history = data.messages || [];
      if (!history.length) { showReplies([WELCOME], "bot"); return; }
      for (const m of history) {
        shownIds.add(m.id);
        if (m.from === "user") add("me", m.text.startsWith("/") ? "✓" : m.text);
        else if (m.from === "staff") add("staff", m.text, "Petugas");
        else if (m.text) add("bot", m.text);
      }
      log.scrollTop = log.scrollHeight;
    } catch (e) {
      cursor = "0";
      showReplies([WELCOME], "bot");
    }
  }
  async function poll() {
    if (cursor === null) return;
    try {
      const r = await fetch("/api/chat/updates?user_id=" + encodeURIComponent(userId) + "&after=" + encodeURIComponent(cursor));
      if (!r.ok) return;
      const data = await r.json();
      cursor = data.cursor || cursor;
      for (const m of data.messages || []) {
        if (shownIds.has(m.id)) continue;
        shownIds.add(m.id);
        showReplies([{text: m.text, buttons: m.buttons}], m.from === "staff" ? "staff" : "bot",
                    m.from === "staff" ? "Petugas" : null);
      }
    } catch (e) { /* offline for a moment: the next poll catches up */ }
  }
  form.addEventListener("submit", e => {
    e.preventDefault();
    const text = input.value;
    if (!text.trim()) { input.focus(); return; }
    input.value = "";
    send(text);
  });
  input.addEventListener("keydown", e => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
  restore();
  setInterval(poll, POLL_MS);
})();
