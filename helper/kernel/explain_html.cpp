// The explain report as one self-contained HTML page: treemaps of the generic and the specialized
// kernel (component, then input file; areas in bytes, one scale for both) drawn by inline script
// from inline data, with the tables beside them. No network, no external files.
#include <cstdio>
#include <map>
#include <sstream>

#include "explain.hpp"

namespace osv {
namespace {

std::string json_string(const std::string& text) {
    std::string out = "\"";
    for (const char c : text) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '<': out += "\\u003c"; break;  // never "</script>" inside the script
            case '>': out += "\\u003e"; break;
            case '&': out += "\\u0026"; break;
            case '\n': out += "\\n"; break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char escaped[8];
                    std::snprintf(escaped, sizeof escaped, "\\u%04x", c);
                    out += escaped;
                } else {
                    out += c;
                }
        }
    }
    return out + "\"";
}

std::string html_text(const std::string& text) {
    std::string out;
    for (const char c : text) {
        if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '&') out += "&amp;";
        else out += c;
    }
    return out;
}

std::string kinds_json(const KindSizes& sizes) {
    std::string out = "[";
    for (int k = 0; k < section_kind_count; ++k) out += (k ? "," : "") + std::to_string(sizes.bytes[k]);
    return out + "]";
}

// {"name": ..., "children": [{"name": component, "kinds": [...], "files": [{"name", "kinds"}]}]}
std::string layout_json(const KernelLayout& layout) {
    std::map<std::string, std::vector<std::pair<std::string, const KindSizes*>>> files;
    for (const auto& [file, sizes] : layout.files) files[component_of(file)].emplace_back(file, &sizes);
    std::ostringstream out;
    out << "{\"name\":" << json_string(layout.label) << ",\"exports\":" << layout.exports
        << ",\"stripped\":" << layout.stripped_size << ",\"components\":[";
    bool first = true;
    for (const auto& [component, sizes] : layout.components) {
        out << (first ? "" : ",") << "{\"name\":" << json_string(component) << ",\"kinds\":" << kinds_json(sizes)
            << ",\"files\":[";
        first = false;
        bool first_file = true;
        for (const auto& [file, file_sizes] : files[component]) {
            out << (first_file ? "" : ",") << "{\"name\":" << json_string(file) << ",\"kinds\":" << kinds_json(*file_sizes)
                << "}";
            first_file = false;
        }
        out << "]}";
    }
    out << "]}";
    return out.str();
}

constexpr const char* style = R"(
body { font: 13px/1.4 system-ui, sans-serif; margin: 16px; color: #222; }
h1 { font-size: 18px; } h2 { font-size: 15px; margin-top: 24px; }
.maps { display: flex; gap: 16px; flex-wrap: wrap; }
.map { position: relative; border: 1px solid #888; background: #f4f4f4; }
.box { position: absolute; box-sizing: border-box; border: 1px solid rgba(0,0,0,.35); overflow: hidden;
       font-size: 11px; padding: 1px 3px; white-space: nowrap; }
.file { border-color: rgba(0,0,0,.15); font-size: 10px; }
.box:hover { outline: 2px solid #000; z-index: 2; }
table { border-collapse: collapse; } td, th { padding: 2px 10px; text-align: right; } td:first-child, th:first-child { text-align: left; }
tr:nth-child(even) { background: #f2f2f2; }
pre { background: #f7f7f7; padding: 8px; overflow-x: auto; }
)";

constexpr const char* script = R"(
const kinds = ["text", "rodata", "data", "bss", "eh_frame", "other"];
function value(kindsArray, pick) { return pick === "all" ? kindsArray.reduce((a, b) => a + b, 0) : kindsArray[kinds.indexOf(pick)]; }
function worst(row, sum, side, scale) {
  const s = sum * scale; let max = 0;
  for (const it of row) { const a = it.v * scale; max = Math.max(max, side * side * a / (s * s), (s * s) / (side * side * a)); }
  return max;
}
function squarify(items, x, y, w, h) {
  const out = []; let total = items.reduce((s, i) => s + i.v, 0); let i = 0;
  while (i < items.length && w > 0.5 && h > 0.5 && total > 0) {
    const scale = w * h / total, side = Math.min(w, h);
    let row = [items[i]], sum = items[i].v, best = worst(row, sum, side, scale), j = i + 1;
    while (j < items.length) {
      const next = row.concat([items[j]]), s = sum + items[j].v, score = worst(next, s, side, scale);
      if (score > best) break;
      row = next; sum = s; best = score; j++;
    }
    const area = sum * scale;
    if (w >= h) { const rw = area / h; let yy = y; for (const it of row) { const hh = it.v * scale / rw; out.push({it, x, y: yy, w: rw, h: hh}); yy += hh; } x += rw; w -= rw; }
    else { const rh = area / w; let xx = x; for (const it of row) { const ww = it.v * scale / rh; out.push({it, x: xx, y, w: ww, h: rh}); xx += ww; } y += rh; h -= rh; }
    total -= sum; i = j;
  }
  return out;
}
function color(name) { let h = 0; for (const c of name) h = (h * 31 + c.charCodeAt(0)) % 360; return `hsl(${h},55%,72%)`; }
function fmt(n) { return n.toLocaleString("en-US"); }
function draw(pick) {
  const container = document.getElementById("maps"); container.innerHTML = "";
  const totals = DATA.kernels.map(k => k.components.reduce((s, c) => s + value(c.kinds, pick), 0));
  const biggest = Math.max(...totals, 1), full = 560 * 560;
  DATA.kernels.forEach((kernel, index) => {
    const side = Math.sqrt(full * totals[index] / biggest);
    const wrap = document.createElement("div");
    wrap.innerHTML = `<b>${kernel.name}</b>: ${fmt(totals[index])} bytes of ${pick === "all" ? "allocated sections" : pick}, ${fmt(kernel.exports)} exports, stripped file ${fmt(kernel.stripped)} bytes`;
    const map = document.createElement("div"); map.className = "map"; map.style.width = side + "px"; map.style.height = side + "px";
    const items = kernel.components.map(c => ({v: value(c.kinds, pick), c})).filter(i => i.v > 0).sort((a, b) => b.v - a.v);
    for (const r of squarify(items, 0, 0, side, side)) {
      const box = document.createElement("div"); box.className = "box";
      Object.assign(box.style, {left: r.x + "px", top: r.y + "px", width: r.w + "px", height: r.h + "px", background: color(r.it.c.name)});
      box.title = `${r.it.c.name}: ${fmt(r.it.v)} bytes`;
      if (r.w > 40 && r.h > 14) box.textContent = `${r.it.c.name} ${fmt(r.it.v)}`;
      const head = r.h > 40 && r.w > 40 ? 14 : 0;
      const files = r.it.c.files.map(f => ({v: value(f.kinds, pick), f})).filter(i => i.v > 0).sort((a, b) => b.v - a.v);
      if (head) for (const f of squarify(files, 0, head, r.w - 2, r.h - head - 2)) {
        const leaf = document.createElement("div"); leaf.className = "box file";
        Object.assign(leaf.style, {left: f.x + "px", top: f.y + "px", width: f.w + "px", height: f.h + "px"});
        const short = f.it.f.name.replace(/^build\/[^/]+\//, "");
        leaf.title = `${f.it.f.name}: ${fmt(f.it.v)} bytes`;
        if (f.w > 50 && f.h > 12) leaf.textContent = short.split("/").pop();
        box.appendChild(leaf);
      }
      map.appendChild(box);
    }
    wrap.appendChild(map); container.appendChild(wrap);
  });
}
document.getElementById("kind").addEventListener("change", e => draw(e.target.value));
draw("all");
)";

}  // namespace

std::string render_explain_html(const Explanation& explanation) {
    std::ostringstream out;
    out << "<!doctype html>\n<html lang=en><head><meta charset=utf-8><title>osv-symbols explain</title><style>" << style
        << "</style></head><body>\n<h1>What is in the kernel, and why</h1>\n"
        << "<p>Areas are bytes of the kernels' allocated sections, from ld.bfd's link map, on one scale; boxes are OSv "
           "components, inner boxes their input files. Hover for names and sizes. "
        << "<label>Section kind: <select id=kind><option>all</option><option>text</option><option>rodata</option>"
           "<option>data</option><option>bss</option><option>eh_frame</option><option>other</option></select></label></p>\n"
        << "<div class=maps id=maps></div>\n";
    // The tables: exports by exclusive bytes and the floor.
    out << "<h2>Exports by exclusive bytes (what only that export keeps alive)</h2>\n<table><tr><th>export<th>bytes<th>text<th>component</tr>\n";
    std::size_t shown = 0;
    for (const auto& cost : explanation.exports) {
        if (++shown > 40) break;
        out << "<tr><td>" << html_text(cost.name) << "<td>" << cost.bytes << "<td>" << cost.text << "<td>"
            << html_text(cost.component) << "</tr>\n";
    }
    out << "</table>\n<h2>The floor: what stays with no export at all</h2>\n<table><tr><th>reached from<th>adds bytes<th>text<th>largest components</tr>\n";
    for (const auto& layer : explanation.floor_layers) {
        out << "<tr><td>" << html_text(layer.name) << "<td>" << layer.added.total() << "<td>" << layer.added.bytes[0] << "<td>";
        for (std::size_t i = 0; i < layer.components.size() && i < 5; ++i)
            out << html_text(layer.components[i].first) << " " << layer.components[i].second << (i + 1 < 5 ? "; " : "");
        out << "</tr>\n";
    }
    out << "</table>\n<h2>Summary</h2>\n<pre>" << html_text(render_explain_table(explanation, 15)) << "</pre>\n";
    out << "<script>\nconst DATA = {\"kernels\":[" << layout_json(explanation.generic);
    if (explanation.specialized) out << "," << layout_json(*explanation.specialized);
    out << "]};\n" << script << "</script>\n</body></html>\n";
    return out.str();
}

}  // namespace osv
