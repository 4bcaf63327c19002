/* Ereje — the API's docs page. Reads this server's /openapi.json and lists the operations (parameters,
   request bodies, responses with their headers) and the schemas, with links between them. Vanilla JS,
   no build step, nothing fetched but /openapi.json; every text is set as text, never as HTML. */
"use strict";

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (v === true) node.setAttribute(k, "");
    else node.setAttribute(k, String(v));
  }
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

/* Markdown's `code` and paragraphs, nothing else: the descriptions are ours, but are shown as text. */
function prose(text, cls = "desc") {
  const out = [];
  for (const para of String(text || "").split(/\n\s*\n/)) {
    if (!para.trim()) continue;
    const p = el("p", { class: cls });
    para.split("`").forEach((part, i) => p.append(i % 2 ? el("code", {}, part) : document.createTextNode(part)));
    out.push(p);
  }
  return out;
}

function refName(ref) {
  return String(ref).split("/").pop();
}

function schemaLink(name) {
  return el("a", { href: `#schema-${name}` }, name);
}

/* A schema in a line: a link for a $ref, `array of …`, `a | b`, the enum's values. */
function typeOf(schema) {
  if (!schema || typeof schema !== "object") return [String(schema === true ? "any" : "nothing")];
  if (schema.$ref) return [schemaLink(refName(schema.$ref))];
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    if (Array.isArray(schema[key])) {
      const parts = [];
      schema[key].forEach((s, i) => {
        if (i) parts.push(key === "allOf" ? " & " : " | ");
        parts.push(...typeOf(s));
      });
      return parts;
    }
  }
  const t = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type;
  if (t === "array") return ["array of ", ...typeOf(schema.items || true)];
  if (t === "object" && schema.additionalProperties && typeof schema.additionalProperties === "object") {
    return ["map of ", ...typeOf(schema.additionalProperties)];
  }
  const parts = [t || ("const" in schema ? "constant" : "any")];
  if (schema.format) parts.push(` (${schema.format})`);
  return parts;
}

function constraints(schema) {
  if (!schema || typeof schema !== "object") return [];
  const out = [];
  if (Array.isArray(schema.enum)) out.push(`one of: ${schema.enum.map((v) => JSON.stringify(v)).join(", ")}`);
  if ("const" in schema) out.push(`= ${JSON.stringify(schema.const)}`);
  if (schema.pattern) out.push(`pattern ${schema.pattern}`);
  for (const [k, word] of [["minimum", "≥"], ["maximum", "≤"], ["minLength", "length ≥"], ["maxLength", "length ≤"], ["maxItems", "items ≤"]]) {
    if (k in schema) out.push(`${word} ${schema[k]}`);
  }
  if ("default" in schema) out.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.propertyNames && Array.isArray(schema.propertyNames.enum)) {
    out.push(`keys: ${schema.propertyNames.enum.join(", ")}`);
  }
  return out.length ? [el("div", { class: "enum" }, out.join("; "))] : [];
}

function table(head, rows) {
  return el(
    "table",
    {},
    el("thead", {}, el("tr", {}, head.map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows),
  );
}

function parameters(params) {
  if (!params || !params.length) return [];
  const rows = params.map((p) =>
    el(
      "tr",
      {},
      el("td", { class: "name" }, el("code", {}, p.name), p.required ? el("span", { class: "req" }, "required") : null),
      el("td", {}, p.in),
      el("td", { class: "type" }, typeOf(p.schema), constraints(p.schema)),
      el("td", {}, prose(p.description)),
    ),
  );
  return [el("h3", {}, "Parameters"), table(["name", "in", "type", "description"], rows)];
}

function requestBody(body) {
  if (!body) return [];
  const rows = Object.entries(body.content || {}).map(([media, c]) =>
    el("tr", {}, el("td", {}, el("code", {}, media)), el("td", { class: "type" }, typeOf(c.schema))),
  );
  return [
    el("h3", {}, "Request body", body.required ? el("span", { class: "req" }, "required") : null),
    ...prose(body.description),
    table(["content type", "schema"], rows),
  ];
}

function responses(resps) {
  const rows = Object.entries(resps || {}).map(([status, r]) => {
    const content = Object.entries(r.content || {}).map(([media, c]) =>
      el("div", {}, el("code", {}, media), " ", el("span", { class: "type" }, typeOf(c.schema))),
    );
    const headers = Object.keys(r.headers || {}).map((h) => el("div", {}, "header ", el("code", {}, h)));
    return el("tr", {}, el("td", {}, el("code", {}, status)), el("td", {}, prose(r.description)), el("td", {}, content, headers));
  });
  return [el("h3", {}, "Responses"), table(["status", "description", "content"], rows)];
}

function opId(method, path) {
  return `op-${method}-${path.replace(/[^A-Za-z0-9]+/g, "-")}`;
}

function operation(method, path, op) {
  return el(
    "article",
    { class: "op", id: opId(method, path), "data-method": method, "data-path": path },
    el("h2", { class: "op-head" }, el("span", { class: `method method-${method}` }, method), el("code", { class: "op-path" }, path)),
    op.summary ? el("p", { class: "summary" }, op.summary) : null,
    prose(op.description),
    parameters(op.parameters),
    requestBody(op.requestBody),
    responses(op.responses),
  );
}

function schemaSection(name, schema) {
  const props = schema.properties || {};
  const required = new Set(schema.required || []);
  const rows = Object.entries(props).map(([prop, s]) =>
    el(
      "tr",
      {},
      el("td", { class: "name" }, el("code", {}, prop), required.has(prop) ? el("span", { class: "req" }, "required") : null),
      el("td", { class: "type" }, typeOf(s), constraints(s)),
      el("td", {}, prose(s && s.description)),
    ),
  );
  return el(
    "section",
    { class: "schema", id: `schema-${name}`, "data-schema": name },
    el("h3", {}, name),
    prose(schema.description),
    rows.length ? table(["field", "type", "description"], rows) : el("p", { class: "type" }, typeOf(schema), constraints(schema)),
  );
}

function render(doc) {
  const info = doc.info || {};
  document.title = `${info.title || "API"} ${info.version || ""} — API`;
  const intro = document.getElementById("intro");
  intro.append(el("h2", {}, `${info.title || "API"} ${info.version || ""}`), ...prose(info.summary), ...prose(info.description));
  intro.append(el("p", { class: "desc" }, `OpenAPI ${doc.openapi}. `, el("a", { href: "/openapi.json" }, "The document itself.")));
  intro.hidden = false;

  const byTag = new Map();
  const ops = document.getElementById("operations");
  for (const [path, item] of Object.entries(doc.paths || {})) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const tag = (op.tags && op.tags[0]) || "other";
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push(el("li", {}, el("a", { href: `#${opId(method, path)}` }, `${method.toUpperCase()} ${path}`), op.summary ? ` — ${op.summary}` : ""));
      ops.append(operation(method, path, op));
    }
  }
  const toc = document.getElementById("toc");
  toc.append(el("h2", {}, "Operations"));
  for (const [tag, items] of byTag) toc.append(el("div", { class: "toc-tag" }, el("strong", {}, tag), el("ul", {}, items)));
  toc.hidden = false;

  const schemas = document.getElementById("schemas");
  const all = Object.entries((doc.components && doc.components.schemas) || {}).sort(([a], [b]) => a.localeCompare(b));
  schemas.append(el("h2", {}, "Schemas"));
  for (const [name, schema] of all) schemas.append(schemaSection(name, schema));
  schemas.hidden = false;
}

async function main() {
  const status = document.getElementById("status");
  try {
    const response = await fetch("/openapi.json", { headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`/openapi.json: HTTP ${response.status}`);
    render(await response.json());
    status.textContent = "";
    status.hidden = true;
  } catch (e) {
    status.textContent = `The API's description could not be read: ${e.message}`;
  }
  document.body.dataset.ready = "true";
  if (location.hash) {
    const target = document.getElementById(location.hash.slice(1));
    if (target) target.scrollIntoView();
  }
}

main();
