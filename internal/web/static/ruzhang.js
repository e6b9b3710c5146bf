// DataLex 入表指南: add cost rows, download a visitor's case, and the
// 问一问 box (question + case → POST /api/v1/ruzhang/ask → cited answer).
// Plain JavaScript, no build step; the pages work without it except 问一问.
"use strict";

(function () {
  function csrf() {
    const m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.content : "";
  }

  // ---- cost table: one more blank row ----
  const add = document.getElementById("rz-add-cost");
  if (add) {
    add.addEventListener("click", () => {
      const body = document.getElementById("rz-cost-rows");
      const rows = body.querySelectorAll("tr.rz-cost-row");
      const last = rows[rows.length - 1];
      const n = rows.length;
      const row = last.cloneNode(true);
      row.querySelectorAll(".rz-err").forEach((e) => e.remove());
      row.querySelectorAll("input, select").forEach((el) => {
        el.removeAttribute("aria-invalid");
        if (el.type === "checkbox") {
          el.checked = false;
          el.value = String(n);
        } else if (el.tagName === "SELECT") {
          el.selectedIndex = 0;
        } else {
          el.value = "";
        }
        if (el.id) el.id = el.id.replace(/\d+$/, String(n));
      });
      row.querySelectorAll("label[for]").forEach((l) => {
        l.htmlFor = l.htmlFor.replace(/\d+$/, String(n));
        l.textContent = l.textContent.replace(/\d+/, String(n + 1));
      });
      body.appendChild(row);
      const first = row.querySelector("select");
      if (first) first.focus();
    });
  }

  // ---- visitors: download the case JSON kept in the page ----
  document.querySelectorAll("[data-rz-download]").forEach((b) => {
    b.addEventListener("click", () => {
      let text = b.dataset.rzDownload;
      try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (e) { /* keep as is */ }
      const blob = new Blob([text + "\n"], { type: "application/json" });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(blob);
      a.download = "ruzhang-case.json";
      document.body.appendChild(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 0);
    });
  });

  // ---- visitors: keep the case in this browser so a reload loses nothing ----
  const page = document.querySelector(".rz-case[data-visitor]");
  const KEY = "datalex.ruzhang.visitor";
  if (page) {
    const stateInput = document.querySelector("#rz-edit-form input[name=state]");
    const state = stateInput ? stateInput.value : "";
    let saved = null;
    try { saved = localStorage.getItem(KEY); } catch (e) { /* private mode */ }
    if (page.dataset.done !== "0") {
      try { localStorage.setItem(KEY, state); } catch (e) { /* private mode */ }
    } else if (saved) {
      let name = "";
      try { name = JSON.parse(saved).name || ""; } catch (e) { saved = null; }
      if (saved) {
        const form = document.createElement("form");
        form.method = "post";
        form.action = "/ruzhang/try/answer";
        form.className = "banner catalogue rz-resume rz-noprint";
        const st = document.createElement("input");
        st.type = "hidden"; st.name = "state"; st.value = saved;
        const tok = document.createElement("input");
        tok.type = "hidden"; tok.name = "csrf"; tok.value = csrf();
        const go = document.createElement("button");
        go.type = "submit"; go.className = "btn small";
        go.textContent = "继续上次未保存的案例" + (name ? "：" + name : "");
        const drop = document.createElement("button");
        drop.type = "button"; drop.className = "linkish";
        drop.textContent = "丢弃";
        drop.addEventListener("click", () => {
          try { localStorage.removeItem(KEY); } catch (e) { /* ignore */ }
          form.remove();
        });
        form.append(st, tok, "本浏览器中保存着上次的答案。 ", go, " ", drop);
        const grid = page.querySelector(".rz-grid");
        page.insertBefore(form, grid);
      }
    }
  }

  // ---- 问一问 ----
  function provisionLink(c, text) {
    const a = document.createElement("a");
    a.href = "/provisions/" + encodeURIComponent(c.provision_id);
    a.textContent = text;
    a.title = (c.document || "") + " " + (c.label || "");
    return a;
  }

  function renderAnswer(el, ans) {
    el.textContent = "";
    const citations = ans.citations || [];
    const byN = {};
    citations.forEach((c) => { byN[c.n] = c; });
    const p = document.createElement("div");
    p.className = "rz-ask-text";
    String(ans.answer || "").split(/(\[\d+\])/).forEach((part) => {
      const m = /^\[(\d+)\]$/.exec(part);
      if (m && byN[m[1]]) {
        const chip = provisionLink(byN[m[1]], m[1]);
        chip.className = "chip";
        p.appendChild(chip);
      } else {
        p.appendChild(document.createTextNode(part));
      }
    });
    el.appendChild(p);
    const list = citations.length ? citations : (ans.closest || []);
    if (list.length) {
      const ol = document.createElement("ol");
      ol.className = "sources";
      ol.setAttribute("aria-label", citations.length ? "来源" : "最接近的条文");
      list.forEach((c) => {
        const li = document.createElement("li");
        if (c.n) li.value = c.n;
        li.appendChild(provisionLink(c, (c.document || "") + " " + (c.label || "")));
        ol.appendChild(li);
      });
      el.appendChild(ol);
    }
  }

  document.querySelectorAll(".rz-ask-form").forEach((form) => {
    const box = form.parentElement.querySelector(".rz-ask-answer");
    const input = form.querySelector("textarea");
    const button = form.querySelector("button");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const question = input.value.trim();
      if (!question) { input.focus(); return; }
      let kase = null;
      try { kase = JSON.parse(form.dataset.case || "null"); } catch (err) { kase = null; }
      button.disabled = true;
      box.classList.add("pending");
      box.textContent = "正在检索条文并作答…";
      try {
        const resp = await fetch("/api/v1/ruzhang/ask", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-CSRF-Token": csrf() },
          body: JSON.stringify({ question: question, case: kase }),
        });
        const data = await resp.json();
        if (!resp.ok) throw new Error(data.error || "问答失败");
        renderAnswer(box, data.answer || {});
      } catch (err) {
        box.textContent = "问答失败：" + err.message;
      } finally {
        box.classList.remove("pending");
        button.disabled = false;
      }
    });
  });

  // Bring the first field with an error into view.
  const bad = document.querySelector('.rz [aria-invalid="true"]');
  if (bad) bad.focus();
})();
