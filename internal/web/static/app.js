// DataLex: a little plain JavaScript — copy citations, print, confirm
// dangerous forms, and the streaming Q&A page. No framework, no build step.
"use strict";

function csrfToken() {
  const m = document.querySelector('meta[name="csrf-token"]');
  return m ? m.content : "";
}

function toast(msg) {
  const t = document.getElementById("toast");
  if (!t) return;
  t.textContent = msg;
  t.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { t.hidden = true; }, 2200);
}

async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const ta = document.createElement("textarea");
  ta.value = text;
  ta.setAttribute("readonly", "");
  ta.className = "sr";
  document.body.appendChild(ta);
  ta.select();
  document.execCommand("copy");
  ta.remove();
}

document.addEventListener("click", async (e) => {
  const cite = e.target.closest("button.cite");
  if (cite) {
    const url = cite.dataset.share ? location.origin + cite.dataset.share
      : location.origin + location.pathname + location.search + "#" + cite.dataset.anchor;
    const text = cite.dataset.cite + "（" + url + "）";
    try {
      await copyText(text);
      toast("已复制：" + cite.dataset.cite);
    } catch (err) {
      toast("复制失败，请手动复制链接");
    }
    document.body.dataset.lastCopied = text;
    return;
  }
  const copy = e.target.closest("[data-copy]");
  if (copy) {
    try {
      await copyText(copy.dataset.copy);
      toast("已复制");
    } catch (err) {
      toast("复制失败，请手动选中复制");
    }
    document.body.dataset.lastCopied = copy.dataset.copy;
    return;
  }
  if (e.target.closest("[data-print]")) {
    window.print();
  }
});

document.addEventListener("submit", (e) => {
  const msg = e.target.dataset.confirm;
  if (msg && !window.confirm(msg)) e.preventDefault();
});

// ---- 智能问答 ----
(function () {
  const form = document.getElementById("ask-form");
  if (!form) return;
  const conv = document.getElementById("conversation");
  const input = document.getElementById("question");
  const submit = document.getElementById("ask-submit");
  const histList = document.getElementById("history"); // visitors only
  const exportBtn = document.getElementById("ask-export");
  const STORE = "datalex.ask.history";
  let turns = []; // {question, answer, citations}
  let convId = conv.dataset.conversation || null; // server-side conversation
  let localId = null; // browser-side history entry
  let previous = null; // context of the last answer, for follow-ups

  function loadHistory() {
    try { return JSON.parse(localStorage.getItem(STORE) || "[]"); } catch (e) { return []; }
  }
  function saveHistory(all) {
    try { localStorage.setItem(STORE, JSON.stringify(all.slice(-30))); } catch (e) { /* private mode */ }
  }
  function renderHistory() {
    if (!histList) return;
    histList.textContent = "";
    loadHistory().slice().reverse().forEach((c) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.className = "linkish";
      b.textContent = c.turns[0] ? c.turns[0].question.slice(0, 40) : "（空）";
      b.addEventListener("click", () => showConversation(c));
      li.appendChild(b);
      histList.appendChild(li);
    });
  }
  function persist() {
    if (!histList) return; // members' conversations are kept on the server
    const all = loadHistory();
    const idx = all.findIndex((c) => c.id === localId);
    const entry = { id: localId, turns: turns, previous: previous };
    if (idx >= 0) all[idx] = entry; else all.push(entry);
    saveHistory(all);
    renderHistory();
  }

  function sourceList(citations, label) {
    const ol = document.createElement("ol");
    ol.className = "sources";
    ol.setAttribute("aria-label", label);
    citations.forEach((c) => {
      const li = document.createElement("li");
      if (c.n) li.value = c.n;
      const a = document.createElement("a");
      a.href = "/provisions/" + encodeURIComponent(c.provision_id);
      a.textContent = (c.document || "") + " " + (c.label || "");
      li.appendChild(a);
      const warn = (c.warnings && c.warnings.length) ? c.warnings.join("、") : c.status;
      if (warn) {
        const s = document.createElement("span");
        s.className = "status st-unknown";
        s.textContent = warn;
        li.append(" ", s);
      }
      if (c.superseded_by) {
        const s = document.createElement("span");
        s.className = "status st-superseded";
        s.textContent = "已由" + c.superseded_by + "取代";
        li.append(" ", s);
      }
      if (c.supersedes) {
        const s = document.createElement("span");
        s.className = "status st-current";
        s.textContent = "现行规定，取代" + c.supersedes;
        li.append(" ", s);
      }
      if (c.quote) {
        const q = document.createElement("q");
        q.textContent = c.quote;
        li.appendChild(q);
      }
      ol.appendChild(li);
    });
    return ol;
  }

  // Render an answer: [n] markers become chips linking to the provision.
  function renderAnswer(el, ans) {
    el.textContent = "";
    const citations = ans.citations || [];
    const byN = {};
    citations.forEach((c) => { byN[c.n] = c; });
    if (ans.notice) {
      const n = document.createElement("p");
      n.className = "notice";
      n.textContent = ans.notice;
      el.appendChild(n);
    }
    if (ans.conclusion && !/^结论：/.test(String(ans.answer || ""))) {
      const c = document.createElement("p");
      c.className = "conclusion";
      const strong = document.createElement("strong");
      strong.textContent = "结论：";
      c.append(strong, ans.conclusion);
      el.appendChild(c);
    }
    String(ans.answer || "").split(/(\[\d+\])/).forEach((p) => {
      const m = /^\[(\d+)\]$/.exec(p);
      if (m && byN[m[1]]) {
        const c = byN[m[1]];
        const a = document.createElement("a");
        a.className = "chip";
        a.href = "/provisions/" + encodeURIComponent(c.provision_id);
        a.textContent = m[1];
        a.title = (c.document || "") + " " + (c.label || "");
        el.appendChild(a);
      } else {
        el.appendChild(document.createTextNode(p));
      }
    });
    if (citations.length) el.appendChild(sourceList(citations, "来源"));
    if (ans.refused && ans.closest && ans.closest.length) {
      const h = document.createElement("p");
      h.className = "muted small";
      h.textContent = "最接近的条文：";
      el.append(h, sourceList(ans.closest, "最接近的条文"));
    }
  }

  function addTurnElements(question) {
    const q = document.createElement("div");
    q.className = "turn-q";
    q.textContent = question;
    const a = document.createElement("div");
    a.className = "turn-a pending";
    conv.append(q, a);
    return a;
  }

  function showConversation(saved) {
    conv.textContent = "";
    localId = saved.id;
    previous = saved.previous || null;
    turns = saved.turns.slice();
    turns.forEach((t) => {
      const a = addTurnElements(t.question);
      a.classList.remove("pending");
      renderAnswer(a, { answer: t.answer, citations: t.citations });
    });
    exportBtn.hidden = turns.length === 0;
  }

  // Parse a Server-Sent Events stream from fetch().
  async function readSSE(resp, onEvent) {
    const reader = resp.body.getReader();
    const dec = new TextDecoder();
    let buf = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += dec.decode(value, { stream: true });
      let i;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        let ev = "message", data = "";
        block.split("\n").forEach((line) => {
          if (line.startsWith("event:")) ev = line.slice(6).trim();
          else if (line.startsWith("data:")) data += line.slice(5).trim();
        });
        let parsed = null;
        try { parsed = data ? JSON.parse(data) : null; } catch (e) { continue; }
        onEvent(ev, parsed);
      }
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const question = input.value.trim();
    if (!question) return;
    if (!localId) localId = String(Date.now());
    submit.disabled = true;
    const el = addTurnElements(question);
    let text = "";
    let final = null;
    let failure = null;
    try {
      const body = { question: question };
      if (convId) body.conversation_id = convId;
      if (previous) body.previous = previous;
      const resp = await fetch("/api/v1/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "text/event-stream", "X-CSRF-Token": csrfToken() },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
      if (!resp.ok) {
        let msg = "问答失败（" + resp.status + "）";
        try { msg = (await resp.json()).error || msg; } catch (err) { /* not JSON */ }
        throw new Error(msg);
      }
      await readSSE(resp, (ev, data) => {
        if (ev === "delta" && data && data.text) { text += data.text; el.textContent = text; }
        else if (ev === "notice") { text = ""; el.textContent = (data && data.text) || ""; }
        else if (ev === "done") { final = data; }
        else if (ev === "error") { failure = (data && data.error) || "问答失败"; }
      });
      if (failure) throw new Error(failure);
      if (!final) throw new Error("回答被中断，请重试。");
      el.classList.remove("pending");
      renderAnswer(el, final);
      if (final.conversation_id) convId = final.conversation_id;
      if (final.context) previous = final.context;
      turns.push({ question: question, answer: final.answer, citations: final.citations || [] });
      persist();
      input.value = "";
      exportBtn.hidden = false;
    } catch (err) {
      el.classList.remove("pending");
      el.classList.add("alert");
      el.textContent = err.message || "问答失败";
    } finally {
      submit.disabled = false;
    }
  });

  document.getElementById("ask-new").addEventListener("click", () => {
    convId = null;
    localId = null;
    previous = null;
    turns = [];
    conv.textContent = "";
    exportBtn.hidden = true;
    input.focus();
  });

  exportBtn.addEventListener("click", () => {
    let md = "# DataLex 智能问答\n\n";
    turns.forEach((t) => {
      md += "## 问：" + t.question + "\n\n" + t.answer + "\n\n";
      (t.citations || []).forEach((c) => {
        md += "[" + c.n + "] " + (c.document || "") + " " + (c.label || "") + " — " + location.origin + "/provisions/" + c.provision_id + "\n";
      });
      md += "\n";
    });
    const blob = new Blob([md], { type: "text/markdown;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "datalex-问答.md";
    a.click();
    URL.revokeObjectURL(a.href);
  });

  // A stored conversation rendered by the server: upgrade its answers to
  // chips and keep them for export and follow-ups.
  let lastQuestion = "";
  conv.querySelectorAll(".turn-q, .turn-a").forEach((el) => {
    if (el.classList.contains("turn-q")) { lastQuestion = el.textContent; return; }
    let citations = [];
    try { citations = JSON.parse(el.dataset.citations || "[]") || []; } catch (e) { /* keep plain text */ }
    renderAnswer(el, { answer: el.dataset.answer, citations: citations });
    turns.push({ question: lastQuestion, answer: el.dataset.answer, citations: citations });
  });
  exportBtn.hidden = turns.length === 0;

  renderHistory();
})();
