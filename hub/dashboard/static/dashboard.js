// LAPOR Hub national dashboard: a plain GraphQL client of /graphql, charts by Plotly.
"use strict";

const FIGURES = `key label total completed completionRate medianHoursToResolve
  followUpOnTimeRate averageRating slaBreaches { verify followUp resolve total }`;

const OVERVIEW = `query Dashboard($since: DateTime!) {
  provinces: stats(groupBy: PROVINCE) { overall { ${FIGURES} } groups { ${FIGURES} } }
  months: stats(groupBy: MONTH, filter: { createdFrom: $since }) { groups { key total completed } }
}`;

const RANKING = `query DashboardRanking($province: String!) {
  ranking(provinceCode: $province) {
    rank code name index completionRate followUpOnTimeRate averageRating total
  }
}`;

const CONNECTORS = `query DashboardConnectors {
  connectorsOverview {
    healthy degraded down unknown maxLagSeconds
    connectors { regionCode regionName sourceSystem health lagSeconds lastSuccessAt }
  }
}`;

const ESCALATIONS = `query DashboardEscalations {
  escalations { regionCode regionName atRegion atNational total }
  complaints(first: 50, orderBy: VERIFY_DUE_ASC, filter: { escalationLevels: [REGION, NATIONAL] }) {
    totalCount edges { node { trackingId title regionCode escalationLevel status region { name } } }
  }
}`;

const LEVEL_WORDS = { REGION: "admin daerah", NATIONAL: "admin nasional" };

const state = { token: null, pending: 0 };

function tokenFromPage() {
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  return fragment.get("token") || window.localStorage.getItem("hubToken");
}

async function graphql(query, variables, operationName) {
  const headers = { "Content-Type": "application/json" };
  if (state.token) headers["Authorization"] = "Bearer " + state.token;
  const response = await fetch("/graphql", {
    method: "POST", headers, body: JSON.stringify({ query, variables, operationName }),
  });
  const body = await response.json();
  if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
  return body.data;
}

const percent = (rate) => rate === null || rate === undefined ? "-" : (rate * 100).toFixed(2) + "%";
const number = (value) => value === null || value === undefined ? "-" : value.toLocaleString("id-ID");
const hours = (value) => value === null || value === undefined ? "-" : value.toFixed(1);

function show(id, text, value) {
  const element = document.getElementById(id);
  element.textContent = text;
  element.dataset.value = value === null || value === undefined ? "" : String(value);
}

function row(cells, data) {
  const tr = document.createElement("tr");
  Object.entries(data).forEach(([key, value]) => { tr.dataset[key] = value === null ? "" : String(value); });
  cells.forEach((text) => { const td = document.createElement("td"); td.textContent = text; tr.appendChild(td); });
  return tr;
}

const LAYOUT = { margin: { t: 20, r: 10, b: 110, l: 50 }, paper_bgcolor: "#fff", plot_bgcolor: "#fff" };
const CONFIG = { displayModeBar: false, responsive: true };

function drawOverview(data) {
  const overall = data.provinces.overall;
  show("national-total", number(overall.total), overall.total);
  show("national-completed", number(overall.completed), overall.completed);
  show("national-completion-rate", percent(overall.completionRate), overall.completionRate);
  show("national-median-hours", hours(overall.medianHoursToResolve), overall.medianHoursToResolve);
  show("national-breaches", number(overall.slaBreaches.total), overall.slaBreaches.total);
  show("sla-verify", number(overall.slaBreaches.verify), overall.slaBreaches.verify);
  show("sla-follow-up", number(overall.slaBreaches.followUp), overall.slaBreaches.followUp);
  show("sla-resolve", number(overall.slaBreaches.resolve), overall.slaBreaches.resolve);

  const provinces = data.provinces.groups;
  const body = document.querySelector("#province-table tbody");
  body.replaceChildren(...provinces.map((g) => row(
    [g.key, g.label, number(g.total), number(g.completed), percent(g.completionRate), number(g.slaBreaches.total)],
    { code: g.key, total: g.total, completed: g.completed, completionRate: g.completionRate, breaches: g.slaBreaches.total },
  )));
  Plotly.newPlot("province-chart", [{
    type: "bar", x: provinces.map((g) => g.label), y: provinces.map((g) => g.completionRate === null ? 0 : g.completionRate * 100),
    text: provinces.map((g) => `${g.completed} / ${g.total}`), marker: { color: "#2f6fb3" },
    hovertemplate: "%{x}<br>%{y:.2f}% (%{text})<extra></extra>",
  }], { ...LAYOUT, yaxis: { title: "% selesai", range: [0, 100] } }, CONFIG);

  Plotly.newPlot("sla-chart", [{
    type: "bar", x: ["Verifikasi", "Tindak lanjut", "Penyelesaian"],
    y: [overall.slaBreaches.verify, overall.slaBreaches.followUp, overall.slaBreaches.resolve],
    marker: { color: ["#d08c2c", "#c0504d", "#8e3b46"] },
  }], { ...LAYOUT, margin: { t: 20, r: 10, b: 40, l: 60 } }, CONFIG);

  const months = data.months.groups;
  document.getElementById("trend-chart").dataset.months = JSON.stringify(months.map((m) => [m.key, m.total, m.completed]));
  Plotly.newPlot("trend-chart", [
    { type: "scatter", mode: "lines+markers", name: "Laporan", x: months.map((m) => m.key), y: months.map((m) => m.total) },
    { type: "scatter", mode: "lines+markers", name: "Selesai", x: months.map((m) => m.key), y: months.map((m) => m.completed) },
  ], { ...LAYOUT, margin: { t: 20, r: 10, b: 50, l: 60 }, legend: { orientation: "h" } }, CONFIG);

  const select = document.getElementById("province-select");
  if (!select.options.length) {
    provinces.forEach((g) => select.add(new Option(`${g.key} ${g.label}`, g.key)));
    select.value = provinces.some((g) => g.key === "35") ? "35" : (provinces[0] || {}).key;
  }
}

async function loadRanking() {
  const province = document.getElementById("province-select").value;
  if (!province) return;
  const table = document.getElementById("ranking-table");
  table.dataset.province = "";
  const data = await graphql(RANKING, { province }, "DashboardRanking");
  const rows = data.ranking;
  table.querySelector("tbody").replaceChildren(...rows.map((r) => row(
    [r.rank ?? "-", r.name, r.index === null ? "-" : r.index.toFixed(3), percent(r.completionRate),
      percent(r.followUpOnTimeRate), r.averageRating === null ? "-" : r.averageRating.toFixed(2), number(r.total)],
    { code: r.code, rank: r.rank, index: r.index, completionRate: r.completionRate, total: r.total },
  )));
  const ranked = rows.filter((r) => r.index !== null);
  Plotly.newPlot("ranking-chart", [{
    type: "bar", x: ranked.map((r) => r.name), y: ranked.map((r) => r.index), marker: { color: "#3f8f5b" },
  }], { ...LAYOUT, yaxis: { title: "indeks", range: [0, 1] } }, CONFIG);
  table.dataset.province = province;
}

async function loadConnectors() {
  const note = document.getElementById("connectors-note");
  const body = document.querySelector("#connectors-table tbody");
  try {
    const data = await graphql(CONNECTORS, {}, "DashboardConnectors");
    const overview = data.connectorsOverview;
    note.textContent = `${overview.healthy} sehat, ${overview.degraded} terganggu, ${overview.down} mati, ` +
      `${overview.unknown} belum berjalan; lag terbesar ${overview.maxLagSeconds === null ? "-" : overview.maxLagSeconds.toFixed(0)} detik`;
    body.replaceChildren(...overview.connectors.map((c) => {
      const tr = row([`${c.regionCode} ${c.regionName || ""}`, c.sourceSystem, c.health,
        c.lagSeconds === null ? "-" : c.lagSeconds.toFixed(0), c.lastSuccessAt || "-"],
        { region: c.regionCode, health: c.health, lag: c.lagSeconds });
      tr.children[2].className = "health-" + c.health;
      return tr;
    }));
  } catch (error) {
    note.textContent = "Kesehatan konektor hanya untuk admin: " + error.message;
    body.replaceChildren();
  }
}

async function loadEscalations() {
  const note = document.getElementById("escalations-note");
  const regions = document.querySelector("#escalations-table tbody");
  const complaints = document.querySelector("#escalated-table tbody");
  try {
    const data = await graphql(ESCALATIONS, {}, "DashboardEscalations");
    const total = data.escalations.reduce((sum, r) => sum + r.total, 0);
    note.textContent = `${number(total)} laporan tereskalasi di ${data.escalations.length} daerah ` +
      "(batas waktu terlampaui dan belum ditindaklanjuti)";
    regions.replaceChildren(...data.escalations.map((r) => row(
      [`${r.regionCode} ${r.regionName}`, number(r.atRegion), number(r.atNational), number(r.total)],
      { region: r.regionCode, atRegion: r.atRegion, atNational: r.atNational, total: r.total },
    )));
    complaints.replaceChildren(...data.complaints.edges.map(({ node: c }) => row(
      [c.trackingId, c.title, `${c.regionCode} ${c.region.name}`, LEVEL_WORDS[c.escalationLevel] || c.escalationLevel,
        c.status],
      { trackingId: c.trackingId, region: c.regionCode, level: c.escalationLevel },
    )));
  } catch (error) {
    note.textContent = "Eskalasi hanya untuk admin: " + error.message;
    regions.replaceChildren();
    complaints.replaceChildren();
  }
}

async function load() {
  document.body.dataset.ready = "false";
  const error = document.getElementById("error");
  error.hidden = true;
  try {
    const since = new Date();
    since.setUTCMonth(since.getUTCMonth() - 11, 1);
    since.setUTCHours(0, 0, 0, 0);
    drawOverview(await graphql(OVERVIEW, { since: since.toISOString() }, "Dashboard"));
    await Promise.all([loadRanking(), loadConnectors(), loadEscalations()]);
  } catch (e) {
    error.textContent = "Gagal memuat data: " + e.message;
    error.hidden = false;
  }
  document.body.dataset.ready = "true";
}

document.getElementById("token-form").addEventListener("submit", (event) => {
  event.preventDefault();
  state.token = document.getElementById("token").value.trim() || null;
  if (state.token) window.localStorage.setItem("hubToken", state.token);
  load();
});
document.getElementById("province-select").addEventListener("change", () => { loadRanking(); });

state.token = tokenFromPage();
load();
