// diplograph workbench: sortable tables, and the SPARQL editor's runs.
// Everything from the store is put in the page as text (textContent),
// never as markup.
"use strict";

const ID = "https://w3id.org/diplograph/id/";

// A click on a heading sorts its table: numbers as numbers, text as text.
function sortable(table) {
  const headings = table.tHead ? Array.from(table.tHead.rows[0].cells) : [];
  headings.forEach((th, column) => {
    th.addEventListener("click", () => {
      const ascending = th.getAttribute("aria-sort") !== "ascending";
      headings.forEach((h) => h.removeAttribute("aria-sort"));
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      const body = table.tBodies[0];
      const rows = Array.from(body.rows);
      const key = (row) => (row.cells[column] ? row.cells[column].textContent.trim() : "");
      rows.sort((a, b) => {
        const x = key(a), y = key(b);
        const nx = Number(x), ny = Number(y);
        const order = x !== "" && y !== "" && !isNaN(nx) && !isNaN(ny) ? nx - ny : x.localeCompare(y, "zh");
        return ascending ? order : -order;
      });
      rows.forEach((row) => body.appendChild(row));
    });
  });
}

// The workbench page of one of our IRIs, or null.
function pageOf(iri) {
  if (!iri.startsWith(ID)) return null;
  const rest = iri.slice(ID.length);
  if (rest.startsWith("graph/")) return null;
  const encode = (path) => path.split("/").map(encodeURIComponent).join("/");
  return rest.startsWith("doc/") ? "/doc/" + encode(rest.slice(4)) : "/entity/" + encode(rest);
}

// An IRI as a person reads it: our ids bare, known namespaces prefixed.
function shortIri(iri, prefixes) {
  if (iri.startsWith(ID)) return iri.slice(ID.length);
  for (const [prefix, ns] of prefixes) {
    if (iri.startsWith(ns)) return prefix + ":" + iri.slice(ns.length);
  }
  return iri;
}

function cell(term, prefixes) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") {
    const a = document.createElement("a");
    a.href = pageOf(term.value) || term.value;
    a.textContent = shortIri(term.value, prefixes);
    a.title = term.value;
    td.appendChild(a);
  } else {
    td.textContent = term.value;
    if (term["xml:lang"]) td.lang = term["xml:lang"];
  }
  return td;
}

// At most this many rows are drawn; downloads hold them all.
const SHOWN = 2000;

function showResults(json, prefixes, results, status) {
  results.replaceChildren();
  if (typeof json.boolean === "boolean") {
    status.textContent = "ASK: " + json.boolean;
    return;
  }
  const vars = json.head.vars;
  const bindings = json.results.bindings;
  const table = document.createElement("table");
  table.className = "sortable results";
  const head = table.createTHead().insertRow();
  vars.forEach((v) => {
    const th = document.createElement("th");
    th.textContent = v;
    head.appendChild(th);
  });
  const body = table.createTBody();
  bindings.slice(0, SHOWN).forEach((b) => {
    const tr = body.insertRow();
    vars.forEach((v) => tr.appendChild(cell(b[v], prefixes)));
  });
  results.appendChild(table);
  sortable(table);
  status.textContent = bindings.length + (bindings.length === 1 ? " row" : " rows") + (bindings.length > SHOWN ? ", the first " + SHOWN + " shown (download for all)" : "");
}

async function run(form, data) {
  const results = document.getElementById("results");
  const status = document.getElementById("status");
  status.textContent = "Running…";
  results.replaceChildren();
  const started = performance.now();
  try {
    const response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json, text/turtle;q=0.9" },
      body: new URLSearchParams({ query: form.elements.query.value }),
    });
    const text = await response.text();
    if (!response.ok) {
      status.textContent = "";
      const error = document.createElement("p");
      error.className = "error";
      error.textContent = response.status + ": " + text;
      results.appendChild(error);
      return;
    }
    if ((response.headers.get("Content-Type") || "").includes("json")) {
      showResults(JSON.parse(text), data.prefixes, results, status);
    } else {
      const pre = document.createElement("pre");
      pre.textContent = text;
      results.appendChild(pre);
      status.textContent = "Graph (Turtle)";
    }
    status.textContent += " · " + Math.round(performance.now() - started) + " ms";
  } catch (e) {
    status.textContent = "The request failed: " + e;
  }
}

function editor() {
  const form = document.getElementById("sparql-form");
  if (!form) return;
  const data = JSON.parse(document.getElementById("workbench-data").textContent);
  const ready = document.getElementById("ready");
  const describe = () => {
    const q = data.queries.find((x) => x.name === ready.value);
    document.getElementById("ready-description").textContent = q ? q.description : "";
  };
  ready.addEventListener("change", () => {
    const q = data.queries.find((x) => x.name === ready.value);
    if (q) form.elements.query.value = q.text;
    describe();
  });
  describe();
  form.addEventListener("submit", (event) => {
    if (event.submitter && event.submitter.id === "run") {
      event.preventDefault();
      run(form, data);
    }
  });
  if (data.run) run(form, data);
}

document.querySelectorAll("table.sortable").forEach(sortable);
editor();
