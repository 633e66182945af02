// The inline stylesheet and script of index.html: one file that opens anywhere, with no network.
#include "report/html_parts.hpp"

namespace routecheck::html {

const char* stylesheet() {
    return R"CSS(
:root{--fg:#1d1d1f;--muted:#5f6368;--line:#d0d4d9;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg)}
body{margin:0 1.2rem 4rem;max-width:100%}
.scroll{overflow-x:auto;max-width:100%}
.filters{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line);padding:.35rem 0;margin:.4rem 0}
.filters label{margin-right:.6rem}.filters select{max-width:16rem}
#filter-count{font-weight:600;margin-left:.4rem}
table.versions{border-collapse:collapse;margin:.3rem 0}
table.versions td,table.versions th{padding:.15rem .6rem .15rem 0;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
.since{margin:.4rem 0}
section.compare table.changes{border-collapse:collapse}
section.compare td,section.compare th{padding:.2rem .6rem .2rem 0;border-bottom:1px solid #eee;text-align:left}
h1{font-size:1.5rem;margin:1rem 0 .2rem}h2{font-size:1.2rem;margin:2rem 0 .4rem}h3{font-size:1rem;margin:1.4rem 0 .4rem}
code{font:12.5px/1.3 ui-monospace,"DejaVu Sans Mono",Menlo,monospace}var{font-style:normal;color:#8a3ffc}
small,.muted{color:var(--muted)}
.counts{display:flex;flex-wrap:wrap;gap:.4rem;margin:.5rem 0}
.chip{border:1px solid var(--line);border-radius:1rem;padding:.1rem .6rem;background:#fafafa}
.chip b{font-size:1.05rem}
.banner{background:#b00020;color:#fff;padding:.7rem 1rem;border-radius:.3rem;margin:.8rem 0;font-weight:600}
.banner ul{margin:.3rem 0 0;font-weight:400}
.errors{background:#fdecea;border-left:4px solid #b00020;padding:.4rem .8rem}
.predbanner{background:repeating-linear-gradient(135deg,#f3f0ff 0 8px,#fff 8px 16px);border:1px dashed #8a3ffc;padding:.4rem .8rem}
.howto{max-width:60rem;color:var(--muted)}
/* The grid scrolls inside its box, both ways; the header row and the client column stay in view. */
.gridwrap{overflow:auto;max-width:100%;max-height:calc(100vh - 5rem);border:1px solid var(--line);border-radius:.3rem}
table.grid{border-collapse:separate;border-spacing:3px;margin:0}
table.grid th{font-weight:600;text-align:left;vertical-align:bottom;padding:.2rem .3rem;background:#fff}
table.grid thead th{font-size:12px;position:sticky;top:0;z-index:2;box-shadow:0 1px 0 var(--line)}
table.grid tbody th{position:sticky;left:0;z-index:1;box-shadow:1px 0 0 var(--line)}
table.grid thead th:first-child{left:0;z-index:3}
tr.hide,section.hide,td.cellbox.dim>details{display:none}
table.grid thead th code{display:block;font-size:11px;color:var(--muted);font-weight:400;max-width:6.6rem;overflow-wrap:anywhere}
table.grid tbody th{vertical-align:top;max-width:17rem;min-width:12rem;border-top:1px solid var(--line)}
th .cname{font-size:13px;display:block}th .cid{display:block;font-weight:400;color:var(--muted);font-size:11.5px}
.rec{font-weight:400;font-size:12px;margin-top:.15rem}
.rec code{font-size:12px;background:#eef6ee;padding:0 .2rem;border-radius:.2rem}
.ok-tag{color:#1b5e20;font-weight:600}.warn-tag{color:#b00020;font-weight:600}.table-tag{color:var(--muted)}
.refuted-by,.caveat{margin:.2em 0;font-size:.9em}.caveat{color:#8a5300}
.rec details summary{cursor:pointer;color:#b00020;font-weight:600}
.rec details p,.rec details ul{margin:.2rem 0;font-size:12px}
td.cellbox{position:relative;border-radius:.25rem;padding:0;vertical-align:top;width:6.6rem;min-width:6.6rem}
details.cell{border-radius:.25rem}
details.cell>summary{list-style:none;cursor:pointer;display:block;min-height:2.5rem;padding:.25rem .35rem;border-radius:.25rem;
  border:2px solid transparent;position:relative}
details.cell>summary::-webkit-details-marker{display:none}
details.cell>summary:focus-visible{outline:2px solid #1a73e8;outline-offset:1px}
.lab{display:block;font-weight:700;font-size:12.5px}.glyph{display:inline-block;min-width:1.1em;text-align:center;
  border:1px solid rgba(0,0,0,.45);border-radius:.2rem;font-size:11px;line-height:1.3;background:rgba(255,255,255,.7);color:#000}.st{display:block;font:11px ui-monospace,"DejaVu Sans Mono",monospace;color:#333}
.mark{position:absolute;top:1px;right:3px;font-weight:800;font-size:13px}
.mark.m-pred{top:auto;bottom:1px;color:#5b2bb5}
.m-fail{color:#b00020}.m-noexp{color:#6d4c00}
details.cell.v-fail>summary{border-color:#b00020;box-shadow:inset 0 0 0 1px #fff}
details.cell.v-noexp>summary{border-color:#7a6a3a;border-style:dashed}
details.cell.pred>summary{background-image:repeating-linear-gradient(135deg,rgba(255,255,255,.65) 0 5px,transparent 5px 10px);font-style:italic}
details.cell[open]>summary{outline:3px solid #1a73e8}
/* An open cell's evidence is a panel fixed to the window's right side: it escapes the grid's scroll box and
   stays on screen at any width. */
.drill{position:fixed;z-index:20;top:3rem;right:.8rem;width:min(46rem,calc(100vw - 1.6rem));max-height:calc(100vh - 4rem);
  overflow:auto;background:#fff;border:1px solid #9aa0a6;border-radius:.4rem;box-shadow:0 8px 28px rgba(0,0,0,.3);
  padding:.6rem .9rem;font-style:normal;text-align:left}
.drill h4{margin:.1rem 0 .3rem}.drill p{margin:.3rem 0}
.drill .err,.mismatch{color:#b00020}.drill .msg{color:#6d4c00}
.predflag{font-weight:600;color:#5b2bb5}
.fixline{background:#f6f8fa;padding:.3rem .5rem;border-radius:.3rem}
ol.steps{padding-left:1.4rem;margin:.4rem 0}
li.step{margin:.5rem 0;padding-bottom:.4rem;border-bottom:1px solid #eee}
.sid{color:var(--muted);font-size:12px}.ms{color:var(--muted);font-size:12px}.terr{color:#b00020}
.expect{color:var(--muted);font-size:12.5px}
.why,.fix{margin:.15rem 0}
dl.facts{display:grid;grid-template-columns:7rem 1fr;gap:.05rem .6rem;margin:.3rem 0;font-size:12.5px}
dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
ul.lines{margin:0;padding-left:1rem}.none{color:var(--muted);font-style:italic}
pre.body{background:#f6f8fa;border:1px solid #e1e4e8;padding:.4rem;white-space:pre-wrap;overflow-wrap:anywhere;max-height:14rem;overflow:auto;margin:.3rem 0}
.cut{color:var(--muted);font-style:italic}
.badge{display:inline-block;padding:0 .35rem;border-radius:.25rem;font:600 11.5px ui-monospace,"DejaVu Sans Mono",monospace;border:1px solid rgba(0,0,0,.15)}
table.legend{border-collapse:collapse;max-width:72rem}
table.legend td,table.legend th{padding:.25rem .5rem;border-bottom:1px solid #eee;vertical-align:top;text-align:left}
.sw{display:inline-block;min-width:5.5rem;min-height:1.2rem;padding:.1rem .3rem;border-radius:.2rem;border:2px solid transparent;
  vertical-align:middle;position:relative}.sw .lab{font-size:12px}
.sw.v-fail{border-color:#b00020}.sw.v-noexp{border:2px dashed #7a6a3a}
.sw.pred{background-image:repeating-linear-gradient(135deg,rgba(255,255,255,.65) 0 5px,transparent 5px 10px)}
ul.failing li{margin:.15rem 0}
/* Verdict colours. Amber family = the Base URL is wrong; blue = the key; red/purple = the proxy lacks the route.
   Each class also has its letter (.glyph), so the grid reads in grey; neighbours in a family differ in lightness. */
.c-ok{background:#a5d6a7}.c-ok .lab{color:#1b5e20}
.c-dup{background:#ffb74d}.c-miss{background:#fff176}.c-endp{background:#ff8a65}
.c-proto{background:#ce93d8}.c-noroute{background:#e57373}
.c-401{background:#64b5f6}.c-403{background:#c5cae9}
.c-down{background:#78909c}.c-upstream{background:#b2ebf2}
.c-unexp{background:#f06292}.c-ignored{background:#a1887f}.c-skip{background:#eeeeee}.c-skip .lab{color:#616161}
@media print{.drill{position:static;width:auto;max-height:none;box-shadow:none}.gridwrap{max-height:none;overflow:visible}}
)CSS";
}

// Progressive enhancement only: the page works with scripts off (each cell is a <details>).
const char* script() {
    return R"JS(
(function(){
  function cells(){return document.querySelectorAll('details.cell[open]');}
  // One drill-down open at a time, so panels never pile up over the grid.
  document.addEventListener('toggle',function(e){var d=e.target;
    if(d.open&&d.classList&&d.classList.contains('cell'))cells().forEach(function(o){if(o!==d)o.open=false;});},true);
  document.addEventListener('keydown',function(e){if(e.key==='Escape')cells().forEach(function(o){o.open=false;});});
  // The filters live in the URL fragment, "#proxy=a&client=b&class=NO_ROUTE", so a copied link opens the same view;
  // a fragment without "=" is an anchor (#cell-<id> opens that cell, #legend scrolls).
  var form=document.getElementById('filters');
  function state(){var s={proxy:'',client:'',class:''},h=decodeURIComponent(location.hash.slice(1));
    if(h.indexOf('=')<0)return s;
    h.split('&').forEach(function(kv){var i=kv.indexOf('=');var k=kv.slice(0,i);if(k in s)s[k]=kv.slice(i+1);});return s;}
  function matches(d,cls){if(!cls)return true;
    if(cls==='not-as-expected')return d.dataset.expect==='v-fail'||d.dataset.expect==='v-noexp';
    return d.dataset.verdict===cls;}
  function apply(s){var shown=0;
    document.querySelectorAll('section.proxy').forEach(function(sec){
      var on=!s.proxy||sec.dataset.proxy===s.proxy;sec.classList.toggle('hide',!on);
      sec.querySelectorAll('tbody tr').forEach(function(tr){
        var any=false;tr.querySelectorAll('td.cellbox').forEach(function(td){var d=td.querySelector('details.cell');
          var m=!!d&&matches(d,s['class']);td.classList.toggle('dim',!m);if(m&&on&&(!s.client||tr.dataset.client===s.client)){any=true;shown++;}});
        tr.classList.toggle('hide',!on||!any||(s.client&&tr.dataset.client!==s.client));});});
    var out=document.getElementById('filter-count');if(out)out.textContent=shown+' cells shown';}
  function fromForm(){var s={};['proxy','client','class'].forEach(function(k){s[k]=form.elements[k].value;});return s;}
  function toHash(s){var parts=[];['proxy','client','class'].forEach(function(k){if(s[k])parts.push(k+'='+encodeURIComponent(s[k]));});
    return parts.length?'#'+parts.join('&'):'';}
  function load(){var s=state();if(form){['proxy','client','class'].forEach(function(k){form.elements[k].value=s[k];});}apply(s);}
  if(form){form.hidden=false;
    form.addEventListener('change',function(){var s=fromForm();
      history.replaceState(null,'',location.pathname+location.search+toHash(s));apply(s);});
    form.addEventListener('reset',function(){setTimeout(function(){history.replaceState(null,'',location.pathname+location.search);apply(fromForm());},0);});}
  function openHash(){var id=decodeURIComponent(location.hash.slice(1));if(!id||id.indexOf('=')>=0){load();return;}
    var d=document.getElementById(id);
    if(d&&d.tagName==='DETAILS'){d.open=true;d.scrollIntoView({block:'start'});window.scrollBy(0,-80);}}
  window.addEventListener('hashchange',openHash);load();openHash();
})();
)JS";
}

}  // namespace routecheck::html
