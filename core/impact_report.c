/* impact_report.c - st_impact_text, st_impact_markdown and st_impact_dot
 * (declared in impact.h): the impact result read back from its JSON, so
 * every format says exactly what the JSON says. */
#include "impact.h"

#include <string.h>

#include "dot.h"

static const char *str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const cJSON *item(const cJSON *o, const char *key) {
  return cJSON_GetObjectItem(o, key);
}

/* "a → b → c" */
static void write_via(FILE *out, const cJSON *via, const char *arrow) {
  const cJSON *x;
  int first = 1;
  cJSON_ArrayForEach(x, via) {
    fprintf(out, "%s%s", first ? "" : arrow, x->valuestring);
    first = 0;
  }
}

/* "irreversible, high stakes, stage scaling" or "" */
static void write_flags(FILE *out, const cJSON *flags) {
  const char *sep = "";
  if (cJSON_IsTrue(item(flags, "irreversible"))) {
    fputs("irreversible", out);
    sep = ", ";
  }
  if (cJSON_IsTrue(item(flags, "high_stakes"))) {
    fprintf(out, "%shigh stakes", sep);
    sep = ", ";
  }
  if (str(flags, "stage")) fprintf(out, "%s%s", sep, str(flags, "stage"));
}

static const char *headline(const st_impact *im) {
  switch (im->verdict) {
  case ST_VERDICT_BLOCKED: return "the change adds blocking findings";
  case ST_VERDICT_REVIEW: return "the change needs review";
  default: return "nothing the change adds needs attention";
  }
}

/* {=== Text ============================================================= */

static void text_findings(FILE *out, const char *title, const cJSON *list) {
  if (!cJSON_GetArraySize(list)) return;
  fprintf(out, "\n%s:\n", title);
  const cJSON *f;
  cJSON_ArrayForEach(f, list) {
    fprintf(out, "  %-8s %-28s %-24s %s", str(f, "severity"), str(f, "policy"),
            str(f, "subject"), str(f, "message"));
    if (str(f, "waived_by")) fprintf(out, " (waived: %s)", str(f, "waived_by"));
    fputc('\n', out);
  }
}

void st_impact_text(FILE *out, const st_impact *im, int color) {
  const cJSON *r = im->result, *s = item(r, "summary"), *x;
  const char *on = !color ? "" : im->verdict == ST_VERDICT_BLOCKED ?
                   "\033[1;31m" : im->verdict == ST_VERDICT_REVIEW ?
                   "\033[1;33m" : "\033[1;32m";
  fprintf(out, "verdict: %s%s%s: %s\n", on, st_verdict_name(im->verdict),
          color ? "\033[0m" : "", headline(im));
  fprintf(out, "%g touched, %g affected; findings: %g new (%g blocking), "
          "%g resolved, %g unchanged\n", num(s, "touched"), num(s, "affected"),
          num(s, "new"), num(s, "new_blocking"), num(s, "resolved"),
          num(s, "unchanged"));
  text_findings(out, "new findings", item(item(r, "findings"), "new"));
  text_findings(out, "resolved findings", item(item(r, "findings"), "resolved"));
  fputs("\ntouched:\n", out);
  cJSON_ArrayForEach(x, item(r, "touched")) {
    fprintf(out, "  %-24s %-9s %-8s", str(x, "id"), str(x, "kind"),
            str(x, "change"));
    const cJSON *fl;
    cJSON_ArrayForEach(fl, item(x, "fields")) fprintf(out, " %s", fl->valuestring);
    fputc('\n', out);
  }
  if (cJSON_GetArraySize(item(r, "affected"))) fputs("\naffected:\n", out);
  cJSON_ArrayForEach(x, item(r, "affected")) {
    fprintf(out, "  %-24s %-9s %-10s %g  via ", str(x, "id"), str(x, "kind"),
            str(x, "reach"), num(x, "distance"));
    write_via(out, item(x, "via"), " -> ");
    fputs("  [", out);
    write_flags(out, item(x, "flags"));
    fputs("]\n", out);
  }
  if (cJSON_GetArraySize(item(r, "notify"))) fputs("\nnotify:\n", out);
  cJSON_ArrayForEach(x, item(r, "notify")) {
    fprintf(out, "  %-24s %-32s ", str(x, "owner"),
            str(x, "contact") ? str(x, "contact") : "(no contact)");
    write_via(out, item(x, "because"), ", ");
    fputc('\n', out);
  }
  if (cJSON_GetArraySize(item(r, "unowned"))) {
    fputs("\nunowned workflows (nobody would be told): ", out);
    write_via(out, item(r, "unowned"), ", ");
    fputc('\n', out);
  }
}

/* }=== */

/* {=== Markdown ========================================================= */

/* Markdown table cells: pipes and newlines would break the row. */
static void md_cell(FILE *out, const char *s) {
  for (; s && *s; s++) {
    if (*s == '|') fputs("\\|", out);
    else if (*s == '\n') fputc(' ', out);
    else fputc(*s, out);
  }
}

static void md_findings(FILE *out, const char *title, const cJSON *list) {
  if (!cJSON_GetArraySize(list)) return;
  fprintf(out, "\n#### %s\n\n| severity | policy | subject | message |\n"
          "|---|---|---|---|\n", title);
  const cJSON *f;
  cJSON_ArrayForEach(f, list) {
    fprintf(out, "| %s | `%s` | `%s` | ", str(f, "severity"), str(f, "policy"),
            str(f, "subject"));
    md_cell(out, str(f, "message"));
    if (str(f, "waived_by")) fprintf(out, " (waived: %s)", str(f, "waived_by"));
    fputs(" |\n", out);
  }
}

#define MD_MAX_ROWS 20

static int is_sensitive(const cJSON *x) {
  return cJSON_IsTrue(item(item(x, "flags"), "sensitive"));
}

static void md_affected_row(FILE *out, const cJSON *x) {
  fprintf(out, "| `%s` | %s | %s | %g | ", str(x, "id"), str(x, "kind"),
          str(x, "reach"), num(x, "distance"));
  write_via(out, item(x, "via"), " → ");
  fprintf(out, " | %s | ", str(x, "owner") ? str(x, "owner") : "**none**");
  write_flags(out, item(x, "flags"));
  fputs(" |\n", out);
}

static int is_possible(const cJSON *x) {
  const char *r = str(x, "reach");
  return r && !strcmp(r, "possible");
}

/* The affected workflows a reviewer must look at first: irreversible or
 * high-stakes ones, then the rest surest and nearest first, at most
 * MD_MAX_ROWS; those only possibly reached, and other kinds, are counted,
 * not listed (the JSON has them all). */
static void md_blast_radius(FILE *out, const cJSON *affected) {
  if (!cJSON_GetArraySize(affected)) return;
  size_t workflows = 0, shown = 0, possible = 0, others[ST_KIND_COUNT] = {0};
  const cJSON *x;
  cJSON_ArrayForEach(x, affected) {
    int k = st_kind_parse(str(x, "kind"));
    if (is_possible(x)) possible++;
    else if (k == ST_KIND_WORKFLOW) workflows++;
    else if (k >= 0) others[k]++;
  }
  fprintf(out, "\n#### Blast radius: %zu workflow(s)", workflows);
  for (int k = 0; k < ST_KIND_COUNT; k++)
    if (others[k]) fprintf(out, ", %zu %s(s)", others[k],
                           st_kind_name((st_kind)k));
  if (possible) fprintf(out, "; %zu more node(s) possibly affected, past a "
                        "system a workflow writes to", possible);
  fputs("\n", out);
  if (!workflows) return;
  fputs("\n| workflow | kind | reach | distance | via | owner | flags |\n"
        "|---|---|---|---|---|---|---|\n", out);
  for (int pass = 0; pass < 2; pass++)
    cJSON_ArrayForEach(x, affected) {
      if (st_kind_parse(str(x, "kind")) != ST_KIND_WORKFLOW ||
          is_possible(x) || is_sensitive(x) != (pass == 0) ||
          shown >= MD_MAX_ROWS)
        continue;
      md_affected_row(out, x);
      shown++;
    }
  if (shown < workflows)
    fprintf(out, "\n…and %zu more workflow(s); `--format json` lists every "
            "affected node with its path.\n", workflows - shown);
}

void st_impact_markdown(FILE *out, const st_impact *im) {
  static const char *const icons[] = {"✅", "⚠️", "⛔"};
  const cJSON *r = im->result, *s = item(r, "summary"), *x;
  fprintf(out, "### %s steward impact: **%s**\n\n%s. `%s` touches %g "
          "node(s) and reaches %g more; findings: **%g new** (%g blocking), "
          "%g resolved, %g unchanged.\n", icons[im->verdict],
          st_verdict_name(im->verdict), headline(im), str(r, "change"),
          num(s, "touched"), num(s, "affected"), num(s, "new"),
          num(s, "new_blocking"), num(s, "resolved"), num(s, "unchanged"));
  md_findings(out, "New findings", item(item(r, "findings"), "new"));
  md_findings(out, "Resolved findings", item(item(r, "findings"), "resolved"));
  md_blast_radius(out, item(r, "affected"));
  if (cJSON_GetArraySize(item(r, "notify"))) {
    fputs("\n#### Notify\n\n| owner | contact | because |\n|---|---|---|\n", out);
    cJSON_ArrayForEach(x, item(r, "notify")) {
      fprintf(out, "| %s | %s | ", str(x, "owner"),
              str(x, "contact") ? str(x, "contact") : "");
      write_via(out, item(x, "because"), ", ");
      fputs(" |\n", out);
    }
  }
  if (cJSON_GetArraySize(item(r, "unowned"))) {
    fputs("\n**Unowned workflows, nobody would be told:** ", out);
    write_via(out, item(r, "unowned"), ", ");
    fputc('\n', out);
  }
}

/* }=== */

/* The relation of an edge between a and b of the graph, in either
 * direction (the walk follows some relations backwards). */
static const char *rel_between(const st_graph *g, uint32_t a, uint32_t b) {
  for (uint32_t e = st_graph_out_begin(g, a); e < st_graph_out_end(g, a); e++)
    if (g->out_dst[e] == b) return st_rel_name((st_rel)g->out_rel[e]);
  for (uint32_t e = st_graph_out_begin(g, b); e < st_graph_out_end(g, b); e++)
    if (g->out_dst[e] == a) return st_rel_name((st_rel)g->out_rel[e]);
  return NULL;
}

/* The blast radius as the tree the change spreads along: touched nodes in
 * red, affected in orange, each reached by the edge of its `via` path. An
 * edge present only before the change (what it disconnects) is dashed. */
void st_impact_dot(FILE *out, const st_impact *im) {
  const st_registry *a = im->after.registry;
  const st_graph *g = &a->graph;
  fputs("digraph impact {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", "
        "fontsize=10];\n  edge [fontname=\"Helvetica\", fontsize=8, "
        "color=\"#666666\"];\n", out);
  for (uint32_t n = 0; n < g->nnodes; n++)
    if (im->highlight[n]) st_dot_node(out, a, n, im->highlight[n]);
  const cJSON *x;
  cJSON_ArrayForEach(x, item(im->result, "affected")) {
    const cJSON *via = item(x, "via");
    int len = cJSON_GetArraySize(via);
    if (len < 2) continue;
    const char *from = cJSON_GetArrayItem(via, len - 2)->valuestring;
    const char *to = cJSON_GetArrayItem(via, len - 1)->valuestring;
    uint32_t f = st_graph_find(g, from, strlen(from));
    uint32_t t = st_graph_find(g, to, strlen(to));
    const char *rel = f != ST_NODE_NONE && t != ST_NODE_NONE ?
                      rel_between(g, f, t) : NULL;
    fputs("  ", out);
    st_dot_string(out, from);
    fputs(" -> ", out);
    st_dot_string(out, to);
    fprintf(out, " [label=\"%s\"%s];\n", rel ? rel : "before the change",
            rel ? "" : ", style=dashed");
  }
  fputs("}\n", out);
}
