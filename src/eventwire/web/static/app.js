// eventwire UI: highlight toggles and the evidence panel of the article view.  No framework, no network:
// the article's data is read from the JSON block the server rendered into the page.
// Untrusted strings are only ever assigned with textContent, never innerHTML.
"use strict";

(function () {
  const text = document.getElementById("text");
  const dataNode = document.getElementById("ew-data");
  if (!text || !dataNode) return;
  const data = JSON.parse(dataNode.textContent);
  const byId = (list) => Object.fromEntries(list.map((x) => [x.id, x]));
  const ents = byId(data.entities), atts = byId(data.attributions), evts = byId(data.events || []);
  const tims = byId(data.times);
  const detail = document.getElementById("detail");

  // layer toggles
  const layers = document.querySelectorAll("#layers input[data-layer]");
  const apply = () => layers.forEach((box) => text.classList.toggle("show-" + box.dataset.layer, box.checked));
  layers.forEach((box) => box.addEventListener("change", apply));
  apply();

  function el(tag, content, cls) {
    const node = document.createElement(tag);
    if (content !== undefined && content !== null) node.textContent = String(content);
    if (cls) node.className = cls;
    return node;
  }
  function link(href, label) { const a = el("a", label); a.href = href; return a; }
  function rows(pairs) {
    const dl = el("dl");
    for (const [k, v] of pairs) {
      if (v === null || v === undefined || v === "") continue;
      dl.append(el("dt", k));
      const dd = el("dd");
      if (v instanceof Node) dd.append(v); else dd.textContent = String(v);
      dl.append(dd);
    }
    return dl;
  }
  const words = (s) => (s ? "“" + s.text + "” [" + s.start + ", " + s.end + ")" : null);
  const argOf = (a) => {
    if (!a) return null;
    const label = (a.name || (a.span && a.span.text) || "") + (a.country ? " (" + a.country + ")" : "");
    return a.key ? link("/entities/" + encodeURIComponent(a.key).replace(/%3A/g, ":"), label) : label;
  };

  function show(ref) {
    const [kind, id] = ref.split(":");
    detail.replaceChildren();
    if (kind === "ent") {
      const e = ents[id];
      detail.append(el("h4", e.name), rows([["type", e.type], ["country", e.country], ["kb id", e.kb_id],
        ["mentions", e.mentions.map((m) => m.text).join(" · ")], ["all articles", link(e.url, e.key)]]));
    } else if (kind.startsWith("att")) {
      const a = atts[id];
      detail.append(el("h4", "Attribution " + a.id), rows([["source", words(a.source)],
        ["anonymous", a.anonymous ? (a.anonymous_description || "yes") : null], ["cue", words(a.cue)],
        ["content", a.content.map((c) => c.text).join(" … ")], ["kind", a.kind], ["factuality", a.factuality],
        ["via", a.via], ["confidence", a.confidence]]));
    } else if (kind.startsWith("evt")) {
      const v = evts[id];
      detail.append(el("h4", v.type + (v.mode ? " · " + v.mode : "")), rows([["trigger", words(v.trigger)],
        ["actor", argOf(v.actor)], ["target", argOf(v.target)], ["date", v.date ? v.date.value + " (" + v.date.source + ")" : null],
        ["place", v.place ? v.place.name + (v.place.country ? " (" + v.place.country + ")" : "") : null],
        ["factuality", v.factuality], ["reported by", v.attribution], ["confidence", v.confidence]]));
    } else if (kind === "tim") {
      const t = tims[id];
      detail.append(el("h4", "Time " + t.id), rows([["words", words(t)], ["value", t.value], ["type", t.type],
        ["precision", t.precision]]));
    }
    focus(kind.split("-")[0], id);
  }

  function focus(kind, id) {
    text.querySelectorAll(".seg.focus").forEach((s) => s.classList.remove("focus"));
    let first = null;
    text.querySelectorAll(".seg").forEach((s) => {
      const hit = s.dataset.refs.split(" ").some((r) => { const [k, i] = r.split(":"); return i === id && k.split("-")[0] === kind; });
      if (hit) { s.classList.add("focus"); if (!first) first = s; }
    });
    if (first) first.scrollIntoView({ block: "nearest", behavior: "smooth" });
  }

  // most specific annotation first: an event or a cue inside a quote, an entity inside both
  const rank = ["evt", "att-cue", "att-src", "ent", "evt-actor", "evt-target", "tim", "att-con"];
  text.addEventListener("click", (ev) => {
    const seg = ev.target.closest(".seg");
    if (!seg) return;
    const visible = seg.dataset.refs.split(" ").filter((r) => text.classList.contains("show-" + r.split(/[-:]/)[0]));
    visible.sort((a, b) => rank.indexOf(a.split(":")[0]) - rank.indexOf(b.split(":")[0]));
    if (visible.length) show(visible[0]);
  });
  document.querySelectorAll("button.ref").forEach((b) => b.addEventListener("click", () => show(b.dataset.ref)));
  if (location.hash.length > 1) {
    const [k, ...rest] = location.hash.slice(1).split("-");
    const id = rest.join("-");
    if ({ ent: ents, att: atts, evt: evts }[k] && ({ ent: ents, att: atts, evt: evts }[k])[id]) show(k + ":" + id);
  }
})();
