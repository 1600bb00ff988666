(function () {
  "use strict";
  var ids = { rule: "f-rule", sev: "f-sev", status: "f-status", kind: "f-kind", org: "f-org", q: "f-text" };
  var rows = Array.prototype.slice.call(document.querySelectorAll("#docs tbody tr"));
  var count = document.getElementById("count");
  function field(k) { return document.getElementById(ids[k]); }
  function state() {
    var s = {};
    Object.keys(ids).forEach(function (k) { s[k] = field(k).value; });
    return s;
  }
  function fromHash() {
    var p = new URLSearchParams(location.hash.slice(1));
    Object.keys(ids).forEach(function (k) {
      var v = p.get(k) || "";
      var el = field(k);
      if (el.tagName === "SELECT" && v && !Array.prototype.some.call(el.options, function (o) { return o.value === v; })) {
        var o = document.createElement("option"); o.value = v; o.textContent = v; el.appendChild(o);
      }
      el.value = v;
    });
  }
  function toHash(s) {
    var p = new URLSearchParams();
    Object.keys(s).forEach(function (k) { if (s[k]) p.set(k, s[k]); });
    var h = p.toString();
    history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
  }
  function apply() {
    var s = state(), shown = 0, q = s.q.trim().toLowerCase();
    rows.forEach(function (tr) {
      var d = tr.dataset, ok = true;
      if (s.rule && (" " + d.rules + " ").indexOf(" " + s.rule + " ") < 0) ok = false;
      if (ok && s.sev) ok = s.sev === "none" ? d.sev === "" : (" " + d.sev + " ").indexOf(" " + s.sev + " ") >= 0;
      if (ok && s.status && d.status !== s.status) ok = false;
      if (ok && s.kind && d.kind !== s.kind) ok = false;
      if (ok && s.org && d.org !== s.org) ok = false;
      if (ok && q && d.text.toLowerCase().indexOf(q) < 0) ok = false;
      tr.hidden = !ok;
      if (ok) shown++;
    });
    count.textContent = "显示 " + shown + " / " + rows.length + " 个文件";
    toHash(s);
  }
  Object.keys(ids).forEach(function (k) {
    field(k).addEventListener(k === "q" ? "input" : "change", apply);
  });
  window.addEventListener("hashchange", function () { fromHash(); apply(); });
  document.querySelectorAll("#docs th").forEach(function (th, col) {
    th.addEventListener("click", function () {
      var asc = th.getAttribute("aria-sort") !== "ascending";
      document.querySelectorAll("#docs th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var num = th.dataset.type === "num";
      var key = function (tr) {
        var t = tr.children[col].textContent.trim();
        return num ? (parseFloat(t) || 0) : t;
      };
      rows.sort(function (a, b) {
        var x = key(a), y = key(b);
        var c = num ? x - y : String(x).localeCompare(String(y), "zh-CN");
        return asc ? c : -c;
      });
      var body = document.querySelector("#docs tbody");
      rows.forEach(function (tr) { body.appendChild(tr); });
    });
  });
  fromHash();
  apply();
})();
