/*
 * test_blast.c - the blast radius rules (core/blast.c): lineage reaches
 * direct and downstream, a written system stops lineage and what lies past
 * it is only possible, a touched system reaches what depends on it,
 * owners carry nothing, lineage wins over possible, the depth bound.
 */
#include "blast.h"
#include "registry.h"
#include "t.h"

#include <stdlib.h>

/* A small organization, ' for ":
 *   model m  <-uses- w1 -writes-> d1 <-reads- w2 -feeds-> w3
 *   w1 -writes-> sys ; d2 depends_on sys ; w4 reads d2
 *   w3 depends_on d1; w5 reads d1 and depends_on sys: reachable along
 *   lineage and past the written system, so downstream, never possible
 *   everyone owned by o */
static const char REG[] =
  "{'owners': {'o': {}},"
  " 'systems': {'sys': {'owner': 'o'}},"
  " 'models': {'m': {'owner': 'o'}},"
  " 'datasets': {'d1': {'owner': 'o'}, 'd2': {'owner': 'o', 'depends_on': ['sys']}},"
  " 'workflows': {"
  "   'w1': {'owner': 'o', 'uses': ['m'], 'writes': ['d1', 'sys']},"
  "   'w2': {'owner': 'o', 'reads': ['d1'], 'feeds': ['w3']},"
  "   'w3': {'owner': 'o', 'depends_on': ['d1']},"
  "   'w4': {'owner': 'o', 'reads': ['d2']},"
  "   'w5': {'owner': 'o', 'reads': ['d1'], 'depends_on': ['sys']}}}";

static st_registry R;

static int load(void)
{
    static int state;
    if (state) return state > 0 ? 0 : -1;
    char *json = malloc(sizeof REG);
    for (size_t i = 0; i < sizeof REG; i++)
        json[i] = REG[i] == '\'' ? '"' : REG[i];
    char err[ST_ERRLEN];
    st_registry_init(&R);
    st_load_opts lo = {0};
    state = st_registry_load_text(&R, "reg", json, strlen(json), &lo, err,
                                  sizeof err) == ST_OK ? 1 : -1;
    if (state < 0) T_FAILF("fixture: %s", err);
    free(json);
    return state > 0 ? 0 : -1;
}

static uint32_t id(const char *s)
{
    return st_graph_find(&R.graph, s, strlen(s));
}

static const st_blast *sorting;

static int by_distance_then_id(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    if (sorting->dist[x] != sorting->dist[y])
        return sorting->dist[x] < sorting->dist[y] ? -1 : 1;
    return strcmp(st_graph_id(&R.graph, x), st_graph_id(&R.graph, y));
}

/* "id:reach:distance" of every reached node, nearest first, then by id
 * (the order within one distance is the graph's, not a contract). */
static void describe(const st_blast *b, char *out, size_t n)
{
    size_t used = 0, k = 0;
    uint32_t nodes[64];
    out[0] = '\0';
    for (size_t i = 0; i < b->nqueue && k < 64; i++)
        if (b->reach[b->queue[i]]) nodes[k++] = b->queue[i];
    sorting = b;
    qsort(nodes, k, sizeof *nodes, by_distance_then_id);
    for (size_t i = 0; i < k; i++) {
        uint32_t x = nodes[i];
        used += (size_t)snprintf(out + used, n - used, "%s%s:%s:%u",
                                 used ? " " : "", st_graph_id(&R.graph, x),
                                 st_reach_name(b->reach[x]), b->dist[x]);
    }
}

static void expect_walk(const char *start, int depth, const char *want)
{
    st_blast b;
    st_blast_init(&b, &R.graph);
    uint32_t s = id(start);
    st_blast_walk(&b, &s, 1, depth);
    char got[512];
    describe(&b, got, sizeof got);
    T_EQ_STR(got, want);
    st_blast_free(&b);
}

static void test_a_model_reaches_along_lineage(void)
{
    if (load()) return;
    /* w1 uses m; w1 writes d1 (lineage) and sys (affected, but past it
     * only possible); d1's reader w2 and what it feeds; d2 depends on sys:
     * possible, and its reader too */
    expect_walk("m", -1, "w1:direct:1 d1:downstream:2 sys:downstream:2 "
                "d2:possible:3 w2:downstream:3 w3:downstream:3 "
                "w5:downstream:3 w4:possible:4");
}

static void test_a_touched_system_reaches_what_depends_on_it(void)
{
    if (load()) return;
    expect_walk("sys", -1, "d2:direct:1 w5:direct:1 w4:downstream:2");
}

static void test_a_dataset_reaches_its_readers(void)
{
    if (load()) return;
    /* not w1, which writes it: a writer is upstream */
    expect_walk("d1", -1, "w2:direct:1 w3:direct:1 w5:direct:1");
}

static void test_owners_carry_nothing(void)
{
    if (load()) return;
    expect_walk("o", -1, "");
}

static void test_depth_bounds_the_walk(void)
{
    if (load()) return;
    expect_walk("m", 1, "w1:direct:1");
    expect_walk("m", 2, "w1:direct:1 d1:downstream:2 sys:downstream:2");
    /* the possible pass keeps to the bound too */
    expect_walk("m", 3, "w1:direct:1 d1:downstream:2 sys:downstream:2 "
                "d2:possible:3 w2:downstream:3 w3:downstream:3 "
                "w5:downstream:3");
}

static void test_several_starts_and_names(void)
{
    if (load()) return;
    st_blast b;
    st_blast_init(&b, &R.graph);
    uint32_t s[3] = {id("d1"), id("sys"), id("d1")};
    st_blast_walk(&b, s, 3, -1);
    char got[512];
    describe(&b, got, sizeof got);
    T_EQ_STR(got, "d2:direct:1 w2:direct:1 w3:direct:1 w5:direct:1 "
             "w4:downstream:2");
    T_CHECK(b.start[id("d1")] && b.start[id("sys")] && !b.start[id("w2")]);
    T_EQ_INT(b.via[id("w4")], id("d2"));
    st_blast_free(&b);
    T_CHECK(st_reach_name(ST_REACH_NONE) == NULL);
    T_EQ_STR(st_reach_name(ST_REACH_POSSIBLE), "possible");
}

T_SUITE(T_CASE(test_a_model_reaches_along_lineage),
        T_CASE(test_a_touched_system_reaches_what_depends_on_it),
        T_CASE(test_a_dataset_reaches_its_readers),
        T_CASE(test_owners_carry_nothing),
        T_CASE(test_depth_bounds_the_walk),
        T_CASE(test_several_starts_and_names))
